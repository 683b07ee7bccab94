// A planned event that then took place: (happened:Event)-[:FULFILS]->(planned:Event).
// Row (GraphRecords.event_links, computed by kg/merge.py in the embedded store): {source, target}
// source: the asserted canonical event, target: the planned one (same type and participants, the
// plan reported earlier, the event on or after that). Stale links were deleted by
// replace_article.cypher; rows whose events do not exist (yet) are skipped (MATCH).
UNWIND $rows AS row
MATCH (happened:Event {id: row.source})
MATCH (planned:Event {id: row.target})
MERGE (happened)-[:FULFILS]->(planned)
