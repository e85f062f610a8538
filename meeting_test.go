package concord

import (
	"strings"
	"testing"
	"time"
)

func testMeeting() *Meeting {
	return &Meeting{Year: 2026, Timezone: "Europe/Oslo",
		StartDate: time.Date(2026, 6, 23, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 6, 25, 0, 0, 0, 0, time.UTC)}
}

func TestParseTimeGrid(t *testing.T) {
	m := testMeeting()
	grid := "09:00-10:30\n10:30-11:00 Coffee\n11:00-12:30\n\n2026-06-25 09:00-12:00\n"
	slots, err := ParseTimeGrid(grid, m)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(slots), 3+3+1; got != want {
		t.Fatalf("%d periods, want %d", got, want)
	}
	if got, want := slots[0].Start, time.Date(2026, 6, 23, 7, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("first start = %v, want %v (09:00 in Oslo summer time)", got, want)
	}
	if got, want := slots[1].Break, "Coffee"; got != want {
		t.Errorf("break = %q, want %q", got, want)
	}
	if last := slots[6]; last.Day != 2 || last.End.Sub(last.Start) != 3*time.Hour {
		t.Errorf("the dated line should replace day 3's grid: %+v", last)
	}
	again, err := ParseTimeGrid(FormatTimeGrid(slots, m), m)
	if err != nil || len(again) != len(slots) {
		t.Fatalf("round trip: %d periods, %v", len(again), err)
	}
	for i := range slots {
		if slots[i] != again[i] {
			t.Errorf("round trip changed period %d: %+v → %+v", i, slots[i], again[i])
		}
	}
}

func TestParseTimeGridRejects(t *testing.T) {
	m := testMeeting()
	for _, grid := range []string{"", "9-10", "10:00-09:00", "09:00-10:00\n09:30-11:00", "2026-07-01 09:00-10:00", "12:00-13:00 Lunch"} {
		if _, err := ParseTimeGrid(grid, m); ErrorCode(err) != EINVALID {
			t.Errorf("ParseTimeGrid(%q) = %v, want an invalid-input error", grid, err)
		}
	}
}

func TestSessionValidate(t *testing.T) {
	s := Session{Title: " Opening ", Type: "opening", PinDay: -1, PinSlot: -1}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Duration != 1 || s.Language != "en" || s.Title != "Opening" {
		t.Errorf("defaults not filled: %+v", s)
	}
	bad := Session{Title: "x", Type: "party", Needs: []string{"jetpack"}, PinDay: 1, PinSlot: -1}
	if got := len(Problems(bad.Validate())); got != 3 {
		t.Errorf("%d problems, want 3 (type, needs, pin)", got)
	}
}

func TestMeetingRoomFeatures(t *testing.T) {
	r := MeetingRoom{Name: "Plenary", Capacity: 2000, Hybrid: true, Languages: []string{"en", "fr"}}
	if got := r.Features(); len(got) != 2 || got[0] != NeedHybrid || got[1] != NeedInterpretation {
		t.Errorf("features = %v", got)
	}
}

func TestParseTimeRanges(t *testing.T) {
	m := testMeeting()
	rs, err := ParseTimeRanges("2026-06-24\n\n2026-06-25 09:00-12:30\n", m, "available")
	if err != nil {
		t.Fatal(err)
	}
	oslo, _ := time.LoadLocation("Europe/Oslo")
	want := []TimeRange{
		{time.Date(2026, 6, 24, 0, 0, 0, 0, oslo).UTC(), time.Date(2026, 6, 25, 0, 0, 0, 0, oslo).UTC()},
		{time.Date(2026, 6, 25, 9, 0, 0, 0, oslo).UTC(), time.Date(2026, 6, 25, 12, 30, 0, 0, oslo).UTC()},
	}
	if len(rs) != len(want) {
		t.Fatalf("%d ranges, want %d", len(rs), len(want))
	}
	for i := range want {
		if !rs[i].Start.Equal(want[i].Start) || !rs[i].End.Equal(want[i].End) {
			t.Errorf("range %d = %v, want %v", i, rs[i], want[i])
		}
	}
	if got, want := FormatTimeRanges(rs, m), "2026-06-24\n2026-06-25 09:00-12:30\n"; got != want {
		t.Errorf("FormatTimeRanges = %q, want %q", got, want)
	}
	// A range over several days is written a line a day.
	long := []TimeRange{{want[0].Start.Add(-3 * time.Hour), want[1].End}}
	if got, want := FormatTimeRanges(long, m), "2026-06-23 21:00-24:00\n2026-06-24\n2026-06-25 00:00-12:30\n"; got != want {
		t.Errorf("FormatTimeRanges(several days) = %q, want %q", got, want)
	}
	if !Holds(rs, want[1].Start, want[1].End) || Holds(rs, want[1].Start, want[1].End.Add(time.Minute)) {
		t.Errorf("Holds does not keep to the range's edges")
	}
	for _, c := range []struct{ text, field, msg string }{
		{"2026-07-01", "preferred", "line 1: 2026-07-01 is not a day of the meeting"},
		{"\ntomorrow", "preferred", `line 2: "tomorrow" is not a date`},
		{"2026-06-23 12:00-11:00", "available", "line 1: the hours end before they start"},
		{"2026-06-23 9-10", "available", `line 1: "9-10" is not hours`},
		{"2026-06-23 09:00-10:00 extra", "available", "line 1: write a day and hours"},
	} {
		_, err := ParseTimeRanges(c.text, m, c.field)
		if err == nil || !strings.HasPrefix(err.Error(), c.field+": "+c.msg) {
			t.Errorf("ParseTimeRanges(%q) = %v, want %s: %s…", c.text, err, c.field, c.msg)
		}
	}
}

func TestSessionAndMeetingRulesValidate(t *testing.T) {
	m := testMeeting()
	m.TypeLimits = map[string]int{"workshop": 3, "party": 1, "opening": 0}
	err := m.Validate()
	var fields []string
	for _, p := range Problems(err) {
		fields = append(fields, p.Field)
	}
	if got, want := strings.Join(fields, " "), "limit.opening limit.party"; got != want {
		t.Errorf("problems in %q, want %q (%v)", got, want, err)
	}
	at := time.Date(2026, 6, 23, 9, 0, 0, 0, time.UTC)
	s := &Session{Title: "T", Type: "workshop", PinDay: -1, PinSlot: -1, Series: "  Track A ",
		Preferred: []TimeRange{{Start: at, End: at}}}
	err = s.Validate()
	if ps := Problems(err); len(ps) != 1 || ps[0].Field != "preferred" {
		t.Errorf("an empty preferred range: %v", err)
	}
	if s.Series != "Track A" {
		t.Errorf("series not trimmed: %q", s.Series)
	}
}
