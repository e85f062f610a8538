-- +goose Up
-- the defaults a forum applies to new cycles (absent: IGF practice)
CREATE TABLE forum_rules (
    forum_id  INTEGER PRIMARY KEY REFERENCES forums(id) ON DELETE CASCADE,
    rules_json TEXT NOT NULL
);

-- a session's short and long reports; refiling replaces the text and keeps
-- the first filing time, so lateness is judged once
CREATE TABLE session_reports (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES meeting_sessions(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    body_json    TEXT NOT NULL,
    submitted_by INTEGER REFERENCES people(id) ON DELETE SET NULL,
    submitted_at INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (session_id, kind)
);

-- +goose Down
DROP TABLE session_reports;
DROP TABLE forum_rules;
