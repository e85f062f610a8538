package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"concord"
	"concord/demo"
	"concord/internal/browsertest"
	"concord/internal/shareddata"
	"concord/sqlstore"
)

func demoMeeting(t *testing.T, s *site) *sqlstore.MeetingData {
	t.Helper()
	ctx := context.Background()
	f, err := s.db.Forum(ctx, "igf")
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.db.CurrentMeeting(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	md, err := s.db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	return md
}

func TestSchedulePublic(t *testing.T) {
	s, _ := demoSite(t)
	md := demoMeeting(t, s)
	first := md.Placements[0]
	title := md.SessionByID(first.SessionID).Title
	code, body := s.get(t, s.web, "/forums/igf/schedule")
	if code != http.StatusOK || !strings.Contains(body, "<caption>") || !strings.Contains(body, `scope="col">UTC</th>`) {
		t.Fatalf("schedule: %d\n%s", code, body)
	}
	if !strings.Contains(body, "America/Santiago") || !strings.Contains(body, "Opening ceremony") {
		t.Errorf("the first day's list lacks the zone or the opening")
	}
	code, body = s.get(t, s.web, "/forums/igf/schedule?view=grid&day=0")
	if code != http.StatusOK || !strings.Contains(body, "Plenary Hall</th>") || !strings.Contains(body, "Lunch") {
		t.Errorf("grid: %d", code)
	}
	// The filters narrow the list: every row shown is in the room asked for.
	room := md.Room(first.RoomID)
	_, body = s.get(t, s.web, fmt.Sprintf("/forums/igf/schedule?day=%d&room=%d", first.Day, room.ID))
	rows := strings.Count(body, "<tr><td>")
	if rows == 0 || strings.Count(body, "<td>"+room.Name+"</td>") != rows {
		t.Errorf("room filter: %d rows, %d in %s", rows, strings.Count(body, "<td>"+room.Name+"</td>"), room.Name)
	}
	_, body = s.get(t, s.web, "/forums/igf/schedule?type=no-such-type")
	if !strings.Contains(body, "No session matches.") {
		t.Errorf("an impossible filter should match nothing")
	}
	code, body = s.get(t, s.web, fmt.Sprintf("/forums/igf/schedule/sessions/%d", first.SessionID))
	if code != http.StatusOK || !strings.Contains(body, title) || !strings.Contains(body, room.Name) {
		t.Errorf("session page: %d", code)
	}
	if code, _ := s.get(t, s.web, "/forums/igf/schedule/sessions/999999"); code != http.StatusNotFound {
		t.Errorf("unknown session: %d", code)
	}
	if code, body := s.get(t, s.web, "/forums/kenya-igf/schedule"); code != http.StatusOK || !strings.Contains(body, "has not published") {
		t.Errorf("a forum without a meeting: %d", code)
	}
	if code, _ := s.get(t, s.web, "/forums/kenya-igf/schedule/calendar.ics"); code != http.StatusNotFound {
		t.Errorf("calendar of a forum without a timetable: %d", code)
	}
}

func getWith(t *testing.T, s *site, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.ts.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.web.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res, b.String()
}

func TestScheduleExports(t *testing.T) {
	s, _ := demoSite(t)
	md := demoMeeting(t, s)
	for _, path := range []string{"/forums/igf/schedule/calendar.ics", fmt.Sprintf("/forums/igf/schedule/rooms/%d/calendar.ics", md.Rooms[0].ID)} {
		res, body := getWith(t, s, path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		summary, err := browsertest.ParseICal(t, body)
		if err != nil {
			t.Errorf("%s: ical.js: %v", path, err)
		}
		if !strings.Contains(summary, "VTIMEZONE=1") || !strings.Contains(body, "TZID=America/Santiago:") {
			t.Errorf("%s: %s", path, summary)
		}
		want := fmt.Sprintf("UID:session-%d@igf.concord\r\n", md.Placements[0].SessionID)
		if path == "/forums/igf/schedule/calendar.ics" && !strings.Contains(body, want) {
			t.Errorf("%s lacks %q", path, want)
		}
		etag := res.Header.Get("ETag")
		if again, _ := getWith(t, s, path, "If-None-Match", etag); etag == "" || again.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match %s gave %d", path, etag, again.StatusCode)
		}
	}
	res, xml := getWith(t, s, "/forums/igf/schedule/frab.xml")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("frab.xml: %d", res.StatusCode)
	}
	if xmllint, err := exec.LookPath("xmllint"); err == nil {
		path := filepath.Join(t.TempDir(), "schedule.xml")
		os.WriteFile(path, []byte(xml), 0o644)
		if out, err := exec.Command(xmllint, "--noout", "--schema", shareddata.Path(t, "schemas", "frab-schedule.xml.xsd"), path).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	}
	res, js := getWith(t, s, "/forums/igf/schedule/frab.json")
	var doc struct {
		Schedule struct {
			Conference struct{ Days []json.RawMessage }
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || res.StatusCode != http.StatusOK || len(doc.Schedule.Conference.Days) != 5 {
		t.Errorf("frab.json: %d, %v, %d days", res.StatusCode, err, len(doc.Schedule.Conference.Days))
	}
	res, csv := getWith(t, s, "/forums/igf/schedule/sessions.csv")
	if res.StatusCode != http.StatusOK || strings.Count(csv, "\n") != demo.MeetingSessions+1 {
		t.Errorf("sessions.csv: %d, %d lines", res.StatusCode, strings.Count(csv, "\n"))
	}
}

var feedPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+(/forums/igf/schedule/agenda/[0-9a-f-]+/calendar\.ics)`)

func TestAgendaStarsAndFeed(t *testing.T) {
	s, sec := demoSite(t)
	md := demoMeeting(t, s)
	del := browser()
	if res, _ := s.post(t, del, "/signin", url.Values{"email": {"delegate@example.org"}, "password": {demo.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delegate sign-in: %d", res.StatusCode)
	}
	var free []concord.Placement
	for _, p := range md.Placements {
		if !md.SessionByID(p.SessionID).Pinned() {
			free = append(free, p)
		}
	}
	a, b := free[0].SessionID, free[1].SessionID
	for _, id := range []int64{a, b} {
		res, _ := s.post(t, del, fmt.Sprintf("/forums/igf/schedule/sessions/%d/star", id), url.Values{"back": {"/forums/igf/schedule"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/forums/igf/schedule" {
			t.Fatalf("star: %d → %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	s.post(t, del, fmt.Sprintf("/forums/igf/schedule/sessions/%d/star", b), url.Values{"star": {"off"}})
	if res, _ := s.post(t, browser(), fmt.Sprintf("/forums/igf/schedule/sessions/%d/star", a), nil); res.StatusCode == http.StatusSeeOther &&
		!strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Errorf("an anonymous visitor starred a session")
	}
	code, body := s.get(t, del, "/forums/igf/schedule/agenda")
	m := feedPattern.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("agenda: %d, feed link found: %v", code, m != nil)
	}
	code, ics := s.get(t, browser(), m[1])
	if code != http.StatusOK || strings.Count(ics, "BEGIN:VEVENT") != 1 || !strings.Contains(ics, fmt.Sprintf("UID:session-%d@igf.concord", a)) {
		t.Fatalf("feed: %d\n%s", code, ics)
	}
	if _, err := browsertest.ParseICal(t, ics); err != nil {
		t.Errorf("feed: ical.js: %v", err)
	}
	if code, _ := s.get(t, browser(), strings.Replace(m[1], "/agenda/", "/agenda/9", 1)); code != http.StatusNotFound {
		t.Errorf("a forged feed token: %d", code)
	}

	// The secretariat moves the starred session: the feed keeps its UID and raises SEQUENCE.
	p := free[0]
	var target struct{ day, slot int }
	found := false
	for day := 0; day < 5 && !found; day++ {
		for _, slot := range []int{0, 2, 4, 6, 7} {
			if day == p.Day && slot == p.Slot {
				continue
			}
			if _, vs, err := md.CheckEdit(sqlstore.Edit{SessionID: a, Day: day, Slot: slot, RoomID: p.RoomID}); err == nil && (len(vs) == 0 || !vs[0].Hard) {
				target.day, target.slot, found = day, slot, true
				break
			}
		}
	}
	if !found {
		t.Fatal("no free place to move the session to")
	}
	{
		res, body := s.post(t, sec, "/forums/igf/meeting/edit", url.Values{"session": {fmt.Sprint(a)}, "day": {fmt.Sprint(target.day + 1)},
			"slot": {fmt.Sprint(target.slot + 1)}, "room": {fmt.Sprint(p.RoomID)}, "action": {"save"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit: %d\n%s", res.StatusCode, body)
		}
		code2, ics2 := s.get(t, browser(), m[1])
		if code2 != http.StatusOK {
			t.Fatalf("feed after the move: %d", code2)
		}
		if !strings.Contains(ics2, fmt.Sprintf("UID:session-%d@igf.concord", a)) || !strings.Contains(ics2, "SEQUENCE:1\r\n") {
			t.Errorf("after a move the feed should keep the UID and raise SEQUENCE:\n%s", ics2)
		}
	}
}

func TestMeetingSecretariatFlow(t *testing.T) {
	s, sec := demoSite(t)
	post := func(path string, v url.Values, want int) string {
		t.Helper()
		res, body := s.post(t, sec, "/forums/kenya-igf/meeting"+path, v)
		if res.StatusCode != want {
			t.Fatalf("POST %s: %d, want %d\n%s", path, res.StatusCode, want, body)
		}
		return body
	}
	if code, body := s.get(t, sec, "/forums/kenya-igf/meeting"); code != http.StatusOK || !strings.Contains(body, "Settings") {
		t.Fatalf("meeting page: %d", code)
	}
	post("/rooms", url.Values{"name": {"Hall"}, "capacity": {"100"}}, http.StatusUnprocessableEntity) // settings first
	post("", url.Values{"timezone": {"Mars/Olympus"}}, http.StatusUnprocessableEntity)
	post("", url.Values{"timezone": {"Africa/Nairobi"}, "venue": {"KICC"}}, http.StatusSeeOther)
	body := post("/rooms", url.Values{"name": {"Hall"}, "capacity": {"lots"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "must be a whole number") {
		t.Errorf("capacity error not shown")
	}
	post("/rooms", url.Values{"name": {"Hall"}, "capacity": {"300"}, "hybrid": {"1"}, "languages": {"en sw"}}, http.StatusSeeOther)
	post("/rooms", url.Values{"name": {"Room B"}, "capacity": {"60"}}, http.StatusSeeOther)
	post("/grid", url.Values{"grid": {"09:00-10:30\n10:00-11:00"}}, http.StatusUnprocessableEntity)
	post("/grid", url.Values{"grid": {"09:00-10:30\n10:30-11:00 Tea\n11:00-12:30\n14:00-15:30"}}, http.StatusSeeOther)
	post("/sessions", url.Values{"title": {""}, "type": {"workshop"}}, http.StatusUnprocessableEntity)
	for i, title := range []string{"Opening", "Connectivity", "Data protection", "Youth skills"} {
		typ := "workshop"
		if i == 0 {
			typ = "opening"
		}
		post("/sessions", url.Values{"title": {title}, "type": {typ}, "attendance": {"50"}, "people": {fmt.Sprint(2001 + i)},
			"needs": {"hybrid"}, "subtheme": {"S"}}, http.StatusSeeOther)
	}
	post("/solve", url.Values{"seed": {"x"}}, http.StatusUnprocessableEntity)
	post("/solve", url.Values{"seed": {"42"}, "seconds": {"1"}}, http.StatusSeeOther)
	_, page := s.get(t, sec, "/forums/kenya-igf/meeting")
	if !strings.Contains(page, "0 hard and") || !strings.Contains(page, "Seed 42,") {
		t.Fatalf("draft not shown:\n%s", page)
	}
	post("/publish", nil, http.StatusSeeOther)
	_, schedule := s.get(t, s.web, "/forums/kenya-igf/schedule")
	_, day2 := s.get(t, s.web, "/forums/kenya-igf/schedule?day=1")
	schedule += day2
	if !strings.Contains(schedule, "Connectivity") || !strings.Contains(schedule, "Africa/Nairobi") {
		t.Errorf("the published timetable is not on the public schedule")
	}
	code, log := s.get(t, s.web, "/decisions?forum=kenya-igf")
	if code != http.StatusOK || !strings.Contains(log, "meeting.timetable") {
		t.Errorf("the publication is not in the decision log")
	}
	// A session in the tea break breaks a hard rule: a check names it, a save is refused.
	ctx := context.Background()
	f, _ := s.db.Forum(ctx, "kenya-igf")
	m, _ := s.db.CurrentMeeting(ctx, f.ID)
	md, _ := s.db.LoadMeeting(ctx, m)
	p := md.Placements[len(md.Placements)-1]
	edit := url.Values{"session": {fmt.Sprint(p.SessionID)}, "day": {"1"}, "slot": {"2"}, "room": {fmt.Sprint(p.RoomID)}, "action": {"check"}}
	body = post("/edit", edit, http.StatusOK)
	if !strings.Contains(body, "Conflicts this change creates") || !strings.Contains(body, "outside the times it may run") {
		t.Errorf("check does not name the conflict:\n%s", body)
	}
	edit.Set("action", "save")
	body = post("/edit", edit, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Refused: ") {
		t.Errorf("a hard conflict was not refused")
	}
	edit.Set("action", "pin")
	edit.Set("slot", "1")
	post("/edit", edit, http.StatusSeeOther)
	if s2, _ := s.db.Session(ctx, m.ID, p.SessionID); !s2.Pinned() || s2.PinRoom != p.RoomID {
		t.Errorf("pin not saved: %+v", s2)
	}
}

// TestSessionsFromAcceptedProposals: the programme's accepted proposals join
// the meeting as sessions, once each, with their people.
func TestSessionsFromAcceptedProposals(t *testing.T) {
	s, sec := demoSite(t)
	ctx := context.Background()
	f, _ := s.db.Forum(ctx, "igf")
	m, err := s.db.CurrentMeeting(ctx, f.ID)
	if err != nil || m == nil {
		t.Fatalf("demo meeting: %v", err)
	}
	accepted := map[int64]*concord.Proposal{}
	calls, _ := s.db.ProposalCalls(ctx, f.ID)
	for _, c := range calls {
		ps, _ := s.db.Proposals(ctx, c.ID, sqlstore.ProposalFilter{Submitted: true})
		for _, p := range ps {
			if c.Year == m.Year && p.Decision == concord.DecisionAccept {
				accepted[p.ID] = p
			}
		}
	}
	if len(accepted) == 0 {
		t.Fatal("the demo has no accepted proposals")
	}
	count := func() (int, []*concord.Session) {
		ss, err := s.db.Sessions(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		var from []*concord.Session
		for _, x := range ss {
			if x.ProposalID != 0 {
				from = append(from, x)
			}
		}
		return len(ss), from
	}
	before, _ := count()
	for i := 0; i < 2; i++ {
		res, _ := s.post(t, sec, "/forums/igf/meeting/sessions/from-proposals", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("run %d: status %d", i, res.StatusCode)
		}
	}
	after, from := count()
	if after-before != len(accepted) || len(from) != len(accepted) {
		t.Fatalf("sessions %d → %d, from proposals %d; want %d added once", before, after, len(from), len(accepted))
	}
	for _, x := range from {
		p := accepted[x.ProposalID]
		if p == nil || x.Title != p.Title || x.Type != p.Type {
			t.Errorf("session %q does not match its proposal", x.Title)
		}
	}
}
