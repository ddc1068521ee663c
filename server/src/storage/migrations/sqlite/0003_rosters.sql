-- End-to-end sealing (docs/security.md): device X25519 encryption public keys and the signed
-- region roster log. Public keys and ids only; no personal data. The newest key of a device
-- (highest seq) is its current key.
CREATE TABLE device_encryption_keys (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id        TEXT    NOT NULL,
    key_id           TEXT    NOT NULL,
    public_key       TEXT    NOT NULL,
    registered_at_ms INTEGER NOT NULL,
    UNIQUE (device_id, key_id)
);
-- Append only: a version is never updated or deleted.
CREATE TABLE rosters (
    version       INTEGER PRIMARY KEY,
    body          TEXT    NOT NULL,
    signature     TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);
