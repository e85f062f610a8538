-- +goose Up
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE forums (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    groups_json TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE cycles (
    id                    INTEGER PRIMARY KEY,
    forum_id              INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    year                  INTEGER NOT NULL,
    theme                 TEXT NOT NULL DEFAULT '',
    start_date            TEXT NOT NULL DEFAULT '',
    end_date              TEXT NOT NULL DEFAULT '',
    timezone              TEXT NOT NULL DEFAULT 'UTC',
    subthemes_json        TEXT NOT NULL DEFAULT '[]',
    policy_questions_json TEXT NOT NULL DEFAULT '[]',
    UNIQUE (forum_id, year)
);

CREATE TABLE organisations (
    id                INTEGER PRIMARY KEY,
    forum_id          INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    country           TEXT NOT NULL DEFAULT '',
    stakeholder_group TEXT NOT NULL DEFAULT '',
    website           TEXT NOT NULL DEFAULT '',
    UNIQUE (forum_id, name)
);

CREATE TABLE people (
    id                INTEGER PRIMARY KEY,
    forum_id          INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL,
    region            TEXT NOT NULL,
    gender            TEXT NOT NULL,
    organisation_id   INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    stakeholder_group TEXT NOT NULL,
    languages_json    TEXT NOT NULL DEFAULT '[]',
    created_at        INTEGER NOT NULL
);
CREATE UNIQUE INDEX people_forum_email ON people (forum_id, email) WHERE email <> '';
CREATE INDEX people_forum_group ON people (forum_id, stakeholder_group);
CREATE INDEX people_forum_region ON people (forum_id, region);
CREATE INDEX people_forum_name ON people (forum_id, name);

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    confirmed_at  INTEGER,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE roles (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    forum_id   INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, forum_id)
);

CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX tokens_account ON tokens (account_id, purpose);

CREATE TABLE web_sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry INTEGER NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions (expiry);

CREATE TABLE signin_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX signin_attempts_key ON signin_attempts (key, at);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    forum_id   INTEGER REFERENCES forums(id) ON DELETE SET NULL,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER,
    error      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE decision_entries (
    idx         INTEGER PRIMARY KEY,
    forum       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    inputs_hash TEXT NOT NULL,
    seed        TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL
);
CREATE INDEX decision_entries_forum ON decision_entries (forum, idx);

CREATE TABLE decision_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);

CREATE TABLE decision_checkpoints (
    size INTEGER PRIMARY KEY,
    note TEXT NOT NULL
);

-- +goose Down
DROP TABLE decision_checkpoints;
DROP TABLE decision_hashes;
DROP TABLE decision_entries;
DROP TABLE outbox;
DROP TABLE signin_attempts;
DROP TABLE web_sessions;
DROP TABLE tokens;
DROP TABLE roles;
DROP TABLE accounts;
DROP TABLE people;
DROP TABLE organisations;
DROP TABLE cycles;
DROP TABLE forums;
DROP TABLE settings;
