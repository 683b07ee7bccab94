"""Graph files: GraphML and GEXF (Gephi), node-link JSON, and CSV for ``neo4j-admin database import``.

GraphML and GEXF only hold scalar attribute values: lists are joined with ``"; "`` and missing
values are left out. Nodes get a ``label`` (the name; the Neo4j label is in ``neo4j_label``), edges
document-unique ids and a ``label`` (type, and date for dated links).
In GEXF the relationship type is called ``rel_type`` (``type`` is GEXF's own directed/undirected
flag).

The CSV layout is the one ``neo4j-admin database import`` reads (header ``name:type``, ``:ID``,
``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``; arrays ``string[]`` separated by ``;``), with the
same labels, relationship types and properties as kg's Neo4j store::

    neo4j-admin database import full neo4j \\
      --nodes=nodes_entities.csv --nodes=nodes_events.csv --nodes=nodes_articles.csv \\
      --relationships=rels_participants.csv --relationships=rels_relations.csv \\
      --relationships=rels_links.csv --relationships=rels_mentions.csv --relationships=rels_reports.csv \\
      --relationships=rels_event_links.csv
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import networkx as nx

from kg.graph import ARTICLE, ENTITY, EVENT, EVENT_LINK, LINK, MENTIONS, PARTICIPANT, RELATION, REPORTS, date_label
from kg.ontology import ontology

__all__ = ["scalar_graph", "export_graphml", "export_gexf", "export_json", "export_csv", "CSV_FILES",
           "ARRAY_DELIMITER", "import_command"]

LIST_SEPARATOR = "; "
ARRAY_DELIMITER = ";"
_FLOATS = {"confidence", "betweenness"}

#: file name -> header, in the neo4j-admin import format
CSV_FILES: dict[str, list[str]] = {
    "nodes_entities.csv": ["id:ID", "name", "type", "aliases:string[]", "wikidata", ":LABEL"],
    "nodes_events.csv": ["id:ID", "type", "summary", "modality", "confidence:double", "date_start:date",
                         "date_end:date", "date_precision", "date_text", "trigger", "quote", "article_id",
                         "source_count:int", "chosen_reason", "date_value", "first_reported:localdatetime",
                         "last_reported:localdatetime", "dates:string[]", "date_precisions:string[]",
                         "date_articles:string[]", ":LABEL"],
    "nodes_articles.csv": ["id:ID", "title", "url", "published:localdatetime", "language", "source", "extractor",
                           ":LABEL"],
    "rels_participants.csv": [":START_ID", ":END_ID", ":TYPE"],
    "rels_relations.csv": [":START_ID", ":END_ID", ":TYPE", "role", "confidence:double", "articles:string[]",
                           "evidence:string[]"],
    "rels_links.csv": [":START_ID", ":END_ID", ":TYPE", "event_id", "event_type", "date_start:date", "date_end:date",
                       "date_precision", "modality", "article_id"],
    "rels_mentions.csv": [":START_ID", ":END_ID", ":TYPE", "count:int", "evidence"],
    "rels_reports.csv": [":START_ID", ":END_ID", ":TYPE", "evidence:string[]"],
    "rels_event_links.csv": [":START_ID", ":END_ID", ":TYPE"],
}


# ------------------------------------------------------------------------------ scalar graph
def _scalar(key: str, value):
    if value is None:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(x) for x in value if x is not None and x != ""]
        return LIST_SEPARATOR.join(items) if items else None
    if isinstance(value, bool):
        return value
    if key in _FLOATS and isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def _scalars(data: dict, *, rename: dict | None = None) -> dict:
    out = {}
    for k, v in data.items():
        s = _scalar(k, v)
        if s is not None:
            out[(rename or {}).get(k, k)] = s
    return out


def scalar_graph(G: nx.MultiDiGraph, *, gexf: bool = False) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attribute values are all scalars (for GraphML / GEXF)."""
    H = nx.MultiDiGraph()
    H.graph.update(_scalars({k: v for k, v in G.graph.items() if k != "dropped"}))
    if G.graph.get("dropped"):
        H.graph["dropped"] = len(G.graph["dropped"])
    for n, d in G.nodes(data=True):
        attrs = _scalars(d, rename={"label": "neo4j_label"})
        attrs["label"] = str(d.get("name") or n)
        H.add_node(n, **attrs)
    for i, (u, v, _k, d) in enumerate(G.edges(keys=True, data=True)):
        attrs = _scalars(d, rename={"type": "rel_type"} if gexf else None)
        label = str(d.get("type") or "")
        if d.get("kind") == LINK:
            label += " " + date_label(d.get("date_start"), d.get("date_end"), d.get("date_precision"))
        attrs["label"] = label
        H.add_edge(u, v, key=f"e{i}", **attrs)
    return H


def export_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(scalar_graph(G), path, encoding="utf-8")
    return path


def export_gexf(G: nx.MultiDiGraph, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_gexf(scalar_graph(G, gexf=True), path, encoding="utf-8")
    return path


def export_json(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """node-link JSON (``networkx.node_link_data``: ``nodes``, ``edges``, list values kept)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = nx.node_link_data(G, edges="edges")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------ CSV (neo4j-admin)
def _cell(value, *, array: bool = False, delimiter: str = ARRAY_DELIMITER, parallel: bool = False):
    """One CSV field: text on one line (neo4j-admin reads one record per line unless
    --multiline-fields); array elements must not contain the array delimiter. ``parallel``: keep
    empty elements (lists that are read index by index with other lists)."""
    if value is None:
        return None
    if array:
        items = [value] if isinstance(value, str) else list(value)
        items = [" ".join(str("" if x is None else x).replace(delimiter, ",").split()) for x in items
                 if parallel or x not in (None, "")]
        return delimiter.join(items) if items else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    text = " ".join(str(value).split())
    return text


def _local_datetime(value):
    if not value:
        return None
    try:
        d = dt.datetime.fromisoformat(str(value))
    except ValueError:
        try:
            d = dt.datetime.combine(dt.date.fromisoformat(str(value)[:10]), dt.time())
        except ValueError:
            return None
    return d.replace(tzinfo=None).isoformat()


def _labels(*labels: str, delimiter: str = ARRAY_DELIMITER) -> str:
    return delimiter.join(x for x in labels if x)


def import_command(out_dir: str | Path, database: str = "neo4j", delimiter: str = ARRAY_DELIMITER) -> str:
    """The neo4j-admin command that imports the CSV files of ``out_dir`` (into an empty database)."""
    out_dir = Path(out_dir)
    nodes = " ".join(f"--nodes={out_dir / f}" for f in CSV_FILES if f.startswith("nodes_"))
    rels = " ".join(f"--relationships={out_dir / f}" for f in CSV_FILES if f.startswith("rels_"))
    extra = "" if delimiter == ARRAY_DELIMITER else f" --array-delimiter='{delimiter}'"
    return f"neo4j-admin database import full {database} {nodes} {rels}{extra}"


def export_csv(G: nx.MultiDiGraph, out_dir: str | Path, *, array_delimiter: str = ARRAY_DELIMITER) -> dict[str, int]:
    """Write the CSV files of :data:`CSV_FILES` into ``out_dir``; returns rows per file.

    Every file is written (header only when empty) so that the import command stays the same.
    Array elements that contain the array delimiter get it replaced by ``,``; line breaks inside
    values become spaces.
    """
    if len(array_delimiter) != 1 or array_delimiter in ',"\n\r':
        raise ValueError("the array delimiter must be one character other than , \" and line breaks")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    onto = ontology()
    rows: dict[str, list[list]] = {name: [] for name in CSV_FILES}
    D = array_delimiter
    for n, d in sorted(G.nodes(data=True), key=lambda x: str(x[0])):
        kind = d.get("kind")
        if kind == ENTITY:
            label = d.get("label") or onto["entity_types"].get(d.get("type"), "")
            rows["nodes_entities.csv"].append([
                n, _cell(d.get("name")), _cell(d.get("type")), _cell(d.get("aliases"), array=True, delimiter=D),
                _cell(d.get("wikidata")), _labels("Entity", label, delimiter=D)])
        elif kind == EVENT:
            label = d.get("label") or onto["event_types"].get(d.get("type"), {}).get("label", "")
            rows["nodes_events.csv"].append([
                n, _cell(d.get("type")), _cell(d.get("summary")), _cell(d.get("modality")),
                _cell(float(d["confidence"]) if d.get("confidence") is not None else None),
                _cell(d.get("date_start")), _cell(d.get("date_end")), _cell(d.get("date_precision")),
                _cell(d.get("date_text")), _cell(d.get("trigger")), _cell(d.get("quote")),
                _cell(d.get("article_id") or (d.get("article_ids") or [None])[0]),
                _cell(d.get("source_count")), _cell(d.get("chosen_reason")), _cell(d.get("date_value")),
                _local_datetime(d.get("first_reported")), _local_datetime(d.get("last_reported")),
                *(_cell(d.get(k), array=True, delimiter=D, parallel=True)
                  for k in ("dates", "date_precisions", "date_articles")),
                _labels("Event", label, delimiter=D)])
        elif kind == ARTICLE:
            rows["nodes_articles.csv"].append([
                n, _cell(d.get("title")), _cell(d.get("url")), _local_datetime(d.get("published")),
                _cell(d.get("language")), _cell(d.get("source")), _cell(d.get("extractor")), "Article"])
    for u, v, d in sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2].get("type")),
                                                              str(e[2].get("event_id")))):
        kind, etype = d.get("kind"), d.get("type")
        if kind == PARTICIPANT:
            rows["rels_participants.csv"].append([u, v, etype])
        elif kind == RELATION:
            rows["rels_relations.csv"].append([
                u, v, etype, _cell(d.get("role")),
                _cell(float(d["confidence"]) if d.get("confidence") is not None else None),
                _cell(d.get("articles"), array=True, delimiter=D), _cell(d.get("evidence"), array=True, delimiter=D)])
        elif kind == LINK:
            rows["rels_links.csv"].append([
                u, v, etype, _cell(d.get("event_id")), _cell(d.get("event_type")), _cell(d.get("date_start")),
                _cell(d.get("date_end")), _cell(d.get("date_precision")), _cell(d.get("modality")),
                _cell(d.get("article_id"))])
        elif kind == MENTIONS:
            rows["rels_mentions.csv"].append([u, v, "MENTIONS", _cell(d.get("count")), _cell(d.get("evidence"))])
        elif kind == REPORTS:
            rows["rels_reports.csv"].append([u, v, "REPORTS", _cell(d.get("evidence"), array=True, delimiter=D)])
        elif kind == EVENT_LINK:
            rows["rels_event_links.csv"].append([u, v, etype])
    for name, header in CSV_FILES.items():
        with (out_dir / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows[name])
    return {name: len(r) for name, r in rows.items()}
