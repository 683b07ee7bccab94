// Derived "who did what to whom, when" relationships between entities, one per event:
// (source)-[:MET|DEMANDED|REJECTED|... {event_id}]->(target). MERGE key: (source, type, target, event_id).
// Row (kg.build GraphRecords.links):
//   {source, target, type, event_id, event_type, date_start, date_end, date_precision, modality, article_id}
// date_start/date_end are stored as Neo4j DATE values (null stays null).
// Placeholder replaced by the loader: {type}, validated against the `link` values of event_types
// in kg/data/ontology.yaml (anything else raises).
UNWIND $rows AS row
MATCH (s:Entity {id: row.source})
MATCH (t:Entity {id: row.target})
MERGE (s)-[l:{type} {event_id: row.event_id}]->(t)
SET l.event_type = row.event_type,
    l.date_start = CASE WHEN row.date_start IS NULL THEN null ELSE date(row.date_start) END,
    l.date_end = CASE WHEN row.date_end IS NULL THEN null ELSE date(row.date_end) END,
    l.date_precision = row.date_precision,
    l.modality = row.modality,
    l.article_id = row.article_id
