"""kg: political news articles -> a timestamped knowledge graph."""
__version__ = "0.1.0"
