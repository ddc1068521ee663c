-- Regional sync server schema v1 (SQLite). Instants are Unix milliseconds (UTC); ids are
-- ULID text. No column holds personal data: envelope bodies are opaque and kept inside `json`.
CREATE TABLE directory_versions (
    version        INTEGER PRIMARY KEY,
    imported_at_ms INTEGER NOT NULL,
    document       TEXT    NOT NULL
);
CREATE TABLE teams (
    team_id           TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    directory_version INTEGER NOT NULL
);
CREATE TABLE practitioner_teams (
    practitioner_id TEXT NOT NULL,
    team_id         TEXT NOT NULL,
    PRIMARY KEY (practitioner_id, team_id)
);
CREATE TABLE enrolment_codes (
    code_hash       TEXT PRIMARY KEY,
    practitioner_id TEXT    NOT NULL,
    teams           TEXT    NOT NULL,
    issued_at_ms    INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    used_at_ms      INTEGER,
    device_id       TEXT
);
CREATE TABLE devices (
    device_id       TEXT PRIMARY KEY,
    practitioner_id TEXT    NOT NULL,
    public_key      TEXT    NOT NULL,
    enrolled_at_ms  INTEGER NOT NULL,
    revoked_at_ms   INTEGER
);
CREATE TABLE nonces (
    device_id  TEXT    NOT NULL,
    nonce      TEXT    NOT NULL,
    seen_at_ms INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
);
CREATE INDEX nonces_by_age ON nonces (seen_at_ms);
-- AUTOINCREMENT: a sequence number is never reused, even after the last row is deleted, so
-- device cursors stay valid. One writer connection commits in sequence order.
CREATE TABLE envelopes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT    NOT NULL UNIQUE,
    content_hash   TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    entity_id      TEXT    NOT NULL,
    entity_version INTEGER NOT NULL,
    author         TEXT    NOT NULL,
    device_id      TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    severity       TEXT,
    due_at_ms      INTEGER,
    answers        TEXT,
    received_at_ms INTEGER NOT NULL,
    json           TEXT    NOT NULL
);
CREATE INDEX envelopes_by_author ON envelopes (author, seq);
CREATE INDEX envelopes_by_entity ON envelopes (entity_id);
CREATE INDEX envelopes_by_answers ON envelopes (answers);
CREATE INDEX envelopes_due ON envelopes (kind, due_at_ms);
CREATE TABLE envelope_audience (
    team_id TEXT    NOT NULL,
    seq     INTEGER NOT NULL REFERENCES envelopes (seq),
    PRIMARY KEY (team_id, seq)
) WITHOUT ROWID;
CREATE INDEX envelope_audience_by_seq ON envelope_audience (seq);
