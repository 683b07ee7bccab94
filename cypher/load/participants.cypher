// Entities taking part in events: (entity)-[:ACTOR_IN|TARGET_OF]->(event).
// Row (kg.build GraphRecords.participants): {event_id, entity_id, role}
// Placeholder replaced by the loader: {type} = the row group's role, validated against
// participant_roles.actor / participant_roles.target in kg/data/ontology.yaml (anything else raises).
// Rows whose entity or event does not exist are skipped (MATCH).
UNWIND $rows AS row
MATCH (x:Entity {id: row.entity_id})
MATCH (ev:Event {id: row.event_id})
MERGE (x)-[:{type}]->(ev)
