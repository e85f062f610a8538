package ical

import (
	"strings"
	"testing"
	"time"

	"concord/internal/browsertest"
)

func sample(tz string) Calendar {
	start := time.Date(2026, 10, 24, 7, 0, 0, 0, time.UTC) // Oslo changes to winter time on 25 Oct
	var es []Event
	for i := range 3 {
		s := start.Add(time.Duration(i) * 24 * time.Hour)
		es = append(es, Event{UID: "session-" + string(rune('1'+i)) + "@igf.concord", Sequence: i, Start: s, End: s.Add(90 * time.Minute),
			Summary: "Workshop; AI, rights \\ courts " + strings.Repeat("ø", 60), Description: "Line one\nline two",
			Location: "Plenary", URL: "https://example.org/s/1", Categories: []string{"AI", "workshop"}})
	}
	return Calendar{Name: "IGF 2026", TZID: tz, Stamp: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), Events: es}
}

func TestICalParses(t *testing.T) {
	for _, tz := range []string{"Europe/Oslo", "Asia/Riyadh", "UTC"} {
		var b strings.Builder
		if err := Write(&b, sample(tz)); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		summary, err := browsertest.ParseICal(t, out)
		if err != nil {
			t.Errorf("%s: ical.js: %v\n%s", tz, err, out)
		}
		want := "VEVENT=3 VTIMEZONE=1"
		if tz == "UTC" {
			want = "VEVENT=3"
		}
		if summary != want {
			t.Errorf("%s: summary %q, want %q", tz, summary, want)
		}
		for _, l := range strings.Split(out, "\r\n") {
			if len(l) > 75 {
				t.Errorf("%s: line longer than 75 octets: %q", tz, l)
			}
		}
	}
}

func TestICalTimezoneAndSequence(t *testing.T) {
	var b strings.Builder
	if err := Write(&b, sample("Europe/Oslo")); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"DTSTART;TZID=Europe/Oslo:20261024T090000\r\n", // summer time, UTC+2
		"DTSTART;TZID=Europe/Oslo:20261025T080000\r\n", // winter time, UTC+1
		"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n",
		"UID:session-2@igf.concord\r\n", "SEQUENCE:1\r\n", "DTSTAMP:20260901T000000Z\r\n",
		`SUMMARY:Workshop\; AI\, rights \\ courts`, `DESCRIPTION:Line one\nline two`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	var again strings.Builder
	Write(&again, sample("Europe/Oslo"))
	if again.String() != out {
		t.Errorf("the same calendar wrote differently twice")
	}
}
