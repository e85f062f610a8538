package web

import (
	"cmp"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// The programme: the call for session proposals, the proposal form with its
// screening shown while editing, speakers confirming by emailed link, and the
// secretariat's calls and screening queue.

func (h *Handler) programmeBase(r *http.Request) string {
	return "/forums/" + server.ViewerFrom(r.Context()).Forum.Slug + "/programme"
}

// latestCall is the forum's newest call for proposals, nil when none.
func (h *Handler) latestCall(r *http.Request) (*concord.ProposalCall, error) {
	calls, err := h.s.DB.ProposalCalls(r.Context(), server.ViewerFrom(r.Context()).Forum.ID)
	if err != nil || len(calls) == 0 {
		return nil, err
	}
	return calls[0], nil
}

// ---------------------------------------------------------------- public page

type programmePage struct {
	Page
	Forum *concord.Forum
	Call  *concord.ProposalCall
	Open  bool
	Mine  []*concord.Proposal
}

func (h *Handler) programme(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	p := programmePage{Page: h.page(r, "Programme"), Forum: v.Forum}
	var err error
	if p.Call, err = h.latestCall(r); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Call != nil {
		p.Open = p.Call.IsOpen(h.s.DB.Now())
		if v.Account != nil {
			if p.Mine, err = h.s.DB.Proposals(ctx, p.Call.ID, sqlstore.ProposalFilter{AccountID: v.Account.ID}); err != nil {
				h.fail(w, r, err)
				return
			}
		}
	}
	h.render(w, r, http.StatusOK, "programme.html", p)
}

// ---------------------------------------------------------------- proposal form

type proposalPage struct {
	Page
	Forum     *concord.Forum
	Call      *concord.ProposalCall
	Cycle     *concord.Cycle
	Open      bool
	Proposal  *concord.Proposal // nil: a new one
	Mine      bool              // the viewer may edit it
	Form      *Form
	Failures  []concord.ScreeningFailure
	Roles     []concord.ProposalRole
	Formats   []string
	Override  *Form    // the secretariat's screening override
	Overrides []string // its choices: the rules decide, pass, fail
	Decisions []string
}

// proposalForm fills a form from a stored proposal.
func proposalForm(p *concord.Proposal) *Form {
	f := newForm(url.Values{})
	f.Values.Set("type", p.Type)
	f.Values.Set("title", p.Title)
	f.Values.Set("description", p.Description)
	f.Values.Set("subtheme", p.Subtheme)
	f.Values.Set("format", p.Format)
	f.Values.Set("languages", strings.Join(p.Languages, ", "))
	f.Values["policy_questions"] = p.PolicyQuestions
	for _, role := range concord.ProposalRoles {
		var lines []string
		for _, x := range p.In(role) {
			if x.Email != "" {
				lines = append(lines, x.Email)
			} else {
				lines = append(lines, "#"+strconv.FormatInt(x.PersonID, 10))
			}
		}
		f.Values.Set(string(role), strings.Join(lines, "\n"))
	}
	return f
}

func (h *Handler) proposeForm(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{})
	f.Values.Set("type", "workshop")
	h.renderProposal(w, r, http.StatusOK, nil, f, nil)
}

func (h *Handler) proposal(w http.ResponseWriter, r *http.Request) {
	p, err := h.viewableProposal(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderProposal(w, r, http.StatusOK, p, proposalForm(p), nil)
}

// viewableProposal is the {id} proposal if the viewer proposed it or is the
// secretariat; to anyone else it does not exist.
func (h *Handler) viewableProposal(r *http.Request) (*concord.Proposal, error) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := h.s.DB.Proposal(r.Context(), v.Forum.ID, id)
	if err == nil && p.AccountID != v.Account.ID && !v.Can(concord.RoleSecretariat) {
		err = concord.Errorf(concord.ENOTFOUND, "There is no proposal %d of yours.", id)
	}
	return p, err
}

func (h *Handler) renderProposal(w http.ResponseWriter, r *http.Request, status int, p *concord.Proposal, f, override *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	pg := proposalPage{Page: h.page(r, "Propose a session"), Forum: v.Forum, Proposal: p, Form: f,
		Roles: concord.ProposalRoles, Formats: concord.SessionFormats, Override: override, Overrides: []string{"rules", "pass", "fail"}, Decisions: concord.ProposalDecisions}
	if override == nil {
		pg.Override = newForm(url.Values{})
		if p != nil {
			pg.Override.Values.Set("override", cmp.Or(p.Override, "rules"))
			pg.Override.Values.Set("reason", p.OverrideReason)
		}
	}
	var err error
	if p != nil {
		pg.Title = p.Title
		pg.Mine = p.AccountID == v.Account.ID
		pg.Call, err = h.s.DB.ProposalCall(ctx, v.Forum.ID, p.CallID)
	} else {
		pg.Mine = true
		pg.Call, err = h.latestCall(r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if pg.Call == nil {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no call for session proposals in this forum."))
		return
	}
	pg.Open = pg.Call.IsOpen(h.s.DB.Now())
	if pg.Cycle, err = h.s.DB.CycleOf(ctx, v.Forum.ID, pg.Call.Year); err != nil {
		h.fail(w, r, err)
		return
	}
	if p != nil {
		if pg.Failures, err = h.s.DB.ScreenProposal(ctx, pg.Call, p); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "programme_proposal.html", pg)
}

// parseProposal reads the form into p; people are resolved in the registry.
func (h *Handler) parseProposal(r *http.Request, f *Form, p *concord.Proposal) error {
	v := server.ViewerFrom(r.Context())
	p.Type = f.Get("type")
	p.Title = f.Get("title")
	p.Description = f.Get("description")
	p.Subtheme = f.Get("subtheme")
	p.Format = f.Get("format")
	p.PolicyQuestions = f.Values["policy_questions"]
	p.Languages = nil
	for _, l := range strings.FieldsFunc(strings.ToLower(f.Get("languages")), func(r rune) bool { return r == ',' || r == ' ' }) {
		p.Languages = append(p.Languages, l)
	}
	refs := map[concord.ProposalRole][]string{}
	for _, role := range concord.ProposalRoles {
		refs[role] = strings.Split(f.Get(string(role)), "\n")
	}
	var err error
	p.People, err = h.s.DB.ProposalPeople(r.Context(), v.Forum.ID, refs)
	return err
}

func (h *Handler) saveProposal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	r.ParseForm()
	f := newForm(r.PostForm)
	var p *concord.Proposal
	var err error
	if r.PathValue("id") != "" {
		// The secretariat may read every proposal but edits none: a
		// proposal stays its proposer's words.
		if p, err = h.viewableProposal(r); err == nil && p.AccountID != v.Account.ID {
			err = concord.Errorf(concord.EFORBIDDEN, "Only the proposer may edit proposal %d; the secretariat can override its screening or decide on it.", p.ID)
		}
	} else {
		var c *concord.ProposalCall
		if c, err = h.latestCall(r); err == nil && c == nil {
			err = concord.Errorf(concord.ENOTFOUND, "There is no call for session proposals in this forum.")
		}
		if err == nil {
			p = &concord.Proposal{CallID: c.ID, ForumID: v.Forum.ID, AccountID: v.Account.ID}
			if me, perr := h.s.Me(ctx); perr == nil && me != nil {
				p.ProposerID = me.ID
			}
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	isNew := p.ID == 0
	err = h.parseProposal(r, f, p)
	var invites []sqlstore.Invitation
	if err == nil {
		invites, err = h.s.DB.SaveProposal(ctx, p, f.Get("action") == "submit")
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		if isNew {
			p = nil
		}
		h.renderProposal(w, r, http.StatusUnprocessableEntity, p, f, nil)
		return
	}
	for _, inv := range invites {
		if err := h.s.SendEmail(ctx, &concord.Email{ForumID: v.Forum.ID, To: inv.Speaker.Email,
			Subject: "Please confirm that you will speak: " + inv.Proposal.Title,
			Body: fmt.Sprintf("Hello %s,\n\n%s proposes a session for %s, \"%s\", and names you as a speaker.\n\n"+
				"If you agree to speak, confirm by opening this link:\n\n%s/forums/%s/programme/confirm/%s\n\n"+
				"Until you confirm, you do not count as a speaker. If you did not agree to speak, ignore this message.\n",
				inv.Speaker.Name, v.Account.Name, v.Forum.Name, inv.Proposal.Title, h.s.BaseURL, v.Forum.Slug, inv.Token)}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if p.Status == concord.ProposalSubmitted {
		h.flash(r, "Proposal submitted. You can change it until the call closes.")
	} else {
		h.flash(r, "Draft saved.")
	}
	h.redirect(w, r, fmt.Sprintf("%s/proposals/%d", h.programmeBase(r), p.ID))
}

// ---------------------------------------------------------------- speaker confirmation

type confirmSpeakerPage struct {
	Page
	Forum    *concord.Forum
	Proposal *concord.Proposal
	Speaker  concord.SessionPerson
	Token    string
}

func (h *Handler) confirmSpeakerForm(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	p, sp, err := h.s.DB.SpeakerInvitation(r.Context(), v.Forum.ID, r.PathValue("token"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "programme_confirm.html", confirmSpeakerPage{Page: h.page(r, "Confirm that you will speak"),
		Forum: v.Forum, Proposal: p, Speaker: sp, Token: r.PathValue("token")})
}

func (h *Handler) confirmSpeaker(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	token := r.PathValue("token")
	if _, err := h.s.DB.ConfirmSpeaker(r.Context(), v.Forum.ID, token); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Thank you: you are confirmed as a speaker.")
	h.redirect(w, r, h.programmeBase(r)+"/confirm/"+url.PathEscape(token))
}

// ---------------------------------------------------------------- secretariat: calls

type programmeManagePage struct {
	Page
	Forum *concord.Forum
	Calls []*concord.ProposalCall
	Now   time.Time
	Form  *Form
}

func (h *Handler) programmeManage(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{})
	now := h.s.DB.Now().UTC().Truncate(time.Hour)
	f.Values.Set("year", strconv.Itoa(now.Year()))
	f.Values.Set("opens", now.Format(localMinute))
	f.Values.Set("closes", now.Add(30*24*time.Hour).Format(localMinute))
	h.renderProgrammeManage(w, r, http.StatusOK, f)
}

func (h *Handler) renderProgrammeManage(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	v := server.ViewerFrom(r.Context())
	calls, err := h.s.DB.ProposalCalls(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "programme_manage.html", programmeManagePage{Page: h.page(r, "Manage the programme"),
		Forum: v.Forum, Calls: calls, Now: h.s.DB.Now(), Form: f})
}

// parseProposalCall reads the call form's window and description.
func parseProposalCall(f *Form, c *concord.ProposalCall) error {
	var ps []*concord.Error
	if f.Values.Has("year") {
		y, err := strconv.Atoi(strings.TrimSpace(f.Get("year")))
		if err != nil {
			ps = append(ps, concord.FieldError("year", "%q is not a year", f.Get("year")))
		}
		c.Year = y
	}
	for _, fld := range []struct {
		name string
		to   *time.Time
	}{{"opens", &c.Opens}, {"closes", &c.Closes}} {
		t, err := time.Parse(localMinute, strings.TrimSpace(f.Get(fld.name)))
		if err != nil {
			ps = append(ps, concord.FieldError(fld.name, "%q is not a date and time such as 2026-03-31T23:59", f.Get(fld.name)))
			continue
		}
		*fld.to = t.UTC()
	}
	c.Description = f.Get("description")
	if len(ps) > 0 {
		return concord.Invalid(ps)
	}
	return c.Validate()
}

func (h *Handler) createProposalCall(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	rules, err := h.s.DB.ForumRules(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c := &concord.ProposalCall{ForumID: v.Forum.ID, Rules: rules.Screening}
	err = parseProposalCall(f, c)
	if err == nil {
		err = h.s.DB.CreateProposalCall(r.Context(), c)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProgrammeManage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Call for proposals created.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.programmeBase(r), c.ID))
}

type programmeCallPage struct {
	Page
	Forum  *concord.Forum
	Call   *concord.ProposalCall
	Open   bool
	Form   *Form
	Queue  []sqlstore.Screening // the page shown
	Show   string               // all, failed, passed
	Counts map[string]int       // all, failed, passed, drafts
	PageNo int
	Pages  int
	// Evaluator assignment: the current run and the form for a new one.
	Run        *Form
	Assignment *sqlstore.Assignment
	Evaluators int
	Proposals  int
	Optimal    bool
	// Screening rules and the session types the call takes.
	Rules    *Form
	Types    []string
	Numbers  []string
	Switches []string
}

const queuePageSize = 50

func (h *Handler) programmeCall(w http.ResponseWriter, r *http.Request) {
	h.renderProgrammeCall(w, r, http.StatusOK, nil, nil, nil)
}

func (h *Handler) renderProgrammeCall(w http.ResponseWriter, r *http.Request, status int, f, run, rules *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := forumRecord(r, h.s.DB.ProposalCall)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(url.Values{})
		f.Values.Set("opens", c.Opens.Format(localMinute))
		f.Values.Set("closes", c.Closes.Format(localMinute))
		f.Values.Set("description", c.Description)
	}
	if run == nil {
		run = newForm(url.Values{})
		var seed [8]byte
		rand.Read(seed[:])
		run.Values.Set("seed", strconv.FormatUint(binary.BigEndian.Uint64(seed[:])%1_000_000_000, 10))
		run.Values.Set("per_proposal", "5")
	}
	if rules == nil {
		rules = screeningRulesForm(c)
	}
	p := programmeCallPage{Page: h.page(r, "Call for session proposals"), Forum: v.Forum, Call: c, Open: c.IsOpen(h.s.DB.Now()),
		Rules: rules, Types: concord.ProposalTypes, Numbers: ruleNumbers, Switches: ruleSwitches,
		Form: f, Run: run, Counts: map[string]int{}, Show: r.URL.Query().Get("show")}
	p.Title = p.T("Call for session proposals {{.A0}}", c.Year)
	all, err := h.s.DB.ScreenProposals(ctx, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	drafts, err := h.s.DB.Proposals(ctx, c.ID, sqlstore.ProposalFilter{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p.Counts["all"], p.Counts["drafts"] = len(all), len(drafts)-len(all)
	var shown []sqlstore.Screening
	for _, s := range all {
		key := "failed"
		if s.Passed {
			key = "passed"
		}
		p.Counts[key]++
		if p.Show == "" || p.Show == "all" || p.Show == key {
			shown = append(shown, s)
		}
	}
	p.Pages = max(1, (len(shown)+queuePageSize-1)/queuePageSize)
	p.PageNo, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.PageNo = min(max(p.PageNo, 1), p.Pages)
	p.Queue = shown[min(len(shown), (p.PageNo-1)*queuePageSize):min(len(shown), p.PageNo*queuePageSize)]
	if p.Assignment, err = h.s.DB.CurrentAssignment(ctx, c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	if a := p.Assignment; a != nil {
		p.Evaluators, p.Proposals = len(a.Loads()), len(a.Pairs)/max(1, a.PerProposal)
		p.Optimal = a.Bound <= a.TotalAffinity+1e-6
	}
	h.render(w, r, status, "programme_call.html", p)
}

func (h *Handler) updateProposalCall(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := forumRecord(r, h.s.DB.ProposalCall)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	msg, err := callAction(f, &c.Opens, &c.Closes, h.s.DB.Now().UTC().Truncate(time.Minute),
		func() error { return parseProposalCall(f, c) }, "Call for proposals saved.")
	if err == nil {
		err = h.s.DB.UpdateProposalCall(ctx, c)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProgrammeCall(w, r, http.StatusUnprocessableEntity, f, nil, nil)
		return
	}
	h.flash(r, msg)
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.programmeBase(r), c.ID))
}

// overrideScreening passes or fails a proposal against the rules, with a reason.
func (h *Handler) overrideScreening(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	p, err := h.s.DB.Proposal(ctx, v.Forum.ID, id)
	if err == nil {
		override := f.Get("override")
		if !slices.Contains([]string{"pass", "fail"}, override) {
			override = ""
		}
		err = h.s.DB.OverrideScreening(ctx, v.Forum, id, override, f.Get("reason"), v.Account.Name)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProposal(w, r, http.StatusUnprocessableEntity, p, proposalForm(p), f)
		return
	}
	h.flash(r, "Screening recorded.")
	h.redirect(w, r, fmt.Sprintf("%s/proposals/%d", h.programmeBase(r), id))
}

// runAssignment assigns evaluators to the call's screened proposals.
func (h *Handler) runAssignment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := forumRecord(r, h.s.DB.ProposalCall)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	run := newForm(r.PostForm)
	per, perr := strconv.Atoi(strings.TrimSpace(run.Get("per_proposal")))
	seed, serr := strconv.ParseUint(strings.TrimSpace(run.Get("seed")), 10, 64)
	switch {
	case perr != nil:
		err = concord.FieldError("per_proposal", "%q is not a number of evaluators", run.Get("per_proposal"))
	case serr != nil:
		err = concord.FieldError("seed", "%q is not a whole number", run.Get("seed"))
	default:
		_, err = h.s.DB.RunAssignment(ctx, v.Forum, c, per, seed, v.Account.Name)
	}
	if err != nil {
		if !run.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProgrammeCall(w, r, http.StatusUnprocessableEntity, nil, run, nil)
		return
	}
	h.flash(r, "Evaluators assigned and recorded in the decision log.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d#assignment", h.programmeBase(r), c.ID))
}

// ---------------------------------------------------------------- evaluators: scoring

type evaluatePage struct {
	Page
	Forum     *concord.Forum
	Call      *concord.ProposalCall
	Evaluator *concord.Person // nil: the account is not in the registry
	Tasks     []sqlstore.EvaluatorTask
	Done      int
	Task      *sqlstore.EvaluatorTask // the one being scored
	Form      *Form
	Anchors   []int
}

func (h *Handler) evaluations(w http.ResponseWriter, r *http.Request) {
	h.renderEvaluate(w, r, http.StatusOK, nil)
}

func (h *Handler) evaluation(w http.ResponseWriter, r *http.Request) {
	h.renderEvaluate(w, r, http.StatusOK, nil)
}

// renderEvaluate shows the evaluator's list, or with an {id} one proposal to score.
func (h *Handler) renderEvaluate(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	p := evaluatePage{Page: h.page(r, "Evaluate proposals"), Forum: v.Forum, Anchors: concord.ScoreAnchors}
	var err error
	if p.Call, err = h.latestCall(r); err == nil {
		p.Evaluator, err = h.s.Me(r.Context())
	}
	if err == nil && p.Call != nil && p.Evaluator != nil {
		p.Tasks, err = h.s.DB.EvaluatorTasks(ctx, p.Call, p.Evaluator.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, t := range p.Tasks {
		if t.Evaluation != nil {
			p.Done++
		}
	}
	if r.PathValue("id") == "" {
		h.render(w, r, status, "programme_evaluate.html", p)
		return
	}
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for i := range p.Tasks {
		if p.Tasks[i].Proposal.ID == id {
			p.Task = &p.Tasks[i]
		}
	}
	if p.Task == nil {
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "Proposal %d is not assigned to you.", id))
		return
	}
	p.Title = p.Task.Proposal.Title
	if f == nil {
		f = newForm(url.Values{})
		if e := p.Task.Evaluation; e != nil {
			f.Values.Set("score", strconv.Itoa(e.Score))
			f.Values.Set("comment", e.Comment)
			f.Values.Set("reason", e.Reason)
			if e.MergeWith != 0 {
				f.Values.Set("merge_with", strconv.FormatInt(e.MergeWith, 10))
			}
		}
	}
	p.Form = f
	h.render(w, r, status, "programme_evaluation.html", p)
}

func (h *Handler) saveEvaluation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	me, err := h.s.Me(r.Context())
	if err == nil && me == nil {
		err = concord.Errorf(concord.ENOTFOUND, "Proposal %d is not assigned to you.", id)
	}
	if err == nil {
		e := &concord.Evaluation{ProposalID: id, PersonID: me.ID, Comment: f.Get("comment"), Reason: f.Get("reason")}
		var ps []*concord.Error
		if e.Score, err = strconv.Atoi(strings.TrimSpace(f.Get("score"))); err != nil {
			ps = append(ps, concord.FieldError("score", "choose a score from 1 to 5"))
		}
		if m := strings.TrimPrefix(strings.TrimSpace(f.Get("merge_with")), "#"); m != "" {
			if e.MergeWith, err = strconv.ParseInt(m, 10, 64); err != nil {
				ps = append(ps, concord.FieldError("merge_with", "%q is not a proposal number", m))
			}
		}
		if err = concord.Invalid(ps); err == nil {
			err = h.s.DB.SaveEvaluation(ctx, v.Forum.ID, e)
		}
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderEvaluate(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Score saved.")
	h.redirect(w, r, h.programmeBase(r)+"/evaluate")
}

// declareConflict takes a proposal off the viewer's list for good.
func (h *Handler) declareConflict(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	me, err := h.s.Me(r.Context())
	if err == nil && me == nil {
		err = concord.Errorf(concord.ENOTFOUND, "Proposal %d is not assigned to you.", id)
	}
	if err == nil {
		err = h.s.DB.DeclareConflict(ctx, v.Forum.ID, id, me.ID, r.PostForm.Get("reason"))
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Conflict of interest declared: you will not score this proposal.")
	h.redirect(w, r, h.programmeBase(r)+"/evaluate")
}

// ---------------------------------------------------------------- secretariat: selection

type programmeSelectionPage struct {
	Page
	Forum     *concord.Forum
	Call      *concord.ProposalCall
	Rows      []sqlstore.RankRow // the page shown
	Total     int
	Decided   map[string]int
	Normalise bool
	PageNo    int
	Pages     int
	Form      *Form // accept the top
}

// callFromPath is the {id} call of the viewer's forum.
func (h *Handler) callFromPath(r *http.Request) (*concord.ProposalCall, error) {
	id, err := parseID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.s.DB.ProposalCall(r.Context(), server.ViewerFrom(r.Context()).Forum.ID, id)
}

func (h *Handler) programmeSelection(w http.ResponseWriter, r *http.Request) {
	h.renderSelection(w, r, http.StatusOK, nil)
}

func (h *Handler) renderSelection(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	v := server.ViewerFrom(r.Context())
	c, err := h.callFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(url.Values{"count": {"60"}})
	}
	p := programmeSelectionPage{Page: h.page(r, "Selection"), Forum: v.Forum, Call: c, Form: f, Decided: map[string]int{},
		Normalise: r.URL.Query().Get("normalise") == "1"}
	p.Title = p.T("Selection {{.A0}}", c.Year)
	rows, err := h.s.DB.Ranking(r.Context(), c, p.Normalise)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, row := range rows {
		p.Decided[cmp.Or(row.Proposal.Decision, "none")]++
	}
	p.Total = len(rows)
	p.Pages = max(1, (len(rows)+queuePageSize-1)/queuePageSize)
	p.PageNo, _ = strconv.Atoi(r.URL.Query().Get("page"))
	p.PageNo = min(max(p.PageNo, 1), p.Pages)
	p.Rows = rows[min(len(rows), (p.PageNo-1)*queuePageSize):min(len(rows), p.PageNo*queuePageSize)]
	h.render(w, r, status, "programme_selection.html", p)
}

func (h *Handler) acceptTop(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	c, err := h.callFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	n, err := strconv.Atoi(strings.TrimSpace(f.Get("count")))
	if err != nil {
		err = concord.FieldError("count", "%q is not a number of proposals", f.Get("count"))
	} else {
		_, err = h.s.DB.AcceptTop(r.Context(), v.Forum, c, n, f.Get("normalise") == "1", v.Account.Name)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderSelection(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "The best-ranked proposals are accepted and recorded in the decision log.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d/selection", h.programmeBase(r), c.ID))
}

// decideProposal accepts, rejects or accepts a proposal if merged.
func (h *Handler) decideProposal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	var merge int64
	if m := strings.TrimPrefix(strings.TrimSpace(f.Get("merge_into")), "#"); m != "" {
		merge, _ = strconv.ParseInt(m, 10, 64)
	}
	p, err := h.s.DB.Proposal(ctx, v.Forum.ID, id)
	if err == nil {
		err = h.s.DB.DecideProposal(ctx, v.Forum, id, f.Get("decision"), merge, f.Get("decision_reason"), v.Account.Name)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProposal(w, r, http.StatusUnprocessableEntity, p, proposalForm(p), f)
		return
	}
	h.flash(r, "Decision recorded.")
	h.redirect(w, r, fmt.Sprintf("%s/proposals/%d", h.programmeBase(r), id))
}

type dashboardPage struct {
	Page
	Forum  *concord.Forum
	Call   *concord.ProposalCall
	Charts [][2]Chart // proposed, accepted, per dimension
}

func (h *Handler) programmeDashboard(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	c, err := h.callFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	proposed, accepted, err := h.s.DB.ProgrammeBreakdown(r.Context(), c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := dashboardPage{Page: h.page(r, "Balance of the programme"), Forum: v.Forum, Call: c}
	as := func(k string) string { return k }
	group := func(k string) string { return p.T(v.Forum.GroupName(k)) }
	region := func(k string) string { return p.T(cmp.Or(k, "Region unknown")) }
	gender := func(k string) string { return p.T("gender." + k) }
	yesNo := func(k string) string { return p.T(map[string]string{"yes": "Yes", "no": "No"}[k]) }
	for i, dim := range []struct {
		id, title string
		pc, ac    []sqlstore.Count
		label     func(string) string
	}{
		{"subtheme", p.T("By subtheme (proposals)"), proposed.Subtheme, accepted.Subtheme, as},
		{"developing", p.T("Proposer from a developing country"), proposed.Developing, accepted.Developing, yesNo},
		{"first-time", p.T("First-time proposer"), proposed.FirstTime, accepted.FirstTime, yesNo},
		{"region", p.T("By region (confirmed speakers)"), proposed.Region, accepted.Region, region},
		{"group", p.T("By stakeholder group (confirmed speakers)"), proposed.Group, accepted.Group, group},
		{"gender", p.T("By gender (confirmed speakers)"), proposed.Gender, accepted.Gender, gender},
	} {
		pair := [2]Chart{
			NewChart(fmt.Sprintf("%s-proposed-%d", dim.id, i), dim.title+": "+p.T("screened in"), dim.pc, dim.label),
			NewChart(fmt.Sprintf("%s-accepted-%d", dim.id, i), dim.title+": "+p.T("accepted"), dim.ac, dim.label),
		}
		for j := range pair {
			pair[j].Cols = [3]string{p.T("Group"), p.T("Count"), p.T("Share")}
			pair[j].Desc = p.T("{{.A0}} in all", pair[j].Total)
		}
		p.Charts = append(p.Charts, pair)
	}
	h.render(w, r, http.StatusOK, "programme_dashboard.html", p)
}

func (h *Handler) publishProgramme(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := h.callFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	notices, err := h.s.DB.PublishProgramme(ctx, v.Forum, c, v.Account.Name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	outcome := map[string]string{
		concord.DecisionAccept:         "is accepted",
		concord.DecisionReject:         "is not accepted",
		concord.DecisionAcceptIfMerged: "is accepted if it merges with another proposal; the secretariat will write to you about the merger",
	}
	for _, n := range notices {
		body := fmt.Sprintf("Hello,\n\nYour session proposal \"%s\" for %s %d %s.\n", n.Proposal.Title, v.Forum.Name, c.Year, outcome[n.Proposal.Decision])
		if n.Proposal.DecisionReason != "" {
			body += "\nReason: " + n.Proposal.DecisionReason + "\n"
		}
		body += fmt.Sprintf("\nThe accepted sessions are listed at %s/forums/%s/programme/accepted\n", h.s.BaseURL, v.Forum.Slug)
		if err := h.s.SendEmail(ctx, &concord.Email{ForumID: v.Forum.ID, To: n.To, Subject: "Your session proposal: " + n.Proposal.Title, Body: body}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.flash(r, "The accepted sessions are published and the proposers notified.")
	h.redirect(w, r, h.programmeBase(r)+"/accepted")
}

type acceptedPage struct {
	Page
	Forum    *concord.Forum
	Call     *concord.ProposalCall // the latest published call, nil if none
	Accepted []*concord.Proposal
}

func (h *Handler) acceptedSessions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	p := acceptedPage{Page: h.page(r, "Accepted sessions"), Forum: v.Forum}
	calls, err := h.s.DB.ProposalCalls(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, c := range calls {
		if !c.Published.IsZero() {
			p.Call = c
			break
		}
	}
	if p.Call != nil {
		all, err := h.s.DB.Proposals(ctx, p.Call.ID, sqlstore.ProposalFilter{Submitted: true})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, x := range all {
			if x.Decision == concord.DecisionAccept || x.Decision == concord.DecisionAcceptIfMerged {
				p.Accepted = append(p.Accepted, x)
			}
		}
	}
	h.render(w, r, http.StatusOK, "programme_accepted.html", p)
}

// ruleNumbers are the screening rules' numeric fields, in form order.
var ruleNumbers = []string{"word_limit", "min_speakers", "min_groups", "min_regions", "min_policy_questions", "max_sessions_per_speaker"}

// ruleSwitches are the screening rules' on/off fields, in form order.
var ruleSwitches = []string{"mixed_gender", "onsite_moderator", "online_moderator", "rapporteur", "exclude_advisory_members", "exclude_owing_report"}

// screeningRulesForm fills the rules form from a call.
func screeningRulesForm(c *concord.ProposalCall) *Form {
	f := newForm(url.Values{})
	r := c.Rules
	for k, v := range map[string]int{"word_limit": r.WordLimit, "min_speakers": r.MinSpeakers, "min_groups": r.MinGroups, "min_regions": r.MinRegions,
		"min_policy_questions": r.MinPolicyQuestions, "max_sessions_per_speaker": r.MaxSessionsPerSpeaker} {
		f.Values.Set(k, strconv.Itoa(v))
	}
	for k, on := range map[string]bool{"mixed_gender": r.MixedGender, "onsite_moderator": r.OnsiteModerator, "online_moderator": r.OnlineModerator,
		"rapporteur": r.Rapporteur, "exclude_advisory_members": r.ExcludeAdvisoryMembers, "exclude_owing_report": r.ExcludeOwingReport} {
		if on {
			f.Values.Set(k, "on")
		}
	}
	f.Values["types"] = c.Types
	f.Values["screened_types"] = r.Types
	return f
}

// saveScreeningRules sets the session types a call takes and the rules
// they are screened by.
func (h *Handler) saveScreeningRules(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := h.callFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	var ps []*concord.Error
	num := map[string]int{}
	for _, k := range ruleNumbers {
		var n int
		f.Int(k, &n, &ps)
		num[k] = n
	}
	c.Types = f.Values["types"]
	if len(c.Types) == 0 {
		ps = append(ps, concord.FieldError("types", "choose at least one session type"))
	}
	c.Rules = concord.ScreeningRules{Types: f.Values["screened_types"], WordLimit: num["word_limit"], MinSpeakers: num["min_speakers"],
		MinGroups: num["min_groups"], MinRegions: num["min_regions"], MinPolicyQuestions: num["min_policy_questions"],
		MaxSessionsPerSpeaker: num["max_sessions_per_speaker"], MixedGender: f.Get("mixed_gender") == "on",
		OnsiteModerator: f.Get("onsite_moderator") == "on", OnlineModerator: f.Get("online_moderator") == "on", Rapporteur: f.Get("rapporteur") == "on",
		ExcludeAdvisoryMembers: f.Get("exclude_advisory_members") == "on", ExcludeOwingReport: f.Get("exclude_owing_report") == "on"}
	if err = concord.Invalid(ps); err == nil {
		err = h.s.DB.UpdateProposalCall(ctx, c)
	}
	if err == nil && f.Get("as_default") == "on" {
		var fr concord.ForumRules
		if fr, err = h.s.DB.ForumRules(ctx, c.ForumID); err == nil {
			fr.Screening = c.Rules
			err = h.s.DB.SaveForumRules(ctx, c.ForumID, fr)
		}
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderProgrammeCall(w, r, http.StatusUnprocessableEntity, nil, nil, f)
		return
	}
	if f.Get("as_default") == "on" {
		h.flash(r, "Screening rules saved, and made the forum's default for new calls.")
		h.redirect(w, r, fmt.Sprintf("%s/calls/%d#rules", h.programmeBase(r), c.ID))
		return
	}
	h.flash(r, "Screening rules saved.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d#rules", h.programmeBase(r), c.ID))
}
