package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
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
	UTC       string
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
	Local, UTC string
	Break      string
	Cells      []*gridCell // nil: covered by a session above
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

// loadSchedule reads the forum's current meeting; nil data when it has none.
func (h *Handler) loadSchedule(r *http.Request) (*sqlstore.MeetingData, error) {
	v := server.ViewerFrom(r.Context())
	m, err := h.s.DB.CurrentMeeting(r.Context(), v.Forum.ID)
	if concord.ErrorCode(err) == concord.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return h.s.DB.LoadMeeting(r.Context(), m)
}

func span(m *concord.Meeting, a, b time.Time) (local, utc string) {
	loc := m.Location()
	return a.In(loc).Format("15:04") + "–" + b.In(loc).Format("15:04"), a.UTC().Format("15:04") + "–" + b.UTC().Format("15:04")
}

// items lists the placed sessions in start order, with what the pages show.
func items(md *sqlstore.MeetingData, starred map[int64]bool) []*scheduleItem {
	var out []*scheduleItem
	for _, p := range md.Placements {
		s, room := md.SessionByID(p.SessionID), md.Room(p.RoomID)
		if s == nil || room == nil {
			continue
		}
		it := &scheduleItem{Session: s, Room: room, Placement: p, Starred: starred[s.ID], Languages: []string{s.Language}}
		it.Local, it.UTC = span(md.Meeting, p.Start, p.End)
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
	p := schedulePage{Page: h.page(r, "Schedule"), Forum: v.Forum, CanStar: v.Account != nil && v.Can(concord.RoleDelegate)}
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
	all := items(md, starred)
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
		p.Rooms, p.Rows = grid(md, p.Day, p.Items, p.Filter.Room)
	}
	h.render(w, r, http.StatusOK, "meeting_schedule.html", p)
}

// grid lays one day out as periods × rooms; a session spans the rows of
// the periods it lasts.
func grid(md *sqlstore.MeetingData, day int, its []*scheduleItem, onlyRoom int64) ([]*concord.MeetingRoom, []gridRow) {
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
		rows[k].Local, rows[k].UTC = span(md.Meeting, s.Start, s.End)
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
		CanStar: v.Account != nil && v.Can(concord.RoleDelegate)}
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
	for _, it := range items(md, starred) {
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
}

func (h *Handler) agenda(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	md, err := h.loadSchedule(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := agendaPage{Page: h.page(r, "My agenda"), Forum: v.Forum}
	if md != nil {
		p.Meeting = md.Meeting
		starred, err := h.s.DB.Starred(r.Context(), v.Account.ID, md.Meeting.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, it := range items(md, starred) {
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
	for _, it := range items(md, nil) {
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
	for _, it := range items(md, nil) {
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
	if md := h.published(w, r); md != nil {
		f := server.ViewerFrom(r.Context()).Forum
		var b bytes.Buffer
		if err := frab.WriteXML(&b, h.frabSchedule(md, f)); err != nil {
			h.fail(w, r, err)
			return
		}
		serveExport(w, r, "application/xml; charset=utf-8", "", b.Bytes())
	}
}

func (h *Handler) frabJSON(w http.ResponseWriter, r *http.Request) {
	if md := h.published(w, r); md != nil {
		f := server.ViewerFrom(r.Context()).Forum
		var b bytes.Buffer
		if err := frab.WriteJSON(&b, h.frabSchedule(md, f)); err != nil {
			h.fail(w, r, err)
			return
		}
		serveExport(w, r, "application/json; charset=utf-8", "", b.Bytes())
	}
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
	for _, it := range items(md, nil) {
		p := it.Placement
		cw.Write([]string{strconv.FormatInt(it.Session.ID, 10), it.Session.Title, it.Session.Type, it.Session.Subtheme, it.Room.Name,
			p.Start.In(loc).Format("2006-01-02T15:04"), p.End.In(loc).Format("2006-01-02T15:04"),
			p.Start.UTC().Format(time.RFC3339), p.End.UTC().Format(time.RFC3339), md.Meeting.Timezone,
			strings.Join(it.Languages, " "), strings.Join(it.People, "; "), h.sessionURL(f, it.Session.ID)})
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
	PeriodHelp []string
}

// meetingState loads the forum's newest cycle and its meeting (nil if none yet).
func (h *Handler) meetingState(r *http.Request) (*concord.Cycle, *sqlstore.MeetingData, error) {
	v := server.ViewerFrom(r.Context())
	cycles, err := h.s.DB.Cycles(r.Context(), v.Forum.ID)
	if err != nil || len(cycles) == 0 {
		return nil, nil, err
	}
	md, err := h.loadSchedule(r)
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
			p.SoftShown = p.Draft.Soft[:min(len(p.Draft.Soft), 40)]
			p.SoftMore = len(p.Draft.Soft) - len(p.SoftShown)
		}
	}
	if f.Values == nil {
		f.Values = map[string][]string{}
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
	if f.Get("seconds") == "" {
		f.Values.Set("seconds", "5")
	}
	h.render(w, r, status, "meeting.html", p)
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

func (h *Handler) createSession(w http.ResponseWriter, r *http.Request) {
	h.meetingForm(w, r, "sessions", func(f *Form, _ *concord.Cycle, md *sqlstore.MeetingData) (string, error) {
		s := &concord.Session{Title: f.Get("title"), Description: f.Get("description"), Type: f.Get("type"),
			Subtheme: strings.TrimSpace(f.Get("subtheme")), Needs: f.Values["needs"], Language: strings.TrimSpace(f.Get("language")),
			PinDay: -1, PinSlot: -1}
		var err error
		if s.Duration, err = atoiField(f, "duration", 1); err != nil {
			return "", err
		}
		if s.Attendance, err = atoiField(f, "attendance", 0); err != nil {
			return "", err
		}
		for _, x := range strings.FieldsFunc(f.Get("people"), func(r rune) bool { return r == ',' || r == ' ' }) {
			id, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return "", concord.FieldError("people", "%q is not a person number", x)
			}
			s.People = append(s.People, id)
		}
		return "Session added.", h.s.DB.CreateSession(r.Context(), md.Meeting, s)
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
		secs, err := atoiField(f, "seconds", 5)
		if err != nil || secs < 1 || secs > 30 {
			return "", concord.FieldError("seconds", "must be 1 to 30")
		}
		_, err = h.s.DB.SolveMeeting(r.Context(), md, seed, 0, time.Duration(secs)*time.Second)
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
