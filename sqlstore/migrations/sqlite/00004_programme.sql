-- +goose Up
CREATE TABLE programme_calls (
    id          INTEGER PRIMARY KEY,
    forum_id    INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    opens_at    INTEGER NOT NULL,
    closes_at   INTEGER NOT NULL,
    types_json  TEXT NOT NULL,
    rules_json  TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    published_at       INTEGER,
    published_decision INTEGER NOT NULL DEFAULT -1,
    UNIQUE (forum_id, year)
);

CREATE TABLE proposals (
    id                    INTEGER PRIMARY KEY,
    call_id               INTEGER NOT NULL REFERENCES programme_calls(id) ON DELETE CASCADE,
    forum_id              INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    account_id            INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    proposer_id           INTEGER REFERENCES people(id) ON DELETE SET NULL,
    type                  TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    policy_questions_json TEXT NOT NULL DEFAULT '[]',
    subtheme              TEXT NOT NULL DEFAULT '',
    format                TEXT NOT NULL DEFAULT '',
    languages_json        TEXT NOT NULL DEFAULT '[]',
    status                TEXT NOT NULL,
    submitted_at          INTEGER,
    override              TEXT NOT NULL DEFAULT '',
    override_reason       TEXT NOT NULL DEFAULT '',
    override_by           TEXT NOT NULL DEFAULT '',
    decision              TEXT NOT NULL DEFAULT '',
    decision_reason       TEXT NOT NULL DEFAULT '',
    merge_into            INTEGER NOT NULL DEFAULT 0,
    decision_index        INTEGER NOT NULL DEFAULT -1,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX proposals_call ON proposals (call_id, status);
CREATE INDEX proposals_account ON proposals (account_id);

CREATE TABLE proposal_people (
    proposal_id  INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    role         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    invite_hash  TEXT,
    invited_at   INTEGER,
    confirmed_at INTEGER,
    PRIMARY KEY (proposal_id, person_id, role)
);
CREATE INDEX proposal_people_person ON proposal_people (person_id, role);
CREATE UNIQUE INDEX proposal_people_invite ON proposal_people (invite_hash);


CREATE TABLE evaluator_conflicts (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, person_id)
);

CREATE TABLE programme_assignments (
    id             INTEGER PRIMARY KEY,
    call_id        INTEGER NOT NULL REFERENCES programme_calls(id) ON DELETE CASCADE,
    seed           TEXT NOT NULL,
    per_proposal   INTEGER NOT NULL,
    min_groups     INTEGER NOT NULL,
    total_affinity REAL NOT NULL,
    bound          REAL NOT NULL,
    inputs_hash    TEXT NOT NULL,
    decision       INTEGER NOT NULL,
    actor          TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX programme_assignments_call ON programme_assignments (call_id, id);

CREATE TABLE proposal_evaluators (
    assignment_id INTEGER NOT NULL REFERENCES programme_assignments(id) ON DELETE CASCADE,
    proposal_id   INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    affinity      REAL NOT NULL,
    PRIMARY KEY (assignment_id, proposal_id, person_id)
);
CREATE INDEX proposal_evaluators_person ON proposal_evaluators (assignment_id, person_id);

CREATE TABLE evaluations (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    merge_with  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, person_id)
);

-- +goose Down
DROP TABLE evaluations;
DROP TABLE proposal_evaluators;
DROP TABLE programme_assignments;
DROP TABLE evaluator_conflicts;
DROP TABLE proposal_people;
DROP TABLE proposals;
DROP TABLE programme_calls;
