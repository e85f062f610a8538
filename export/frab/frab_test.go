package frab

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"concord/internal/shareddata"
)

func sample() *Schedule {
	loc, _ := time.LoadLocation("Asia/Riyadh")
	day := func(d, h int) time.Time { return time.Date(2026, 12, 15+d, h, 0, 0, 0, loc) }
	return &Schedule{Version: "3", Title: "IGF 2026 <annual meeting> & more", Acronym: "igf2026",
		Start: time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 17, 0, 0, 0, 0, time.UTC),
		Location: loc, Rooms: []string{"Plenary", "Room 2"}, BaseURL: "https://example.org/forums/igf/schedule/sessions",
		Events: []Event{
			{ID: 1, GUID: "session-1@igf.concord", Room: "Plenary", Title: "Opening", Type: "opening", Start: day(0, 9), End: day(0, 11),
				Persons: []Person{{7, "Ama Mensah"}}, URL: "https://example.org/s/1", Language: "en"},
			{ID: 2, GUID: "session-2@igf.concord", Room: "Room 2", Title: "AI & rights", Type: "workshop", Track: "AI",
				Start: day(2, 14), End: day(2, 15).Add(30 * time.Minute), Abstract: "Who decides?"},
		}}
}

func TestFrabXMLValidates(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("no xmllint on PATH (apt-get install libxml2-utils)")
	}
	var b bytes.Buffer
	if err := WriteXML(&b, sample()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "schedule.xml")
	os.WriteFile(path, b.Bytes(), 0o644)
	out, err := exec.Command(xmllint, "--noout", "--schema", shareddata.Path(t, "schemas", "frab-schedule.xml.xsd"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, b.String())
	}
	for _, want := range []string{`<day index="3" date="2026-12-17"`, `<start>14:00</start>`, `<duration>01:30</duration>`,
		`<person id="7">Ama Mensah</person>`, `AI &amp; rights`, `<slug>igf2026-2</slug>`, `guid="session-2@igf.concord"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %s in\n%s", want, b.String())
		}
	}
}

func TestFrabJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schedule struct {
			Version    string
			Conference struct {
				Acronym string
				Days    []struct {
					Date  string
					Rooms map[string][]struct {
						GUID     string
						Start    string
						Duration string
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Schedule.Conference
	if len(c.Days) != 3 || c.Acronym != "igf2026" || doc.Schedule.Version != "3" {
		t.Fatalf("conference = %+v", c)
	}
	ev := c.Days[2].Rooms["Room 2"]
	if len(ev) != 1 || ev[0].GUID != "session-2@igf.concord" || ev[0].Start != "14:00" || ev[0].Duration != "01:30" {
		t.Errorf("day 3, room 2 = %+v", ev)
	}
	if got := c.Days[1].Rooms["Plenary"]; got == nil || len(got) != 0 {
		t.Errorf("an empty room should be an empty list, got %v", got)
	}
}
