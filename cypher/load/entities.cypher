// Load :Entity nodes with their type label (:Entity:Person, :Entity:Country, ...).
// Row (kg.build GraphRecords.entities, one row per id): {id, type, label, name, aliases, wikidata}
//
// Labels cannot be query parameters in Neo4j 5 before 5.26 (`SET e:$(row.label)`), so the loader
// (kg/store/neo4j.py) groups the rows by label and replaces the placeholders before sending:
//   {label}          ONE label, validated against entity_types in kg/data/ontology.yaml
//                    (anything else raises; never text from an article)
//   {entity_labels}  all entity labels of the ontology joined by ':' (a type change drops the old label)
// Every value is bound from the `row` parameter.
//
// aliases accumulate over the articles; alias_counts is a parallel list of ints (maps cannot be
// property values): alias_counts[i] = how many articles named the entity aliases[i]. New aliases
// start at 0 here; cypher/load/mentions.cypher counts them (from each MENTIONS' aliases) and
// replace_article.cypher withdraws a re-written article's counts (dropping aliases no article gives).
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
WITH e, row, reduce(acc = coalesce(e.aliases, []), alias IN coalesce(row.aliases, []) |
                    CASE WHEN alias IN acc THEN acc ELSE acc + alias END) AS names,
     coalesce(e.alias_counts, []) AS counts
REMOVE e:{entity_labels}
SET e:{label},
    e.type = row.type,
    e.name = row.name,
    e.wikidata = coalesce(row.wikidata, e.wikidata),
    e.aliases = names,
    e.alias_counts = [i IN range(0, size(names) - 1) | coalesce(counts[i], 0)]
