package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

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
	post("/solve", url.Values{"seed": {"42"}, "iterations": {"20000"}}, http.StatusSeeOther)
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

	// The publication records what replays it: the seed and the iteration budget.
	if e, err := s.db.Decision(ctx, m.Decision); err != nil || e.Seed != "42" || !strings.Contains(string(e.Result), `"iterations":20000`) {
		t.Errorf("the decision does not record seed and iterations: %+v, %v", e, err)
	}
	meetingRulesAndEdits(t, s, sec, post, md)
}

var confirmPattern = regexp.MustCompile(`name="confirm" value="([0-9a-f]+)"`)

// meetingRulesAndEdits continues the secretariat's flow over real HTTP:
// type limits, a session's times, preferences and series, then editing
// and deleting sessions and rooms.
func meetingRulesAndEdits(t *testing.T, s *site, sec *http.Client, post func(string, url.Values, int) string, md *sqlstore.MeetingData) {
	ctx := context.Background()
	m := md.Meeting
	body := post("/limits", url.Values{"limit.workshop": {"many"}}, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "must be a whole number, or empty for no limit") {
		t.Errorf("a bad limit is not named")
	}
	post("/limits", url.Values{"limit.workshop": {"2"}}, http.StatusSeeOther)
	if m2, _ := s.db.CurrentMeeting(ctx, m.ForumID); m2.TypeLimits["workshop"] != 2 || len(m2.TypeLimits) != 1 {
		t.Errorf("limits saved: %v", m2.TypeLimits)
	}
	day := m.StartDate.Format("2006-01-02")
	body = post("/sessions", url.Values{"title": {"Bad times"}, "type": {"workshop"}, "available": {"2026-13-45"}, "preferred": {day + " 9-10"}},
		http.StatusUnprocessableEntity)
	if !strings.Contains(body, `available: line 1: &#34;2026-13-45&#34; is not a date`) || !strings.Contains(body, `preferred: line 1: &#34;9-10&#34; is not hours`) {
		t.Errorf("bad times are not named")
	}
	post("/sessions", url.Values{"title": {"Youth track II"}, "type": {"workshop"}, "available": {day + " 09:00-12:30"},
		"preferred": {day + " 11:00-12:30"}, "series": {"Youth track"}}, http.StatusSeeOther)
	_, page := s.get(t, sec, "/forums/kenya-igf/meeting")
	if !strings.Contains(page, "Youth track II") || !strings.Contains(page, day+" 09:00-12:30<br>") || !strings.Contains(page, day+" 11:00-12:30<br>") ||
		!strings.Contains(page, `value="2" aria-describedby="limits-hint"`) {
		t.Errorf("the meeting page does not show the rules")
	}

	md, _ = s.db.LoadMeeting(ctx, m)
	var conn *concord.Session
	for _, x := range md.Sessions {
		if x.Title == "Connectivity" {
			conn = x
		}
	}
	edit := sessionValuesForTest(conn)
	edit.Set("attendance", "500")
	edit.Set("action", "check")
	path := fmt.Sprintf("/sessions/%d", conn.ID)
	body = post(path, edit, http.StatusOK)
	if !strings.Contains(body, "Conflicts this change creates") || !strings.Contains(body, "&#39;Connectivity&#39; expects 500 people") {
		t.Errorf("the check does not show the capacity conflict")
	}
	edit.Set("action", "save")
	body = post(path, edit, http.StatusUnprocessableEntity)
	confirm := confirmPattern.FindStringSubmatch(body)
	if !strings.Contains(body, "Not saved: this change creates the conflicts listed below.") || confirm == nil {
		t.Fatalf("a save with unseen conflicts was not held back")
	}
	if x, _ := s.db.Session(ctx, m.ID, conn.ID); x.Attendance != 50 {
		t.Errorf("saved without confirmation: attendance %d", x.Attendance)
	}
	edit.Set("confirm", confirm[1])
	post(path, edit, http.StatusSeeOther)
	if x, _ := s.db.Session(ctx, m.ID, conn.ID); x.Attendance != 500 || x.Title != "Connectivity" {
		t.Errorf("after a confirmed save: %+v", x)
	}

	var hall, roomB *concord.MeetingRoom
	for _, r := range md.Rooms {
		switch r.Name {
		case "Hall":
			hall = r
		case "Room B":
			roomB = r
		}
	}
	body = post(fmt.Sprintf("/rooms/%d", hall.ID), url.Values{"name": {"Hall"}, "capacity": {"10"}, "hybrid": {"1"}, "action": {"check"}}, http.StatusOK)
	if !strings.Contains(body, "room &#39;Hall&#39; seats 10") {
		t.Errorf("shrinking the hall shows no conflict")
	}
	post(fmt.Sprintf("/rooms/%d", hall.ID), url.Values{"name": {"Main Hall"}, "capacity": {"600"}, "hybrid": {"1"}, "languages": {"en sw"},
		"action": {"save"}}, http.StatusSeeOther)
	body = post(fmt.Sprintf("/rooms/%d/delete", hall.ID), nil, http.StatusConflict)
	if !strings.Contains(body, "Room &#39;Main Hall&#39; cannot be deleted: the published timetable has") || !strings.Contains(body, "&#39;Connectivity&#39;") {
		t.Errorf("deleting a room in use is not refused with its sessions named")
	}
	post(fmt.Sprintf("/rooms/%d/delete", roomB.ID), nil, http.StatusSeeOther)
	if rooms, _ := s.db.Rooms(ctx, m.ID); len(rooms) != 1 || rooms[0].Name != "Main Hall" || rooms[0].Capacity != 600 {
		t.Errorf("rooms after the edits: %+v", rooms)
	}

	post(fmt.Sprintf("/sessions/%d/delete", conn.ID), nil, http.StatusSeeOther)
	if _, schedule := s.get(t, s.web, "/forums/kenya-igf/schedule"); strings.Contains(schedule, "Connectivity") {
		t.Errorf("a deleted session is still on the schedule")
	}
	if _, log := s.get(t, s.web, "/decisions?forum=kenya-igf"); !strings.Contains(log, "&#39;Connectivity&#39; deleted") {
		t.Errorf("the deletion is not in the decision log")
	}
}

func sessionValuesForTest(x *concord.Session) url.Values {
	v := url.Values{"title": {x.Title}, "type": {x.Type}, "subtheme": {x.Subtheme}, "duration": {fmt.Sprint(x.Duration)},
		"attendance": {fmt.Sprint(x.Attendance)}, "language": {x.Language}, "needs": x.Needs}
	var people []string
	for _, id := range x.People {
		people = append(people, fmt.Sprint(id))
	}
	v.Set("people", strings.Join(people, ","))
	return v
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
	// The demo meeting holds them already; take three out, and the button
	// brings back those three and no others.
	before, from := count()
	if len(from) != len(accepted) {
		t.Fatalf("the demo meeting has %d sessions from %d accepted proposals", len(from), len(accepted))
	}
	for _, x := range from[:3] {
		if res, _ := s.post(t, sec, fmt.Sprintf("/forums/igf/meeting/sessions/%d/delete", x.ID), url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete session %d: %d", x.ID, res.StatusCode)
		}
	}
	if n, _ := count(); n != before-3 {
		t.Fatalf("%d sessions after deleting 3 of %d", n, before)
	}
	before -= 3
	for i := 0; i < 2; i++ {
		res, _ := s.post(t, sec, "/forums/igf/meeting/sessions/from-proposals", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("run %d: status %d", i, res.StatusCode)
		}
	}
	after, from := count()
	if after-before != 3 || len(from) != len(accepted) {
		t.Fatalf("sessions %d → %d, from proposals %d; want 3 added once, %d in all", before, after, len(from), len(accepted))
	}
	for _, x := range from {
		p := accepted[x.ProposalID]
		if p == nil || x.Title != p.Title || x.Type != p.Type {
			t.Errorf("session %q does not match its proposal", x.Title)
		}
	}
}

// zoneSite is a forum whose three-day meeting in Nairobi (UTC+3, no summer
// time) spans the night Europe moves its clocks forward, 29 March 2026,
// with a published timetable of three pinned sessions.
func zoneSite(t *testing.T) (*site, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	s := newSite(t, db)
	f := &concord.Forum{Slug: "eaigf", Name: "East Africa IGF"}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	cy := &concord.Cycle{ForumID: f.ID, Year: 2026, Timezone: "Africa/Nairobi",
		StartDate: time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC)}
	if err := db.CreateCycle(ctx, cy); err != nil {
		t.Fatal(err)
	}
	m := &concord.Meeting{ForumID: f.ID, CycleID: cy.ID, Timezone: "Africa/Nairobi", Venue: "Arusha"}
	if err := db.SaveMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateRoom(ctx, &concord.MeetingRoom{MeetingID: m.ID, Name: "Hall", Capacity: 200}); err != nil {
		t.Fatal(err)
	}
	grid, err := concord.ParseTimeGrid("09:00-10:30\n22:30-23:30", m)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTimeGrid(ctx, m.ID, grid); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, x := range []struct {
		title     string
		day, slot int
	}{{"Morning on Saturday", 0, 0}, {"Late on Saturday", 0, 1}, {"Morning on Monday", 2, 0}} {
		ses := &concord.Session{Title: x.title, Type: "workshop", PinDay: x.day, PinSlot: x.slot}
		if err := db.CreateSession(ctx, m, ses); err != nil {
			t.Fatal(err)
		}
		ids[x.title] = ses.ID
	}
	md, err := db.LoadMeeting(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SolveMeeting(ctx, md, 1, 2000); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishDraft(ctx, md, "sec"); err != nil {
		t.Fatal(err)
	}
	return s, ids
}

// row is how the list view shows a session's times: meeting zone, then the viewer's.
func row(local, mine string) string { return "<tr><td>" + local + "</td><td>" + mine + "</td>" }

func TestScheduleInViewersZone(t *testing.T) {
	s, ids := zoneSite(t)
	c := browser()
	for _, x := range []struct {
		path, header string
		want         []string
	}{
		// No zone chosen: UTC beside the meeting's clock.
		{"/forums/eaigf/schedule", "UTC", []string{row("09:00–10:30", "06:00–07:30"), row("22:30–23:30", "19:30–20:30")}},
		// Half an hour ahead of a whole hour, and past midnight: the next day.
		{"/forums/eaigf/schedule?tz=Asia/Kolkata", "Asia/Kolkata", []string{row("09:00–10:30", "11:30–13:00"), row("22:30–23:30", "01:00–02:00 (+1)")}},
		// Newfoundland summer time is UTC−2:30.
		{"/forums/eaigf/schedule?tz=America/St_Johns", "America/St_Johns", []string{row("09:00–10:30", "03:30–05:00")}},
		// Berlin before and after its clocks go forward, the second from the cookie the first set.
		{"/forums/eaigf/schedule?day=0&tz=Europe/Berlin", "Europe/Berlin", []string{row("09:00–10:30", "07:00–08:30")}},
		{"/forums/eaigf/schedule?day=2", "Europe/Berlin", []string{row("09:00–10:30", "08:00–09:30")}},
		{fmt.Sprintf("/forums/eaigf/schedule/sessions/%d", ids["Morning on Monday"]), "", []string{"09:00–10:30 (Africa/Nairobi) · 08:00–09:30 (Europe/Berlin)"}},
		// An empty choice forgets the zone.
		{"/forums/eaigf/schedule?tz=", "UTC", []string{row("09:00–10:30", "06:00–07:30")}},
		{fmt.Sprintf("/forums/eaigf/schedule/sessions/%d?tz=Asia/Kathmandu", ids["Late on Saturday"]), "", []string{"22:30–23:30 (Africa/Nairobi) · 01:15–02:15 (+1) (Asia/Kathmandu)"}},
		{"/forums/eaigf/schedule?view=grid&tz=Asia/Kolkata", "Asia/Kolkata", []string{`<th scope="row">22:30–23:30</th><td>01:00–02:00 (+1)</td>`}},
	} {
		code, body := s.get(t, c, x.path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", x.path, code)
		}
		body = html.UnescapeString(body) // the template writes + as &#43;
		if x.header != "" && !strings.Contains(body, `<th scope="col">Africa/Nairobi</th><th scope="col">`+x.header+`</th>`) {
			t.Errorf("%s: the columns are not the meeting's zone and %s", x.path, x.header)
		}
		for _, w := range x.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", x.path, w)
			}
		}
		if !strings.Contains(body, `<script src="/static/timezone.js" defer></script>`) || !strings.Contains(body, `name="tz"`) {
			t.Errorf("%s has no zone chooser", x.path)
		}
	}
	// A bad zone is named; times fall back to UTC and the remembered zone is kept.
	s.get(t, c, "/forums/eaigf/schedule?tz=Asia/Kolkata")
	for _, bad := range []string{"Mars/Olympus", "Local", "../../etc/passwd"} {
		code, body := s.get(t, c, "/forums/eaigf/schedule?tz="+url.QueryEscape(bad))
		body = html.UnescapeString(body)
		want := bad + " is not an IANA time zone; times are shown in UTC."
		if code != http.StatusOK || !strings.Contains(body, want) || !strings.Contains(body, row("09:00–10:30", "06:00–07:30")) ||
			!strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("tz=%s: %d, message or UTC times missing", bad, code)
		}
	}
	if _, body := s.get(t, c, "/forums/eaigf/schedule"); !strings.Contains(body, row("09:00–10:30", "11:30–13:00")) {
		t.Errorf("a bad zone replaced the remembered one")
	}
	// The script only fills an empty chooser with the browser's zone.
	code, js := s.get(t, c, "/static/timezone.js")
	if code != http.StatusOK || !strings.Contains(js, "Intl.DateTimeFormat().resolvedOptions().timeZone") || !strings.Contains(js, "data-zone-chooser") {
		t.Errorf("timezone.js: %d", code)
	}
}

// TestZoneChooserTakesTheBrowsersZone: in a real browser the little script
// fills the empty chooser with the browser's zone; pressing the button then
// shows that zone's times. A zone the visitor chose is left alone.
func TestZoneChooserTakesTheBrowsersZone(t *testing.T) {
	s, _ := zoneSite(t)
	ctx := browsertest.New(t)
	if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Berlin"}); err != nil {
		t.Fatal(err)
	}
	value := func() string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("tz").value`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.ts.URL+"/forums/eaigf/schedule")); err != nil {
		t.Fatal(err)
	}
	if got := value(); got != "Europe/Berlin" {
		t.Fatalf("the chooser holds %q, want the browser's Europe/Berlin", got)
	}
	// What the chooser's form sends, loaded as the browser would on a press.
	query, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new URLSearchParams(new FormData(document.getElementById("tz").form)).toString()`))
	if err != nil || query != "tz=Europe%2FBerlin" {
		t.Fatalf("the form sends %q, %v", query, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.ts.URL+"/forums/eaigf/schedule?"+query)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("table").innerText`))
	if err != nil || !strings.Contains(text, "07:00–08:30") {
		t.Errorf("after choosing the browser's zone: %q, %v", text, err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.ts.URL+"/forums/eaigf/schedule?tz=Asia/Kolkata")); err != nil {
		t.Fatal(err)
	}
	if got := value(); got != "Asia/Kolkata" {
		t.Errorf("the script replaced the visitor's choice: %q", got)
	}
}
