package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// Session reports: anyone reads them; the session's people, the linked
// proposal's proposer, organisers and rapporteur, and the secretariat file
// them once the session has ended, as on the web. The store sets the due
// dates from the forum's rules and marks late filings.

// Report statuses. A session not in the published timetable has no due
// date yet.
const (
	statusFiled       = "filed"
	statusLate        = "late"
	statusOverdue     = "overdue"
	statusPending     = "pending"
	statusUnscheduled = "unscheduled"
)

// reportStatus names where a report stands at now.
func reportStatus(filed, due, now time.Time) string {
	switch {
	case due.IsZero():
		return statusUnscheduled
	case !filed.IsZero() && filed.After(due):
		return statusLate
	case !filed.IsZero():
		return statusFiled
	case now.After(due):
		return statusOverdue
	}
	return statusPending
}

// sessionReportJSON is one kind of a session's report: its deadline and,
// once filed, its text. Short reports carry takeaways and calls to action,
// long ones the discussion, participation and gender report card.
type sessionReportJSON struct {
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	DueAt       *time.Time `json:"due_at"`
	Filed       bool       `json:"filed"`
	Late        bool       `json:"late"`
	SubmittedAt *time.Time `json:"submitted_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
	SubmittedBy string     `json:"submitted_by"`

	Takeaways          []string `json:"takeaways,omitempty"`
	CallsToAction      []string `json:"calls_to_action,omitempty"`
	Discussion         *string  `json:"discussion,omitempty"`
	ParticipantsOnsite *int     `json:"participants_onsite,omitempty"`
	ParticipantsOnline *int     `json:"participants_online,omitempty"`
	Women              *int     `json:"women,omitempty"`
	GenderDiscussion   *string  `json:"gender_discussion,omitempty"`
}

type sessionReportsJSON struct {
	SessionID int64             `json:"session_id"`
	Title     string            `json:"title"`
	Year      int               `json:"year"`
	EndsAt    *time.Time        `json:"ends_at"`
	Ended     bool              `json:"ended"`
	CanFile   bool              `json:"can_file"`
	Short     sessionReportJSON `json:"short"`
	Long      sessionReportJSON `json:"long"`
}

// newSessionReportJSON shows the report of kind, rep when filed. A filed
// report keeps the due date it was filed against.
func newSessionReportJSON(kind concord.ReportKind, rep *concord.SessionReport, due, now time.Time) sessionReportJSON {
	out := sessionReportJSON{Kind: string(kind), DueAt: optTime(due)}
	if rep == nil {
		out.Status = reportStatus(time.Time{}, due, now)
		return out
	}
	out.Status = reportStatus(rep.Submitted, rep.Due, now)
	out.DueAt, out.Filed, out.Late = optTime(rep.Due), true, rep.Late()
	out.SubmittedAt, out.UpdatedAt, out.SubmittedBy = optTime(rep.Submitted), optTime(rep.Updated), rep.SubmittedByName
	if kind == concord.ShortReport {
		out.Takeaways, out.CallsToAction = nonNilStrings(rep.Takeaways), nonNilStrings(rep.CallsToAction)
		return out
	}
	out.Discussion, out.GenderDiscussion = &rep.Discussion, &rep.GenderDiscussion
	out.ParticipantsOnsite, out.ParticipantsOnline, out.Women = &rep.ParticipantsOn, &rep.ParticipantsOff, &rep.Women
	return out
}

// reportSession is the {id} session of the viewer's forum with what the
// viewer may do: file once it has ended, if an author or the secretariat.
// me is the viewer's registry person, 0 if none.
func (e *endpoints) reportSession(r *http.Request) (rs *sqlstore.ReportSession, ended, canFile bool, me int64, err error) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := pathID(r, "id", "session")
	if err != nil {
		return nil, false, false, 0, err
	}
	if rs, err = e.s.DB.ReportSession(ctx, v.Forum.ID, id); err != nil {
		return nil, false, false, 0, err
	}
	if p, err := e.s.Me(ctx); err != nil {
		return nil, false, false, 0, err
	} else if p != nil {
		me = p.ID
	}
	now := e.s.DB.Now()
	ended, canFile = rs.Ended(now), rs.CanFile(me, v.Can(concord.RoleSecretariat), now)
	return rs, ended, canFile, me, nil
}

// respondSessionReports answers with the session's two reports.
func (e *endpoints) respondSessionReports(w http.ResponseWriter, r *http.Request, rs *sqlstore.ReportSession, ended, canFile bool) {
	ctx := r.Context()
	reps, err := e.s.DB.SessionReports(ctx, rs.Session.ID)
	var rules concord.ForumRules
	if err == nil {
		rules, err = e.s.DB.ForumRules(ctx, server.ViewerFrom(ctx).Forum.ID)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	now := e.s.DB.Now()
	out := sessionReportsJSON{SessionID: rs.Session.ID, Title: rs.Session.Title, Year: rs.Year, EndsAt: optTime(rs.Ends),
		Ended: ended, CanFile: canFile}
	for _, kind := range concord.ReportKinds {
		var due time.Time
		if !rs.Ends.IsZero() {
			due = rules.Reports.Due(kind, rs.Ends)
		}
		var rep *concord.SessionReport
		if i := slices.IndexFunc(reps, func(x *concord.SessionReport) bool { return x.Kind == kind }); i >= 0 {
			rep = reps[i]
		}
		if kind == concord.ShortReport {
			out.Short = newSessionReportJSON(kind, rep, due, now)
		} else {
			out.Long = newSessionReportJSON(kind, rep, due, now)
		}
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (e *endpoints) sessionReports(w http.ResponseWriter, r *http.Request) {
	rs, ended, canFile, _, err := e.reportSession(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.respondSessionReports(w, r, rs, ended, canFile)
}

// fileSessionReport stores the short or long report of a session, as the
// web form does: refused before the session ends (409) and to anyone not
// answerable for it (403); filing again replaces the text.
func (e *endpoints) fileSessionReport(w http.ResponseWriter, r *http.Request) {
	kind := concord.ReportKind(r.PathValue("kind"))
	if !slices.Contains(concord.ReportKinds, kind) {
		e.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no report kind %q: use short or long.", truncate(string(kind))))
		return
	}
	rs, ended, canFile, me, err := e.reportSession(r)
	if err == nil && !canFile {
		if !ended {
			err = concord.Errorf(concord.ECONFLICT, "This session has not ended yet, so its reports cannot be filed.")
		} else {
			err = concord.Errorf(concord.EFORBIDDEN, "Only the session's organisers, speakers, moderators, rapporteur and the secretariat may file its reports.")
		}
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	rep := &concord.SessionReport{SessionID: rs.Session.ID, Kind: kind, SubmittedBy: me}
	var onsite, online, women *int
	fields := []jsonField{
		{"takeaways", &rep.Takeaways, "an array of at most 3 strings"},
		{"calls_to_action", &rep.CallsToAction, "an array of at most 3 strings"},
	}
	if kind == concord.LongReport {
		fields = []jsonField{
			{"discussion", &rep.Discussion, "a string"},
			{"participants_onsite", &onsite, "a whole number"},
			{"participants_online", &online, "a whole number"},
			{"women", &women, "a whole number"},
			{"gender_discussion", &rep.GenderDiscussion, "a string"},
		}
	}
	err = decodeObject(w, r, fields)
	if err == nil && kind == concord.LongReport {
		// Counts are required: a missing one is not a count of zero.
		var ps []*concord.Error
		for _, c := range []struct {
			name string
			n    *int
			to   *int
		}{{"participants_onsite", onsite, &rep.ParticipantsOn}, {"participants_online", online, &rep.ParticipantsOff}, {"women", women, &rep.Women}} {
			if c.n == nil {
				ps = append(ps, concord.FieldError(c.name, "is required: a whole number"))
			} else {
				*c.to = *c.n
			}
		}
		if len(ps) > 0 {
			ps = append(ps, concord.Problems(rep.Validate())...)
			err = concord.Invalid(ps)
		}
	}
	if err == nil {
		err = e.s.DB.FileReport(r.Context(), server.ViewerFrom(r.Context()).Forum.ID, rep)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.respondSessionReports(w, r, rs, ended, canFile)
}

// ---------------------------------------------------------------- overview

type reportStateJSON struct {
	Status  string     `json:"status"`
	DueAt   time.Time  `json:"due_at"`
	FiledAt *time.Time `json:"filed_at"`
}

type sessionReportStateJSON struct {
	SessionID int64           `json:"session_id"`
	Title     string          `json:"title"`
	EndsAt    time.Time       `json:"ends_at"`
	Short     reportStateJSON `json:"short"`
	Long      reportStateJSON `json:"long"`
}

type personRefJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type owedReportJSON struct {
	SessionID    int64           `json:"session_id"`
	SessionTitle string          `json:"session_title"`
	Year         int             `json:"year"`
	Kind         string          `json:"kind"`
	DueAt        time.Time       `json:"due_at"`
	People       []personRefJSON `json:"people"`
}

type meetingReportsJSON struct {
	MeetingID int64                     `json:"meeting_id"`
	Year      int                       `json:"year"`
	Rules     concord.ReportRules       `json:"rules"`
	Counts    map[string]map[string]int `json:"counts"`
	Sessions  []sessionReportStateJSON  `json:"sessions"`
	Owed      []owedReportJSON          `json:"owed"`
}

// meetingReports is the secretariat's overview: every placed session of
// the current meeting with where its reports stand, and the reports still
// owed from earlier cycles with the people answerable for them.
func (e *endpoints) meetingReports(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	m, err := e.s.DB.CurrentMeeting(ctx, v.Forum.ID)
	var states []sqlstore.ReportState
	var owed []concord.OwedReport
	var rules concord.ForumRules
	if err == nil {
		states, err = e.s.DB.MeetingReports(ctx, v.Forum.ID, m.ID)
	}
	if err == nil {
		owed, err = e.s.DB.OwedReports(ctx, v.Forum.ID, m.Year)
	}
	if err == nil {
		rules, err = e.s.DB.ForumRules(ctx, v.Forum.ID)
	}
	var ids []int64
	for _, o := range owed {
		ids = append(ids, o.People...)
	}
	var names map[int64]string
	if err == nil {
		names, err = e.s.DB.PeopleNames(ctx, v.Forum.ID, ids)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	now := e.s.DB.Now()
	out := meetingReportsJSON{MeetingID: m.ID, Year: m.Year, Rules: rules.Reports, Counts: map[string]map[string]int{},
		Sessions: []sessionReportStateJSON{}, Owed: []owedReportJSON{}}
	for _, kind := range concord.ReportKinds {
		out.Counts[string(kind)] = map[string]int{statusFiled: 0, statusLate: 0, statusOverdue: 0, statusPending: 0}
	}
	state := func(st sqlstore.ReportState, kind concord.ReportKind) reportStateJSON {
		s := reportStateJSON{Status: reportStatus(st.Filed[kind], st.Due[kind], now), DueAt: st.Due[kind].UTC(), FiledAt: optTime(st.Filed[kind])}
		out.Counts[string(kind)][s.Status]++
		return s
	}
	for _, st := range states {
		out.Sessions = append(out.Sessions, sessionReportStateJSON{SessionID: st.SessionID, Title: st.Title, EndsAt: st.Ends.UTC(),
			Short: state(st, concord.ShortReport), Long: state(st, concord.LongReport)})
	}
	for _, o := range owed {
		oj := owedReportJSON{SessionID: o.SessionID, SessionTitle: o.SessionTitle, Year: o.Year, Kind: string(o.Kind),
			DueAt: o.Due.UTC(), People: []personRefJSON{}}
		for _, id := range o.People {
			oj.People = append(oj.People, personRefJSON{ID: id, Name: names[id]})
		}
		out.Owed = append(out.Owed, oj)
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// ---------------------------------------------------------------- rules

func (e *endpoints) forumRules(w http.ResponseWriter, r *http.Request) {
	rules, err := e.s.DB.ForumRules(r.Context(), server.ViewerFrom(r.Context()).Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.respondForumRules(w, rules)
}

func (e *endpoints) respondForumRules(w http.ResponseWriter, rules concord.ForumRules) {
	rules.Screening.Types = nonNilStrings(rules.Screening.Types)
	server.WriteJSON(w, http.StatusOK, rules)
}

// saveForumRules replaces the screening defaults, the report deadlines or
// both; members left out of either keep their values. The store validates.
func (e *endpoints) saveForumRules(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	rules, err := e.s.DB.ForumRules(ctx, v.Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var screening, reports json.RawMessage
	if err := decodeObject(w, r, []jsonField{
		{"screening", &screening, "an object of screening rules"},
		{"reports", &reports, "an object with short_hours and long_days"},
	}); err != nil {
		e.fail(w, r, err)
		return
	}
	var ps []*concord.Error
	ps = append(ps, decodeMembers("screening", screening, &rules.Screening)...)
	ps = append(ps, decodeMembers("reports", reports, &rules.Reports)...)
	err = concord.Invalid(ps)
	if err == nil {
		err = e.s.DB.SaveForumRules(ctx, v.Forum.ID, rules)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.respondForumRules(w, rules)
}

// decodeMembers decodes a JSON object onto dst, refusing members dst does
// not have and mistyped ones, each named as "name.member".
func decodeMembers(name string, raw json.RawMessage, dst any) []*concord.Error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if bytes.TrimSpace(raw)[0] != '{' {
		return []*concord.Error{concord.FieldError(name, "must be an object")}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &te):
		return []*concord.Error{concord.FieldError(name+"."+te.Field, "must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		member := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return []*concord.Error{concord.FieldError(truncate(name+"."+member), "is not a known field")}
	}
	return []*concord.Error{concord.FieldError(name, "is not valid: %v", err)}
}

// jsonKind names a Go kind as JSON does.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "a whole number"
	case kind == "bool":
		return "true or false"
	case kind == "slice":
		return "an array"
	case kind == "string":
		return "a string"
	}
	return kind
}
