"""Reading articles: files, directories, globs, HTML, JSON Lines and stdin -> ``kg.model.Article``.

See ``kg.io.readers`` for the rules; ``kg.io.cleanup`` drops page furniture, ``kg.io.dateline``
reads publication datelines and ``kg.io.language`` identifies the language.
"""
from kg.io.cleanup import clean_text
from kg.io.dateline import parse_dateline
from kg.io.language import detect_language
from kg.io.readers import MAX_BYTES, ReadError, article_id, iter_articles, read_text_article

__all__ = [
    "MAX_BYTES",
    "ReadError",
    "article_id",
    "clean_text",
    "detect_language",
    "iter_articles",
    "parse_dateline",
    "read_text_article",
]
