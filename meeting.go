package concord

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Meeting is a cycle's annual meeting: its days come from the cycle, its
// clock from Timezone.
type Meeting struct {
	ID        int64
	ForumID   int64
	CycleID   int64
	Year      int
	StartDate time.Time // the cycle's dates
	EndDate   time.Time
	Timezone  string
	Venue     string
	// Published is how many timetables have been published; 0: none yet.
	Published   int
	PublishedAt time.Time
	Decision    int64 // decision-log index of the latest publication; -1 none
	// TypeLimits caps how many sessions of a type run at once; a type not
	// listed has no cap.
	TypeLimits map[string]int
}

// Location is the meeting's time zone (UTC if it does not load).
func (m *Meeting) Location() *time.Location {
	if loc, err := time.LoadLocation(m.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// Days lists the meeting's dates, first to last.
func (m *Meeting) Days() []time.Time {
	var out []time.Time
	for d := m.StartDate; !d.After(m.EndDate) && len(out) < 31; d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// Validate checks the meeting's own fields.
func (m *Meeting) Validate() error {
	var ps []*Error
	m.Venue = strings.TrimSpace(m.Venue)
	if m.Timezone == "" {
		m.Timezone = "UTC"
	}
	if _, err := time.LoadLocation(m.Timezone); err != nil {
		ps = append(ps, FieldError("timezone", "%q is not an IANA time zone such as Europe/Oslo", m.Timezone))
	}
	if utf8.RuneCountInString(m.Venue) > 200 {
		ps = append(ps, FieldError("venue", "is longer than 200 characters"))
	}
	if m.StartDate.IsZero() || m.EndDate.IsZero() {
		ps = append(ps, FieldError("dates", "the cycle has no meeting dates; set its start and end dates first"))
	} else if n := int(m.EndDate.Sub(m.StartDate).Hours()/24) + 1; n < 1 || n > 31 {
		ps = append(ps, FieldError("dates", "a meeting lasts 1 to 31 days, not %d", n))
	}
	ps = append(ps, validTypeLimits(m.TypeLimits)...)
	return Invalid(ps)
}

func validTypeLimits(limits map[string]int) []*Error {
	var ps []*Error
	for _, t := range slices.Sorted(maps.Keys(limits)) {
		if !slices.Contains(SessionTypes, t) {
			ps = append(ps, FieldError("limit."+t, "%q is not a session type", t))
		} else if n := limits[t]; n < 1 || n > 1000 {
			ps = append(ps, FieldError("limit."+t, "at most %d sessions in parallel: a limit is 1 to 1000", n))
		}
	}
	return ps
}

// TimeRange is a stretch of meeting time, [Start, End), in UTC.
type TimeRange struct {
	Start, End time.Time
}

// Holds reports whether the period [a, b) lies wholly within one of rs.
func Holds(rs []TimeRange, a, b time.Time) bool {
	return slices.ContainsFunc(rs, func(r TimeRange) bool { return !a.Before(r.Start) && !b.After(r.End) })
}

// ParseTimeRanges reads times of the meeting, one a line: a day
// ("2026-06-23") or a day and hours ("2026-06-23 09:00-12:30") in the
// meeting's zone. field names the form field in errors.
func ParseTimeRanges(text string, m *Meeting, field string) ([]TimeRange, error) {
	loc := m.Location()
	days := m.Days()
	var out []TimeRange
	for n, raw := range strings.Split(text, "\n") {
		fields := strings.Fields(raw)
		if len(fields) == 0 {
			continue
		}
		if len(fields) > 2 {
			return nil, FieldError(field, "line %d: write a day and hours such as 2026-06-23 09:00-12:30", n+1)
		}
		d, err := time.Parse("2006-01-02", fields[0])
		if err != nil {
			return nil, FieldError(field, "line %d: %q is not a date such as 2026-06-23", n+1, fields[0])
		}
		if !slices.ContainsFunc(days, func(x time.Time) bool { return x.Format("2006-01-02") == fields[0] }) {
			return nil, FieldError(field, "line %d: %s is not a day of the meeting", n+1, fields[0])
		}
		from, to := 0, 24*60
		if len(fields) == 2 {
			a, b, ok := strings.Cut(fields[1], "-")
			var okA, okB bool
			from, okA = clockMinutes(a)
			to, okB = clockMinutes(b)
			if !ok || !okA || !okB {
				return nil, FieldError(field, "line %d: %q is not hours such as 09:00-12:30", n+1, fields[1])
			}
			if to <= from {
				return nil, FieldError(field, "line %d: the hours end before they start", n+1)
			}
		}
		at := func(min int) time.Time {
			return time.Date(d.Year(), d.Month(), d.Day(), min/60, min%60, 0, 0, loc).UTC()
		}
		out = append(out, TimeRange{at(from), at(to)})
	}
	if len(out) > 100 {
		return nil, FieldError(field, "at most 100 lines, not %d", len(out))
	}
	return out, nil
}

// FormatTimeRanges writes ranges back in ParseTimeRanges's form, a line a
// day: a range over several days becomes one line for each.
func FormatTimeRanges(rs []TimeRange, m *Meeting) string {
	loc := m.Location()
	var b strings.Builder
	for _, r := range rs {
		a, z := r.Start.In(loc), r.End.In(loc)
		for d := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, loc); d.Before(z); d = d.AddDate(0, 0, 1) {
			next := d.AddDate(0, 0, 1)
			from, to := a, z
			if from.Before(d) {
				from = d
			}
			if to.After(next) {
				to = next
			}
			if !to.After(from) {
				continue
			}
			day := d.Format("2006-01-02")
			if from.Equal(d) && to.Equal(next) {
				b.WriteString(day + "\n")
				continue
			}
			end := to.Format("15:04")
			if to.Equal(next) {
				end = "24:00"
			}
			b.WriteString(day + " " + from.Format("15:04") + "-" + end + "\n")
		}
	}
	return b.String()
}

// Room features a session may need.
const (
	NeedHybrid         = "hybrid"
	NeedInterpretation = "interpretation"
	NeedCaptioning     = "captioning"
)

// Needs lists the room features a session may require.
var Needs = []string{NeedHybrid, NeedInterpretation, NeedCaptioning}

// MeetingRoom is a room at the venue.
type MeetingRoom struct {
	ID         int64
	MeetingID  int64
	Name       string
	Capacity   int
	Hybrid     bool     // cameras and remote participation
	Captioning bool     // live captions
	Languages  []string // interpretation languages; two or more means interpretation
}

// Features are the room's equipment in the terms sessions need.
func (r *MeetingRoom) Features() []string {
	var out []string
	if r.Hybrid {
		out = append(out, NeedHybrid)
	}
	if len(r.Languages) > 1 {
		out = append(out, NeedInterpretation)
	}
	if r.Captioning {
		out = append(out, NeedCaptioning)
	}
	return out
}

// Validate checks the room.
func (r *MeetingRoom) Validate() error {
	var ps []*Error
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" {
		ps = append(ps, FieldError("name", "is required"))
	} else if utf8.RuneCountInString(r.Name) > 100 {
		ps = append(ps, FieldError("name", "is longer than 100 characters"))
	}
	if r.Capacity < 1 || r.Capacity > 100000 {
		ps = append(ps, FieldError("capacity", "must be between 1 and 100000"))
	}
	for _, l := range r.Languages {
		if !validLanguageTag(l) {
			ps = append(ps, FieldError("languages", "%q is not a language code such as en or ar", l))
			break
		}
	}
	return Invalid(ps)
}

// TimeSlot is one period of a meeting day: a slot sessions run in, or a
// break. Day counts from 0 at the meeting's first date.
type TimeSlot struct {
	Day        int
	Start, End time.Time
	Break      string // the break's label ("Lunch"); "" for a session slot
}

// ParseTimeGrid reads a time grid, one period a line: "09:00-10:30", or
// "12:30-14:00 Lunch" for a break. A line may start with a date
// ("2026-06-23 09:00-10:30"); a date with lines of its own uses only those,
// every other day the undated ones. Times are in the meeting's zone.
func ParseTimeGrid(text string, m *Meeting) ([]TimeSlot, error) {
	type line struct {
		date       string
		start, end int // minutes of the day
		brk        string
	}
	var common []line
	dated := map[string][]line{}
	days := m.Days()
	for n, raw := range strings.Split(text, "\n") {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		var l line
		fields := strings.Fields(s)
		if _, err := time.Parse("2006-01-02", fields[0]); err == nil {
			l.date, fields = fields[0], fields[1:]
			if !slices.ContainsFunc(days, func(d time.Time) bool { return d.Format("2006-01-02") == l.date }) {
				return nil, FieldError("grid", "line %d: %s is not a day of the meeting", n+1, l.date)
			}
		}
		if len(fields) == 0 {
			return nil, FieldError("grid", "line %d: write a period as 09:00-10:30", n+1)
		}
		a, b, ok := strings.Cut(fields[0], "-")
		var okA, okB bool
		l.start, okA = clockMinutes(a)
		l.end, okB = clockMinutes(b)
		if !ok || !okA || !okB {
			return nil, FieldError("grid", "line %d: %q is not a period such as 09:00-10:30", n+1, fields[0])
		}
		if l.end <= l.start {
			return nil, FieldError("grid", "line %d: the period ends before it starts", n+1)
		}
		l.brk = strings.Join(fields[1:], " ")
		if l.date != "" {
			dated[l.date] = append(dated[l.date], l)
		} else {
			common = append(common, l)
		}
	}
	loc := m.Location()
	var out []TimeSlot
	for i, d := range days {
		ls := common
		if x, ok := dated[d.Format("2006-01-02")]; ok {
			ls = x
		}
		ls = slices.Clone(ls)
		slices.SortFunc(ls, func(a, b line) int { return a.start - b.start })
		for k, l := range ls {
			if k > 0 && l.start < ls[k-1].end {
				return nil, FieldError("grid", "on %s the periods %s and %s overlap", d.Format("2006-01-02"), clock(ls[k-1].start), clock(l.start))
			}
			at := func(min int) time.Time {
				return time.Date(d.Year(), d.Month(), d.Day(), min/60, min%60, 0, 0, loc).UTC()
			}
			out = append(out, TimeSlot{Day: i, Start: at(l.start), End: at(l.end), Break: l.brk})
		}
	}
	if !slices.ContainsFunc(out, func(s TimeSlot) bool { return s.Break == "" }) {
		return nil, FieldError("grid", "the grid has no session slots")
	}
	return out, nil
}

// FormatTimeGrid writes slots back in ParseTimeGrid's form.
func FormatTimeGrid(slots []TimeSlot, m *Meeting) string {
	loc := m.Location()
	perDay := map[int][]string{}
	for _, s := range slots {
		l := s.Start.In(loc).Format("15:04") + "-" + s.End.In(loc).Format("15:04")
		if s.Break != "" {
			l += " " + s.Break
		}
		perDay[s.Day] = append(perDay[s.Day], l)
	}
	first := perDay[0]
	var b strings.Builder
	for _, l := range first {
		b.WriteString(l + "\n")
	}
	for i, d := range m.Days() {
		if i > 0 && !slices.Equal(perDay[i], first) {
			for _, l := range perDay[i] {
				b.WriteString(d.Format("2006-01-02") + " " + l + "\n")
			}
		}
	}
	return b.String()
}

func clockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, false
	}
	return hh*60 + mm, true
}

func clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// SessionTypes are the kinds of session a meeting runs.
var SessionTypes = []string{"opening", "main-session", "workshop", "open-forum", "lightning-talk", "town-hall", "nri-session", "dynamic-coalition", "bpf-session"}

// Session is one item of the meeting's programme.
type Session struct {
	ID          int64
	MeetingID   int64
	ProposalID  int64 // 0: created directly
	Title       string
	Description string
	Type        string
	Subtheme    string
	Duration    int      // in slots
	People      []int64  // speakers, moderators, organisers: person ids
	Attendance  int      // expected
	Needs       []string // room features required, from Needs
	Language    string   // spoken language
	PinDay      int      // with PinSlot: fixed start; -1 none
	PinSlot     int      // index among the day's periods
	PinRoom     int64    // 0: none
	// Available lists when the session may run; none: at any time.
	Available []TimeRange
	// Preferred lists when its organisers would like it to run; none: no
	// preference. The solver avoids other times but may use them.
	Preferred []TimeRange
	// Series names sessions that should keep one room ("Main session
	// track"); "" for none.
	Series string
}

// Pinned reports whether the session has a fixed start.
func (s *Session) Pinned() bool { return s.PinDay >= 0 && s.PinSlot >= 0 }

// Validate checks the session's own fields.
func (s *Session) Validate() error {
	var ps []*Error
	s.Title = strings.TrimSpace(s.Title)
	s.Description = strings.TrimSpace(s.Description)
	if s.Title == "" {
		ps = append(ps, FieldError("title", "is required"))
	} else if utf8.RuneCountInString(s.Title) > 300 {
		ps = append(ps, FieldError("title", "is longer than 300 characters"))
	}
	if !slices.Contains(SessionTypes, s.Type) {
		ps = append(ps, FieldError("type", "%q is not one of %s", s.Type, strings.Join(SessionTypes, ", ")))
	}
	if s.Duration == 0 {
		s.Duration = 1
	}
	if s.Duration < 1 || s.Duration > 8 {
		ps = append(ps, FieldError("duration", "must be 1 to 8 slots"))
	}
	if s.Attendance < 0 || s.Attendance > 100000 {
		ps = append(ps, FieldError("attendance", "must be between 0 and 100000"))
	}
	for _, n := range s.Needs {
		if !slices.Contains(Needs, n) {
			ps = append(ps, FieldError("needs", "%q is not one of %s", n, strings.Join(Needs, ", ")))
		}
	}
	if s.Language == "" {
		s.Language = "en"
	}
	if !validLanguageTag(s.Language) {
		ps = append(ps, FieldError("language", "%q is not a language code such as en or ar", s.Language))
	}
	if (s.PinDay < 0) != (s.PinSlot < 0) {
		ps = append(ps, FieldError("pin", "a pin needs both a day and a slot"))
	}
	s.Series = strings.TrimSpace(s.Series)
	if utf8.RuneCountInString(s.Series) > 100 {
		ps = append(ps, FieldError("series", "is longer than 100 characters"))
	}
	for _, f := range []struct {
		name string
		rs   []TimeRange
	}{{"available", s.Available}, {"preferred", s.Preferred}} {
		if len(f.rs) > 100 {
			ps = append(ps, FieldError(f.name, "at most 100 time ranges, not %d", len(f.rs)))
		}
		for _, r := range f.rs {
			if !r.End.After(r.Start) {
				ps = append(ps, FieldError(f.name, "a time range ends before it starts"))
				break
			}
		}
	}
	return Invalid(ps)
}

// Placement puts a session in a room at a start period. Sequence counts the
// publications that changed it, for iCalendar's SEQUENCE.
type Placement struct {
	SessionID  int64
	RoomID     int64
	Day, Slot  int // the start period: its day and index among that day's periods
	Start, End time.Time
	Sequence   int
}

// expectedAttendance is a first estimate by session type, for proposals that
// become sessions before registrations say more.
var expectedAttendance = map[string]int{"main-session": 400, "workshop": 80, "open-forum": 60, "town-hall": 60,
	"lightning-talk": 40, "dynamic-coalition": 40, "bpf-session": 50, "nri-session": 50}

// SessionFromProposal is the meeting session an accepted proposal becomes:
// its title, description, type, subtheme and first language, with every
// person the proposal names who is in the registry.
func SessionFromProposal(p *Proposal) *Session {
	s := &Session{ProposalID: p.ID, Title: p.Title, Description: p.Description, Type: p.Type, Subtheme: p.Subtheme,
		Duration: 1, Attendance: expectedAttendance[p.Type], PinDay: -1, PinSlot: -1}
	if len(p.Languages) > 0 {
		s.Language = p.Languages[0]
	}
	for _, sp := range p.People {
		if sp.PersonID != 0 && !slices.Contains(s.People, sp.PersonID) {
			s.People = append(s.People, sp.PersonID)
		}
	}
	return s
}
