-- Server restored from a backup (docs/sync.md): an accepted envelope is kept, sealed and
-- signed, until a pull shows the server still holds it ("confirmed"), and for the retention
-- after its answer ("answered_at"), so one the server lost can be sent again byte-identical.
-- Rows from before this migration count as confirmed: nothing can be checked for them, and
-- re-sending them on every sync would never end.
ALTER TABLE outbox ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1 CHECK (confirmed IN (0, 1));
ALTER TABLE outbox ADD COLUMN answered_at TEXT;

CREATE INDEX outbox_unconfirmed ON outbox (confirmed, state);
