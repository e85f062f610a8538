package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/algo/timetable"
	"concord/decisionlog"
)

const meetingColumns = `m.id, m.forum_id, m.cycle_id, c.year, c.start_date, c.end_date, m.timezone, m.venue,
	m.published, m.published_at, m.decision`

func scanMeeting(row interface{ Scan(...any) error }) (*concord.Meeting, error) {
	var m concord.Meeting
	var start, end string
	var at sql.NullInt64
	if err := row.Scan(&m.ID, &m.ForumID, &m.CycleID, &m.Year, &start, &end, &m.Timezone, &m.Venue,
		&m.Published, &at, &m.Decision); err != nil {
		return nil, err
	}
	m.StartDate, m.EndDate, m.PublishedAt = parseDate(start), parseDate(end), fromNullMS(at)
	return &m, nil
}

// CurrentMeeting returns the meeting of the forum's newest cycle that has one.
func (d *DB) CurrentMeeting(ctx context.Context, forumID int64) (*concord.Meeting, error) {
	m, err := scanMeeting(d.db.QueryRowContext(ctx, `SELECT `+meetingColumns+`
		FROM meetings m JOIN cycles c ON c.id = m.cycle_id WHERE m.forum_id = $1 ORDER BY c.year DESC LIMIT 1`, forumID))
	if noRows(err) {
		return nil, concord.Errorf(concord.ENOTFOUND, "This forum has no annual meeting yet.")
	} else if err != nil {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT type, max_parallel FROM meeting_type_limits WHERE meeting_id = $1`, m.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var n int
		if err := rows.Scan(&typ, &n); err != nil {
			return nil, err
		}
		if m.TypeLimits == nil {
			m.TypeLimits = map[string]int{}
		}
		m.TypeLimits[typ] = n
	}
	return m, rows.Err()
}

// SetTypeLimits replaces the meeting's caps on sessions of a type running
// at once; a type left out has no cap.
func (d *DB) SetTypeLimits(ctx context.Context, m *concord.Meeting, limits map[string]int) error {
	check := *m
	check.TypeLimits = limits
	if err := check.Validate(); err != nil {
		return err
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_type_limits WHERE meeting_id = $1`, m.ID); err != nil {
			return err
		}
		for _, t := range slices.Sorted(maps.Keys(limits)) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_type_limits (meeting_id, type, max_parallel) VALUES ($1, $2, $3)`,
				m.ID, t, limits[t]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		m.TypeLimits = maps.Clone(limits)
	}
	return err
}

// SaveMeeting creates the meeting of m.CycleID, or updates its timezone and
// venue. The dates are the cycle's.
func (d *DB) SaveMeeting(ctx context.Context, m *concord.Meeting) error {
	var start, end string
	err := d.db.QueryRowContext(ctx, `SELECT year, start_date, end_date FROM cycles WHERE id = $1 AND forum_id = $2`,
		m.CycleID, m.ForumID).Scan(&m.Year, &start, &end)
	if noRows(err) {
		return notFound("cycle", m.CycleID)
	} else if err != nil {
		return err
	}
	m.StartDate, m.EndDate = parseDate(start), parseDate(end)
	if err := m.Validate(); err != nil {
		return err
	}
	return d.db.QueryRowContext(ctx, `INSERT INTO meetings (forum_id, cycle_id, timezone, venue) VALUES ($1, $2, $3, $4)
		ON CONFLICT (cycle_id) DO UPDATE SET timezone = excluded.timezone, venue = excluded.venue
		RETURNING id, published, decision`, m.ForumID, m.CycleID, m.Timezone, m.Venue).Scan(&m.ID, &m.Published, &m.Decision)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateRoom adds a room to a meeting.
func (d *DB) CreateRoom(ctx context.Context, r *concord.MeetingRoom) error {
	if err := r.Validate(); err != nil {
		return err
	}
	langs, _ := json.Marshal(nonNil(r.Languages))
	err := d.db.QueryRowContext(ctx, `INSERT INTO meeting_rooms (meeting_id, name, capacity, hybrid, captioning, languages_json)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.MeetingID, r.Name, r.Capacity, b2i(r.Hybrid), b2i(r.Captioning),
		string(langs)).Scan(&r.ID)
	if isUniqueViolation(err) {
		return concord.FieldError("name", "the meeting already has a room %q", r.Name)
	}
	return err
}

// UpdateRoom changes a room's name, capacity and equipment.
func (d *DB) UpdateRoom(ctx context.Context, r *concord.MeetingRoom) error {
	if err := r.Validate(); err != nil {
		return err
	}
	langs, _ := json.Marshal(nonNil(r.Languages))
	res, err := d.db.ExecContext(ctx, `UPDATE meeting_rooms SET name = $1, capacity = $2, hybrid = $3, captioning = $4,
		languages_json = $5 WHERE id = $6 AND meeting_id = $7`, r.Name, r.Capacity, b2i(r.Hybrid), b2i(r.Captioning),
		string(langs), r.ID, r.MeetingID)
	if isUniqueViolation(err) {
		return concord.FieldError("name", "the meeting already has a room %q", r.Name)
	} else if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("room", r.ID)
	}
	return nil
}

// DeleteRoom removes a room that no session is placed in or pinned to;
// otherwise it is refused with those sessions named. The meeting's draft
// goes too, since it may use the room.
func (d *DB) DeleteRoom(ctx context.Context, meetingID, roomID int64) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		// Touching the meeting row first makes a concurrent publication,
		// which updates the same row, wait for this transaction or go first.
		if _, err := tx.ExecContext(ctx, `UPDATE meetings SET draft_json = '' WHERE id = $1`, meetingID); err != nil {
			return err
		}
		var name string
		err := tx.QueryRowContext(ctx, `SELECT name FROM meeting_rooms WHERE id = $1 AND meeting_id = $2`, roomID, meetingID).Scan(&name)
		if noRows(err) {
			return notFound("room", roomID)
		} else if err != nil {
			return err
		}
		titles := func(query string) ([]string, error) {
			rows, err := tx.QueryContext(ctx, query, roomID)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var t string
				if err := rows.Scan(&t); err != nil {
					return nil, err
				}
				out = append(out, "'"+t+"'")
			}
			return out, rows.Err()
		}
		placed, err := titles(`SELECT s.title FROM meeting_placements p JOIN meeting_sessions s ON s.id = p.session_id
			WHERE p.room_id = $1 ORDER BY p.starts_at, s.id`)
		if err != nil {
			return err
		}
		pinned, err := titles(`SELECT title FROM meeting_sessions WHERE pin_room = $1 ORDER BY id`)
		if err != nil {
			return err
		}
		var why []string
		if len(placed) > 0 {
			why = append(why, fmt.Sprintf("the published timetable has %d sessions in it (%s); move them or solve and publish without the room first",
				len(placed), listUpTo(placed, 5)))
		}
		if len(pinned) > 0 {
			why = append(why, fmt.Sprintf("%d sessions are pinned to it (%s); remove their pins first", len(pinned), listUpTo(pinned, 5)))
		}
		if len(why) > 0 {
			return concord.Errorf(concord.ECONFLICT, "Room '%s' cannot be deleted: %s.", name, strings.Join(why, "; "))
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM meeting_rooms WHERE id = $1`, roomID)
		return err
	})
}

// listUpTo joins the first n items and says how many more there are.
func listUpTo(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

// Rooms lists a meeting's rooms, largest first.
func (d *DB) Rooms(ctx context.Context, meetingID int64) ([]*concord.MeetingRoom, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, meeting_id, name, capacity, hybrid, captioning, languages_json
		FROM meeting_rooms WHERE meeting_id = $1 ORDER BY capacity DESC, name`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.MeetingRoom
	for rows.Next() {
		var r concord.MeetingRoom
		var hybrid, captioning int
		var langs string
		if err := rows.Scan(&r.ID, &r.MeetingID, &r.Name, &r.Capacity, &hybrid, &captioning, &langs); err != nil {
			return nil, err
		}
		r.Hybrid, r.Captioning = hybrid != 0, captioning != 0
		json.Unmarshal([]byte(langs), &r.Languages)
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SetTimeGrid replaces a meeting's time grid. A published timetable keeps
// its times; the next publication uses the new grid.
func (d *DB) SetTimeGrid(ctx context.Context, meetingID int64, slots []concord.TimeSlot) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_slots WHERE meeting_id = $1`, meetingID); err != nil {
			return err
		}
		pos := map[int]int{}
		for _, s := range slots {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_slots (meeting_id, day, position, starts_at, ends_at, break_label)
				VALUES ($1, $2, $3, $4, $5, $6)`, meetingID, s.Day, pos[s.Day], s.Start.UnixMilli(), s.End.UnixMilli(), s.Break); err != nil {
				return err
			}
			pos[s.Day]++
		}
		return nil
	})
}

// TimeGrid lists a meeting's periods by day and start.
func (d *DB) TimeGrid(ctx context.Context, meetingID int64) ([]concord.TimeSlot, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT day, starts_at, ends_at, break_label FROM meeting_slots
		WHERE meeting_id = $1 ORDER BY day, position`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.TimeSlot
	for rows.Next() {
		var s concord.TimeSlot
		var a, b int64
		if err := rows.Scan(&s.Day, &a, &b, &s.Break); err != nil {
			return nil, err
		}
		s.Start, s.End = fromMS(a), fromMS(b)
		out = append(out, s)
	}
	return out, rows.Err()
}

const sessionColumns = `id, meeting_id, proposal_id, title, description, type, subtheme, duration, people_json,
	attendance, needs_json, language, pin_day, pin_slot, pin_room, available_json, preferred_json, series`

func scanSession(row interface{ Scan(...any) error }) (*concord.Session, error) {
	var s concord.Session
	var proposal, pinRoom sql.NullInt64
	var people, needs, available, preferred string
	if err := row.Scan(&s.ID, &s.MeetingID, &proposal, &s.Title, &s.Description, &s.Type, &s.Subtheme, &s.Duration,
		&people, &s.Attendance, &needs, &s.Language, &s.PinDay, &s.PinSlot, &pinRoom, &available, &preferred, &s.Series); err != nil {
		return nil, err
	}
	s.ProposalID, s.PinRoom = proposal.Int64, pinRoom.Int64
	json.Unmarshal([]byte(people), &s.People)
	json.Unmarshal([]byte(needs), &s.Needs)
	s.Available, s.Preferred = rangesFromJSON(available), rangesFromJSON(preferred)
	return &s, nil
}

// rangesJSON stores time ranges as [[start, end], …] in Unix milliseconds.
func rangesJSON(rs []concord.TimeRange) string {
	out := make([][2]int64, len(rs))
	for i, r := range rs {
		out[i] = [2]int64{r.Start.UnixMilli(), r.End.UnixMilli()}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func rangesFromJSON(s string) []concord.TimeRange {
	var raw [][2]int64
	json.Unmarshal([]byte(s), &raw)
	var out []concord.TimeRange
	for _, r := range raw {
		out = append(out, concord.TimeRange{Start: fromMS(r[0]), End: fromMS(r[1])})
	}
	return out
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func (d *DB) checkSession(ctx context.Context, m *concord.Meeting, s *concord.Session) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s.MeetingID = m.ID
	for _, id := range s.People {
		var n int
		if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE id = $1 AND forum_id = $2`, id, m.ForumID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return concord.FieldError("people", "person %d is not in this forum", id)
		}
	}
	if s.PinRoom != 0 {
		var n int
		if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_rooms WHERE id = $1 AND meeting_id = $2`, s.PinRoom, m.ID).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return concord.FieldError("pin_room", "room %d is not at this meeting", s.PinRoom)
		}
	}
	return nil
}

// CreateSession adds a session to a meeting's programme.
func (d *DB) CreateSession(ctx context.Context, m *concord.Meeting, s *concord.Session) error {
	if err := d.checkSession(ctx, m, s); err != nil {
		return err
	}
	people, _ := json.Marshal(nonNilIDs(s.People))
	needs, _ := json.Marshal(nonNil(s.Needs))
	return d.db.QueryRowContext(ctx, `INSERT INTO meeting_sessions (meeting_id, proposal_id, title, description, type, subtheme,
		duration, people_json, attendance, needs_json, language, pin_day, pin_slot, pin_room, available_json, preferred_json, series)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		m.ID, nullID(s.ProposalID), s.Title, s.Description, s.Type, s.Subtheme, s.Duration, string(people), s.Attendance,
		string(needs), s.Language, s.PinDay, s.PinSlot, nullID(s.PinRoom), rangesJSON(s.Available), rangesJSON(s.Preferred),
		s.Series).Scan(&s.ID)
}

// UpdateSession saves a session's fields but its pin and proposal, which
// have their own paths. The published timetable keeps the session's place.
func (d *DB) UpdateSession(ctx context.Context, m *concord.Meeting, s *concord.Session) error {
	old, err := d.Session(ctx, m.ID, s.ID)
	if err != nil {
		return err
	}
	s.ProposalID, s.PinDay, s.PinSlot, s.PinRoom = old.ProposalID, old.PinDay, old.PinSlot, old.PinRoom
	if err := d.checkSession(ctx, m, s); err != nil {
		return err
	}
	people, _ := json.Marshal(nonNilIDs(s.People))
	needs, _ := json.Marshal(nonNil(s.Needs))
	_, err = d.db.ExecContext(ctx, `UPDATE meeting_sessions SET title = $1, description = $2, type = $3, subtheme = $4,
		duration = $5, people_json = $6, attendance = $7, needs_json = $8, language = $9, available_json = $10,
		preferred_json = $11, series = $12 WHERE id = $13 AND meeting_id = $14`,
		s.Title, s.Description, s.Type, s.Subtheme, s.Duration, string(people), s.Attendance, string(needs), s.Language,
		rangesJSON(s.Available), rangesJSON(s.Preferred), s.Series, s.ID, m.ID)
	return err
}

// DeleteSession removes a session with its stars. A session in the
// published timetable first leaves it through a logged publication, so the
// decision log and the exports say it is gone.
func (d *DB) DeleteSession(ctx context.Context, md *MeetingData, id int64, actor string) error {
	s := md.SessionByID(id)
	if s == nil {
		return notFound("session", id)
	}
	if _, placed := md.Placement(id); placed {
		rest := slices.DeleteFunc(slices.Clone(md.Placements), func(p concord.Placement) bool { return p.SessionID == id })
		after := md.without(id)
		inputs, err := decisionlog.InputsHash(after.Timetable())
		if err != nil {
			return err
		}
		if _, err := d.publish(ctx, md, rest, actor, fmt.Sprintf("session %d '%s' deleted", id, s.Title), "", inputs,
			map[string]any{"deleted_session": id}, false); err != nil {
			return err
		}
	}
	_, err := d.db.ExecContext(ctx, `DELETE FROM meeting_sessions WHERE id = $1 AND meeting_id = $2`, id, md.Meeting.ID)
	if err == nil {
		md.Sessions = slices.DeleteFunc(md.Sessions, func(x *concord.Session) bool { return x.ID == id })
	}
	return err
}

// without is md less one session (and its placement).
func (md *MeetingData) without(id int64) *MeetingData {
	c := *md
	c.Sessions = slices.DeleteFunc(slices.Clone(md.Sessions), func(x *concord.Session) bool { return x.ID == id })
	c.Placements = slices.DeleteFunc(slices.Clone(md.Placements), func(p concord.Placement) bool { return p.SessionID == id })
	return &c
}

// StarCount says how many personal agendas hold a session.
func (d *DB) StarCount(ctx context.Context, sessionID int64) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_stars WHERE session_id = $1`, sessionID).Scan(&n)
	return n, err
}

// SessionsFromProposals adds a session for each proposal accepted in a call
// of the meeting's year that is not in the programme yet, and says how many.
// Running it again adds only what is new.
func (d *DB) SessionsFromProposals(ctx context.Context, m *concord.Meeting) (int, error) {
	calls, err := d.ProposalCalls(ctx, m.ForumID)
	if err != nil {
		return 0, err
	}
	have, err := idSet(ctx, d.db, `SELECT proposal_id FROM meeting_sessions WHERE meeting_id = $1 AND proposal_id IS NOT NULL`, m.ID)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, c := range calls {
		if c.Year != m.Year {
			continue
		}
		ps, err := d.Proposals(ctx, c.ID, ProposalFilter{Submitted: true})
		if err != nil {
			return added, err
		}
		for _, p := range ps {
			if p.Decision != concord.DecisionAccept || have[p.ID] {
				continue
			}
			if err := d.CreateSession(ctx, m, concord.SessionFromProposal(p)); err != nil {
				return added, fmt.Errorf("proposal %d %q: %w", p.ID, p.Title, err)
			}
			added++
		}
	}
	return added, nil
}

// SetPin fixes a session's start and room (day -1: no fixed start; room 0: any room).
func (d *DB) SetPin(ctx context.Context, m *concord.Meeting, sessionID int64, day, slot int, room int64) error {
	s, err := d.Session(ctx, m.ID, sessionID)
	if err != nil {
		return err
	}
	s.PinDay, s.PinSlot, s.PinRoom = day, slot, room
	if err := d.checkSession(ctx, m, s); err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `UPDATE meeting_sessions SET pin_day = $1, pin_slot = $2, pin_room = $3 WHERE id = $4`,
		day, slot, nullID(room), sessionID)
	return err
}

func nonNilIDs(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// Session returns one session of a meeting.
func (d *DB) Session(ctx context.Context, meetingID, id int64) (*concord.Session, error) {
	s, err := scanSession(d.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM meeting_sessions WHERE id = $1 AND meeting_id = $2`, id, meetingID))
	if noRows(err) {
		return nil, notFound("session", id)
	}
	return s, err
}

// Sessions lists a meeting's sessions in the order they were created.
func (d *DB) Sessions(ctx context.Context, meetingID int64) ([]*concord.Session, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+sessionColumns+` FROM meeting_sessions WHERE meeting_id = $1 ORDER BY id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*concord.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Placements lists the published timetable by start time and room.
func (d *DB) Placements(ctx context.Context, meetingID int64) ([]concord.Placement, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT session_id, room_id, day, slot, starts_at, ends_at, sequence
		FROM meeting_placements WHERE meeting_id = $1 ORDER BY starts_at, room_id, session_id`, meetingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []concord.Placement
	for rows.Next() {
		var p concord.Placement
		var a, b int64
		if err := rows.Scan(&p.SessionID, &p.RoomID, &p.Day, &p.Slot, &a, &b, &p.Sequence); err != nil {
			return nil, err
		}
		p.Start, p.End = fromMS(a), fromMS(b)
		out = append(out, p)
	}
	return out, rows.Err()
}

// MeetingData is everything about a meeting the solver, the schedule and
// the exports read, loaded together.
type MeetingData struct {
	Meeting    *concord.Meeting
	Rooms      []*concord.MeetingRoom
	Grid       []concord.TimeSlot
	Sessions   []*concord.Session
	Placements []concord.Placement
	People     map[int64]string // names of the sessions' people
	Stars      [][]int64        // each account's starred sessions
}

// LoadMeeting reads a meeting's rooms, grid, sessions, published
// placements, people's names and registrants' stars: all the solver needs.
func (d *DB) LoadMeeting(ctx context.Context, m *concord.Meeting) (*MeetingData, error) {
	md, err := d.LoadSchedule(ctx, m)
	if err != nil {
		return nil, err
	}
	srows, err := d.db.QueryContext(ctx, `SELECT st.account_id, st.session_id FROM meeting_stars st
		JOIN meeting_sessions s ON s.id = st.session_id WHERE s.meeting_id = $1 ORDER BY st.account_id, st.session_id`, m.ID)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	last := int64(-1)
	for srows.Next() {
		var acc, sid int64
		if err := srows.Scan(&acc, &sid); err != nil {
			return nil, err
		}
		if acc != last {
			md.Stars = append(md.Stars, nil)
			last = acc
		}
		md.Stars[len(md.Stars)-1] = append(md.Stars[len(md.Stars)-1], sid)
	}
	return md, srows.Err()
}

// LoadSchedule reads what the public schedule shows: rooms, grid, sessions,
// published placements and the names of the people the sessions name, but
// not every registrant's stars.
func (d *DB) LoadSchedule(ctx context.Context, m *concord.Meeting) (*MeetingData, error) {
	md := &MeetingData{Meeting: m}
	var err error
	if md.Rooms, err = d.Rooms(ctx, m.ID); err != nil {
		return nil, err
	}
	if md.Grid, err = d.TimeGrid(ctx, m.ID); err != nil {
		return nil, err
	}
	if md.Sessions, err = d.Sessions(ctx, m.ID); err != nil {
		return nil, err
	}
	if md.Placements, err = d.Placements(ctx, m.ID); err != nil {
		return nil, err
	}
	var ids []int64
	for _, s := range md.Sessions {
		ids = append(ids, s.People...)
	}
	md.People, err = d.personNames(ctx, m.ForumID, ids)
	return md, err
}

// personNames reads the names of the given people of a forum, in batches
// so that no query needs more parameters than an engine allows.
func (d *DB) personNames(ctx context.Context, forumID int64, ids []int64) (map[int64]string, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make(map[int64]string, len(ids))
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		args := []any{forumID}
		marks := make([]string, len(batch))
		for i, id := range batch {
			args = append(args, id)
			marks[i] = "$" + strconv.Itoa(i+2)
		}
		rows, err := d.db.QueryContext(ctx, `SELECT id, name FROM people WHERE forum_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Room returns a room by id, nil if the meeting has none.
func (md *MeetingData) Room(id int64) *concord.MeetingRoom {
	for _, r := range md.Rooms {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// SessionByID returns a session by id, nil if the meeting has none.
func (md *MeetingData) SessionByID(id int64) *concord.Session {
	for _, s := range md.Sessions {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Placement returns a session's published placement.
func (md *MeetingData) Placement(sessionID int64) (concord.Placement, bool) {
	for _, p := range md.Placements {
		if p.SessionID == sessionID {
			return p, true
		}
	}
	return concord.Placement{}, false
}

// dayPeriods returns the grid as periods per day, and the most periods any
// day has.
func (md *MeetingData) dayPeriods() ([][]concord.TimeSlot, int) {
	days := make([][]concord.TimeSlot, len(md.Meeting.Days()))
	most := 0
	for _, s := range md.Grid {
		if s.Day < len(days) {
			days[s.Day] = append(days[s.Day], s)
			most = max(most, len(days[s.Day]))
		}
	}
	return days, most
}

// Timetable builds the solver's view of the meeting: one grid column per
// period (breaks and periods a short day lacks are closed to every session),
// rooms named by their names, sessions and people by id. With the published
// timetable as Previous, re-solving moves as few sessions as it can.
func (md *MeetingData) Timetable() *timetable.Meeting {
	days, most := md.dayPeriods()
	loc := md.Meeting.Location()
	g := timetable.Grid{Days: len(days), SlotsPerDay: max(most, 1)}
	var open []timetable.Window
	for d, ps := range days {
		g.DayNames = append(g.DayNames, md.Meeting.StartDate.AddDate(0, 0, d).Format("Mon 2 Jan"))
		from := -1
		for k := 0; k <= len(ps); k++ {
			usable := k < len(ps) && ps[k].Break == ""
			if usable && from < 0 {
				from = k
			} else if !usable && from >= 0 {
				open = append(open, timetable.Window{Day: d, From: from, To: k})
				from = -1
			}
		}
	}
	// Slot names only when every day shares one clock.
	if len(days) > 0 {
		same := true
		for _, ps := range days[1:] {
			same = same && len(ps) == len(days[0])
			for k := range min(len(ps), len(days[0])) {
				same = same && ps[k].Start.In(loc).Format("15:04") == days[0][k].Start.In(loc).Format("15:04")
			}
		}
		if same {
			for _, s := range days[0] {
				g.SlotNames = append(g.SlotNames, s.Start.In(loc).Format("15:04"))
			}
		}
	}
	tm := &timetable.Meeting{Grid: g, Weights: timetable.DefaultWeights(), TypeLimits: maps.Clone(md.Meeting.TypeLimits)}
	roomName := map[int64]string{}
	for _, r := range md.Rooms {
		roomName[r.ID] = r.Name
		tm.Rooms = append(tm.Rooms, timetable.Room{ID: r.Name, Capacity: r.Capacity, Features: r.Features()})
	}
	for _, s := range md.Sessions {
		ts := timetable.Session{ID: strconv.FormatInt(s.ID, 10), Title: s.Title, Duration: s.Duration, Attendance: s.Attendance,
			Features: s.Needs, Available: open, Subtheme: s.Subtheme, Type: s.Type, PinRoom: roomName[s.PinRoom], Series: s.Series}
		if len(s.Available) > 0 {
			ts.Available = windowsWithin(days, s.Available)
		}
		if len(s.Preferred) > 0 {
			ts.Preferred = startsWithin(days, s.Preferred, max(s.Duration, 1))
		}
		for _, p := range s.People {
			ts.People = append(ts.People, personKey(p, md.People[p]))
		}
		if s.Pinned() {
			ts.Pin = &timetable.Slot{Day: s.PinDay, Slot: s.PinSlot}
		}
		tm.Sessions = append(tm.Sessions, ts)
	}
	for _, set := range md.Stars {
		ids := make([]string, len(set))
		for i, id := range set {
			ids[i] = strconv.FormatInt(id, 10)
		}
		tm.Stars = append(tm.Stars, ids)
	}
	if len(md.Placements) > 0 {
		tt := md.SolverTimetable(md.Placements)
		tm.Previous = &tt
	}
	return tm
}

// windowsWithin lists, as solver windows, the session periods (not breaks)
// that lie wholly within one of rs. It is never nil: a session none of
// whose periods fit may run nowhere, and the solver says so.
func windowsWithin(days [][]concord.TimeSlot, rs []concord.TimeRange) []timetable.Window {
	out := []timetable.Window{}
	for d, ps := range days {
		from := -1
		for k := 0; k <= len(ps); k++ {
			ok := k < len(ps) && ps[k].Break == "" && concord.Holds(rs, ps[k].Start, ps[k].End)
			if ok && from < 0 {
				from = k
			} else if !ok && from >= 0 {
				out = append(out, timetable.Window{Day: d, From: from, To: k})
				from = -1
			}
		}
	}
	return out
}

// startsWithin lists the starts at which a session of dur periods runs
// wholly within one of rs, without crossing a break.
func startsWithin(days [][]concord.TimeSlot, rs []concord.TimeRange, dur int) []timetable.Slot {
	out := []timetable.Slot{}
	for d, ps := range days {
		for k := 0; k+dur <= len(ps); k++ {
			run := ps[k : k+dur]
			if !slices.ContainsFunc(run, func(p concord.TimeSlot) bool { return p.Break != "" }) &&
				concord.Holds(rs, run[0].Start, run[dur-1].End) {
				out = append(out, timetable.Slot{Day: d, Slot: k})
			}
		}
	}
	return out
}

// personKey names a person in the solver's messages, unique by id.
func personKey(id int64, name string) string {
	if name == "" {
		return fmt.Sprintf("person %d", id)
	}
	return fmt.Sprintf("%s (%d)", name, id)
}

// SolverTimetable converts placements to the solver's terms.
func (md *MeetingData) SolverTimetable(ps []concord.Placement) timetable.Timetable {
	var tt timetable.Timetable
	for _, p := range ps {
		if r := md.Room(p.RoomID); r != nil {
			tt.Placements = append(tt.Placements, timetable.Placement{Session: strconv.FormatInt(p.SessionID, 10),
				Start: timetable.Slot{Day: p.Day, Slot: p.Slot}, Room: r.Name})
		}
	}
	return tt
}

// Placements converts a solver timetable back, with times from the grid.
func (md *MeetingData) FromSolver(tt timetable.Timetable) ([]concord.Placement, error) {
	days, _ := md.dayPeriods()
	byName := map[string]int64{}
	for _, r := range md.Rooms {
		byName[r.Name] = r.ID
	}
	var out []concord.Placement
	for _, p := range tt.Placements {
		id, _ := strconv.ParseInt(p.Session, 10, 64)
		s := md.SessionByID(id)
		if s == nil || p.Start.Day >= len(days) || p.Start.Slot+s.Duration > len(days[p.Start.Day]) {
			return nil, concord.Errorf(concord.EINVALID, "session %s does not fit the time grid", p.Session)
		}
		ps := days[p.Start.Day]
		out = append(out, concord.Placement{SessionID: id, RoomID: byName[p.Room], Day: p.Start.Day, Slot: p.Start.Slot,
			Start: ps[p.Start.Slot].Start, End: ps[p.Start.Slot+s.Duration-1].End})
	}
	return out, nil
}

// Draft is a solver run awaiting publication.
type Draft struct {
	Seed       uint64
	Iterations int64 // the budget the solver was given, which replays it
	InputsHash string
	// Structure hashes the inputs but registrants' stars, which change all
	// the time: publishing checks that sessions, rooms and grid have not.
	Structure  string
	Placements []concord.Placement
	Issues     []timetable.Issue
	Hard       []timetable.Violation
	Soft       []timetable.Violation
	SoftCost   int
	CreatedAt  time.Time
}

// ErrNoGrid says why a meeting cannot be solved yet.
func (md *MeetingData) ready() error {
	switch {
	case len(md.Rooms) == 0:
		return concord.Errorf(concord.EINVALID, "The meeting has no rooms yet.")
	case !slices.ContainsFunc(md.Grid, func(s concord.TimeSlot) bool { return s.Break == "" }):
		return concord.Errorf(concord.EINVALID, "The meeting has no time grid yet.")
	case len(md.Sessions) == 0:
		return concord.Errorf(concord.EINVALID, "The meeting has no sessions yet.")
	}
	return nil
}

// Feasibility lists why no timetable can keep every hard rule, before solving.
func (md *MeetingData) Feasibility() ([]timetable.Issue, error) {
	if err := md.ready(); err != nil {
		return nil, err
	}
	return timetable.Feasibility(md.Timetable())
}

// DefaultIterations is the solver's budget for a meeting of n sessions
// when none is given: 3,000 moves a session, at least 200,000.
func DefaultIterations(n int) int64 { return max(200_000, 3000*int64(n)) }

// MaxIterations bounds a solve's budget, so that one request cannot hold a
// server for minutes.
const MaxIterations = 20_000_000

// SolveMeeting runs the solver with a seed and an iteration budget (0:
// DefaultIterations) and keeps the result as the meeting's draft. Nothing
// else bounds the run, so the seed, the budget and the inputs replay it
// exactly.
func (d *DB) SolveMeeting(ctx context.Context, md *MeetingData, seed uint64, iterations int64) (*Draft, error) {
	if err := md.ready(); err != nil {
		return nil, err
	}
	if iterations == 0 {
		iterations = DefaultIterations(len(md.Sessions))
	}
	if iterations < 1 || iterations > MaxIterations {
		return nil, concord.FieldError("iterations", "must be 1 to %d", MaxIterations)
	}
	tm := md.Timetable()
	res, err := timetable.Solve(tm, timetable.Options{Seed: seed, Iterations: iterations})
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	dr := &Draft{Seed: seed, Iterations: iterations, Issues: res.Issues, Hard: res.Hard, Soft: res.Soft,
		SoftCost: res.SoftCost, CreatedAt: d.Now()}
	if dr.InputsHash, err = decisionlog.InputsHash(tm); err != nil {
		return nil, err
	}
	if dr.Structure, err = md.structure(); err != nil {
		return nil, err
	}
	if dr.Placements, err = md.FromSolver(res.Timetable); err != nil {
		return nil, err
	}
	raw, _ := json.Marshal(dr)
	_, err = d.db.ExecContext(ctx, `UPDATE meetings SET draft_json = $1 WHERE id = $2`, string(raw), md.Meeting.ID)
	return dr, err
}

func (md *MeetingData) structure() (string, error) {
	tm := md.Timetable()
	tm.Stars, tm.CoStars = nil, nil
	return decisionlog.InputsHash(tm)
}

// Draft returns the meeting's unpublished solver run, nil if none.
func (d *DB) Draft(ctx context.Context, meetingID int64) (*Draft, error) {
	var raw string
	if err := d.db.QueryRowContext(ctx, `SELECT draft_json FROM meetings WHERE id = $1`, meetingID).Scan(&raw); err != nil {
		return nil, err
	}
	if raw == "" {
		return nil, nil
	}
	var dr Draft
	return &dr, json.Unmarshal([]byte(raw), &dr)
}

// PublishDraft makes the draft the published timetable, logs it as a
// decision and clears the draft. A draft with hard violations is refused.
func (d *DB) PublishDraft(ctx context.Context, md *MeetingData, actor string) (int64, error) {
	dr, err := d.Draft(ctx, md.Meeting.ID)
	if err != nil {
		return 0, err
	}
	if dr == nil {
		return 0, concord.Errorf(concord.EINVALID, "There is no solved timetable to publish; solve first.")
	}
	if len(dr.Hard) > 0 {
		return 0, concord.Errorf(concord.EINVALID, "The timetable breaks %d hard rules, first: %s", len(dr.Hard), dr.Hard[0].Message)
	}
	if now, err := md.structure(); err != nil {
		return 0, err
	} else if now != dr.Structure {
		return 0, concord.Errorf(concord.EINVALID, "Sessions, rooms, the time grid or the published timetable changed since this timetable was solved; solve again.")
	}
	subject := fmt.Sprintf("timetable of %d sessions in %d rooms, seed %d, %d iterations, soft cost %d",
		len(dr.Placements), len(md.Rooms), dr.Seed, dr.Iterations, dr.SoftCost)
	return d.publish(ctx, md, dr.Placements, actor, subject, strconv.FormatUint(dr.Seed, 10), dr.InputsHash,
		map[string]any{"iterations": dr.Iterations, "soft_cost": dr.SoftCost, "soft_violations": len(dr.Soft)}, true)
}

// publish writes placements, raising the sequence of every one that moved,
// and appends the decision.
func (d *DB) publish(ctx context.Context, md *MeetingData, ps []concord.Placement, actor, subject, seed, inputs string,
	summary map[string]any, clearDraft bool) (int64, error) {
	m := md.Meeting
	// Publications take turns: one based on a timetable another has since
	// replaced is refused, here cheaply and below for certain.
	var current int
	if err := d.db.QueryRowContext(ctx, `SELECT published FROM meetings WHERE id = $1`, m.ID).Scan(&current); err != nil {
		return 0, err
	} else if current != m.Published {
		return 0, errPublishedMeanwhile
	}
	type placed struct {
		Session int64  `json:"session"`
		Room    string `json:"room"`
		Start   string `json:"start"`
	}
	result := map[string]any{"placements": []placed{}}
	var list []placed
	for _, p := range ps {
		name := ""
		if r := md.Room(p.RoomID); r != nil {
			name = r.Name
		}
		list = append(list, placed{p.SessionID, name, p.Start.UTC().Format(time.RFC3339)})
	}
	if list != nil {
		result["placements"] = list
	}
	for k, v := range summary {
		result[k] = v
	}
	raw, _ := json.Marshal(result)
	log, err := d.DecisionLog(ctx)
	if err != nil {
		return 0, err
	}
	forum, err := d.ForumByID(ctx, m.ForumID)
	if err != nil {
		return 0, err
	}
	e, _, err := log.Append(ctx, decisionlog.Entry{Forum: forum.Slug, Kind: "meeting.timetable", Actor: actor, Time: d.Now(),
		Subject: fmt.Sprintf("Meeting %d: %s", m.Year, subject), InputsHash: inputs, Seed: seed, Result: raw})
	if err != nil {
		return 0, err
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE meetings SET published = published + 1 WHERE id = $1 AND published = $2`, m.ID, m.Published)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errPublishedMeanwhile
		}
		if err := sequences(ctx, tx, m.ID, ps); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_placements WHERE meeting_id = $1`, m.ID); err != nil {
			return err
		}
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_placements (session_id, meeting_id, room_id, day, slot, starts_at, ends_at, sequence)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.SessionID, m.ID, p.RoomID, p.Day, p.Slot, p.Start.UnixMilli(),
				p.End.UnixMilli(), p.Sequence); err != nil {
				return err
			}
		}
		draft := `draft_json`
		if clearDraft {
			draft = `''`
		}
		_, err = tx.ExecContext(ctx, `UPDATE meetings SET published_at = $1, decision = $2, draft_json = `+draft+`
			WHERE id = $3`, e.Time.UnixMilli(), e.Index, m.ID)
		return err
	})
	if err != nil {
		return 0, err
	}
	m.Published++
	m.PublishedAt, m.Decision = e.Time, e.Index
	md.Placements = ps
	return e.Index, nil
}

var errPublishedMeanwhile = concord.Errorf(concord.ECONFLICT, "Someone published the timetable meanwhile; reload and try again.")

// sequences sets each placement's sequence from the one stored: the same
// if the session keeps its room and times, one more if it moved.
func sequences(ctx context.Context, tx *sql.Tx, meetingID int64, ps []concord.Placement) error {
	rows, err := tx.QueryContext(ctx, `SELECT session_id, room_id, starts_at, ends_at, sequence FROM meeting_placements WHERE meeting_id = $1`, meetingID)
	if err != nil {
		return err
	}
	defer rows.Close()
	old := map[int64]concord.Placement{}
	for rows.Next() {
		var p concord.Placement
		var a, b int64
		if err := rows.Scan(&p.SessionID, &p.RoomID, &a, &b, &p.Sequence); err != nil {
			return err
		}
		p.Start, p.End = fromMS(a), fromMS(b)
		old[p.SessionID] = p
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, p := range ps {
		ps[i].Sequence = 0
		if o, ok := old[p.SessionID]; ok {
			ps[i].Sequence = o.Sequence
			if o.RoomID != p.RoomID || !o.Start.Equal(p.Start) || !o.End.Equal(p.End) {
				ps[i].Sequence++
			}
		}
	}
	return nil
}

// Edit changes the published timetable: it moves a session to a day, slot
// and room, or, with SwapWith set, swaps the places of two sessions.
type Edit struct {
	SessionID int64
	Day, Slot int
	RoomID    int64
	SwapWith  int64
}

// CheckEdit returns the placements after the edit and the violations the
// edit creates (hard ones first).
func (md *MeetingData) CheckEdit(e Edit) ([]concord.Placement, []timetable.Violation, error) {
	if len(md.Placements) == 0 {
		return nil, nil, concord.Errorf(concord.EINVALID, "There is no published timetable to edit.")
	}
	after := slices.Clone(md.Placements)
	i := slices.IndexFunc(after, func(p concord.Placement) bool { return p.SessionID == e.SessionID })
	if i < 0 {
		return nil, nil, concord.Errorf(concord.ENOTFOUND, "Session %d is not in the timetable.", e.SessionID)
	}
	tt := md.SolverTimetable(after)
	if e.SwapWith != 0 {
		j := slices.IndexFunc(after, func(p concord.Placement) bool { return p.SessionID == e.SwapWith })
		if j < 0 {
			return nil, nil, concord.Errorf(concord.ENOTFOUND, "Session %d is not in the timetable.", e.SwapWith)
		}
		tt.Placements[i].Start, tt.Placements[j].Start = tt.Placements[j].Start, tt.Placements[i].Start
		tt.Placements[i].Room, tt.Placements[j].Room = tt.Placements[j].Room, tt.Placements[i].Room
	} else {
		r := md.Room(e.RoomID)
		if r == nil {
			return nil, nil, concord.FieldError("room", "choose a room of this meeting")
		}
		tt.Placements[i].Start = timetable.Slot{Day: e.Day, Slot: e.Slot}
		tt.Placements[i].Room = r.Name
	}
	tm := md.Timetable()
	tm.Previous = nil // moving is the point of an edit
	vs, err := timetable.CheckEdit(tm, md.SolverTimetable(md.Placements), tt)
	if err != nil {
		return nil, nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	slices.SortStableFunc(vs, func(a, b timetable.Violation) int { return b2i(b.Hard) - b2i(a.Hard) })
	ps, err := md.FromSolver(tt)
	if err != nil {
		return nil, vs, err
	}
	return ps, vs, nil
}

// Conflicts lists the violations the published timetable gains when the
// meeting changes to after (a session or room edited), hard ones first:
// CheckEdit's question, asked of the meeting instead of the timetable.
// A violation counts as new unless md already had one of the same kind
// over the same sessions, so renaming a room or a session creates none.
func (md *MeetingData) Conflicts(after *MeetingData) ([]timetable.Violation, error) {
	if len(md.Placements) == 0 {
		return nil, nil
	}
	before, err := md.Check()
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	now, err := after.Check()
	if err != nil {
		return nil, concord.Errorf(concord.EINVALID, "%v", err)
	}
	key := func(v timetable.Violation) string { return v.Kind + "|" + strings.Join(v.Sessions, ",") }
	had := map[string]int{}
	for _, v := range append(before.Hard, before.Soft...) {
		had[key(v)]++
	}
	var created []timetable.Violation
	for _, v := range append(now.Hard, now.Soft...) {
		if k := key(v); had[k] > 0 {
			had[k]--
		} else {
			created = append(created, v)
		}
	}
	slices.SortStableFunc(created, func(a, b timetable.Violation) int { return b2i(b.Hard) - b2i(a.Hard) })
	return created, nil
}

// WithSession is md with one session replaced, for Conflicts.
func (md *MeetingData) WithSession(s *concord.Session) *MeetingData {
	c := *md
	c.Sessions = slices.Clone(md.Sessions)
	for i, x := range c.Sessions {
		if x.ID == s.ID {
			c.Sessions[i] = s
		}
	}
	return &c
}

// WithRoom is md with one room replaced, for Conflicts.
func (md *MeetingData) WithRoom(r *concord.MeetingRoom) *MeetingData {
	c := *md
	c.Rooms = slices.Clone(md.Rooms)
	for i, x := range c.Rooms {
		if x.ID == r.ID {
			c.Rooms[i] = r
		}
	}
	return &c
}

// ApplyEdit publishes an edit that breaks no hard rule; one that does is
// refused with the first conflict named. It returns the soft violations the
// edit creates.
func (d *DB) ApplyEdit(ctx context.Context, md *MeetingData, e Edit, actor string) ([]timetable.Violation, error) {
	ps, vs, err := md.CheckEdit(e)
	if err != nil {
		return vs, err
	}
	if len(vs) > 0 && vs[0].Hard {
		return vs, concord.Errorf(concord.ECONFLICT, "Refused: %s", vs[0].Message)
	}
	inputs, err := decisionlog.InputsHash(md.Timetable())
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("session %d moved", e.SessionID)
	if e.SwapWith != 0 {
		what = fmt.Sprintf("sessions %d and %d swapped", e.SessionID, e.SwapWith)
	}
	_, err = d.publish(ctx, md, ps, actor, "timetable edited: "+what, "", inputs,
		map[string]any{"edit": e, "soft_violations_created": len(vs)}, false)
	return vs, err
}

// Star marks or unmarks a session in an account's personal agenda.
func (d *DB) Star(ctx context.Context, accountID, sessionID int64, on bool) error {
	var err error
	if on {
		_, err = d.db.ExecContext(ctx, `INSERT INTO meeting_stars (session_id, account_id) VALUES ($1, $2)
			ON CONFLICT (session_id, account_id) DO NOTHING`, sessionID, accountID)
	} else {
		_, err = d.db.ExecContext(ctx, `DELETE FROM meeting_stars WHERE session_id = $1 AND account_id = $2`, sessionID, accountID)
	}
	return err
}

// Starred lists the sessions of a meeting an account starred.
func (d *DB) Starred(ctx context.Context, accountID, meetingID int64) (map[int64]bool, error) {
	return idSet(ctx, d.db, `SELECT st.session_id FROM meeting_stars st JOIN meeting_sessions s ON s.id = st.session_id
		WHERE st.account_id = $1 AND s.meeting_id = $2`, accountID, meetingID)
}

// agendaKey signs personal agenda feed tokens; one setting, so every server agrees.
func (d *DB) agendaKey(ctx context.Context) ([]byte, error) {
	k, err := d.SettingOrInit(ctx, "meeting.agenda_key", func() (string, error) {
		b := make([]byte, 32)
		rand.Read(b)
		return hex.EncodeToString(b), nil
	})
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(k)
}

// AgendaToken is the secret of an account's agenda feed URL: its id and a
// MAC, so it needs no row and stays the same until the key changes.
func (d *DB) AgendaToken(ctx context.Context, accountID int64) (string, error) {
	key, err := d.agendaKey(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "agenda:%d", accountID)
	return fmt.Sprintf("%d-%s", accountID, hex.EncodeToString(mac.Sum(nil)[:16])), nil
}

// AgendaAccount checks a feed token and returns its account.
func (d *DB) AgendaAccount(ctx context.Context, token string) (int64, error) {
	idPart, _, _ := strings.Cut(token, "-")
	id, err := strconv.ParseInt(idPart, 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.ENOTFOUND, "There is no such calendar.")
	}
	want, err := d.AgendaToken(ctx, id)
	if err != nil {
		return 0, err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return 0, concord.Errorf(concord.ENOTFOUND, "There is no such calendar.")
	}
	return id, nil
}

// Check lists every violation of the published timetable.
func (md *MeetingData) Check() (timetable.Report, error) {
	return timetable.Check(md.Timetable(), md.SolverTimetable(md.Placements))
}
