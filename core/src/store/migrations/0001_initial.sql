-- 0001: the first field-store schema.
-- Clear columns hold only non-identifying values (ULIDs, kinds, timestamps, status, severity
-- rank). Everything personal is in a `sealed` column (AES-256-GCM, see crypto/mod.rs).

-- Store metadata: the key-check canary, sealed under the data key.
CREATE TABLE meta (
    name   TEXT PRIMARY KEY NOT NULL,
    sealed BLOB NOT NULL
) STRICT;

-- Every version of every record. Never updated except to erase `sealed` and `nhs_index`
-- when the record is deleted (deletion is itself a new version).
CREATE TABLE records (
    kind           TEXT    NOT NULL,
    id             TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    action         TEXT    NOT NULL CHECK (action IN ('create', 'amend', 'delete')),
    author         TEXT    NOT NULL,
    recorded_at    TEXT    NOT NULL,
    subject_person TEXT,
    household      TEXT,
    team           TEXT,
    status         TEXT,
    severity       INTEGER,
    due_at         TEXT,
    occurred_at    TEXT,
    nhs_index      BLOB,
    sealed         BLOB,
    PRIMARY KEY (kind, id, version)
) STRICT;

CREATE INDEX records_by_subject   ON records (kind, subject_person) WHERE subject_person IS NOT NULL;
CREATE INDEX records_by_household ON records (kind, household) WHERE household IS NOT NULL;
CREATE INDEX records_by_due       ON records (kind, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX records_by_nhs_index ON records (nhs_index) WHERE nhs_index IS NOT NULL;

-- Envelopes waiting to leave the device, written in the same transaction as their record.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT    NOT NULL UNIQUE,
    state           TEXT    NOT NULL CHECK (state IN
                        ('pending', 'sent', 'accepted', 'duplicate', 'rejected', 'discarded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    rejection_code  TEXT,
    sealed          BLOB    NOT NULL,
    sealed_note     BLOB
) STRICT;

CREATE INDEX outbox_by_state ON outbox (state, seq);

-- Small named values (sync cursor, device identity), sealed like everything else.
CREATE TABLE state (
    name   TEXT PRIMARY KEY NOT NULL,
    sealed BLOB NOT NULL
) STRICT;

-- Who read or wrote which entity, when. Ids and kinds only: no personal data.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL
) STRICT;
