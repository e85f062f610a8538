// Package frab writes a meeting's schedule in the frab format that
// conference apps (Giggity, ConfClerk, the c3 apps, Engelsystem) read: XML
// that validates against frab's schedule.xml.xsd, and its JSON counterpart.
package frab

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"time"
)

// Schedule is the meeting's published timetable.
type Schedule struct {
	Version  string // changes with every publication
	Title    string
	Acronym  string // e.g. "igf2026"
	Start    time.Time
	End      time.Time // the last day
	Location *time.Location
	Rooms    []string // in display order
	Events   []Event
	BaseURL  string // events' URLs are BaseURL + "/" + ID
}

// Event is one session.
type Event struct {
	ID         int64
	GUID       string
	Room       string
	Title      string
	Type       string
	Track      string
	Language   string
	Abstract   string
	Start, End time.Time
	Persons    []Person
	URL        string
}

// Person speaks, moderates or organises.
type Person struct {
	ID   int64
	Name string
}

func (s *Schedule) days() []time.Time {
	var out []time.Time
	for d := s.Start; !d.After(s.End); d = d.AddDate(0, 0, 1) {
		out = append(out, d)
	}
	return out
}

// byDayRoom groups the events by day index and room, in start order.
func (s *Schedule) byDayRoom() [][][]Event {
	days := s.days()
	out := make([][][]Event, len(days))
	es := slices.Clone(s.Events)
	slices.SortFunc(es, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	for d := range out {
		out[d] = make([][]Event, len(s.Rooms))
	}
	for _, e := range es {
		local := e.Start.In(s.Location)
		d := int(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC).Sub(s.Start).Hours() / 24)
		r := slices.Index(s.Rooms, e.Room)
		if d >= 0 && d < len(out) && r >= 0 {
			out[d][r] = append(out[d][r], e)
		}
	}
	return out
}

func duration(d time.Duration) string {
	m := int(d.Minutes())
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

func slug(acronym string, e Event) string { return fmt.Sprintf("%s-%d", acronym, e.ID) }

type xmlSchedule struct {
	XMLName    xml.Name      `xml:"schedule"`
	Version    string        `xml:"version"`
	Conference xmlConference `xml:"conference"`
	Days       []xmlDay      `xml:"day"`
}

type xmlConference struct {
	Title   string `xml:"title"`
	Acronym string `xml:"acronym"`
	Start   string `xml:"start"`
	End     string `xml:"end"`
	Days    int    `xml:"days"`
}

type xmlDay struct {
	Index int       `xml:"index,attr"`
	Date  string    `xml:"date,attr"`
	Start string    `xml:"start,attr"`
	End   string    `xml:"end,attr"`
	Rooms []xmlRoom `xml:"room"`
}

type xmlRoom struct {
	Name   string     `xml:"name,attr"`
	Events []xmlEvent `xml:"event"`
}

type xmlEvent struct {
	ID          int64       `xml:"id,attr"`
	GUID        string      `xml:"guid,attr"`
	Date        string      `xml:"date"`
	Start       string      `xml:"start"`
	Duration    string      `xml:"duration"`
	Room        string      `xml:"room"`
	Slug        string      `xml:"slug"`
	Title       string      `xml:"title"`
	Subtitle    string      `xml:"subtitle"`
	Track       string      `xml:"track"`
	Type        string      `xml:"type"`
	Language    string      `xml:"language"`
	Abstract    string      `xml:"abstract"`
	Description string      `xml:"description"`
	Persons     []xmlPerson `xml:"persons>person"`
	Links       []xmlLink   `xml:"links>link"`
}

type xmlPerson struct {
	ID   int64  `xml:"id,attr"`
	Name string `xml:",chardata"`
}

type xmlLink struct {
	Href string `xml:"href,attr"`
	Text string `xml:",chardata"`
}

// dayBounds are a day's first start and last end, or its midnight when empty.
func (s *Schedule) dayBounds(d time.Time, rooms [][]Event) (time.Time, time.Time) {
	var first, last time.Time
	for _, es := range rooms {
		for _, e := range es {
			if first.IsZero() || e.Start.Before(first) {
				first = e.Start
			}
			if e.End.After(last) {
				last = e.End
			}
		}
	}
	if first.IsZero() {
		first = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, s.Location)
		last = first
	}
	return first, last
}

// WriteXML writes the schedule as frab XML.
func WriteXML(w io.Writer, s *Schedule) error {
	days := s.days()
	x := xmlSchedule{Version: s.Version, Conference: xmlConference{Title: s.Title, Acronym: s.Acronym,
		Start: s.Start.Format("2006-01-02"), End: s.End.Format("2006-01-02"), Days: len(days)}}
	for d, rooms := range s.byDayRoom() {
		first, last := s.dayBounds(days[d], rooms)
		xd := xmlDay{Index: d + 1, Date: days[d].Format("2006-01-02"), Start: first.In(s.Location).Format(time.RFC3339),
			End: last.In(s.Location).Format(time.RFC3339)}
		for r, es := range rooms {
			xr := xmlRoom{Name: s.Rooms[r]}
			for _, e := range es {
				xe := xmlEvent{ID: e.ID, GUID: e.GUID, Date: e.Start.In(s.Location).Format(time.RFC3339),
					Start: e.Start.In(s.Location).Format("15:04"), Duration: duration(e.End.Sub(e.Start)), Room: e.Room,
					Slug: slug(s.Acronym, e), Title: e.Title, Track: e.Track, Type: e.Type, Language: e.Language,
					Abstract: e.Abstract}
				for _, p := range e.Persons {
					xe.Persons = append(xe.Persons, xmlPerson{p.ID, p.Name})
				}
				if e.URL != "" {
					xe.Links = []xmlLink{{Href: e.URL, Text: e.Title}}
				}
				xr.Events = append(xr.Events, xe)
			}
			xd.Rooms = append(xd.Rooms, xr)
		}
		x.Days = append(x.Days, xd)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

type jsonEvent struct {
	ID       int64        `json:"id"`
	GUID     string       `json:"guid"`
	Date     string       `json:"date"`
	Start    string       `json:"start"`
	Duration string       `json:"duration"`
	Room     string       `json:"room"`
	Slug     string       `json:"slug"`
	URL      string       `json:"url"`
	Title    string       `json:"title"`
	Subtitle string       `json:"subtitle"`
	Track    string       `json:"track"`
	Type     string       `json:"type"`
	Language string       `json:"language"`
	Abstract string       `json:"abstract"`
	Persons  []jsonPerson `json:"persons"`
	Links    []jsonLink   `json:"links"`
}

type jsonPerson struct {
	ID         int64  `json:"id"`
	PublicName string `json:"public_name"`
}

type jsonLink struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// WriteJSON writes the schedule in frab's JSON form
// ({"schedule": {"version", "conference": {…, "days": [{"rooms": {name: [events]}}]}}}).
func WriteJSON(w io.Writer, s *Schedule) error {
	type jsonDay struct {
		Index    int                    `json:"index"`
		Date     string                 `json:"date"`
		DayStart string                 `json:"day_start"`
		DayEnd   string                 `json:"day_end"`
		Rooms    map[string][]jsonEvent `json:"rooms"`
	}
	type jsonRoom struct {
		Name string `json:"name"`
	}
	days := s.days()
	var jds []jsonDay
	for d, rooms := range s.byDayRoom() {
		first, last := s.dayBounds(days[d], rooms)
		jd := jsonDay{Index: d + 1, Date: days[d].Format("2006-01-02"), DayStart: first.In(s.Location).Format(time.RFC3339),
			DayEnd: last.In(s.Location).Format(time.RFC3339), Rooms: map[string][]jsonEvent{}}
		for r, es := range rooms {
			list := []jsonEvent{}
			for _, e := range es {
				je := jsonEvent{ID: e.ID, GUID: e.GUID, Date: e.Start.In(s.Location).Format(time.RFC3339),
					Start: e.Start.In(s.Location).Format("15:04"), Duration: duration(e.End.Sub(e.Start)), Room: e.Room,
					Slug: slug(s.Acronym, e), URL: e.URL, Title: e.Title, Track: e.Track, Type: e.Type, Language: e.Language,
					Abstract: e.Abstract, Persons: []jsonPerson{}, Links: []jsonLink{}}
				for _, p := range e.Persons {
					je.Persons = append(je.Persons, jsonPerson{p.ID, p.Name})
				}
				list = append(list, je)
			}
			jd.Rooms[s.Rooms[r]] = list
		}
		jds = append(jds, jd)
	}
	rooms := []jsonRoom{}
	for _, r := range s.Rooms {
		rooms = append(rooms, jsonRoom{r})
	}
	doc := map[string]any{"$schema": "https://c3voc.de/schedule/schema.json", "schedule": map[string]any{
		"version": s.Version, "base_url": s.BaseURL,
		"conference": map[string]any{"acronym": s.Acronym, "title": s.Title, "start": s.Start.Format("2006-01-02"),
			"end": s.End.Format("2006-01-02"), "daysCount": len(days), "time_zone_name": s.Location.String(),
			"rooms": rooms, "days": jds},
	}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(doc)
}
