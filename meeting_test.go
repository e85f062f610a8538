package concord

import (
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
