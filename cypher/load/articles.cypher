// Load :Article nodes. One row per article (kg.build GraphRecords.articles):
//   {id, title, url, published, language, source, extractor}
// `published` arrives as an ISO date-time string without time zone (the loader normalises it)
// and is stored as a Neo4j LOCAL DATETIME; null stays null.
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.title = row.title,
    a.url = row.url,
    a.published = CASE WHEN row.published IS NULL THEN null ELSE localdatetime(row.published) END,
    a.language = row.language,
    a.source = row.source,
    a.extractor = row.extractor
