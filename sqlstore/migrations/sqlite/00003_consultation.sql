-- +goose Up
CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY,
    forum_id         INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    question         TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    opens_at         INTEGER NOT NULL,
    closes_at        INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    -- counters handing out numbers within the consultation (Pol.is ids)
    next_statement   INTEGER NOT NULL DEFAULT 0,
    next_participant INTEGER NOT NULL DEFAULT 0,
    -- grows with every change of votes or statements; analyses compare it
    version          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consultations_forum ON consultations (forum_id, opens_at);

CREATE TABLE consultation_statements (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL,
    body            TEXT NOT NULL,
    author          INTEGER NOT NULL DEFAULT -1,
    seed            INTEGER NOT NULL DEFAULT 0,
    moderation      TEXT NOT NULL,
    meta            INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    UNIQUE (consultation_id, number)
);

CREATE TABLE consultation_participants (
    id                INTEGER PRIMARY KEY,
    consultation_id   INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
    number            INTEGER NOT NULL,
    account_id        INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    anon_key          TEXT,
    external          TEXT,
    stakeholder_group TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    UNIQUE (consultation_id, number)
);
CREATE UNIQUE INDEX consultation_participants_account ON consultation_participants (consultation_id, account_id) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX consultation_participants_anon ON consultation_participants (consultation_id, anon_key) WHERE anon_key IS NOT NULL;
CREATE UNIQUE INDEX consultation_participants_external ON consultation_participants (consultation_id, external) WHERE external IS NOT NULL;

CREATE TABLE consultation_votes (
    consultation_id INTEGER NOT NULL,
    participant     INTEGER NOT NULL,
    statement       INTEGER NOT NULL,
    value           INTEGER NOT NULL CHECK (value IN (-1, 0, 1)),
    at              INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, participant, statement),
    FOREIGN KEY (consultation_id, participant) REFERENCES consultation_participants (consultation_id, number) ON DELETE CASCADE,
    FOREIGN KEY (consultation_id, statement) REFERENCES consultation_statements (consultation_id, number) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE consultation_analyses (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations(id) ON DELETE CASCADE,
    version         INTEGER NOT NULL,
    state           TEXT NOT NULL,
    computed_at     INTEGER NOT NULL
);

-- +goose Down
DROP TABLE consultation_analyses;
DROP TABLE consultation_votes;
DROP TABLE consultation_participants;
DROP TABLE consultation_statements;
DROP TABLE consultations;
