// Load :Event nodes with their type label (:Event:Consult, :Event:Request, ...).
// Row (kg.build GraphRecords.events, or a canonical event of kg.store.neo4j.canonical_view):
//   {id, type, label, summary, modality, confidence, date_start, date_end, date_precision,
//    date_text, trigger, quote, article_id,
//    source_count, chosen_reason, date_value, first_reported, last_reported,
//    dates, date_precisions, date_articles}
// date_start/date_end are ISO dates ('2025-08-18') stored as Neo4j DATE values; null stays null.
// article_id: the article that first created (for a canonical event: first reported) the event.
// Canonical events (one real-world event across articles, see kg/merge.py) also carry
// source_count (articles reporting it), first_reported/last_reported (LOCAL DATETIME), the date
// chosen (date_value, chosen_reason: 'most precise', 'most sources', 'earliest report', ...) and
// every article's reading as parallel lists dates[i] / date_precisions[i] / date_articles[i]
// (also the conflicting ones). They are null / empty for per-article events.
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
    ev.article_id = CASE WHEN row.source_count IS NULL THEN coalesce(ev.article_id, row.article_id)
                         ELSE row.article_id END,
    ev.source_count = coalesce(row.source_count, ev.source_count),
    ev.chosen_reason = row.chosen_reason,
    ev.date_value = row.date_value,
    ev.first_reported = CASE WHEN row.first_reported IS NULL THEN null ELSE localdatetime(row.first_reported) END,
    ev.last_reported = CASE WHEN row.last_reported IS NULL THEN null ELSE localdatetime(row.last_reported) END,
    ev.dates = coalesce(row.dates, []),
    ev.date_precisions = coalesce(row.date_precisions, []),
    ev.date_articles = coalesce(row.date_articles, [])
