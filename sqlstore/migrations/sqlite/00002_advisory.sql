-- +goose Up
CREATE TABLE advisory_rules (
    forum_id   INTEGER PRIMARY KEY REFERENCES forums(id) ON DELETE CASCADE,
    rules_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE nomination_calls (
    id          INTEGER PRIMARY KEY,
    forum_id    INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    former_only INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (forum_id, year)
);

CREATE TABLE nominations (
    id                INTEGER PRIMARY KEY,
    call_id           INTEGER NOT NULL REFERENCES nomination_calls(id) ON DELETE CASCADE,
    forum_id          INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    person_id         INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    nominated_by      INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    self              INTEGER NOT NULL DEFAULT 0,
    statement         TEXT NOT NULL,
    name              TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    country           TEXT NOT NULL,
    region            TEXT NOT NULL,
    gender            TEXT NOT NULL,
    status            TEXT NOT NULL,
    reason            TEXT NOT NULL DEFAULT '',
    score             REAL NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    UNIQUE (call_id, person_id)
);
CREATE INDEX nominations_by ON nominations (nominated_by);

CREATE TABLE advisory_terms (
    id         INTEGER PRIMARY KEY,
    forum_id   INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    first_year INTEGER NOT NULL,
    last_year  INTEGER NOT NULL,
    role       TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    decision   INTEGER NOT NULL DEFAULT -1,
    UNIQUE (forum_id, person_id, first_year)
);
CREATE INDEX advisory_terms_years ON advisory_terms (forum_id, last_year);

CREATE TABLE advisory_selections (
    id           INTEGER PRIMARY KEY,
    forum_id     INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    method       TEXT NOT NULL,
    seed         TEXT NOT NULL,
    inputs_hash  TEXT NOT NULL,
    inputs_json  TEXT NOT NULL,
    result_json  TEXT NOT NULL,
    decision     INTEGER NOT NULL,
    actor        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER,
    published_decision INTEGER NOT NULL DEFAULT -1
);
CREATE INDEX advisory_selections_forum ON advisory_selections (forum_id, year);
CREATE UNIQUE INDEX advisory_selections_published ON advisory_selections (forum_id, year) WHERE published_at IS NOT NULL;

-- +goose Down
DROP TABLE advisory_selections;
DROP TABLE advisory_terms;
DROP TABLE nominations;
DROP TABLE nomination_calls;
DROP TABLE advisory_rules;
