-- Regional sync server schema v2 (PostgreSQL): admin audit, code listing and revocation, entity
-- ownership. No column holds personal data: ids, action names and instants only.
-- Every admin action (code issued or revoked, device revoked, directory imported).
CREATE TABLE admin_audit (
    id     BIGSERIAL PRIMARY KEY,
    at_ms  BIGINT  NOT NULL,
    action TEXT    NOT NULL,
    target TEXT    NOT NULL,
    actor  TEXT    NOT NULL
);
-- A code is named by code_id (a ULID printed at issue), never by the code or its hash.
ALTER TABLE enrolment_codes ADD COLUMN code_id TEXT;
ALTER TABLE enrolment_codes ADD COLUMN revoked_at_ms BIGINT;
ALTER TABLE enrolment_codes ADD COLUMN origin TEXT NOT NULL DEFAULT 'admin';
UPDATE enrolment_codes SET code_id = upper(substr(code_hash, 1, 26)) WHERE code_id IS NULL;
CREATE UNIQUE INDEX enrolment_codes_by_id ON enrolment_codes (code_id);
-- The first accepted envelope of an entity fixes its author and kind; nobody else may add to it.
CREATE TABLE entity_owners (
    entity_id TEXT PRIMARY KEY,
    author    TEXT NOT NULL,
    kind      TEXT NOT NULL
);
INSERT INTO entity_owners (entity_id, author, kind)
    SELECT entity_id, author, kind FROM envelopes e
    WHERE seq = (SELECT MIN(seq) FROM envelopes f WHERE f.entity_id = e.entity_id);
