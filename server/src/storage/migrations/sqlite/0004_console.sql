-- The regional web console (server/src/console/): one-time sign-in links and sessions (its
-- actions and sign-in events go to the admin audit of 0002). Tokens and session ids are stored
-- only as SHA-256 hex, so a copy of the database holds nothing usable.
CREATE TABLE console_links (
    token_hash    TEXT PRIMARY KEY,
    roles         TEXT    NOT NULL,
    issued_at_ms  INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER
);
CREATE TABLE console_sessions (
    session_hash  TEXT PRIMARY KEY,
    roles         TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    csrf_key      TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
);
