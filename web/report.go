package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// sessionReportPage shows a session's reports, and the forms to file them to the
// session's people and the secretariat once the session has ended.
type sessionReportPage struct {
	Page
	Forum             *concord.Forum
	Session           *concord.Session
	Ends              time.Time
	Ended             bool
	CanFile           bool
	Short             *concord.SessionReport
	Long              *concord.SessionReport
	ShortDue, LongDue time.Time
	// One form per kind, holding submitted values and errors.
	ShortForm, LongForm *Form
}

// formView pairs a page with one of its several forms, for the "errors"
// partial.
type formView struct {
	Page
	Form *Form
}

// With returns the page with f as its form.
func (p *sessionReportPage) With(f *Form) formView { return formView{p.Page, f} }

// reportState loads a session's reports and what the viewer may do.
func (h *Handler) reportState(r *http.Request) (*sessionReportPage, *sqlstore.ReportSession, int64, error) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	rs, err := forumRecord(r, h.s.DB.ReportSession)
	if err != nil {
		return nil, nil, 0, err
	}
	reps, err := h.s.DB.SessionReports(ctx, rs.Session.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	rules, err := h.s.DB.ForumRules(ctx, v.Forum.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	p := &sessionReportPage{Page: h.page(r, "Session reports"), Forum: v.Forum, Session: rs.Session, Ends: rs.Ends,
		Ended: rs.Ended(h.s.DB.Now())}
	p.Title = p.T("Reports: {{.A0}}", rs.Session.Title)
	for _, rep := range reps {
		if rep.Kind == concord.ShortReport {
			p.Short = rep
		} else {
			p.Long = rep
		}
	}
	if !rs.Ends.IsZero() {
		p.ShortDue, p.LongDue = rules.Reports.Due(concord.ShortReport, rs.Ends), rules.Reports.Due(concord.LongReport, rs.Ends)
	}
	var me int64
	if person, err := h.s.Me(ctx); err != nil {
		return nil, nil, 0, err
	} else if person != nil {
		me = person.ID
	}
	p.CanFile = rs.CanFile(me, v.Can(concord.RoleSecretariat), h.s.DB.Now())
	p.ShortForm, p.LongForm = reportForm(p.Short), reportForm(p.Long)
	return p, rs, me, nil
}

// reportForm fills a form from a filed report, or leaves it empty.
func reportForm(rep *concord.SessionReport) *Form {
	f := newForm(map[string][]string{})
	if rep == nil {
		return f
	}
	for i, x := range rep.Takeaways {
		f.Values.Set(fmt.Sprintf("takeaway%d", i+1), x)
	}
	for i, x := range rep.CallsToAction {
		f.Values.Set(fmt.Sprintf("action%d", i+1), x)
	}
	f.Values.Set("discussion", rep.Discussion)
	f.Values.Set("gender_discussion", rep.GenderDiscussion)
	if rep.Kind == concord.LongReport {
		f.Values.Set("participants_onsite", strconv.Itoa(rep.ParticipantsOn))
		f.Values.Set("participants_online", strconv.Itoa(rep.ParticipantsOff))
		f.Values.Set("women", strconv.Itoa(rep.Women))
	}
	return f
}

func (h *Handler) sessionReport(w http.ResponseWriter, r *http.Request) {
	p, _, _, err := h.reportState(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "report_session.html", p)
}

// fileReport stores the short or long report of a session.
func (h *Handler) fileReport(w http.ResponseWriter, r *http.Request) {
	p, rs, me, err := h.reportState(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if !p.CanFile {
		if !p.Ended {
			h.fail(w, r, concord.Errorf(concord.ECONFLICT, "This session has not ended yet, so its reports cannot be filed."))
			return
		}
		h.fail(w, r, concord.Errorf(concord.EFORBIDDEN, "Only the session's organisers, speakers, moderators, rapporteur and the secretariat may file its reports."))
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	rep := &concord.SessionReport{SessionID: rs.Session.ID, Kind: concord.ReportKind(f.Get("kind")), SubmittedBy: me}
	var ps []*concord.Error
	for i := 1; i <= 3; i++ {
		rep.Takeaways = append(rep.Takeaways, f.Get(fmt.Sprintf("takeaway%d", i)))
		rep.CallsToAction = append(rep.CallsToAction, f.Get(fmt.Sprintf("action%d", i)))
	}
	rep.Discussion, rep.GenderDiscussion = f.Get("discussion"), f.Get("gender_discussion")
	if rep.Kind == concord.LongReport {
		f.Int("participants_onsite", &rep.ParticipantsOn, &ps)
		f.Int("participants_online", &rep.ParticipantsOff, &ps)
		f.Int("women", &rep.Women, &ps)
	}
	if err = concord.Invalid(ps); err == nil {
		err = h.s.DB.FileReport(r.Context(), p.Forum.ID, rep)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		if rep.Kind == concord.LongReport {
			p.LongForm = f
		} else {
			p.ShortForm = f
		}
		h.render(w, r, http.StatusUnprocessableEntity, "report_session.html", p)
		return
	}
	if rep.Kind == concord.ShortReport {
		h.flash(r, "Short report saved.")
	} else {
		h.flash(r, "Long report saved.")
	}
	h.redirect(w, r, r.URL.Path)
}

// reportsPage is the secretariat's view of every session's reports.
type reportsPage struct {
	Page
	Forum  *concord.Forum
	Form   *Form // the report deadlines
	Rows   []reportRow
	Charts []Chart
	Owed   []owedRow
	Now    time.Time
}

type reportRow struct {
	ID          int64
	Title       string
	Ends        time.Time
	Short, Long string // a status message ID
}

type owedRow struct {
	concord.OwedReport
	Names []string
}

// reportStatus names where a report stands: filed, filed late, overdue or
// not yet due.
func reportStatus(filed, due, now time.Time) string {
	switch {
	case !filed.IsZero() && filed.After(due):
		return "report.late"
	case !filed.IsZero():
		return "report.filed"
	case now.After(due):
		return "report.overdue"
	default:
		return "report.pending"
	}
}

var reportStatuses = []string{"report.filed", "report.late", "report.overdue", "report.pending"}

func (h *Handler) meetingReports(w http.ResponseWriter, r *http.Request) {
	h.renderMeetingReports(w, r, http.StatusOK, nil)
}

func (h *Handler) renderMeetingReports(w http.ResponseWriter, r *http.Request, status int, form *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	m, err := h.s.DB.CurrentMeeting(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	states, err := h.s.DB.MeetingReports(ctx, v.Forum.ID, m.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	owed, err := h.s.DB.OwedReports(ctx, v.Forum.ID, m.Year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := reportsPage{Page: h.page(r, "Session reports"), Forum: v.Forum, Now: h.s.DB.Now(), Form: form}
	if form == nil {
		rules, err := h.s.DB.ForumRules(ctx, v.Forum.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p.Form = newForm(map[string][]string{"short_hours": {strconv.Itoa(rules.Reports.ShortHours)}, "long_days": {strconv.Itoa(rules.Reports.LongDays)}})
	}
	counts := map[concord.ReportKind]map[string]int{concord.ShortReport: {}, concord.LongReport: {}}
	for _, st := range states {
		row := reportRow{ID: st.SessionID, Title: st.Title, Ends: st.Ends,
			Short: reportStatus(st.Filed[concord.ShortReport], st.Due[concord.ShortReport], p.Now),
			Long:  reportStatus(st.Filed[concord.LongReport], st.Due[concord.LongReport], p.Now)}
		counts[concord.ShortReport][row.Short]++
		counts[concord.LongReport][row.Long]++
		p.Rows = append(p.Rows, row)
	}
	for _, k := range concord.ReportKinds {
		var cs []sqlstore.Count
		for _, s := range reportStatuses {
			cs = append(cs, sqlstore.Count{Key: s, N: counts[k][s]})
		}
		title := p.T("Short reports")
		if k == concord.LongReport {
			title = p.T("Long reports")
		}
		c := NewChart("reports-"+string(k), title, cs, func(key string) string { return p.T(key) })
		c.Cols = [3]string{p.T("Status"), p.T("Count"), p.T("Share")}
		c.Desc = p.T("{{.A0}} in all", c.Total)
		p.Charts = append(p.Charts, c)
	}
	var ids []int64
	for _, o := range owed {
		ids = append(ids, o.People...)
	}
	names, err := h.s.DB.PeopleNames(ctx, v.Forum.ID, ids)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range owed {
		row := owedRow{OwedReport: o}
		for _, id := range o.People {
			row.Names = append(row.Names, names[id])
		}
		p.Owed = append(p.Owed, row)
	}
	h.render(w, r, status, "reports_meeting.html", p)
}

// saveReportRules sets when the forum's session reports fall due.
func (h *Handler) saveReportRules(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	r.ParseForm()
	f := newForm(r.PostForm)
	rules, err := h.s.DB.ForumRules(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var ps []*concord.Error
	f.Int("short_hours", &rules.Reports.ShortHours, &ps)
	f.Int("long_days", &rules.Reports.LongDays, &ps)
	if err = concord.Invalid(ps); err == nil {
		err = h.s.DB.SaveForumRules(ctx, v.Forum.ID, rules)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderMeetingReports(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Report deadlines saved.")
	h.redirect(w, r, "/forums/"+v.Forum.Slug+"/meeting/reports")
}

// reportMarkdown writes a session's reports as a Markdown document, for
// people who collect the reports into the meeting's outputs.
func reportMarkdown(b *bytes.Buffer, title, url string, reps []*concord.SessionReport) {
	line := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	fmt.Fprintf(b, "# %s\n\n<%s>\n", line(title), url)
	for _, rep := range reps {
		filed := "Filed " + rep.Submitted.UTC().Format("2006-01-02 15:04 UTC")
		if rep.Late() {
			filed += ", after the deadline of " + rep.Due.UTC().Format("2006-01-02 15:04 UTC")
		}
		if rep.Kind == concord.ShortReport {
			fmt.Fprintf(b, "\n## Short report\n\n%s.\n\n### Key takeaways\n\n", filed)
			for i, x := range rep.Takeaways {
				fmt.Fprintf(b, "%d. %s\n", i+1, line(x))
			}
			if len(rep.CallsToAction) > 0 {
				b.WriteString("\n### Calls to action\n\n")
				for i, x := range rep.CallsToAction {
					fmt.Fprintf(b, "%d. %s\n", i+1, line(x))
				}
			}
			continue
		}
		fmt.Fprintf(b, "\n## Long report\n\n%s.\n\n%s\n\n### Participation and gender report card\n\n", filed, strings.TrimSpace(rep.Discussion))
		fmt.Fprintf(b, "- Participants onsite: %d\n- Participants online: %d\n- Women among participants: %d\n", rep.ParticipantsOn, rep.ParticipantsOff, rep.Women)
		if rep.GenderDiscussion != "" {
			fmt.Fprintf(b, "- How the session discussed gender: %s\n", line(rep.GenderDiscussion))
		}
	}
	if len(reps) == 0 {
		b.WriteString("\nNo report has been filed yet.\n")
	}
}

// sessionReportMarkdown serves one session's reports as Markdown.
func (h *Handler) sessionReportMarkdown(w http.ResponseWriter, r *http.Request) {
	rs, err := forumRecord(r, h.s.DB.ReportSession)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	reps, err := h.s.DB.SessionReports(r.Context(), rs.Session.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	var b bytes.Buffer
	reportMarkdown(&b, rs.Session.Title, h.sessionURL(f, rs.Session.ID), reps)
	serveExport(w, r, "text/markdown; charset=utf-8", fmt.Sprintf("%s-session-%d-reports.md", f.Slug, rs.Session.ID), b.Bytes())
}

// reportsCSV serves every filed report of the meeting as open data, a row
// per report.
func (h *Handler) reportsCSV(w http.ResponseWriter, r *http.Request) {
	md := h.published(w, r)
	if md == nil {
		return
	}
	reps, err := h.s.DB.MeetingSessionReports(r.Context(), md.Meeting.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := server.ViewerFrom(r.Context()).Forum
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"session_id", "session_title", "kind", "filed_utc", "due_utc", "late", "takeaways", "calls_to_action",
		"discussion", "participants_onsite", "participants_online", "women", "gender_discussion", "url"})
	for _, rep := range reps {
		s := md.SessionByID(rep.SessionID)
		if s == nil {
			continue
		}
		long := rep.Kind == concord.LongReport
		num := func(n int) string {
			if !long {
				return ""
			}
			return strconv.Itoa(n)
		}
		cw.Write([]string{strconv.FormatInt(s.ID, 10), concord.SafeCell(s.Title), string(rep.Kind),
			rep.Submitted.UTC().Format(time.RFC3339), rep.Due.UTC().Format(time.RFC3339), strconv.FormatBool(rep.Late()),
			concord.SafeCell(strings.Join(rep.Takeaways, " | ")), concord.SafeCell(strings.Join(rep.CallsToAction, " | ")),
			concord.SafeCell(rep.Discussion), num(rep.ParticipantsOn), num(rep.ParticipantsOff), num(rep.Women),
			concord.SafeCell(rep.GenderDiscussion), h.sessionURL(f, s.ID) + "/report"})
	}
	cw.Flush()
	serveExport(w, r, "text/csv; charset=utf-8", f.Slug+"-session-reports.csv", b.Bytes())
}
