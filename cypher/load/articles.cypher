// Load :Article nodes. One row per article (kg.build GraphRecords.articles):
//   {id, title, url, published, language, source, extractor, records_hash}
// `published` arrives as an ISO date-time string without time zone (the loader normalises it)
// and is stored as a Neo4j LOCAL DATETIME; null stays null.
// records_hash: a hash of everything the article asserts (computed by the loader), so that a
// re-write can tell "unchanged" from "replaced".
// extractor: cleared here and set by the LAST batch of the write (extractors.cypher), once the
// article's entities, events and edges are in: an article whose write was interrupted has no
// extractor fingerprint, so `kg ingest` extracts and writes it again on resume.
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.title = row.title,
    a.url = row.url,
    a.published = CASE WHEN row.published IS NULL THEN null ELSE localdatetime(row.published) END,
    a.language = row.language,
    a.source = row.source,
    a.extractor = null,
    a.records_hash = row.records_hash
