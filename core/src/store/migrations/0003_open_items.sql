-- 0003: the index of open items, so "needs attention now" decrypts only what it shows
-- (store/open_items.rs says why each column is safe in clear).
-- One row per person who is, or may be, the subject of outstanding pattern alerts:
--   'stale'  a record about them was written since their alerts were last worked out;
--   'alerts' they had outstanding alerts when last worked out;
-- a person with neither has no row. Kept in the same transaction as every record write.
CREATE TABLE open_items (
    kind      TEXT NOT NULL CHECK (kind IN ('pattern_alert')),
    entity_id TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('stale', 'alerts')),
    PRIMARY KEY (kind, entity_id)
) STRICT;

CREATE INDEX open_items_by_state ON open_items (kind, state);

-- Back-fill: every person any record is about, and every person record, is stale, so the
-- first Today after the upgrade works each one out once (the full-scan answer) and keeps
-- only those with alerts.
INSERT OR IGNORE INTO open_items (kind, entity_id, state)
    SELECT DISTINCT 'pattern_alert', subject_person, 'stale' FROM records
    WHERE subject_person IS NOT NULL;
INSERT OR IGNORE INTO open_items (kind, entity_id, state)
    SELECT DISTINCT 'pattern_alert', id, 'stale' FROM records WHERE kind = 'person';
