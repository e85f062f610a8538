package web

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"concord"
	"concord/algo/opinion"
	"concord/export/polis"
	"concord/server"
	"concord/sqlstore"
)

// A consultation's analysis is recomputed only when its version moved: the
// result is cached per database and consultation, and each run starts from
// the previous run's state so that groups stay put.

type analysis struct {
	version int64
	at      time.Time
	res     *opinion.Result // nil: no votes yet
}

type analysisKey struct {
	db *sqlstore.DB
	id int64
}

type analysisSlot struct {
	mu sync.Mutex // one computation at a time per consultation
	a  *analysis
}

var analyses = struct {
	mu    sync.Mutex
	slots map[analysisKey]*analysisSlot
}{slots: map[analysisKey]*analysisSlot{}}

// voteMaxAge is how stale an analysis may be when it only orders the
// statements of the voting page. The report and exports want the latest,
// but while votes pour in they recompute at most every reportMaxAge, so
// that readers do not queue behind one analysis after another.
const (
	voteMaxAge   = 30 * time.Second
	reportMaxAge = 2 * time.Second
)

// analyse returns the analysis of c, recomputing it when c changed since
// the cached one and that one is older than maxAge.
func (h *Handler) analyse(ctx context.Context, c *concord.Consultation, maxAge time.Duration) (*analysis, error) {
	key := analysisKey{h.s.DB, c.ID}
	analyses.mu.Lock()
	slot := analyses.slots[key]
	if slot == nil {
		slot = &analysisSlot{}
		analyses.slots[key] = slot
	}
	analyses.mu.Unlock()
	slot.mu.Lock()
	defer slot.mu.Unlock()
	if a := slot.a; a != nil && (a.version >= c.Version || time.Since(a.at) < maxAge) {
		return a, nil
	}
	in, err := h.analysisInput(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var prior *opinion.State
	if slot.a != nil && slot.a.res != nil {
		prior = &slot.a.res.State
	} else if data, _, err := h.s.DB.AnalysisState(ctx, c.ID); err != nil {
		return nil, err
	} else if data != nil {
		var st opinion.State
		if json.Unmarshal(data, &st) == nil {
			prior = &st
		}
	}
	a := &analysis{version: c.Version, at: time.Now()}
	a.res, err = opinion.Analyse(in, opinion.Options{Seed: uint64(c.ID), Prior: prior})
	if errors.Is(err, opinion.ErrNoVotes) {
		a.res, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if a.res != nil {
		data, err := json.Marshal(a.res.State)
		if err != nil {
			return nil, err
		}
		if err := h.s.DB.SaveAnalysisState(ctx, c.ID, c.Version, data); err != nil {
			return nil, err
		}
	}
	slot.a = a
	return a, nil
}

func (h *Handler) analysisInput(ctx context.Context, id int64) (opinion.Input, error) {
	var in opinion.Input
	votes, err := h.s.DB.ConsultationVotes(ctx, id, false)
	if err != nil {
		return in, err
	}
	ss, err := h.s.DB.ConsultationStatements(ctx, id, false)
	if err != nil {
		return in, err
	}
	ps, err := h.s.DB.ConsultationParticipants(ctx, id)
	if err != nil {
		return in, err
	}
	in.Votes = make([]opinion.Vote, len(votes))
	for i, v := range votes {
		in.Votes[i] = opinion.Vote{Participant: v.Participant, Statement: v.Statement, Value: int8(v.Value)}
	}
	for _, s := range ss {
		in.Statements = append(in.Statements, opinion.Statement{ID: s.Number, ModeratedOut: s.Moderation == concord.Rejected, Meta: s.Meta})
	}
	in.Stakeholders = map[int]string{}
	for _, p := range ps {
		if p.StakeholderGroup != "" {
			in.Stakeholders[p.Number] = p.StakeholderGroup
		}
	}
	return in, nil
}

// consultationFromPath loads the consultation named in the URL, with its
// counts when asked.
func (h *Handler) consultationFromPath(r *http.Request, counts bool) (*concord.Consultation, error) {
	id, err := parseID(r, "id")
	if err != nil {
		return nil, err
	}
	forum := server.ViewerFrom(r.Context()).Forum.ID
	if counts {
		return h.s.DB.Consultation(r.Context(), forum, id)
	}
	return h.s.DB.ConsultationBasics(r.Context(), forum, id)
}

func consultationURL(f *concord.Forum, c *concord.Consultation) string {
	return fmt.Sprintf("/forums/%s/consultations/%d", f.Slug, c.ID)
}

type consultationItem struct {
	*concord.Consultation
	Status concord.ConsultationStatus
}

type consultationsPage struct {
	Page
	Forum         *concord.Forum
	Consultations []consultationItem
}

func (h *Handler) consultations(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	cs, err := h.s.DB.Consultations(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := consultationsPage{Page: h.page(r, "Consultations"), Forum: v.Forum}
	now := h.s.DB.Now()
	for _, c := range cs {
		p.Consultations = append(p.Consultations, consultationItem{c, c.Status(now)})
	}
	h.render(w, r, http.StatusOK, "consultations.html", p)
}

type consultationFormPage struct {
	Page
	Forum *concord.Forum
	Form  *Form
}

func (h *Handler) newConsultationForm(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	now := h.s.DB.Now().Truncate(time.Hour)
	f := newForm(url.Values{"opens_at": {now.Format(formTime)}, "closes_at": {now.AddDate(0, 0, 28).Format(formTime)}})
	h.render(w, r, http.StatusOK, "consultation_new.html", consultationFormPage{h.page(r, "New consultation"), v.Forum, f})
}

// formTime is what <input type="datetime-local"> sends; Concord reads it as UTC.
const formTime = "2006-01-02T15:04"

func parseFormTime(field, s string) (time.Time, *concord.Error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{formTime, "2006-01-02T15:04:05", "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, concord.FieldError(field, "%q is not a date and time such as 2026-06-01T09:00 (UTC)", s)
}

func (h *Handler) createConsultation(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	c := &concord.Consultation{ForumID: v.Forum.ID, Question: f.Get("question"), Description: f.Get("description")}
	var ps []*concord.Error
	var perr *concord.Error
	if c.OpensAt, perr = parseFormTime("opens_at", f.Get("opens_at")); perr != nil {
		ps = append(ps, perr)
	}
	if c.ClosesAt, perr = parseFormTime("closes_at", f.Get("closes_at")); perr != nil {
		ps = append(ps, perr)
	}
	var seeds []string
	for _, line := range strings.Split(f.Get("statements"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			seeds = append(seeds, line)
		}
	}
	err := concord.Invalid(ps)
	if err == nil {
		err = h.s.DB.CreateConsultation(r.Context(), c, seeds)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "consultation_new.html", consultationFormPage{h.page(r, "New consultation"), v.Forum, f})
		return
	}
	h.flash(r, "Consultation created.")
	h.redirect(w, r, consultationURL(v.Forum, c))
}

// consultationEditPage is the secretariat's form for a consultation's
// title, description and closing time, with the button to close it now.
type consultationEditPage struct {
	Page
	Forum  *concord.Forum
	C      *concord.Consultation
	Status concord.ConsultationStatus
	Form   *Form
}

func (h *Handler) renderConsultationEdit(w http.ResponseWriter, r *http.Request, status int, c *concord.Consultation, f *Form) {
	p := consultationEditPage{Page: h.page(r, "Edit consultation"), Forum: server.ViewerFrom(r.Context()).Forum, C: c,
		Status: c.Status(h.s.DB.Now()), Form: f}
	h.render(w, r, status, "consultation_edit.html", p)
}

func (h *Handler) editConsultationForm(w http.ResponseWriter, r *http.Request) {
	c, err := h.consultationFromPath(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(url.Values{"question": {c.Question}, "description": {c.Description}, "closes_at": {c.ClosesAt.Format(formTime)}})
	h.renderConsultationEdit(w, r, http.StatusOK, c, f)
}

// updateConsultation saves the title, description and closing time. A new
// closing time in the past is refused: closing now is its own action, so
// that votes already cast are never cut off after the fact.
func (h *Handler) updateConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := h.consultationFromPath(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	shown := c.ClosesAt.Format(formTime)
	c.Question, c.Description = f.Get("question"), f.Get("description")
	var ps []*concord.Error
	// The form shows minutes: an unchanged value keeps the exact time.
	if strings.TrimSpace(f.Get("closes_at")) != shown {
		closes, perr := parseFormTime("closes_at", f.Get("closes_at"))
		switch {
		case perr != nil:
			ps = append(ps, perr)
		case !closes.IsZero() && closes.Before(h.s.DB.Now()):
			ps = append(ps, concord.FieldError("closes_at", "is in the past; to stop the voting, close the consultation now"))
		}
		c.ClosesAt = closes
	}
	if len(ps) > 0 {
		// Name the other fields' problems too, so one answer lists them all.
		for _, p := range concord.Problems(c.Validate()) {
			if p.Field != "closes_at" {
				ps = append(ps, p)
			}
		}
	}
	err = concord.Invalid(ps)
	if err == nil {
		err = h.s.DB.UpdateConsultation(r.Context(), c)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderConsultationEdit(w, r, http.StatusUnprocessableEntity, c, f)
		return
	}
	h.flash(r, "Consultation saved.")
	h.redirect(w, r, consultationURL(server.ViewerFrom(r.Context()).Forum, c))
}

// closeConsultation ends an open consultation's voting now; its report
// stays public.
func (h *Handler) closeConsultation(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	var c *concord.Consultation
	if err == nil {
		c, err = h.s.DB.CloseConsultation(r.Context(), v.Forum.ID, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Consultation closed: it takes no more votes or statements.")
	h.redirect(w, r, consultationURL(v.Forum, c))
}

// anonKeySession holds the key of a visitor's anonymous participations.
const anonKeySession = "consultation_key"

// participantKey names the viewer as a participant; create makes an
// anonymous key for a visitor who has none yet.
func (h *Handler) participantKey(r *http.Request, create bool) sqlstore.ParticipantKey {
	v := server.ViewerFrom(r.Context())
	var k sqlstore.ParticipantKey
	if v.Account != nil {
		k.AccountID, k.Email = v.Account.ID, v.Account.Email
	}
	if v.ViaAPI {
		return k // a token speaks for its account only
	}
	k.AnonKey = h.s.Sessions.GetString(r.Context(), anonKeySession)
	if k.AnonKey == "" && create && v.Account == nil {
		b := make([]byte, 16)
		rand.Read(b)
		k.AnonKey = hex.EncodeToString(b)
		h.s.Sessions.Put(r.Context(), anonKeySession, k.AnonKey)
	}
	return k
}

type votePage struct {
	Page
	Forum       *concord.Forum
	C           *concord.Consultation
	Status      concord.ConsultationStatus
	Next        *concord.Statement
	Voted       int
	Votable     int
	Group       string
	Form        *Form
	CanModerate bool
}

func (h *Handler) consultation(w http.ResponseWriter, r *http.Request) {
	h.renderVotePage(w, r, http.StatusOK, newForm(nil))
}

func (h *Handler) renderVotePage(w http.ResponseWriter, r *http.Request, status int, form *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := h.consultationFromPath(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := votePage{Page: h.page(r, c.Question), Forum: v.Forum, C: c, Status: c.Status(h.s.DB.Now()), Form: form,
		CanModerate: v.Can(concord.RoleSecretariat)}
	p.Title = c.Question
	part, err := h.s.DB.FindParticipant(ctx, c.ID, h.participantKey(r, false))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	voted := map[int]concord.VoteValue{}
	if part != nil {
		p.Group = part.StakeholderGroup
		if voted, err = h.s.DB.ParticipantVotes(ctx, c.ID, part.Number); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if p.Form.Values == nil {
		p.Form.Values = url.Values{}
	}
	if p.Form.Get("stakeholder_group") == "" {
		p.Form.Values.Set("stakeholder_group", p.Group)
	}
	if p.Status == concord.ConsultationOpen {
		if p.Next, p.Voted, p.Votable, err = h.nextStatement(ctx, c, voted); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "consultation.html", p)
}

// nextStatement picks the statement to show: a statement newer than the
// analysis first (it has no priority yet), then Pol.is's priority draw, and
// the least-voted statement while there is no analysis.
func (h *Handler) nextStatement(ctx context.Context, c *concord.Consultation, voted map[int]concord.VoteValue) (*concord.Statement, int, int, error) {
	a, err := h.analyse(ctx, c, voteMaxAge)
	if err != nil {
		return nil, 0, 0, err
	}
	ss, err := h.s.DB.ConsultationStatements(ctx, c.ID, a.res == nil)
	if err != nil {
		return nil, 0, 0, err
	}
	byNumber := map[int]*concord.Statement{}
	var open []*concord.Statement
	nVoted, nVotable := 0, 0
	for _, s := range ss {
		if !s.Votable() {
			continue
		}
		nVotable++
		byNumber[s.Number] = s
		if _, done := voted[s.Number]; done {
			nVoted++
		} else {
			open = append(open, s)
		}
	}
	if len(open) == 0 {
		return nil, nVoted, nVotable, nil
	}
	if a.res == nil {
		least := slices.MinFunc(open, func(x, y *concord.Statement) int {
			return cmp.Or(cmp.Compare(x.Agree+x.Disagree+x.Pass, y.Agree+y.Disagree+y.Pass), cmp.Compare(x.Number, y.Number))
		})
		return least, nVoted, nVotable, nil
	}
	known := map[int]bool{}
	for _, st := range a.res.Statements {
		known[st.ID] = true
	}
	for _, s := range open {
		if !known[s.Number] {
			return s, nVoted, nVotable, nil
		}
	}
	rng := mrand.New(mrand.NewPCG(mrand.Uint64(), mrand.Uint64()))
	n, ok := a.res.NextStatement(func(s int) bool {
		_, done := voted[s]
		return done || byNumber[s] == nil
	}, rng)
	if ok && byNumber[n] != nil {
		return byNumber[n], nVoted, nVotable, nil
	}
	return open[0], nVoted, nVotable, nil
}

// join makes the viewer a participant of the consultation in the URL.
func (h *Handler) join(r *http.Request) (*concord.Consultation, *concord.Participant, error) {
	c, err := h.consultationFromPath(r, false)
	if err != nil {
		return nil, nil, err
	}
	if err := c.CheckOpen(h.s.DB.Now()); err != nil {
		return c, nil, err
	}
	p, err := h.s.DB.JoinConsultation(r.Context(), c, h.participantKey(r, true))
	return c, p, err
}

func (h *Handler) vote(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	value, err := concord.ParseVote(r.PostForm.Get("vote"))
	var number int
	if err == nil {
		number, err = strconv.Atoi(r.PostForm.Get("statement"))
		if err != nil {
			err = concord.FieldError("statement", "%q is not a statement number", truncateText(r.PostForm.Get("statement")))
		}
	}
	var c *concord.Consultation
	var p *concord.Participant
	if err == nil {
		c, p, err = h.join(r)
	}
	if err == nil {
		err = h.s.DB.CastVotes(r.Context(), c, p.Number, []concord.Vote{{Statement: number, Value: value}})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, consultationURL(v.Forum, c)+"#statement")
}

func truncateText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (h *Handler) submitStatement(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	c, p, err := h.join(r)
	if err == nil {
		_, err = h.s.DB.AddStatement(r.Context(), c, p, f.Get("body"))
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderVotePage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Thank you: your statement is added and others can vote on it.")
	h.redirect(w, r, consultationURL(v.Forum, c))
}

func (h *Handler) declareGroup(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	c, p, err := h.join(r)
	if err == nil {
		err = h.s.DB.SetParticipantGroup(r.Context(), v.Forum, p, f.Get("stakeholder_group"))
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderVotePage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Stakeholder group saved.")
	h.redirect(w, r, consultationURL(v.Forum, c))
}

type moderationPage struct {
	Page
	Forum       *concord.Forum
	C           *concord.Consultation
	Statements  []*concord.Statement
	Moderations []concord.Moderation
	Total       int
	Offset      int
	Next, Prev  string
}

func (h *Handler) moderation(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	c, err := h.consultationFromPath(r, false)
	var ss []*concord.Statement
	if err == nil {
		ss, err = h.s.DB.ConsultationStatements(r.Context(), c.ID, true)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// Statements waiting for a decision come first, a page at a time.
	slices.SortStableFunc(ss, func(a, b *concord.Statement) int {
		return cmp.Compare(flagRank(a.Moderation != concord.Unmoderated), flagRank(b.Moderation != concord.Unmoderated))
	})
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, min(offset, len(ss)))
	p := moderationPage{Page: h.page(r, "Moderation"), Forum: v.Forum, C: c, Total: len(ss), Offset: offset,
		Statements: ss[offset:min(len(ss), offset+pageSize)], Moderations: []concord.Moderation{concord.Unmoderated, concord.Accepted, concord.Rejected}}
	p.Next, p.Prev = pager(r.URL.Query(), offset, len(ss))
	h.render(w, r, http.StatusOK, "consultation_moderation.html", p)
}

func flagRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (h *Handler) moderate(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	c, err := h.consultationFromPath(r, false)
	var number int
	if err == nil {
		if number, err = strconv.Atoi(r.PostForm.Get("statement")); err != nil {
			err = concord.FieldError("statement", "%q is not a statement number", truncateText(r.PostForm.Get("statement")))
		}
	}
	if err == nil {
		err = h.s.DB.ModerateStatement(r.Context(), c.ID, number, concord.Moderation(r.PostForm.Get("moderation")), r.PostForm.Get("meta") == "on")
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Moderation saved.")
	h.redirect(w, r, consultationURL(v.Forum, c)+"/moderation")
}

// The report.

// Okabe–Ito colours, told apart with colour-blindness; each group also has its own shape.
var groupColours = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00"}

var groupShapes = []string{"circle", "square", "triangle", "diamond", "cross"}

type mapGroup struct {
	Index   int
	Label   string
	Colour  string
	Shape   string
	Points  string // "x,y x,y …" for a polyline whose vertices carry the marker
	Members int
	LabelX  int
	LabelY  int
	// Stakeholder make-up, by the forum's groups.
	Makeup []int
}

type figure struct {
	Number int
	Body   string
	Share  string // e.g. "82%"
	Detail string
}

type repGroup struct {
	Label      string
	Colour     string
	Statements []figure
}

type stakeholderCell struct {
	Share string
	Count string
	Votes int
}

type stakeholderRow struct {
	Number int
	Body   string
	Cells  []stakeholderCell
	spread float64 // highest minus lowest agreement across stakeholder groups
}

// reportRows and reportList keep the report page light; the CSV has everything.
const reportRows, reportList = 40, 10

type reportPage struct {
	Page
	Forum          *concord.Forum
	C              *concord.Consultation
	HasAnalysis    bool
	Groups         []mapGroup
	Unclustered    string
	InConversation int
	Voters         int
	Consensus      []figure
	ConsensusNo    []figure
	Divisive       []figure
	Representative []repGroup
	SHGroups       []concord.StakeholderGroup
	SHRows         []stakeholderRow
	SHTotal        int  // rows before the cut
	AllRows        bool // every row shown
	SHConsensus    []figure
	SHDivides      []figure
	Bridging       []figure
	Undeclared     int
}

const mapW, mapH, mapPad = 600, 400, 24

func groupLabel(p Page, i int) string { return p.T("Group {{.A0}}", string(rune('A'+i))) }

func pct(x float64) string { return strconv.Itoa(int(math.Round(100*x))) + "%" }

func (h *Handler) consultationReport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := h.consultationFromPath(r, true)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.analyse(ctx, c, reportMaxAge)
	var ss []*concord.Statement
	if err == nil {
		ss, err = h.s.DB.ConsultationStatements(ctx, c.ID, false)
	}
	var parts []*concord.Participant
	if err == nil {
		parts, err = h.s.DB.ConsultationParticipants(ctx, c.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := reportPage{Page: h.page(r, "Report"), Forum: v.Forum, C: c}
	p.Title = p.T("Report: {{.A0}}", c.Question)
	if a.res != nil {
		p.AllRows = r.URL.Query().Get("rows") == "all"
		h.fillReport(&p, a.res, ss, parts, p.AllRows)
	}
	h.render(w, r, http.StatusOK, "consultation_report.html", p)
}

func (h *Handler) fillReport(p *reportPage, res *opinion.Result, ss []*concord.Statement, parts []*concord.Participant, allRows bool) {
	p.HasAnalysis = true
	body := map[int]string{}
	for _, s := range ss {
		body[s.Number] = s.Body
	}
	group := map[int]string{}
	for _, pt := range parts {
		group[pt.Number] = pt.StakeholderGroup
	}
	fig := func(n int, share float64, detail string) figure {
		return figure{Number: n, Body: body[n], Share: pct(share), Detail: detail}
	}

	// The map: coordinates scaled into the drawing, rounded to whole units to keep it small.
	p.Voters = len(res.Participants)
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, pt := range res.Participants {
		minX, maxX = min(minX, pt.X), max(maxX, pt.X)
		minY, maxY = min(minY, pt.Y), max(maxY, pt.Y)
	}
	scale := func(x, lo, hi float64, size int) int {
		if hi <= lo {
			return size / 2
		}
		return mapPad + int(math.Round((x-lo)/(hi-lo)*float64(size-2*mapPad)))
	}
	groupIdx := map[string]int{}
	for i, g := range p.Forum.Groups {
		groupIdx[g.Slug] = i
	}
	points := make([]strings.Builder, len(res.Groups))
	var unclustered strings.Builder
	p.Groups = make([]mapGroup, len(res.Groups))
	for i := range res.Groups {
		p.Groups[i] = mapGroup{Index: i, Label: groupLabel(p.Page, i), Colour: groupColours[i%len(groupColours)],
			Shape: groupShapes[i%len(groupShapes)], Makeup: make([]int, len(p.Forum.Groups)+1)}
	}
	for _, pt := range res.Participants {
		x, y := scale(pt.X, minX, maxX, mapW), mapH-scale(pt.Y, minY, maxY, mapH)
		b := &unclustered
		if pt.Group >= 0 && pt.Group < len(p.Groups) {
			b = &points[pt.Group]
			g := &p.Groups[pt.Group]
			g.Members++
			if k, ok := groupIdx[group[pt.Participant]]; ok {
				g.Makeup[k]++
			} else {
				g.Makeup[len(p.Forum.Groups)]++
			}
		}
		fmt.Fprintf(b, "%d,%d ", x, y)
	}
	for i, g := range res.Groups {
		p.Groups[i].Points = strings.TrimSpace(points[i].String())
		p.Groups[i].LabelX = scale(g.Center[0], minX, maxX, mapW)
		p.Groups[i].LabelY = mapH - scale(g.Center[1], minY, maxY, mapH)
		p.InConversation += p.Groups[i].Members
	}
	p.Unclustered = strings.TrimSpace(unclustered.String())

	// Consensus across opinion groups (Pol.is), and what divides them.
	for _, cs := range res.Consensus.Agree {
		p.Consensus = append(p.Consensus, fig(cs.Statement, cs.PSuccess, p.T("{{.A0}} votes", cs.NTrials)))
	}
	for _, cs := range res.Consensus.Disagree {
		p.ConsensusNo = append(p.ConsensusNo, fig(cs.Statement, cs.PSuccess, p.T("{{.A0}} votes", cs.NTrials)))
	}
	type spread struct {
		n      int
		spread float64
		detail string
	}
	var divisive []spread
	for _, st := range res.Statements {
		if st.ModeratedOut || st.Meta || len(st.GroupVotes) < 2 {
			continue
		}
		lo, hi := 1.0, 0.0
		var parts []string
		for g, gv := range st.GroupVotes {
			share := float64(gv.Agree+1) / float64(gv.Seen+2)
			lo, hi = min(lo, share), max(hi, share)
			parts = append(parts, groupLabel(p.Page, g)+" "+pct(float64(gv.Agree)/float64(max(gv.Seen, 1))))
		}
		if hi-lo >= 0.3 {
			divisive = append(divisive, spread{st.ID, hi - lo, strings.Join(parts, " · ")})
		}
	}
	slices.SortFunc(divisive, func(a, b spread) int { return cmp.Or(cmp.Compare(b.spread, a.spread), cmp.Compare(a.n, b.n)) })
	for _, d := range divisive[:min(len(divisive), 8)] {
		p.Divisive = append(p.Divisive, fig(d.n, d.spread, d.detail))
	}
	for g, reps := range res.Repness {
		rg := repGroup{Label: groupLabel(p.Page, g), Colour: groupColours[g%len(groupColours)]}
		for _, rp := range reps {
			detail := p.T("agree")
			if rp.RepfulFor == "disagree" {
				detail = p.T("disagree")
			}
			rg.Statements = append(rg.Statements, fig(rp.Statement, rp.PSuccess, detail))
		}
		p.Representative = append(p.Representative, rg)
	}

	// Stakeholder groups: those with at least one declared participant.
	seen := map[string]bool{}
	for _, st := range res.Statements {
		for k := range st.Stakeholders {
			seen[k] = true
		}
	}
	for _, g := range p.Forum.Groups {
		if seen[g.Slug] {
			p.SHGroups = append(p.SHGroups, g)
		}
	}
	for _, pt := range res.Participants {
		if group[pt.Participant] == "" {
			p.Undeclared++
		}
	}
	for _, st := range res.Statements {
		if st.ModeratedOut || st.Agree+st.Disagree+st.Pass == 0 {
			continue
		}
		row := stakeholderRow{Number: st.ID, Body: body[st.ID]}
		lo, hi := 1.0, 0.0
		for _, g := range p.SHGroups {
			sv := st.Stakeholders[g.Slug]
			n := sv.Agree + sv.Disagree + sv.Pass
			cell := stakeholderCell{Votes: n, Count: fmt.Sprintf("%d/%d", sv.Agree, n)}
			if n > 0 {
				cell.Share = pct(sv.AgreeShare)
				lo, hi = min(lo, sv.AgreeShare), max(hi, sv.AgreeShare)
			}
			row.Cells = append(row.Cells, cell)
		}
		row.spread = hi - lo
		p.SHRows = append(p.SHRows, row)
	}
	// The statements stakeholder groups differ on most come first; the
	// page shows the first ones unless asked for all (the CSV has all).
	slices.SortStableFunc(p.SHRows, func(a, b stakeholderRow) int { return cmp.Compare(b.spread, a.spread) })
	p.SHTotal = len(p.SHRows)
	if !allRows && len(p.SHRows) > reportRows {
		p.SHRows = p.SHRows[:reportRows]
	}
	for _, sc := range res.StakeholderConsensus[:min(len(res.StakeholderConsensus), reportList)] {
		detail := p.T("agreed in each of {{.A0}} stakeholder groups", sc.Groups)
		if sc.For == "disagree" {
			detail = p.T("rejected in each of {{.A0}} stakeholder groups", sc.Groups)
		}
		p.SHConsensus = append(p.SHConsensus, fig(sc.Statement, sc.MinShare, detail))
	}
	for _, sd := range res.StakeholderDivides[:min(len(res.StakeholderDivides), reportList)] {
		p.SHDivides = append(p.SHDivides, fig(sd.Statement, sd.Spread,
			p.T("agree: {{.A0}}; disagree: {{.A1}}", h.groupNames(p.Page, p.Forum, sd.Agreeing), h.groupNames(p.Page, p.Forum, sd.Rejecting))))
	}
	var bridged []opinion.StatementStats
	for _, st := range res.Statements {
		if !st.ModeratedOut && !st.Meta && st.Bridging.Ratings > 0 {
			bridged = append(bridged, st)
		}
	}
	slices.SortFunc(bridged, func(a, b opinion.StatementStats) int {
		return cmp.Or(cmp.Compare(b.Bridging.Score, a.Bridging.Score), cmp.Compare(a.ID, b.ID))
	})
	for _, st := range bridged[:min(len(bridged), 10)] {
		f := fig(st.ID, 0, p.T("{{.A0}} ratings", st.Bridging.Ratings))
		f.Share = strconv.FormatFloat(st.Bridging.Score, 'f', 2, 64)
		p.Bridging = append(p.Bridging, f)
	}
}

func (h *Handler) groupNames(p Page, f *concord.Forum, slugs []string) string {
	names := make([]string, len(slugs))
	for i, s := range slugs {
		names[i] = p.T(f.GroupName(s))
	}
	return strings.Join(names, ", ")
}

// consultationCSV writes every statement with its figures: totals, opinion
// groups, stakeholder groups, consensus, bridging and priority.
func (h *Handler) consultationCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := h.consultationFromPath(r, false)
	var a *analysis
	if err == nil {
		a, err = h.analyse(ctx, c, reportMaxAge)
	}
	var ss []*concord.Statement
	if err == nil {
		ss, err = h.s.DB.ConsultationStatements(ctx, c.ID, true)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	stats := map[int]opinion.StatementStats{}
	k := 0
	if a.res != nil {
		k = len(a.res.Groups)
		for _, st := range a.res.Statements {
			stats[st.ID] = st
		}
	}
	head := []string{"statement", "text", "moderation", "seed", "meta", "agree", "disagree", "pass",
		"group-aware-consensus", "bridging-score", "bridging-factor", "priority"}
	for g := range k {
		l := string(rune('a' + g))
		head = append(head, "group-"+l+"-agree", "group-"+l+"-disagree", "group-"+l+"-seen")
	}
	for _, g := range v.Forum.Groups {
		head = append(head, g.Slug+"-agree", g.Slug+"-disagree", g.Slug+"-pass", g.Slug+"-agree-share")
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-consultation-%d.csv"`, v.Forum.Slug, c.ID))
	cw := csv.NewWriter(w)
	cw.Write(head)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	for _, s := range ss {
		st, ok := stats[s.Number]
		rec := []string{strconv.Itoa(s.Number), s.Body, string(s.Moderation), strconv.FormatBool(s.Seed), strconv.FormatBool(s.Meta),
			strconv.Itoa(s.Agree), strconv.Itoa(s.Disagree), strconv.Itoa(s.Pass)}
		if ok {
			rec = append(rec, num(st.GroupAwareConsensus), num(st.Bridging.Score), num(st.Bridging.Factor), num(st.Priority))
		} else {
			rec = append(rec, "", "", "", "")
		}
		for g := range k {
			if ok && g < len(st.GroupVotes) {
				gv := st.GroupVotes[g]
				rec = append(rec, strconv.Itoa(gv.Agree), strconv.Itoa(gv.Disagree), strconv.Itoa(gv.Seen))
			} else {
				rec = append(rec, "", "", "")
			}
		}
		for _, g := range v.Forum.Groups {
			sv, has := st.Stakeholders[g.Slug]
			if !has {
				rec = append(rec, "0", "0", "0", "")
				continue
			}
			rec = append(rec, strconv.Itoa(sv.Agree), strconv.Itoa(sv.Disagree), strconv.Itoa(sv.Pass), num(sv.AgreeShare))
		}
		cw.Write(rec)
	}
	cw.Flush()
}

// Pol.is interoperability.

// polisTime is how Pol.is prints the datetime column.
const polisTime = "Mon Jan 02 15:04:05 MST 2006"

// consultationPolis serves the consultation as a Pol.is export folder in a zip.
func (h *Handler) consultationPolis(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := h.consultationFromPath(r, false)
	var a *analysis
	if err == nil {
		a, err = h.analyse(ctx, c, reportMaxAge)
	}
	var exp *polis.Export
	if err == nil {
		exp, err = h.polisExport(ctx, v.Forum, c, a)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	dir := fmt.Sprintf("%s-consultation-%d/", v.Forum.Slug, c.ID)
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{polis.SummaryFile, func(w io.Writer) error { return polis.WriteSummary(w, exp.Summary) }},
		{polis.CommentsFile, func(w io.Writer) error { return polis.WriteComments(w, exp.Comments) }},
		{polis.VotesFile, func(w io.Writer) error { return polis.WriteVotes(w, exp.Votes) }},
		{polis.ParticipantsVotesFile, func(w io.Writer) error { return polis.WriteParticipantsVotes(w, exp.ParticipantsVotes) }},
	} {
		fw, err := zw.Create(dir + f.name)
		if err == nil {
			err = f.write(fw)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-consultation-%d-polis.zip"`, v.Forum.Slug, c.ID))
	w.Write(buf.Bytes())
}

func (h *Handler) polisExport(ctx context.Context, f *concord.Forum, c *concord.Consultation, a *analysis) (*polis.Export, error) {
	votes, err := h.s.DB.ConsultationVotes(ctx, c.ID, true)
	if err != nil {
		return nil, err
	}
	ss, err := h.s.DB.ConsultationStatements(ctx, c.ID, true)
	if err != nil {
		return nil, err
	}
	exp := &polis.Export{Votes: []polis.Vote{}, Comments: []polis.Comment{}}
	pv := &polis.ParticipantsVotes{}
	authored := map[int]int{}
	for _, s := range ss {
		mod := 0
		switch s.Moderation {
		case concord.Accepted:
			mod = 1
		case concord.Rejected:
			mod = -1
		}
		exp.Comments = append(exp.Comments, polis.Comment{Timestamp: s.CreatedAt.UnixMilli(), Datetime: s.CreatedAt.Format(polisTime),
			CommentID: s.Number, AuthorID: s.Author, Agrees: s.Agree, Disagrees: s.Disagree, Moderated: mod, Body: s.Body})
		pv.CommentIDs = append(pv.CommentIDs, s.Number)
		if s.Author >= 0 {
			authored[s.Author]++
		}
	}
	rows := map[int]*polis.ParticipantRow{}
	var order []int
	for _, v := range votes {
		exp.Votes = append(exp.Votes, polis.Vote{Timestamp: v.At.UnixMilli(), Datetime: v.At.Format(polisTime),
			CommentID: v.Statement, VoterID: v.Participant, Vote: int8(v.Value)})
		row := rows[v.Participant]
		if row == nil {
			row = &polis.ParticipantRow{Participant: v.Participant, GroupID: -1, NComments: authored[v.Participant], Votes: map[int]int8{}}
			rows[v.Participant] = row
			order = append(order, v.Participant)
		}
		row.Votes[v.Statement] = int8(v.Value)
		row.NVotes++
		switch v.Value {
		case concord.Agree:
			row.NAgree++
		case concord.Disagree:
			row.NDisagree++
		}
	}
	inConv := 0
	groups := 0
	if a.res != nil {
		groups = len(a.res.Groups)
		for id, g := range a.res.GroupOf() {
			if row := rows[id]; row != nil {
				row.GroupID = g
				inConv++
			}
		}
	}
	slices.Sort(order)
	for _, id := range order {
		pv.Rows = append(pv.Rows, *rows[id])
	}
	exp.ParticipantsVotes = pv
	exp.Summary = &polis.Summary{Topic: c.Question, URL: h.s.BaseURL + consultationURL(f, c), Voters: len(order),
		VotersInConv: inConv, Commenters: len(authored), Comments: len(ss), Groups: groups, Description: c.Description}
	return exp, nil
}

type consultationImportPage struct {
	Page
	Forum    *concord.Forum
	Form     *Form
	Problems []string
}

func (h *Handler) consultationImportForm(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	h.render(w, r, http.StatusOK, "consultation_import.html", consultationImportPage{Page: h.page(r, "Import a Pol.is conversation"), Forum: v.Forum, Form: newForm(nil)})
}

const maxPolisUpload = 64 << 20

// importConsultation reads the files of a Pol.is export folder, uploaded
// together, and stores them as one consultation: all of it or nothing.
func (h *Handler) importConsultation(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	p := consultationImportPage{Page: h.page(r, "Import a Pol.is conversation"), Forum: v.Forum, Form: newForm(nil)}
	refuse := func(problems ...string) {
		p.Problems = problems
		h.render(w, r, http.StatusUnprocessableEntity, "consultation_import.html", p)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPolisUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		refuse(fmt.Sprintf("Upload the CSV files of a Pol.is export, at most %d MB together.", maxPolisUpload>>20))
		return
	}
	p.Form.Values = r.MultipartForm.Value
	exp, err := readPolisUpload(r)
	if err != nil {
		var problems []string
		for _, e := range flattenErrors(err) {
			problems = append(problems, e.Error())
		}
		refuse(problems...)
		return
	}
	in, err := ImportedFromPolis(exp, v.Forum.ID, h.s.DB.Now())
	if err == nil {
		if q := strings.TrimSpace(p.Form.Get("question")); q != "" {
			in.Consultation.Question = q
		}
		err = h.s.DB.ImportConsultation(r.Context(), in)
	}
	if err != nil {
		if concord.ErrorCode(err) != concord.EINVALID {
			h.fail(w, r, err)
			return
		}
		var problems []string
		for _, e := range concord.Problems(err) {
			problems = append(problems, e.Error())
		}
		refuse(problems...)
		return
	}
	h.flash(r, p.T("Imported {{.A0}} votes.", len(in.Votes)))
	h.redirect(w, r, consultationURL(v.Forum, in.Consultation)+"/report")
}

func flattenErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flattenErrors(e)...)
		}
		return out
	}
	return []error{err}
}

// readPolisUpload parses the uploaded files by their names.
func readPolisUpload(r *http.Request) (*polis.Export, error) {
	var files []PolisFile
	for _, fh := range r.MultipartForm.File["files"] {
		files = append(files, PolisFile{Name: fh.Filename, Open: func() (io.ReadCloser, error) { return fh.Open() }})
	}
	return ReadPolisFiles(files)
}

// PolisFile is one file of a Pol.is export, known by its name.
type PolisFile struct {
	Name string
	Open func() (io.ReadCloser, error)
}

// ReadPolisFiles parses the files of a Pol.is export by their base names,
// as polis.ReadDir does a folder: comments.csv, and votes.csv or
// participants-votes.csv, are required; summary.csv is optional. The web
// upload and the import command read exports through it.
func ReadPolisFiles(files []PolisFile) (*polis.Export, error) {
	var exp polis.Export
	var errs []error
	for _, pf := range files {
		f, err := pf.Open()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		name := path.Base(strings.ReplaceAll(pf.Name, `\`, "/"))
		switch name {
		case polis.CommentsFile:
			exp.Comments, err = polis.ReadComments(f, name)
		case polis.VotesFile:
			exp.Votes, err = polis.ReadVotes(f, name)
		case polis.ParticipantsVotesFile:
			exp.ParticipantsVotes, err = polis.ReadParticipantsVotes(f, name)
		case polis.SummaryFile:
			exp.Summary, err = polis.ReadSummary(f, name)
		default:
			err = fmt.Errorf("%s: not a file of a Pol.is export (want %s, %s, %s or %s)", truncateText(name),
				polis.CommentsFile, polis.VotesFile, polis.ParticipantsVotesFile, polis.SummaryFile)
		}
		f.Close()
		if err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if exp.Comments == nil {
		errs = append(errs, fmt.Errorf("%s is missing", polis.CommentsFile))
	}
	if exp.Votes == nil && exp.ParticipantsVotes == nil {
		errs = append(errs, fmt.Errorf("%s or %s is missing", polis.VotesFile, polis.ParticipantsVotesFile))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &exp, nil
}

// ImportedFromPolis turns an export into a consultation to store, for
// the web upload and the import command alike. Votes that name a comment
// the export does not have are refused with their file and line.
func ImportedFromPolis(exp *polis.Export, forumID int64, now time.Time) (*sqlstore.ImportedConsultation, error) {
	c := &concord.Consultation{ForumID: forumID, Question: "Imported Pol.is conversation"}
	if exp.Summary != nil {
		if t := strings.TrimSpace(exp.Summary.Topic); t != "" {
			c.Question = t
		}
		c.Description = exp.Summary.Description
	}
	in := &sqlstore.ImportedConsultation{Consultation: c}
	first := now.UnixMilli()
	comments := map[int]bool{}
	people := map[int]bool{}
	addPerson := func(n int) {
		if n >= 0 && !people[n] {
			people[n] = true
			in.Participants = append(in.Participants, &concord.Participant{Number: n, External: "polis:" + strconv.Itoa(n)})
		}
	}
	for _, cm := range exp.Comments {
		m := concord.Unmoderated
		switch cm.Moderated {
		case 1:
			m = concord.Accepted
		case -1:
			m = concord.Rejected
		}
		in.Statements = append(in.Statements, &concord.Statement{Number: cm.CommentID, Body: cm.Body, Author: cm.AuthorID,
			Moderation: m, CreatedAt: time.UnixMilli(cm.Timestamp).UTC()})
		comments[cm.CommentID] = true
		addPerson(cm.AuthorID)
		if cm.Timestamp > 0 {
			first = min(first, cm.Timestamp)
		}
	}
	var ps []*concord.Error
	if exp.Votes != nil {
		vs := slices.Clone(exp.Votes)
		for i, v := range exp.Votes {
			if !comments[v.CommentID] { // line i+2: after the header line
				ps = append(ps, concord.FieldError(fmt.Sprintf("%s:%d", polis.VotesFile, i+2), "comment-id %d is not in %s", v.CommentID, polis.CommentsFile))
				if len(ps) >= 20 {
					break
				}
			}
		}
		slices.SortStableFunc(vs, func(a, b polis.Vote) int { return cmp.Compare(a.Timestamp, b.Timestamp) })
		for _, v := range vs {
			addPerson(v.VoterID)
			in.Votes = append(in.Votes, concord.Vote{Participant: v.VoterID, Statement: v.CommentID, Value: concord.VoteValue(v.Vote),
				At: time.UnixMilli(v.Timestamp).UTC()})
			if v.Timestamp > 0 {
				first = min(first, v.Timestamp)
			}
		}
	} else {
		for i, row := range exp.ParticipantsVotes.Rows {
			addPerson(row.Participant)
			for _, id := range exp.ParticipantsVotes.CommentIDs {
				if vote, ok := row.Votes[id]; ok {
					if !comments[id] {
						ps = append(ps, concord.FieldError(fmt.Sprintf("%s:%d", polis.ParticipantsVotesFile, i+2), "comment-id %d is not in %s", id, polis.CommentsFile))
						break
					}
					in.Votes = append(in.Votes, concord.Vote{Participant: row.Participant, Statement: id, Value: concord.VoteValue(vote)})
				}
			}
		}
	}
	if len(ps) > 0 {
		return nil, concord.Invalid(ps)
	}
	// An archive: open from its first activity, closed as of the import.
	c.OpensAt = time.UnixMilli(first).UTC()
	c.ClosesAt = now.UTC()
	if !c.ClosesAt.After(c.OpensAt) {
		c.ClosesAt = c.OpensAt.Add(time.Minute)
	}
	return in, nil
}
