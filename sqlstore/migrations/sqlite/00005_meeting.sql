-- +goose Up
CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    forum_id     INTEGER NOT NULL REFERENCES forums(id) ON DELETE CASCADE,
    cycle_id     INTEGER NOT NULL UNIQUE REFERENCES cycles(id) ON DELETE CASCADE,
    timezone     TEXT NOT NULL DEFAULT 'UTC',
    venue        TEXT NOT NULL DEFAULT '',
    published    INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER,
    decision     INTEGER NOT NULL DEFAULT -1,
    -- the latest solver run, kept until it is published or replaced
    draft_json   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meeting_rooms (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    capacity       INTEGER NOT NULL,
    hybrid         INTEGER NOT NULL DEFAULT 0,
    captioning     INTEGER NOT NULL DEFAULT 0,
    languages_json TEXT NOT NULL DEFAULT '[]',
    UNIQUE (meeting_id, name)
);

CREATE TABLE meeting_slots (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    day         INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    break_label TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, day, position)
);

CREATE TABLE meeting_sessions (
    id          INTEGER PRIMARY KEY,
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    -- filled when the session comes from an accepted proposal
    proposal_id INTEGER,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type        TEXT NOT NULL,
    subtheme    TEXT NOT NULL DEFAULT '',
    duration    INTEGER NOT NULL DEFAULT 1,
    people_json TEXT NOT NULL DEFAULT '[]',
    attendance  INTEGER NOT NULL DEFAULT 0,
    needs_json  TEXT NOT NULL DEFAULT '[]',
    language    TEXT NOT NULL DEFAULT 'en',
    pin_day     INTEGER NOT NULL DEFAULT -1,
    pin_slot    INTEGER NOT NULL DEFAULT -1,
    pin_room    INTEGER REFERENCES meeting_rooms(id) ON DELETE SET NULL
);
CREATE INDEX meeting_sessions_meeting ON meeting_sessions (meeting_id);

-- the published timetable; sequence grows each time a session's place changes
CREATE TABLE meeting_placements (
    session_id INTEGER PRIMARY KEY REFERENCES meeting_sessions(id) ON DELETE CASCADE,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    room_id    INTEGER NOT NULL REFERENCES meeting_rooms(id) ON DELETE CASCADE,
    day        INTEGER NOT NULL,
    slot       INTEGER NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    sequence   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_placements_meeting ON meeting_placements (meeting_id, starts_at);

CREATE TABLE meeting_stars (
    session_id INTEGER NOT NULL REFERENCES meeting_sessions(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, account_id)
);
CREATE INDEX meeting_stars_account ON meeting_stars (account_id);

-- +goose Down
DROP TABLE meeting_stars;
DROP TABLE meeting_placements;
DROP TABLE meeting_sessions;
DROP TABLE meeting_slots;
DROP TABLE meeting_rooms;
DROP TABLE meetings;
