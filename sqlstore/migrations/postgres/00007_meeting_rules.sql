-- +goose Up
-- When a session may run and when its organisers would like it to, as JSON
-- lists of [start, end) pairs in Unix milliseconds; [] means any time.
ALTER TABLE meeting_sessions ADD COLUMN available_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meeting_sessions ADD COLUMN preferred_json TEXT NOT NULL DEFAULT '[]';
-- sessions of one series should keep one room
ALTER TABLE meeting_sessions ADD COLUMN series TEXT NOT NULL DEFAULT '';

-- at most max_parallel sessions of a type run at once
CREATE TABLE meeting_type_limits (
    meeting_id   BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    type         TEXT NOT NULL,
    max_parallel BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, type)
);

-- +goose Down
DROP TABLE meeting_type_limits;
ALTER TABLE meeting_sessions DROP COLUMN series;
ALTER TABLE meeting_sessions DROP COLUMN preferred_json;
ALTER TABLE meeting_sessions DROP COLUMN available_json;
