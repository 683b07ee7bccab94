"""Stores: the embedded default store (sqlite) and Neo4j; both load kg.build.GraphRecords."""


class StoreUnavailable(Exception):
    """A store cannot be reached or refused the write; the message is one line naming it and the cause."""
