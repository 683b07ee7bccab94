// Load :Event nodes with their type label (:Event:Consult, :Event:Request, ...).
// Row (kg.build GraphRecords.events, one row per id):
//   {id, type, label, summary, modality, confidence, date_start, date_end, date_precision,
//    date_text, trigger, quote, article_id[, source_count]}
// date_start/date_end are ISO dates ('2025-08-18') stored as Neo4j DATE values; null stays null.
// article_id: the article that first created the event (kept when another article reports it).
//
// Placeholders replaced by the loader, from kg/data/ontology.yaml only (never article text):
//   {label}         ONE event label (event_types.*.label), validated; anything else raises
//   {event_labels}  all event labels joined by ':' (a changed type drops the old label)
UNWIND $rows AS row
MERGE (ev:Event {id: row.id})
REMOVE ev:{event_labels}
SET ev:{label},
    ev.type = row.type,
    ev.summary = row.summary,
    ev.modality = row.modality,
    ev.confidence = row.confidence,
    ev.date_start = CASE WHEN row.date_start IS NULL THEN null ELSE date(row.date_start) END,
    ev.date_end = CASE WHEN row.date_end IS NULL THEN null ELSE date(row.date_end) END,
    ev.date_precision = row.date_precision,
    ev.date_text = row.date_text,
    ev.trigger = row.trigger,
    ev.quote = row.quote,
    ev.article_id = coalesce(ev.article_id, row.article_id),
    ev.source_count = coalesce(row.source_count, ev.source_count)
