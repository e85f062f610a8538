// Package ical writes iCalendar (RFC 5545) files of a meeting's sessions:
// stable UIDs and SEQUENCE numbers so that re-importing an updated calendar
// moves events instead of duplicating them, and local times with a
// VTIMEZONE built from the Go time zone database.
package ical

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Event is one session.
type Event struct {
	UID         string // stable across publications, e.g. "session-12@igf.concord"
	Sequence    int    // raised each time the session moves
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Categories  []string
}

// Calendar is a set of events in one time zone.
type Calendar struct {
	Name     string
	TZID     string    // IANA name; "" or "UTC" writes UTC times
	Stamp    time.Time // DTSTAMP of every event: the publication time, so the file is stable
	Events   []Event
	Location *time.Location // loaded from TZID when nil
}

const prodID = "-//Concord//Concord schedule//EN"

// Write writes the calendar.
func Write(w io.Writer, c Calendar) error {
	loc := c.Location
	if loc == nil {
		var err error
		if loc, err = time.LoadLocation(c.TZID); err != nil {
			return fmt.Errorf("ical: time zone %q: %w", c.TZID, err)
		}
	}
	utc := c.TZID == "" || c.TZID == "UTC"
	var b strings.Builder
	line := func(name, value string) { fold(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", prodID)
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("X-WR-CALNAME", text(c.Name))
	}
	if !utc {
		line("X-WR-TIMEZONE", c.TZID)
		writeTimezone(&b, c.TZID, loc, c.Events)
	}
	when := func(name string, t time.Time) {
		if utc {
			line(name, t.UTC().Format("20060102T150405Z"))
		} else {
			line(name+";TZID="+c.TZID, t.In(loc).Format("20060102T150405"))
		}
	}
	for _, e := range c.Events {
		line("BEGIN", "VEVENT")
		line("UID", text(e.UID))
		line("DTSTAMP", c.Stamp.UTC().Format("20060102T150405Z"))
		line("SEQUENCE", fmt.Sprint(e.Sequence))
		when("DTSTART", e.Start)
		when("DTEND", e.End)
		line("SUMMARY", text(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION", text(e.Description))
		}
		if e.Location != "" {
			line("LOCATION", text(e.Location))
		}
		if e.URL != "" {
			line("URL;VALUE=URI", e.URL)
		}
		if len(e.Categories) > 0 {
			cs := make([]string, len(e.Categories))
			for i, x := range e.Categories {
				cs[i] = text(x)
			}
			line("CATEGORIES", strings.Join(cs, ","))
		}
		line("STATUS", "CONFIRMED")
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTimezone writes a VTIMEZONE covering the events: one observance for
// the offset in force before the first event, and one for each change of
// offset up to the last.
func writeTimezone(b *strings.Builder, tzid string, loc *time.Location, events []Event) {
	from, to := time.Now(), time.Now()
	if len(events) > 0 {
		from, to = events[0].Start, events[0].End
		for _, e := range events {
			from, to = minTime(from, e.Start), maxTime(to, e.End)
		}
	}
	from, to = from.AddDate(0, 0, -1), to.AddDate(0, 0, 1)
	type change struct {
		at       time.Time
		from, to int
		name     string
		dst      bool
	}
	name, off := from.In(loc).Zone()
	changes := []change{{at: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), from: off, to: off, name: name, dst: from.In(loc).IsDST()}}
	for t := from; t.Before(to); t = t.Add(time.Hour) {
		n, o := t.Add(time.Hour).In(loc).Zone()
		if o != off {
			at := t // the exact minute of the change
			for _, x := at.In(loc).Zone(); x == off; _, x = at.In(loc).Zone() {
				at = at.Add(time.Minute)
			}
			changes = append(changes, change{at: at, from: off, to: o, name: n, dst: at.In(loc).IsDST()})
			off = o
		}
	}
	fold(b, "BEGIN:VTIMEZONE")
	fold(b, "TZID:"+tzid)
	for _, c := range changes {
		kind := "STANDARD"
		if c.dst {
			kind = "DAYLIGHT"
		}
		// DTSTART is the local time of the change, before it happens.
		local := c.at.Add(time.Duration(c.from) * time.Second).UTC()
		fold(b, "BEGIN:"+kind)
		fold(b, "DTSTART:"+local.Format("20060102T150405"))
		fold(b, "TZOFFSETFROM:"+offset(c.from))
		fold(b, "TZOFFSETTO:"+offset(c.to))
		if c.name != "" && !strings.ContainsAny(c.name[:1], "+-") {
			fold(b, "TZNAME:"+text(c.name))
		}
		fold(b, "END:"+kind)
	}
	fold(b, "END:VTIMEZONE")
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// text escapes a TEXT value (RFC 5545 §3.3.11).
func text(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold writes a content line, folded at 75 octets without splitting a
// UTF-8 sequence, ended by CRLF.
func fold(b *strings.Builder, l string) {
	n := 0
	for i := 0; i < len(l); {
		size := 1
		for i+size < len(l) && l[i+size]&0xC0 == 0x80 {
			size++
		}
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteString(l[i : i+size])
		n += size
		i += size
	}
	b.WriteString("\r\n")
}

// SortByStart orders events by start, then UID, so files are stable.
func SortByStart(es []Event) {
	slices.SortFunc(es, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.UID, b.UID)
	})
}
