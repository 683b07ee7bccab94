// Entities merged away by curation (`kg merge A B`, `kg alias add`): their node is deleted with
// every relationship it still has (the articles' records already name the entity they were merged
// into). Row (GraphRecords.retired_entities): {id}. Deleting a node that is not there is a no-op.
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
DETACH DELETE e
