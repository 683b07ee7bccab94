"""Exports of the graph (:mod:`kg.graph`): an interactive offline HTML page (:mod:`kg.export.html`)
and files for other tools (:mod:`kg.export.files`: GraphML, GEXF, node-link JSON, neo4j-admin CSV)."""
