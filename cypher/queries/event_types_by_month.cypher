// How many events of each type per month (dated events), e.g. to spot escalation.
// Parameters (in Neo4j Browser run the lines below without the leading "// "):
// :param date_from => '2025-01-01'
// :param date_to => '2025-12-31'
MATCH (ev:Event)
WHERE ev.date_start >= date($date_from) AND ev.date_start <= date($date_to)
RETURN substring(toString(ev.date_start), 0, 7) AS month,
       ev.type AS type,
       count(*) AS events
ORDER BY month, events DESC, type
