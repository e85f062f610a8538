package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/algo/timetable"
	"concord/export/frab"
	"concord/export/ical"
	"concord/server"
	"concord/sqlstore"
)

// scheduleItem is one placed session as the schedule shows it.
type scheduleItem struct {
	Session   *concord.Session
	Room      *concord.MeetingRoom
	Placement concord.Placement
	Local     string // "09:00–10:30" in the meeting's zone
	Mine      string // the same in the viewer's zone, "(+1)" when on another date
	Languages []string
	People    []string
	Starred   bool
}

type dayTab struct {
	Index   int
	Label   string
	Current bool
}

type gridCell struct {
	Item *scheduleItem
	Span int
}

type gridRow struct {
	Local, Mine string
	Break       string
	Cells       []*gridCell // nil: covered by a session above
}

type scheduleFilter struct {
	Subtheme, Type, Language string
	Room                     int64
}

func (f scheduleFilter) Any() bool {
	return f.Subtheme != "" || f.Type != "" || f.Language != "" || f.Room != 0
}

type schedulePage struct {
	Page
	Forum     *concord.Forum
	Meeting   *concord.Meeting
	Zone      string
	Mine      viewerZone
	Days      []dayTab
	Day       int
	Grid      bool
	Items     []*scheduleItem
	Rows      []gridRow
	Rooms     []*concord.MeetingRoom // grid columns
	AllRooms  []*concord.MeetingRoom
	Subthemes []string
	Types     []string
	Langs     []string // not Languages: the layout's language links
	Filter    scheduleFilter
	CanStar   bool
}

// loadSchedule reads what the forum's current meeting shows the public; nil
// data when it has none.
func (h *Handler) loadSchedule(r *http.Request) (*sqlstore.MeetingData, error) {
	return h.loadMeeting(r, h.s.DB.LoadSchedule)
}

// loadMeeting reads the forum's current meeting with load; nil data when
// it has none.
func (h *Handler) loadMeeting(r *http.Request, load func(context.Context, *concord.Meeting) (*sqlstore.MeetingData, error)) (*sqlstore.MeetingData, error) {
	v := server.ViewerFrom(r.Context())
	m, err := h.s.DB.CurrentMeeting(r.Context(), v.Forum.ID)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return load(r.Context(), m)
}

// viewerZone is the zone a visitor reads times in: one they chose (the tz
// query parameter, remembered in a cookie), else UTC.
type viewerZone struct {
	Loc    *time.Location
	Name   string // "UTC" when none is chosen
	Chosen string // what the visitor asked for, shown back in the chooser
	Bad    bool   // the asked-for zone is not one: times show in UTC
}

const zoneCookie = "concord_tz"

// zoneFor reads the viewer's zone. A valid tz parameter is remembered in a
// cookie, an empty one forgets it; a bad one is named, and times show in UTC.
func zoneFor(w http.ResponseWriter, r *http.Request) viewerZone {
	z := viewerZone{Loc: time.UTC, Name: "UTC"}
	name, asked := r.URL.Query()["tz"]
	if !asked {
		if c, err := r.Cookie(zoneCookie); err == nil {
			if loc, err := loadZone(c.Value); err == nil {
				z.Loc, z.Name, z.Chosen = loc, c.Value, c.Value
			}
		}
		return z
	}
	tz := strings.TrimSpace(name[0])
	if tz == "" {
		http.SetCookie(w, &http.Cookie{Name: zoneCookie, Path: "/", MaxAge: -1})
		return z
	}
	loc, err := loadZone(tz)
	if err != nil {
		z.Chosen, z.Bad = tz, true
		return z
	}
	http.SetCookie(w, &http.Cookie{Name: zoneCookie, Value: tz, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
	z.Loc, z.Name, z.Chosen = loc, tz, tz
	return z
}

// loadZone loads an IANA zone by name. "Local" is refused: it would be the
// server's zone, not the viewer's.
func loadZone(name string) (*time.Location, error) {
	if len(name) > 64 || name == "Local" || strings.ContainsAny(name, `\ `) {
		return nil, concord.FieldError("tz", "%q is not an IANA time zone such as Asia/Kolkata", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, concord.FieldError("tz", "%q is not an IANA time zone such as Asia/Kolkata", name)
	}
	return loc, nil
}

// span writes a period in the meeting's zone and in mine; mine carries the
// days it is ahead of or behind the meeting's date, "(+1)" or "(-1)".
func span(m *concord.Meeting, mine *time.Location, a, b time.Time) (local, other string) {
	loc := m.Location()
	if mine == nil {
		mine = time.UTC
	}
	local = a.In(loc).Format("15:04") + "–" + b.In(loc).Format("15:04")
	other = a.In(mine).Format("15:04") + "–" + b.In(mine).Format("15:04")
	date := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	if d := int(date(a.In(mine)).Sub(date(a.In(loc))).Hours() / 24); d != 0 {
		other += fmt.Sprintf(" (%+d)", d)
	}
	return local, other
}

// items lists the placed sessions in start order, with what the pages show
// and times in the meeting's zone and in mine.
func items(md *sqlstore.MeetingData, starred map[int64]bool, mine *time.Location) []*scheduleItem {
	var out []*scheduleItem
	for _, p := range md.Placements {
		s, room := md.SessionByID(p.SessionID), md.Room(p.RoomID)
		if s == nil || room == nil {
			continue
		}
		it := &scheduleItem{Session: s, Room: room, Placement: p, Starred: starred[s.ID], Languages: []string{s.Language}}
		it.Local, it.Mine = span(md.Meeting, mine, p.Start, p.End)
		if len(room.Languages) > 1 {
			for _, l := range room.Languages {
				if !slices.Contains(it.Languages, l) {
					it.Languages = append(it.Languages, l)
				}
			}
		}
		for _, id := range s.People {
			it.People = append(it.People, md.People[id])
		}
		out = append(out, it)
	}
	return out
}

func (f scheduleFilter) keep(it *scheduleItem) bool {
	return (f.Subtheme == "" || it.Session.Subtheme == f.Subtheme) && (f.Type == "" || it.Session.Type == f.Type) &&
		(f.Language == "" || slices.Contains(it.Languages, f.Language)) && (f.Room == 0 || it.Room.ID == f.Room)
}

func (h *Handler) schedule(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	md, err := h.loadSchedule(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := schedulePage{Page: h.page(r, "Schedule"), Forum: v.Forum, CanStar: v.Account != nil && v.Can(concord.RoleDelegate),
		Mine: zoneFor(w, r)}
	if md == nil {
		h.render(w, r, http.StatusOK, "meeting_schedule.html", p)
		return
	}
	p.Meeting, p.Zone = md.Meeting, md.Meeting.Timezone
	q := r.URL.Query()
	p.Grid = q.Get("view") == "grid"
	p.Filter = scheduleFilter{Subtheme: q.Get("subtheme"), Type: q.Get("type"), Language: q.Get("language")}
	p.Filter.Room, _ = strconv.ParseInt(q.Get("room"), 10, 64)
	days := md.Meeting.Days()
	p.Day, _ = strconv.Atoi(q.Get("day"))
	if p.Day < 0 || p.Day >= len(days) {
		p.Day = 0
	}
	for i, d := range days {
		p.Days = append(p.Days, dayTab{i, d.Format("Mon 2 Jan"), i == p.Day})
	}
	var starred map[int64]bool
	if p.CanStar {
		if starred, err = h.s.DB.Starred(r.Context(), v.Account.ID, md.Meeting.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	all := items(md, starred, p.Mine.Loc)
	langs := map[string]bool{}
	for _, it := range all {
		for _, l := range it.Languages {
			langs[l] = true
		}
		if it.Session.Subtheme != "" && !slices.Contains(p.Subthemes, it.Session.Subtheme) {
			p.Subthemes = append(p.Subthemes, it.Session.Subtheme)
		}
		if !slices.Contains(p.Types, it.Session.Type) {
			p.Types = append(p.Types, it.Session.Type)
		}
	}
	for l := range langs {
		p.Langs = append(p.Langs, l)
	}
	slices.Sort(p.Subthemes)
	slices.Sort(p.Types)
	slices.Sort(p.Langs)
	p.AllRooms = md.Rooms
	for _, it := range all {
		if it.Placement.Day == p.Day && p.Filter.keep(it) {
			p.Items = append(p.Items, it)
		}
	}
	if p.Grid {
		p.Rooms, p.Rows = grid(md, p.Day, p.Items, p.Filter.Room, p.Mine.Loc)
	}
	h.render(w, r, http.StatusOK, "meeting_schedule.html", p)
}

// grid lays one day out as periods × rooms; a session spans the rows of
// the periods it lasts.
func grid(md *sqlstore.MeetingData, day int, its []*scheduleItem, onlyRoom int64, mine *time.Location) ([]*concord.MeetingRoom, []gridRow) {
	var rooms []*concord.MeetingRoom
	for _, r := range md.Rooms {
		if onlyRoom == 0 || r.ID == onlyRoom {
			rooms = append(rooms, r)
		}
	}
	var periods []concord.TimeSlot
	for _, s := range md.Grid {
		if s.Day == day {
			periods = append(periods, s)
		}
	}
	rows := make([]gridRow, len(periods))
	covered := make([][]bool, len(periods))
	for k, s := range periods {
		rows[k].Local, rows[k].Mine = span(md.Meeting, mine, s.Start, s.End)
		rows[k].Break = s.Break
		covered[k] = make([]bool, len(rooms))
	}
	at := map[[2]int]*scheduleItem{}
	for _, it := range its {
		if c := slices.IndexFunc(rooms, func(r *concord.MeetingRoom) bool { return r.ID == it.Room.ID }); c >= 0 {
			at[[2]int{it.Placement.Slot, c}] = it
		}
	}
	for k := range periods {
		if rows[k].Break != "" {
			continue
		}
		for c := range rooms {
			if covered[k][c] {
				rows[k].Cells = append(rows[k].Cells, nil)
				continue
			}
			cell := &gridCell{Span: 1}
			if it := at[[2]int{k, c}]; it != nil {
				cell.Item = it
				for j := k + 1; j < min(k+it.Session.Duration, len(periods)); j++ {
					covered[j][c] = true
					cell.Span++
				}
			}
			rows[k].Cells = append(rows[k].Cells, cell)
		}
	}
	return rooms, rows
}

type sessionPage struct {
	Page
	Forum   *concord.Forum
	Meeting *concord.Meeting
	Item    *scheduleItem
	Session *concord.Session
	Day     string
	People  []personLink
	CanStar bool
	Mine    viewerZone
}

type personLink struct {
	ID   int64
	Name string
}

func (h *Handler) scheduleSession(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	md, err := h.loadSchedule(r)
	if err == nil && (md == nil || md.SessionByID(id) == nil) {
		err = concord.Errorf(concord.ENOTFOUND, "There is no session %d.", id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s := md.SessionByID(id)
	p := sessionPage{Page: h.page(r, s.Title), Forum: v.Forum, Meeting: md.Meeting, Session: s,
		CanStar: v.Account != nil && v.Can(concord.RoleDelegate), Mine: zoneFor(w, r)}
	p.Title = s.Title
	for _, id := range s.People {
		p.People = append(p.People, personLink{id, md.People[id]})
	}
	var starred map[int64]bool
	if p.CanStar {
		if starred, err = h.s.DB.Starred(r.Context(), v.Account.ID, md.Meeting.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	for _, it := range items(md, starred, p.Mine.Loc) {
		if it.Session.ID == id {
			p.Item = it
			p.Day = md.Meeting.StartDate.AddDate(0, 0, it.Placement.Day).Format("Monday 2 January 2006")
		}
	}
	h.render(w, r, http.StatusOK, "meeting_session.html", p)
}

// star adds a session to, or removes it from, the viewer's agenda.
func (h *Handler) star(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	md, err := h.loadSchedule(r)
	if err == nil && (md == nil || md.SessionByID(id) == nil) {
		err = concord.Errorf(concord.ENOTFOUND, "There is no session %d.", id)
	}
	if err == nil {
		err = h.s.DB.Star(r.Context(), v.Account.ID, id, r.PostForm.Get("star") != "off")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	back := r.PostForm.Get("back")
	if !strings.HasPrefix(back, "/forums/"+v.Forum.Slug+"/schedule") {
		back = fmt.Sprintf("/forums/%s/schedule/sessions/%d", v.Forum.Slug, id)
	}
	h.redirect(w, r, back)
}

type agendaPage struct {
	Page
	Forum   *concord.Forum
	Meeting *concord.Meeting
	Items   []*scheduleItem
	Feed    string
	Mine    viewerZone
}

func (h *Handler) agenda(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	md, err := h.loadSchedule(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := agendaPage{Page: h.page(r, "My agenda"), Forum: v.Forum, Mine: zoneFor(w, r)}
	if md != nil {
		p.Meeting = md.Meeting
		starred, err := h.s.DB.Starred(r.Context(), v.Account.ID, md.Meeting.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, it := range items(md, starred, p.Mine.Loc) {
			if it.Starred {
				p.Items = append(p.Items, it)
			}
		}
		tok, err := h.s.DB.AgendaToken(r.Context(), v.Account.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Feed = h.s.BaseURL + "/forums/" + v.Forum.Slug + "/schedule/agenda/" + tok + "/calendar.ics"
	}
	h.render(w, r, http.StatusOK, "meeting_agenda.html", p)
}

// serveExport answers with body and an ETag of its content; a matching
// If-None-Match gets 304.
func serveExport(w http.ResponseWriter, r *http.Request, contentType, filename string, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "public, no-cache")
	w.Header().Set("Content-Type", contentType)
	if filename != "" {
		w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	}
	for _, tag := range strings.Split(r.Header.Get("If-None-Match"), ",") {
		if t := strings.TrimSpace(tag); t == etag || t == "W/"+etag || t == "*" {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Write(body)
}

// published loads the meeting for an export; a meeting without a published
// timetable has nothing to export.
func (h *Handler) published(w http.ResponseWriter, r *http.Request) *sqlstore.MeetingData {
	md, err := h.loadSchedule(r)
	if err == nil && (md == nil || md.Meeting.Published == 0) {
		err = concord.Errorf(concord.ENOTFOUND, "This forum has not published a timetable yet.")
	}
	if err != nil {
		h.fail(w, r, err)
		return nil
	}
	return md
}

func (h *Handler) sessionURL(f *concord.Forum, id int64) string {
	return fmt.Sprintf("%s/forums/%s/schedule/sessions/%d", h.s.BaseURL, f.Slug, id)
}

// calendar writes the placed sessions keep(…) selects as iCalendar.
func (h *Handler) calendar(w http.ResponseWriter, r *http.Request, md *sqlstore.MeetingData, name, file string, keep func(*scheduleItem) bool) {
	f := server.ViewerFrom(r.Context()).Forum
	c := ical.Calendar{Name: name, TZID: md.Meeting.Timezone, Stamp: md.Meeting.PublishedAt, Location: md.Meeting.Location()}
	for _, it := range items(md, nil, nil) {
		if !keep(it) {
			continue
		}
		desc := strings.Join(it.People, ", ")
		if it.Session.Description != "" {
			desc = it.Session.Description + "\n\n" + desc
		}
		var cats []string
		for _, x := range []string{it.Session.Type, it.Session.Subtheme} {
			if x != "" {
				cats = append(cats, x)
			}
		}
		c.Events = append(c.Events, ical.Event{UID: fmt.Sprintf("session-%d@%s.concord", it.Session.ID, f.Slug),
			Sequence: it.Placement.Sequence, Start: it.Placement.Start, End: it.Placement.End, Summary: it.Session.Title,
			Description: desc, Location: it.Room.Name, URL: h.sessionURL(f, it.Session.ID), Categories: cats})
	}
	ical.SortByStart(c.Events)
	var b bytes.Buffer
	if err := ical.Write(&b, c); err != nil {
		h.fail(w, r, err)
		return
	}
	serveExport(w, r, "text/calendar; charset=utf-8", file, b.Bytes())
}

func (h *Handler) scheduleICal(w http.ResponseWriter, r *http.Request) {
	if md := h.published(w, r); md != nil {
		f := server.ViewerFrom(r.Context()).Forum
		h.calendar(w, r, md, fmt.Sprintf("%s %d", f.Name, md.Meeting.Year), f.Slug+".ics", func(*scheduleItem) bool { return true })
	}
}

func (h *Handler) roomICal(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	md := h.published(w, r)
	if md == nil {
		return
	}
	room := md.Room(id)
	if room == nil {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no room %d.", id))
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	h.calendar(w, r, md, fmt.Sprintf("%s %d: %s", f.Name, md.Meeting.Year, room.Name), fmt.Sprintf("%s-room-%d.ics", f.Slug, id),
		func(it *scheduleItem) bool { return it.Room.ID == id })
}

// personICal lists the sessions a person of the registry speaks in,
// moderates or organises.
func (h *Handler) personICal(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	md := h.published(w, r)
	if md == nil {
		return
	}
	name, ok := md.People[id]
	if !ok {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "Person %d has no session at this meeting.", id))
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	h.calendar(w, r, md, fmt.Sprintf("%s %d: %s", f.Name, md.Meeting.Year, name), fmt.Sprintf("%s-person-%d.ics", f.Slug, id),
		func(it *scheduleItem) bool { return slices.Contains(it.Session.People, id) })
}

func (h *Handler) agendaICal(w http.ResponseWriter, r *http.Request) {
	acc, err := h.s.DB.AgendaAccount(r.Context(), r.PathValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	md := h.published(w, r)
	if md == nil {
		return
	}
	starred, err := h.s.DB.Starred(r.Context(), acc, md.Meeting.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	w.Header().Set("X-Robots-Tag", "noindex")
	h.calendar(w, r, md, fmt.Sprintf("%s %d: my agenda", f.Name, md.Meeting.Year), f.Slug+"-agenda.ics",
		func(it *scheduleItem) bool { return starred[it.Session.ID] })
}

func (h *Handler) frabSchedule(md *sqlstore.MeetingData, f *concord.Forum) *frab.Schedule {
	m := md.Meeting
	s := &frab.Schedule{Version: strconv.Itoa(m.Published), Title: fmt.Sprintf("%s %d", f.Name, m.Year),
		Acronym: fmt.Sprintf("%s%d", f.Slug, m.Year), Start: m.StartDate, End: m.EndDate, Location: m.Location(),
		BaseURL: h.s.BaseURL + "/forums/" + f.Slug + "/schedule/sessions"}
	for _, r := range md.Rooms {
		s.Rooms = append(s.Rooms, r.Name)
	}
	for _, it := range items(md, nil, nil) {
		e := frab.Event{ID: it.Session.ID, GUID: fmt.Sprintf("session-%d@%s.concord", it.Session.ID, f.Slug), Room: it.Room.Name,
			Title: it.Session.Title, Type: it.Session.Type, Track: it.Session.Subtheme, Language: it.Session.Language,
			Abstract: it.Session.Description, Start: it.Placement.Start, End: it.Placement.End, URL: h.sessionURL(f, it.Session.ID)}
		for _, id := range it.Session.People {
			e.Persons = append(e.Persons, frab.Person{ID: id, Name: md.People[id]})
		}
		s.Events = append(s.Events, e)
	}
	return s
}

func (h *Handler) frabXML(w http.ResponseWriter, r *http.Request) {
	h.frabExport(w, r, frab.WriteXML, "application/xml; charset=utf-8")
}

func (h *Handler) frabJSON(w http.ResponseWriter, r *http.Request) {
	h.frabExport(w, r, frab.WriteJSON, "application/json; charset=utf-8")
}

// frabExport serves the published schedule in one of frab's two encodings.
func (h *Handler) frabExport(w http.ResponseWriter, r *http.Request, write func(io.Writer, *frab.Schedule) error, contentType string) {
	md := h.published(w, r)
	if md == nil {
		return
	}
	var b bytes.Buffer
	if err := write(&b, h.frabSchedule(md, server.ViewerFrom(r.Context()).Forum)); err != nil {
		h.fail(w, r, err)
		return
	}
	serveExport(w, r, contentType, "", b.Bytes())
}

func (h *Handler) scheduleCSV(w http.ResponseWriter, r *http.Request) {
	md := h.published(w, r)
	if md == nil {
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	loc := md.Meeting.Location()
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"id", "title", "type", "subtheme", "room", "start_local", "end_local", "start_utc", "end_utc", "timezone", "languages", "people", "url"})
	for _, it := range items(md, nil, nil) {
		p := it.Placement
		cw.Write([]string{strconv.FormatInt(it.Session.ID, 10), concord.SafeCell(it.Session.Title), it.Session.Type, concord.SafeCell(it.Session.Subtheme), concord.SafeCell(it.Room.Name),
			p.Start.In(loc).Format("2006-01-02T15:04"), p.End.In(loc).Format("2006-01-02T15:04"),
			p.Start.UTC().Format(time.RFC3339), p.End.UTC().Format(time.RFC3339), md.Meeting.Timezone,
			strings.Join(it.Languages, " "), concord.SafeCell(strings.Join(it.People, "; ")), h.sessionURL(f, it.Session.ID)})
	}
	cw.Flush()
	serveExport(w, r, "text/csv; charset=utf-8", f.Slug+"-schedule.csv", b.Bytes())
}

// The secretariat's meeting page.

type meetingPage struct {
	Page
	Forum      *concord.Forum
	Cycle      *concord.Cycle
	Meeting    *concord.Meeting
	Data       *sqlstore.MeetingData
	GridText   string
	Sessions   int
	Types      []string
	Needs      []string
	Issues     []timetable.Issue
	Draft      *sqlstore.Draft
	SoftShown  []timetable.Violation
	SoftMore   int                   // soft violations not shown
	Edit       []timetable.Violation // what a checked edit creates
	EditDone   bool
	Form       *Form
	Section    string // the form the errors belong to
	Limits     []typeLimit
	Rules      []sessionRules // sessions with times, preferences or a series
	Iterations int64          // the default solver budget
}

type typeLimit struct {
	Type  string
	Field string
	Value string
}

// sessionRules is a session's scheduling rules, in the meeting's zone.
type sessionRules struct {
	Session   *concord.Session
	Available []string // one range a line
	Preferred []string
}

// meetingState loads the forum's newest cycle and its meeting (nil if none yet).
func (h *Handler) meetingState(r *http.Request) (*concord.Cycle, *sqlstore.MeetingData, error) {
	v := server.ViewerFrom(r.Context())
	cycles, err := h.s.DB.Cycles(r.Context(), v.Forum.ID)
	if err != nil || len(cycles) == 0 {
		return nil, nil, err
	}
	md, err := h.loadMeeting(r, h.s.DB.LoadMeeting)
	if err != nil || md == nil || md.Meeting.CycleID != cycles[0].ID {
		return cycles[0], nil, err
	}
	return cycles[0], md, nil
}

func (h *Handler) meeting(w http.ResponseWriter, r *http.Request) {
	h.renderMeeting(w, r, http.StatusOK, newForm(nil), "", nil)
}

func (h *Handler) renderMeeting(w http.ResponseWriter, r *http.Request, status int, f *Form, section string, edit []timetable.Violation) {
	v := server.ViewerFrom(r.Context())
	cy, md, err := h.meetingState(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Values == nil {
		f.Values = map[string][]string{}
	}
	p := meetingPage{Page: h.page(r, "Annual meeting"), Forum: v.Forum, Cycle: cy, Data: md, Types: concord.SessionTypes,
		Needs: concord.Needs, Form: f, Section: section, Edit: edit}
	p.EditDone = section == "edit" && len(f.Order) == 0 && f.Get("action") == "check"
	if md != nil {
		p.Meeting = md.Meeting
		p.GridText = concord.FormatTimeGrid(md.Grid, md.Meeting)
		p.Sessions = len(md.Sessions)
		if len(md.Rooms) > 0 && len(md.Grid) > 0 && len(md.Sessions) > 0 {
			if p.Issues, err = md.Feasibility(); err != nil {
				h.fail(w, r, err)
				return
			}
		}
		if p.Draft, err = h.s.DB.Draft(r.Context(), md.Meeting.ID); err != nil {
			h.fail(w, r, err)
			return
		}
		if p.Draft != nil {
			// Preferences and series are the organisers' own requests: name
			// those first, ahead of the many subtheme and star overlaps.
			soft := slices.Clone(p.Draft.Soft)
			first := func(v timetable.Violation) int {
				if v.Kind == timetable.KindPreference || v.Kind == timetable.KindSeriesRoom {
					return 0
				}
				return 1
			}
			slices.SortStableFunc(soft, func(a, b timetable.Violation) int { return first(a) - first(b) })
			p.SoftShown = soft[:min(len(soft), 40)]
			p.SoftMore = len(soft) - len(p.SoftShown)
		}
		p.Iterations = sqlstore.DefaultIterations(len(md.Sessions))
		for _, t := range concord.SessionTypes {
			l := typeLimit{Type: t, Field: "limit." + t}
			if n, ok := md.Meeting.TypeLimits[t]; ok {
				l.Value = strconv.Itoa(n)
			}
			if section == "limits" {
				l.Value = f.Get(l.Field)
			}
			p.Limits = append(p.Limits, l)
		}
		for _, s := range md.Sessions {
			if len(s.Available) > 0 || len(s.Preferred) > 0 || s.Series != "" {
				p.Rules = append(p.Rules, sessionRules{s, lines(concord.FormatTimeRanges(s.Available, md.Meeting)),
					lines(concord.FormatTimeRanges(s.Preferred, md.Meeting))})
			}
		}
	}
	if p.Meeting != nil && section == "" {
		f.Values.Set("venue", p.Meeting.Venue)
		f.Values.Set("timezone", p.Meeting.Timezone)
		f.Values.Set("grid", p.GridText)
	} else if cy != nil && section == "" {
		f.Values.Set("timezone", cy.Timezone)
	}
	if f.Get("seed") == "" {
		var b [4]byte
		rand.Read(b[:])
		f.Values.Set("seed", strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[:])), 10))
	}
	if f.Get("iterations") == "" && p.Iterations > 0 {
		f.Values.Set("iterations", strconv.FormatInt(p.Iterations, 10))
	}
	h.render(w, r, status, "meeting.html", p)
}

// lines splits text into its non-empty lines.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// meetingForm handles a posted form: fn does the work; errors about the
// input re-render the page with the form's section marked.
func (h *Handler) meetingForm(w http.ResponseWriter, r *http.Request, section string, fn func(f *Form, cy *concord.Cycle, md *sqlstore.MeetingData) (string, error)) {
	r.ParseForm()
	f := newForm(r.PostForm)
	cy, md, err := h.meetingState(r)
	if err == nil && cy == nil {
		err = concord.Errorf(concord.EINVALID, "The forum has no cycle yet.")
	}
	if err == nil && md == nil && section != "settings" {
		err = concord.Errorf(concord.EINVALID, "Save the meeting's settings first.")
	}
	var flash string
	if err == nil {
		flash, err = fn(f, cy, md)
	}
	if err != nil {
		if concord.ErrorCode(err) == concord.EINVALID || concord.ErrorCode(err) == concord.ECONFLICT {
			if err != nil && concord.ErrorCode(err) == concord.ECONFLICT {
				f.Errors["form"] = concord.ErrorMessage(err)
				f.Order = append(f.Order, "form")
			} else {
				f.Fail(err)
			}
			h.renderMeeting(w, r, http.StatusUnprocessableEntity, f, section, nil)
			return
		}
		h.fail(w, r, err)
		return
	}
	h.flash(r, flash)
	h.redirect(w, r, "/forums/"+server.ViewerFrom(r.Context()).Forum.Slug+"/meeting#"+section)
}

func (h *Handler) saveMeeting(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "settings", func(f *Form, cy *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		m := &concord.Meeting{ForumID: cy.ForumID, CycleID: cy.ID, Timezone: strings.TrimSpace(f.Get("timezone")), Venue: f.Get("venue")}
		return "Meeting saved.", h.s.DB.SaveMeeting(r.Context(), m)
	})
}

func languages(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func (h *Handler) createRoom(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "rooms", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		capacity, err := strconv.Atoi(strings.TrimSpace(f.Get("capacity")))
		if err != nil {
			return "", concord.FieldError("capacity", "must be a whole number")
		}
		room := &concord.MeetingRoom{MeetingID: md.Meeting.ID, Name: f.Get("name"), Capacity: capacity,
			Hybrid: f.Get("hybrid") != "", Captioning: f.Get("captioning") != "", Languages: languages(f.Get("languages"))}
		return "Room added.", h.s.DB.CreateRoom(r.Context(), room)
	})
}

func (h *Handler) saveGrid(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "grid", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		slots, err := concord.ParseTimeGrid(f.Get("grid"), md.Meeting)
		if err != nil {
			return "", err
		}
		return "Time grid saved.", h.s.DB.SetTimeGrid(r.Context(), md.Meeting.ID, slots)
	})
}

func atoiField(f *Form, name string, def int) (int, error) {
	s := strings.TrimSpace(f.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, concord.FieldError(name, "must be a whole number")
	}
	return n, nil
}

// sessionFromForm reads the session form, naming every field in error.
func sessionFromForm(f *Form, m *concord.Meeting) (*concord.Session, error) {
	s := &concord.Session{Title: f.Get("title"), Description: f.Get("description"), Type: f.Get("type"),
		Subtheme: strings.TrimSpace(f.Get("subtheme")), Needs: f.Values["needs"], Language: strings.TrimSpace(f.Get("language")),
		Series: f.Get("series"), PinDay: -1, PinSlot: -1}
	var ps []*concord.Error
	fail := func(err error) {
		ps = append(ps, concord.Problems(err)...)
	}
	var err error
	if s.Duration, err = atoiField(f, "duration", 1); err != nil {
		fail(err)
	}
	if s.Attendance, err = atoiField(f, "attendance", 0); err != nil {
		fail(err)
	}
	for _, x := range strings.FieldsFunc(f.Get("people"), func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil || id <= 0 {
			fail(concord.FieldError("people", "%q is not a person number", x))
			break
		}
		s.People = append(s.People, id)
	}
	if s.Available, err = concord.ParseTimeRanges(f.Get("available"), m, "available"); err != nil {
		fail(err)
	}
	if s.Preferred, err = concord.ParseTimeRanges(f.Get("preferred"), m, "preferred"); err != nil {
		fail(err)
	}
	if len(ps) > 0 {
		return nil, concord.Invalid(ps)
	}
	return s, nil
}

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "sessions", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		s, err := sessionFromForm(f, md.Meeting)
		if err != nil {
			return "", err
		}
		return "Session added.", h.s.DB.CreateSession(r.Context(), md.Meeting, s)
	})
}

// saveTypeLimits sets how many sessions of each type may run at once.
func (h *Handler) saveTypeLimits(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "limits", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		limits := map[string]int{}
		var ps []*concord.Error
		for _, t := range concord.SessionTypes {
			v := strings.TrimSpace(f.Get("limit." + t))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				ps = append(ps, concord.FieldError("limit."+t, "must be a whole number, or empty for no limit"))
				continue
			}
			limits[t] = n
		}
		if len(ps) > 0 {
			return "", concord.Invalid(ps)
		}
		return "Limits saved.", h.s.DB.SetTypeLimits(r.Context(), md.Meeting, limits)
	})
}

func (h *Handler) sessionsFromProposals(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "sessions", func(_ *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		_, err := h.s.DB.SessionsFromProposals(r.Context(), md.Meeting)
		return "The accepted proposals are in the programme.", err
	})
}

func (h *Handler) solveMeeting(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "solve", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		seed, err := strconv.ParseUint(strings.TrimSpace(f.Get("seed")), 10, 64)
		if err != nil {
			return "", concord.FieldError("seed", "must be a whole number of at least 0")
		}
		iters, err := strconv.ParseInt(strings.TrimSpace(f.Get("iterations")), 10, 64)
		if strings.TrimSpace(f.Get("iterations")) == "" {
			iters, err = 0, nil
		}
		if err != nil || iters < 0 || iters > sqlstore.MaxIterations {
			return "", concord.FieldError("iterations", "must be a whole number from 1 to %d", sqlstore.MaxIterations)
		}
		_, err = h.s.DB.SolveMeeting(r.Context(), md, seed, iters)
		return "Timetable solved; review it below before publishing.", err
	})
}

func (h *Handler) publishMeeting(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "solve", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		_, err := h.s.DB.PublishDraft(r.Context(), md, actor(r))
		return "Timetable published.", err
	})
}

func actor(r *http.Request) string {
	v := server.ViewerFrom(r.Context())
	return fmt.Sprintf("%s (account %d)", v.Account.Name, v.Account.ID)
}

// editMeeting checks, saves or pins a move or swap of the published timetable.
func (h *Handler) editMeeting(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	_, md, err := h.meetingState(r)
	if err == nil && md == nil {
		err = concord.Errorf(concord.EINVALID, "Save the meeting's settings first.")
	}
	var e sqlstore.Edit
	if err == nil {
		err = parseEdit(f, &e)
	}
	var vs []timetable.Violation
	action := f.Get("action")
	if err == nil {
		switch action {
		case "check":
			_, vs, err = md.CheckEdit(e)
		case "save":
			vs, err = h.s.DB.ApplyEdit(r.Context(), md, e, actor(r))
		case "pin", "unpin":
			day, slot, room := e.Day, e.Slot, e.RoomID
			if action == "unpin" {
				day, slot, room = -1, -1, 0
			}
			err = h.s.DB.SetPin(r.Context(), md.Meeting, e.SessionID, day, slot, room)
		default:
			err = concord.FieldError("action", "choose check, save, pin or unpin")
		}
	}
	if err != nil {
		switch concord.ErrorCode(err) {
		case concord.EINVALID, concord.ECONFLICT, concord.ENOTFOUND:
			if !f.Fail(err) {
				f.Errors["form"] = concord.ErrorMessage(err)
				f.Order = append(f.Order, "form")
			}
			h.renderMeeting(w, r, http.StatusUnprocessableEntity, f, "edit", vs)
		default:
			h.fail(w, r, err)
		}
		return
	}
	if action == "check" {
		h.renderMeeting(w, r, http.StatusOK, f, "edit", vs)
		return
	}
	msg := map[string]string{"save": "Timetable edited and published.", "pin": "Session pinned.", "unpin": "Pin removed."}[action]
	if action == "save" && len(vs) > 0 {
		msg = "Timetable edited and published; the change adds soft violations."
	}
	h.flash(r, msg)
	h.redirect(w, r, "/forums/"+server.ViewerFrom(r.Context()).Forum.Slug+"/meeting#edit")
}

func parseEdit(f *Form, e *sqlstore.Edit) error {
	var ps []*concord.Error
	num := func(name string, min int64) int64 {
		s := strings.TrimSpace(f.Get(name))
		if s == "" && min == 0 {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < min {
			ps = append(ps, concord.FieldError(name, "must be a whole number of at least %d", min))
		}
		return n
	}
	e.SessionID = num("session", 1)
	e.SwapWith = num("swap", 0)
	if e.SwapWith == 0 {
		e.Day = int(num("day", 1)) - 1
		e.Slot = int(num("slot", 1)) - 1
		e.RoomID = num("room", 1)
	}
	return concord.Invalid(ps)
}

// Editing and deleting sessions and rooms. An edit of something the
// published timetable uses is checked first: the page lists the conflicts
// it would create, and saving then needs a second, confirming press.

type sessionEditPage struct {
	Page
	Forum     *concord.Forum
	Meeting   *concord.Meeting
	Session   *concord.Session
	Item      *scheduleItem // its place in the published timetable, if any
	Form      *Form
	Types     []string
	Needs     []string
	Conflicts []timetable.Violation
	Checked   bool   // a check found no conflict
	Confirm   string // what the form carries to save despite Conflicts
	Stars     int
}

type roomEditPage struct {
	Page
	Forum     *concord.Forum
	Meeting   *concord.Meeting
	Room      *concord.MeetingRoom
	Form      *Form
	Conflicts []timetable.Violation
	Checked   bool
	Confirm   string
	Placed    int // sessions the published timetable has in the room
}

type sessionListPage struct {
	Page
	Forum    *concord.Forum
	Meeting  *concord.Meeting
	Sessions []sessionRow
}

type sessionRow struct {
	Session *concord.Session
	Item    *scheduleItem
}

// meetingData loads the current meeting with everything the solver reads;
// a forum without one has nothing to edit.
func (h *Handler) meetingData(r *http.Request) (*sqlstore.MeetingData, error) {
	md, err := h.loadMeeting(r, h.s.DB.LoadMeeting)
	if err == nil && md == nil {
		err = concord.Errorf(concord.ENOTFOUND, "This forum has no annual meeting yet.")
	}
	return md, err
}

// conflictDigest names a list of conflicts, so a confirming save can prove
// it was shown exactly these.
func conflictDigest(vs []timetable.Violation) string {
	if len(vs) == 0 {
		return ""
	}
	sum := sha256.New()
	for _, v := range vs {
		fmt.Fprintf(sum, "%s\x00%s\x00", v.Kind, v.Message)
	}
	return hex.EncodeToString(sum.Sum(nil)[:12])
}

func (h *Handler) meetingSessions(w http.ResponseWriter, r *http.Request) {
	md, err := h.meetingData(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := sessionListPage{Page: h.page(r, "Sessions"), Forum: server.ViewerFrom(r.Context()).Forum, Meeting: md.Meeting}
	placed := map[int64]*scheduleItem{}
	for _, it := range items(md, nil, nil) {
		placed[it.Session.ID] = it
	}
	for _, s := range md.Sessions {
		p.Sessions = append(p.Sessions, sessionRow{s, placed[s.ID]})
	}
	h.render(w, r, http.StatusOK, "meeting_sessions.html", p)
}

// sessionValues fills the session form from a stored session.
func sessionValues(s *concord.Session, m *concord.Meeting) url.Values {
	v := url.Values{"title": {s.Title}, "description": {s.Description}, "type": {s.Type}, "subtheme": {s.Subtheme},
		"duration": {strconv.Itoa(s.Duration)}, "attendance": {strconv.Itoa(s.Attendance)}, "language": {s.Language},
		"series": {s.Series}, "needs": s.Needs, "available": {concord.FormatTimeRanges(s.Available, m)},
		"preferred": {concord.FormatTimeRanges(s.Preferred, m)}}
	var people []string
	for _, id := range s.People {
		people = append(people, strconv.FormatInt(id, 10))
	}
	v.Set("people", strings.Join(people, ", "))
	return v
}

func (h *Handler) editSessionPage(w http.ResponseWriter, r *http.Request) {
	md, err := h.meetingData(r)
	var s *concord.Session
	if err == nil {
		s, err = h.meetingSession(r, md)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderSessionEdit(w, r, http.StatusOK, md, s, newForm(sessionValues(s, md.Meeting)), nil, false)
}

func (h *Handler) meetingSession(r *http.Request, md *sqlstore.MeetingData) (*concord.Session, error) {
	id, err := parseID(r, "id")
	if err != nil {
		return nil, err
	}
	if s := md.SessionByID(id); s != nil {
		return s, nil
	}
	return nil, concord.Errorf(concord.ENOTFOUND, "There is no session %d.", id)
}

func (h *Handler) renderSessionEdit(w http.ResponseWriter, r *http.Request, status int, md *sqlstore.MeetingData, s *concord.Session,
	f *Form, conflicts []timetable.Violation, checked bool) {
	p := sessionEditPage{Page: h.page(r, "Edit a session"), Forum: server.ViewerFrom(r.Context()).Forum, Meeting: md.Meeting,
		Session: s, Form: f, Types: concord.SessionTypes, Needs: concord.Needs, Conflicts: conflicts,
		Checked: checked && len(conflicts) == 0, Confirm: conflictDigest(conflicts)}
	for _, it := range items(md, nil, nil) {
		if it.Session.ID == s.ID {
			p.Item = it
		}
	}
	var err error
	if p.Stars, err = h.s.DB.StarCount(r.Context(), s.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "meeting_session_edit.html", p)
}

// formProblem shows err on the form when it is about the input or a
// conflict; it returns false for any other error.
func formProblem(f *Form, err error) bool {
	switch concord.ErrorCode(err) {
	case concord.EINVALID:
		if f.Fail(err) {
			return true
		}
	case concord.ECONFLICT:
	default:
		return false
	}
	f.Errors["form"] = concord.ErrorMessage(err)
	f.Order = append(f.Order, "form")
	return true
}

// updateSession checks or saves an edited session.
func (h *Handler) updateSession(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	md, err := h.meetingData(r)
	var old *concord.Session
	if err == nil {
		old, err = h.meetingSession(r, md)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	s, err := sessionFromForm(f, md.Meeting)
	var conflicts []timetable.Violation
	if err == nil {
		s.ID, s.MeetingID, s.ProposalID = old.ID, old.MeetingID, old.ProposalID
		s.PinDay, s.PinSlot, s.PinRoom = old.PinDay, old.PinSlot, old.PinRoom
		err = s.Validate()
	}
	if err == nil {
		conflicts, err = md.Conflicts(md.WithSession(s))
	}
	if err == nil && f.Get("action") != "check" && conflictDigest(conflicts) != f.Get("confirm") {
		err = concord.Errorf(concord.ECONFLICT, "Not saved: this change creates the conflicts listed below. Save again to confirm it.")
	}
	if err == nil && f.Get("action") == "check" {
		h.renderSessionEdit(w, r, http.StatusOK, md, old, f, conflicts, true)
		return
	}
	if err == nil {
		err = h.s.DB.UpdateSession(r.Context(), md.Meeting, s)
	}
	if err != nil {
		if formProblem(f, err) {
			h.renderSessionEdit(w, r, http.StatusUnprocessableEntity, md, old, f, conflicts, false)
		} else {
			h.fail(w, r, err)
		}
		return
	}
	msg := "Session saved."
	if len(conflicts) > 0 {
		msg = "Session saved. The published timetable now has the conflicts shown; solve and publish again to resolve them."
	}
	h.flash(r, msg)
	h.redirect(w, r, fmt.Sprintf("/forums/%s/meeting/sessions/%d", server.ViewerFrom(r.Context()).Forum.Slug, s.ID))
}

func (h *Handler) deleteSession(w http.ResponseWriter, r *http.Request) {
	md, err := h.meetingData(r)
	var s *concord.Session
	if err == nil {
		s, err = h.meetingSession(r, md)
	}
	if err == nil {
		err = h.s.DB.DeleteSession(r.Context(), md, s.ID, actor(r))
	}
	if err != nil {
		if s == nil {
			h.fail(w, r, err)
			return
		}
		if f := newForm(sessionValues(s, md.Meeting)); formProblem(f, err) {
			h.renderSessionEdit(w, r, http.StatusConflict, md, s, f, nil, false)
		} else {
			h.fail(w, r, err)
		}
		return
	}
	h.flash(r, "Session deleted.")
	h.redirect(w, r, "/forums/"+server.ViewerFrom(r.Context()).Forum.Slug+"/meeting/sessions")
}

func (h *Handler) meetingRoom(r *http.Request, md *sqlstore.MeetingData) (*concord.MeetingRoom, error) {
	id, err := parseID(r, "id")
	if err != nil {
		return nil, err
	}
	if room := md.Room(id); room != nil {
		return room, nil
	}
	return nil, concord.Errorf(concord.ENOTFOUND, "There is no room %d.", id)
}

func roomValues(room *concord.MeetingRoom) url.Values {
	v := url.Values{"name": {room.Name}, "capacity": {strconv.Itoa(room.Capacity)}, "languages": {strings.Join(room.Languages, " ")}}
	if room.Hybrid {
		v.Set("hybrid", "1")
	}
	if room.Captioning {
		v.Set("captioning", "1")
	}
	return v
}

// roomFromForm reads the room form.
func roomFromForm(f *Form, meetingID int64) (*concord.MeetingRoom, error) {
	capacity, err := strconv.Atoi(strings.TrimSpace(f.Get("capacity")))
	if err != nil {
		return nil, concord.FieldError("capacity", "must be a whole number")
	}
	room := &concord.MeetingRoom{MeetingID: meetingID, Name: f.Get("name"), Capacity: capacity,
		Hybrid: f.Get("hybrid") != "", Captioning: f.Get("captioning") != "", Languages: languages(f.Get("languages"))}
	return room, room.Validate()
}

func (h *Handler) renderRoomEdit(w http.ResponseWriter, r *http.Request, status int, md *sqlstore.MeetingData, room *concord.MeetingRoom,
	f *Form, conflicts []timetable.Violation, checked bool) {
	p := roomEditPage{Page: h.page(r, "Edit a room"), Forum: server.ViewerFrom(r.Context()).Forum, Meeting: md.Meeting, Room: room,
		Form: f, Conflicts: conflicts, Checked: checked && len(conflicts) == 0, Confirm: conflictDigest(conflicts)}
	for _, pl := range md.Placements {
		if pl.RoomID == room.ID {
			p.Placed++
		}
	}
	h.render(w, r, status, "meeting_room.html", p)
}

func (h *Handler) editRoomPage(w http.ResponseWriter, r *http.Request) {
	md, err := h.meetingData(r)
	var room *concord.MeetingRoom
	if err == nil {
		room, err = h.meetingRoom(r, md)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderRoomEdit(w, r, http.StatusOK, md, room, newForm(roomValues(room)), nil, false)
}

// updateRoom checks or saves an edited room.
func (h *Handler) updateRoom(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	md, err := h.meetingData(r)
	var old *concord.MeetingRoom
	if err == nil {
		old, err = h.meetingRoom(r, md)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	room, err := roomFromForm(f, md.Meeting.ID)
	var conflicts []timetable.Violation
	if err == nil {
		room.ID = old.ID
		conflicts, err = md.Conflicts(md.WithRoom(room))
	}
	if err == nil && f.Get("action") == "check" {
		h.renderRoomEdit(w, r, http.StatusOK, md, old, f, conflicts, true)
		return
	}
	if err == nil && conflictDigest(conflicts) != f.Get("confirm") {
		err = concord.Errorf(concord.ECONFLICT, "Not saved: this change creates the conflicts listed below. Save again to confirm it.")
	}
	if err == nil {
		err = h.s.DB.UpdateRoom(r.Context(), room)
	}
	if err != nil {
		if formProblem(f, err) {
			h.renderRoomEdit(w, r, http.StatusUnprocessableEntity, md, old, f, conflicts, false)
		} else {
			h.fail(w, r, err)
		}
		return
	}
	h.flash(r, "Room saved.")
	h.redirect(w, r, "/forums/"+server.ViewerFrom(r.Context()).Forum.Slug+"/meeting#rooms")
}

// deleteRoom removes an unused room; one the timetable or a pin uses is
// refused with the sessions named.
func (h *Handler) deleteRoom(w http.ResponseWriter, r *http.Request) {
	md, err := h.meetingData(r)
	var room *concord.MeetingRoom
	if err == nil {
		room, err = h.meetingRoom(r, md)
	}
	if err == nil {
		err = h.s.DB.DeleteRoom(r.Context(), md.Meeting.ID, room.ID)
	}
	if err != nil {
		f := newForm(nil)
		if room != nil {
			f = newForm(roomValues(room))
		}
		if room != nil && formProblem(f, err) {
			h.renderRoomEdit(w, r, http.StatusConflict, md, room, f, nil, false)
		} else {
			h.fail(w, r, err)
		}
		return
	}
	h.flash(r, "Room deleted.")
	h.redirect(w, r, "/forums/"+server.ViewerFrom(r.Context()).Forum.Slug+"/meeting#rooms")
}
