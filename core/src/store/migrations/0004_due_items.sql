-- 0004: Today reads only what it shows (store/open_items.rs says why each column is safe in
-- clear).
--
-- 1. A person's outstanding pattern alerts, once worked out, are kept sealed in their
--    open_items row ('alerts' with `alerts` set), so a refresh decrypts that small summary
--    instead of the child's whole chronology. Rows from 0003 carry no summary: they are made
--    stale, so each is worked out once more.
ALTER TABLE open_items ADD COLUMN alerts BLOB;
UPDATE open_items SET state = 'stale';

-- 2. The records Today can list at an instant: shares, referrals, escalation ladders (for
--    "needs attention now") and visits (for today's visits). One row per record that can be
--    listed at some instant, with the window in which it can be:
--      'stale' a version of it was written since its window was last worked out;
--      'open'  it can be listed from `show_from` (NULL: any time) until `show_until` (NULL:
--              until it changes).
--    A record with no row is never listed until a version of it is written. Kept in the same
--    transaction as every record write.
CREATE TABLE due_items (
    kind       TEXT NOT NULL CHECK (kind IN ('share', 'referral', 'escalation', 'visit')),
    entity_id  TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('stale', 'open')),
    show_from  TEXT,
    show_until TEXT,
    PRIMARY KEY (kind, entity_id)
) STRICT;

CREATE INDEX due_items_by_entity ON due_items (entity_id);

-- Back-fill: every such record is stale, so the first Today after the upgrade works each one
-- out once (rows of deleted records are dropped then).
INSERT OR IGNORE INTO due_items (kind, entity_id, state)
    SELECT DISTINCT kind, id, 'stale' FROM records
    WHERE kind IN ('share', 'referral', 'escalation', 'visit');
