-- A retired device (a phone handed back; docs/operations.md, "Retire or revoke"): it may still
-- push its outbox, then is told to wipe, and from the next roster version it is no longer a
-- recipient. Revocation (lost or stolen: wipe at once) stays in revoked_at_ms. Stands alone
-- (one column on 0001's table), so it applies in either order with its sibling migrations.
ALTER TABLE devices ADD COLUMN retired_at_ms INTEGER;
