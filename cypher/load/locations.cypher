// Where events happened / which places they concern: (event)-[:LOCATED_AT]->(entity).
// Row (kg.build GraphRecords.participants with the location role): {event_id, entity_id, role}
// Placeholder replaced by the loader: {type} = participant_roles.location of
// kg/data/ontology.yaml (validated; anything else raises).
UNWIND $rows AS row
MATCH (ev:Event {id: row.event_id})
MATCH (x:Entity {id: row.entity_id})
MERGE (ev)-[:{type}]->(x)
