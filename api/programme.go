package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"concord"
	"concord/server"
	"concord/sqlstore"
)

// The programme: calls for session proposals, proposals with their
// screening, blind scoring by evaluators, the ranking and the published
// accepted list. Access levels are decided in server.allowed; who sees
// which proposal, and which of its fields, is decided here, as on the web.

// ---------------------------------------------------------------- calls

// callJSON is a call for session proposals.
type callJSON struct {
	ID          int64                  `json:"id"`
	Year        int                    `json:"year"`
	Types       []string               `json:"types"`
	Opens       time.Time              `json:"opens"`
	Closes      time.Time              `json:"closes"`
	State       string                 `json:"state"`
	Description string                 `json:"description"`
	Rules       concord.ScreeningRules `json:"screening_rules"`
	// The accepted list's publication and its decision-log entry, null before.
	PublishedAt       *time.Time `json:"published_at"`
	PublishedDecision *int64     `json:"published_decision"`
}

// callState names where a call stands at now.
func callState(c *concord.ProposalCall, now time.Time) string {
	switch {
	case now.Before(c.Opens):
		return "upcoming"
	case c.IsOpen(now):
		return "open"
	}
	return "closed"
}

func newCallJSON(c *concord.ProposalCall, now time.Time) callJSON {
	out := callJSON{ID: c.ID, Year: c.Year, Types: nonNilStrings(c.Types), Opens: c.Opens.UTC(), Closes: c.Closes.UTC(),
		State: callState(c, now), Description: c.Description, Rules: c.Rules}
	out.Rules.Types = nonNilStrings(c.Rules.Types)
	if !c.Published.IsZero() {
		at, idx := c.Published.UTC(), c.PublishedDecision
		out.PublishedAt, out.PublishedDecision = &at, &idx
	}
	return out
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

type callList struct {
	Items []callJSON `json:"items"`
}

func (e *endpoints) listProposalCalls(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	calls, err := e.s.DB.ProposalCalls(r.Context(), v.Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := callList{Items: []callJSON{}}
	now := e.s.DB.Now()
	for _, c := range calls {
		out.Items = append(out.Items, newCallJSON(c, now))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// callFromPath is the {id} call of the viewer's forum.
func (e *endpoints) callFromPath(r *http.Request) (*concord.ProposalCall, error) {
	id, err := pathID(r, "id", "call for proposals")
	if err != nil {
		return nil, err
	}
	return e.s.DB.ProposalCall(r.Context(), server.ViewerFrom(r.Context()).Forum.ID, id)
}

func (e *endpoints) showProposalCall(w http.ResponseWriter, r *http.Request) {
	c, err := e.callFromPath(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, newCallJSON(c, e.s.DB.Now()))
}

// ---------------------------------------------------------------- proposals

// sessionPersonJSON is a person in a role of a proposal. Email is personal
// data: only the forum's secretariat sees it.
type sessionPersonJSON struct {
	PersonID         int64      `json:"person_id"`
	Role             string     `json:"role"`
	Name             string     `json:"name"`
	Email            *string    `json:"email,omitempty"`
	Organisation     string     `json:"organisation"`
	StakeholderGroup string     `json:"stakeholder_group"`
	Country          string     `json:"country"`
	Region           string     `json:"region"`
	Gender           string     `json:"gender"`
	InvitedAt        *time.Time `json:"invited_at"`
	ConfirmedAt      *time.Time `json:"confirmed_at"`
}

type failureJSON struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// screeningJSON is a proposal against its call's rules; a draft is
// screened as if it were submitted, as its proposer sees it while editing.
type screeningJSON struct {
	Passed         bool          `json:"passed"` // after any override
	Failures       []failureJSON `json:"failures"`
	Override       *string       `json:"override"` // pass or fail; null when the rules decide
	OverrideReason string        `json:"override_reason"`
}

type decisionJSON struct {
	Decision      string `json:"decision"`
	Reason        string `json:"reason"`
	MergeInto     *int64 `json:"merge_into"`
	DecisionIndex int64  `json:"decision_index"`
}

// proposalJSON is a proposal as a viewer may see it: screening only for
// the secretariat and the proposer, the decision for the secretariat and,
// once the accepted list is published, for everyone who sees the proposal.
type proposalJSON struct {
	ID              int64               `json:"id"`
	CallID          int64               `json:"call_id"`
	Type            string              `json:"type"`
	Title           string              `json:"title"`
	Description     string              `json:"description"`
	PolicyQuestions []string            `json:"policy_questions"`
	Subtheme        string              `json:"subtheme"`
	Format          string              `json:"format"`
	Languages       []string            `json:"languages"`
	Status          string              `json:"status"`
	SubmittedAt     *time.Time          `json:"submitted_at"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
	Mine            bool                `json:"mine"`
	People          []sessionPersonJSON `json:"people"`
	Screening       *screeningJSON      `json:"screening"`
	Decision        *decisionJSON       `json:"decision"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// mine reports whether the viewer proposed p.
func mine(v *server.Viewer, p *concord.Proposal) bool {
	return v.Account != nil && p.AccountID == v.Account.ID
}

// accepted reports whether p is on its call's accepted list.
func accepted(p *concord.Proposal) bool {
	return p.Status == concord.ProposalSubmitted && (p.Decision == concord.DecisionAccept || p.Decision == concord.DecisionAcceptIfMerged)
}

// mayView reports whether the viewer may see p at all: the secretariat and
// the proposer always, anyone else once it is published as accepted.
func mayView(v *server.Viewer, c *concord.ProposalCall, p *concord.Proposal) bool {
	return v.Can(concord.RoleSecretariat) || mine(v, p) || (!c.Published.IsZero() && accepted(p))
}

// newProposalJSON shows p to v; failures is nil unless v sees the screening.
func newProposalJSON(v *server.Viewer, c *concord.ProposalCall, p *concord.Proposal, failures []concord.ScreeningFailure) proposalJSON {
	sec, own := v.Can(concord.RoleSecretariat), mine(v, p)
	out := proposalJSON{ID: p.ID, CallID: p.CallID, Type: p.Type, Title: p.Title, Description: p.Description,
		PolicyQuestions: nonNilStrings(p.PolicyQuestions), Subtheme: p.Subtheme, Format: p.Format, Languages: nonNilStrings(p.Languages),
		Status: string(p.Status), SubmittedAt: optTime(p.Submitted), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
		Mine: own, People: []sessionPersonJSON{}}
	for _, x := range p.People {
		// The public sees a speaker only once they agreed to speak.
		if !sec && !own && x.Role == concord.Speaker && x.Confirmed.IsZero() {
			continue
		}
		sp := sessionPersonJSON{PersonID: x.PersonID, Role: string(x.Role), Name: x.Name, Organisation: x.Organisation,
			StakeholderGroup: x.Group, Country: x.Country, Region: string(x.Region()), Gender: string(x.Gender),
			InvitedAt: optTime(x.Invited), ConfirmedAt: optTime(x.Confirmed)}
		if sec {
			email := x.Email
			sp.Email = &email
		}
		out.People = append(out.People, sp)
	}
	if sec || own {
		s := &screeningJSON{Passed: p.Screened(failures), Failures: []failureJSON{}, OverrideReason: p.OverrideReason}
		for _, f := range failures {
			s.Failures = append(s.Failures, failureJSON{f.Rule, f.Message})
		}
		if p.Override != "" {
			o := p.Override
			s.Override = &o
		}
		out.Screening = s
	}
	if p.Decision != "" && (sec || !c.Published.IsZero()) {
		d := &decisionJSON{Decision: p.Decision, Reason: p.DecisionReason, DecisionIndex: p.DecisionIndex}
		if p.MergeInto != 0 {
			m := p.MergeInto
			d.MergeInto = &m
		}
		out.Decision = d
	}
	return out
}

type proposalPage struct {
	Items  []proposalJSON `json:"items"`
	Total  int            `json:"total"`
	Offset int            `json:"offset"`
	Limit  int            `json:"limit"`
}

// listProposals lists a call's proposals the viewer may see, oldest first:
// the secretariat all of them with their screening, a proposer their own,
// and everyone the published accepted ones.
func (e *endpoints) listProposals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	// The query holds only offset and limit (strictQuery), so the people
	// listing's parser reads them with the same bounds and messages.
	flt, err := server.PersonFilter(v.Forum, r.URL.Query(), true, DefaultLimit, MaxLimit)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	c, err := e.callFromPath(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	// Before publication others see only their own, so only those are read.
	var all []*concord.Proposal
	switch {
	case v.Can(concord.RoleSecretariat) || !c.Published.IsZero():
		all, err = e.s.DB.Proposals(ctx, c.ID, sqlstore.ProposalFilter{})
	case v.Account != nil:
		all, err = e.s.DB.Proposals(ctx, c.ID, sqlstore.ProposalFilter{AccountID: v.Account.ID})
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	visible := slices.DeleteFunc(all, func(p *concord.Proposal) bool { return !mayView(v, c, p) })
	page := proposalPage{Items: []proposalJSON{}, Total: len(visible), Offset: flt.Offset, Limit: flt.Limit}
	shown := visible[min(len(visible), flt.Offset):min(len(visible), flt.Offset+flt.Limit)]
	// Submitted proposals are screened together, as in the secretariat's
	// queue; drafts one by one, as their proposers see them while editing.
	var queue map[int64][]concord.ScreeningFailure
	for _, p := range shown {
		var failures []concord.ScreeningFailure
		if v.Can(concord.RoleSecretariat) || mine(v, p) {
			if p.Status == concord.ProposalSubmitted {
				if queue == nil {
					if queue, err = e.screeningQueue(ctx, c); err != nil {
						e.fail(w, r, err)
						return
					}
				}
				failures = queue[p.ID]
			} else if failures, err = e.s.DB.ScreenProposal(ctx, c, p); err != nil {
				e.fail(w, r, err)
				return
			}
		}
		page.Items = append(page.Items, newProposalJSON(v, c, p, failures))
	}
	server.WriteJSON(w, http.StatusOK, page)
}

// screeningQueue screens the call's submitted proposals, by proposal id.
func (e *endpoints) screeningQueue(ctx context.Context, c *concord.ProposalCall) (map[int64][]concord.ScreeningFailure, error) {
	all, err := e.s.DB.ScreenProposals(ctx, c)
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]concord.ScreeningFailure, len(all))
	for _, s := range all {
		out[s.Proposal.ID] = s.Failures
	}
	return out, nil
}

// viewableProposal is the {id} proposal with its call if the viewer may see
// it; to anyone else it does not exist.
func (e *endpoints) viewableProposal(r *http.Request) (*concord.ProposalCall, *concord.Proposal, error) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := pathID(r, "id", "proposal")
	if err != nil {
		return nil, nil, err
	}
	p, err := e.s.DB.Proposal(ctx, v.Forum.ID, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := e.s.DB.ProposalCall(ctx, v.Forum.ID, p.CallID)
	if err != nil {
		return nil, nil, err
	}
	if !mayView(v, c, p) {
		return nil, nil, concord.Errorf(concord.ENOTFOUND, "There is no proposal %d that you may see.", id)
	}
	return c, p, nil
}

// ownProposal is the {id} proposal with its call if the viewer proposed
// it: only the proposer edits or submits, even the secretariat does not.
func (e *endpoints) ownProposal(r *http.Request) (*concord.ProposalCall, *concord.Proposal, error) {
	c, p, err := e.viewableProposal(r)
	if err == nil && !mine(server.ViewerFrom(r.Context()), p) {
		err = concord.Errorf(concord.ENOTFOUND, "There is no proposal %d of yours.", p.ID)
	}
	return c, p, err
}

// respondProposal answers with the stored p as the viewer sees it, screened.
func (e *endpoints) respondProposal(w http.ResponseWriter, r *http.Request, status int, c *concord.ProposalCall, p *concord.Proposal) {
	v := server.ViewerFrom(r.Context())
	var failures []concord.ScreeningFailure
	if v.Can(concord.RoleSecretariat) || mine(v, p) {
		var err error
		if failures, err = e.s.DB.ScreenProposal(r.Context(), c, p); err != nil {
			e.fail(w, r, err)
			return
		}
	}
	server.WriteJSON(w, status, newProposalJSON(v, c, p, failures))
}

func (e *endpoints) showProposal(w http.ResponseWriter, r *http.Request) {
	c, p, err := e.viewableProposal(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.respondProposal(w, r, http.StatusOK, c, p)
}

// proposalInput is the body of a create or a full update. People are named
// per role by registry person id or email, as on the proposal form.
type proposalInput struct {
	Type            string
	Title           string
	Description     string
	PolicyQuestions []string
	Subtheme        string
	Format          string
	Languages       []string
	People          map[concord.ProposalRole]*[]json.RawMessage
}

func (in *proposalInput) fields() []jsonField {
	fs := []jsonField{
		{"type", &in.Type, "a string (a session type)"},
		{"title", &in.Title, "a string"},
		{"description", &in.Description, "a string"},
		{"policy_questions", &in.PolicyQuestions, "an array of strings (the cycle's policy questions)"},
		{"subtheme", &in.Subtheme, "a string (one of the cycle's subthemes)"},
		{"format", &in.Format, "a string (a session format)"},
		{"languages", &in.Languages, "an array of strings (language codes)"},
	}
	in.People = map[concord.ProposalRole]*[]json.RawMessage{}
	for _, role := range concord.ProposalRoles {
		refs := &[]json.RawMessage{}
		in.People[role] = refs
		fs = append(fs, jsonField{string(role), refs, "an array of person ids and emails"})
	}
	return fs
}

// readProposal decodes a proposalInput body into p, resolving people in the
// registry; the store validates the rest against the call and cycle when
// it saves.
func (e *endpoints) readProposal(w http.ResponseWriter, r *http.Request, c *concord.ProposalCall, p *concord.Proposal) error {
	var in proposalInput
	if err := decodeObject(w, r, in.fields()); err != nil {
		return err
	}
	p.Type, p.Title, p.Description, p.Subtheme, p.Format = in.Type, in.Title, in.Description, in.Subtheme, in.Format
	p.PolicyQuestions, p.Languages = in.PolicyQuestions, in.Languages
	var ps []*concord.Error
	refs := map[concord.ProposalRole][]string{}
	for _, role := range concord.ProposalRoles {
		for i, raw := range *in.People[role] {
			var ref any
			json.Unmarshal(raw, &ref) // raw is valid JSON: decodeObject read it
			switch x := ref.(type) {
			case float64:
				if x >= 1 && x == float64(int64(x)) {
					refs[role] = append(refs[role], "#"+strconv.FormatInt(int64(x), 10))
					continue
				}
			case string:
				if x != "" {
					refs[role] = append(refs[role], x)
					continue
				}
			}
			ps = append(ps, concord.FieldError(fmt.Sprintf("%s[%d]", role, i), "must be a person id (a positive integer) or an email"))
		}
	}
	people, err := e.s.DB.ProposalPeople(r.Context(), p.ForumID, refs)
	p.People = people
	if err != nil {
		if concord.ErrorCode(err) != concord.EINVALID {
			return err
		}
		ps = append(ps, concord.Problems(err)...)
	}
	if len(ps) > 0 {
		// Report the other fields' problems too, so one answer lists them all.
		cy, err := e.s.DB.CycleOf(r.Context(), p.ForumID, c.Year)
		if err != nil {
			return err
		}
		ps = append(ps, concord.Problems(p.Validate(c, cy))...)
	}
	return concord.Invalid(ps)
}

// saveProposal stores p through the store, which checks the call's window
// and the proposer, then emails the speakers it asks to confirm and
// answers with the proposal as stored.
func (e *endpoints) saveProposal(w http.ResponseWriter, r *http.Request, status int, c *concord.ProposalCall, p *concord.Proposal, submit bool) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	invites, err := e.s.DB.SaveProposal(ctx, p, submit)
	if err == nil {
		err = e.inviteSpeakers(ctx, v, invites)
	}
	var stored *concord.Proposal
	if err == nil {
		stored, err = e.s.DB.Proposal(ctx, v.Forum.ID, p.ID)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", fmt.Sprintf("/api/forums/%s/programme/proposals/%d", v.Forum.Slug, p.ID))
	}
	e.respondProposal(w, r, status, c, stored)
}

// inviteSpeakers asks each newly named speaker, by an emailed link to the
// web page, to confirm; until then they do not count for the rules.
func (e *endpoints) inviteSpeakers(ctx context.Context, v *server.Viewer, invites []sqlstore.Invitation) error {
	for _, inv := range invites {
		if err := e.s.SendEmail(ctx, &concord.Email{ForumID: v.Forum.ID, To: inv.Speaker.Email,
			Subject: "Please confirm that you will speak: " + inv.Proposal.Title,
			Body: fmt.Sprintf("Hello %s,\n\n%s proposes a session for %s, \"%s\", and names you as a speaker.\n\n"+
				"If you agree to speak, confirm by opening this link:\n\n%s/forums/%s/programme/confirm/%s\n\n"+
				"Until you confirm, you do not count as a speaker. If you did not agree to speak, ignore this message.\n",
				inv.Speaker.Name, v.Account.Name, v.Forum.Name, inv.Proposal.Title, e.s.BaseURL, v.Forum.Slug, inv.Token)}); err != nil {
			return err
		}
	}
	return nil
}

func (e *endpoints) createProposal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := e.callFromPath(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	p := &concord.Proposal{CallID: c.ID, ForumID: v.Forum.ID, AccountID: v.Account.ID}
	if me, err := e.s.Me(ctx); err != nil {
		e.fail(w, r, err)
		return
	} else if me != nil {
		p.ProposerID = me.ID
	}
	if err := e.readProposal(w, r, c, p); err != nil {
		e.fail(w, r, err)
		return
	}
	e.saveProposal(w, r, http.StatusCreated, c, p, false)
}

func (e *endpoints) updateProposal(w http.ResponseWriter, r *http.Request) {
	c, p, err := e.ownProposal(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if err := e.readProposal(w, r, c, p); err != nil {
		e.fail(w, r, err)
		return
	}
	e.saveProposal(w, r, http.StatusOK, c, p, false)
}

// submitProposal submits the proposer's draft as it stands; it stays
// editable until the call closes. Submitting again changes nothing.
func (e *endpoints) submitProposal(w http.ResponseWriter, r *http.Request) {
	c, p, err := e.ownProposal(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.saveProposal(w, r, http.StatusOK, c, p, true)
}

// ---------------------------------------------------------------- evaluations

// blindSpeakerJSON is a speaker as evaluators see them: no name, no
// organisation, nothing that names the proposers.
type blindSpeakerJSON struct {
	StakeholderGroup string `json:"stakeholder_group"`
	Region           string `json:"region"`
	Gender           string `json:"gender"`
	Confirmed        bool   `json:"confirmed"`
}

type evaluationJSON struct {
	ProposalID int64     `json:"proposal_id"`
	Score      int       `json:"score"`
	Comment    string    `json:"comment"`
	Reason     string    `json:"reason"`
	MergeWith  *int64    `json:"merge_with"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func newEvaluationJSON(ev *concord.Evaluation) *evaluationJSON {
	out := &evaluationJSON{ProposalID: ev.ProposalID, Score: ev.Score, Comment: ev.Comment, Reason: ev.Reason, UpdatedAt: ev.UpdatedAt.UTC()}
	if ev.MergeWith != 0 {
		m := ev.MergeWith
		out.MergeWith = &m
	}
	return out
}

// taskJSON is a proposal assigned to the viewer, shown as on the web's
// scoring page: without proposer names, with the developing-country and
// first-time flags.
type taskJSON struct {
	ProposalID        int64              `json:"proposal_id"`
	Type              string             `json:"type"`
	Title             string             `json:"title"`
	Description       string             `json:"description"`
	PolicyQuestions   []string           `json:"policy_questions"`
	Subtheme          string             `json:"subtheme"`
	Format            string             `json:"format"`
	Languages         []string           `json:"languages"`
	Speakers          []blindSpeakerJSON `json:"speakers"`
	DevelopingCountry bool               `json:"developing_country"`
	FirstTime         bool               `json:"first_time"`
	Conflict          bool               `json:"conflict"`
	Evaluation        *evaluationJSON    `json:"evaluation"`
}

type taskList struct {
	CallID int64      `json:"call_id"`
	Scored int        `json:"scored"`
	Items  []taskJSON `json:"items"`
}

// listEvaluations lists the call's proposals assigned to the viewer; an
// account that is not in the registry has none.
func (e *endpoints) listEvaluations(w http.ResponseWriter, r *http.Request) {
	c, err := e.callFromPath(r)
	var me *concord.Person
	if err == nil {
		me, err = e.s.Me(r.Context())
	}
	var tasks []sqlstore.EvaluatorTask
	if err == nil && me != nil {
		tasks, err = e.s.DB.EvaluatorTasks(r.Context(), c, me.ID)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := taskList{CallID: c.ID, Items: []taskJSON{}}
	for _, t := range tasks {
		p := t.Proposal
		tj := taskJSON{ProposalID: p.ID, Type: p.Type, Title: p.Title, Description: p.Description,
			PolicyQuestions: nonNilStrings(p.PolicyQuestions), Subtheme: p.Subtheme, Format: p.Format, Languages: nonNilStrings(p.Languages),
			Speakers: []blindSpeakerJSON{}, DevelopingCountry: t.DevelopingCountry, FirstTime: t.FirstTime, Conflict: t.Conflict}
		for _, s := range p.In(concord.Speaker) {
			tj.Speakers = append(tj.Speakers, blindSpeakerJSON{StakeholderGroup: s.Group, Region: string(s.Region()),
				Gender: string(s.Gender), Confirmed: !s.Confirmed.IsZero()})
		}
		if t.Evaluation != nil {
			tj.Evaluation = newEvaluationJSON(t.Evaluation)
			out.Scored++
		}
		out.Items = append(out.Items, tj)
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// saveEvaluation stores or replaces the viewer's score of a proposal; the
// store refuses a proposal not assigned to them or one they declared a
// conflict with.
func (e *endpoints) saveEvaluation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := pathID(r, "id", "proposal")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var score *int
	var comment, reason string
	var merge *int64
	if err := decodeObject(w, r, []jsonField{
		{"score", &score, "an integer from 1 to 5"},
		{"comment", &comment, "a string"},
		{"reason", &reason, "a string (required for a score of 3 or less)"},
		{"merge_with", &merge, "a proposal id or null"},
	}); err != nil {
		e.fail(w, r, err)
		return
	}
	if score == nil {
		e.fail(w, r, concord.FieldError("score", "is required: an integer from 1 to 5"))
		return
	}
	me, err := e.s.Me(r.Context())
	if err == nil && me == nil {
		err = concord.Errorf(concord.ENOTFOUND, "Proposal %d is not assigned to you.", id)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	ev := &concord.Evaluation{ProposalID: id, PersonID: me.ID, Score: *score, Comment: comment, Reason: reason}
	if merge != nil {
		ev.MergeWith = *merge
	}
	if err := e.s.DB.SaveEvaluation(ctx, v.Forum.ID, ev); err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, newEvaluationJSON(ev))
}

// declareConflict takes a proposal off the viewer's list for good: the
// next assignment leaves the pair out and the store refuses their score.
func (e *endpoints) declareConflict(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "proposal")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	var reason string
	if err := decodeObject(w, r, []jsonField{{"reason", &reason, "a string"}}); err != nil {
		e.fail(w, r, err)
		return
	}
	me, err := e.s.Me(r.Context())
	if err == nil && me == nil {
		err = concord.Errorf(concord.ENOTFOUND, "Proposal %d is not assigned to you.", id)
	}
	if err == nil {
		err = e.s.DB.DeclareConflict(r.Context(), v.Forum.ID, id, me.ID, reason)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// ---------------------------------------------------------------- results

type scoreStatsJSON struct {
	N         int     `json:"n"`
	Mean      float64 `json:"mean"`
	Median    float64 `json:"median"`
	SD        float64 `json:"sd"`
	Polarised bool    `json:"polarised"`
}

func newScoreStatsJSON(s concord.ScoreStats) scoreStatsJSON {
	return scoreStatsJSON{N: s.N, Mean: s.Mean, Median: s.Median, SD: s.SD, Polarised: s.Polarised}
}

// rankJSON is a screened proposal's place in the ranking, with its scores
// as given and as z-scores against each evaluator's own scores.
type rankJSON struct {
	Rank       int            `json:"rank"`
	Tie        string         `json:"tie"`
	ProposalID int64          `json:"proposal_id"`
	Title      string         `json:"title"`
	Type       string         `json:"type"`
	Subtheme   string         `json:"subtheme"`
	Raw        scoreStatsJSON `json:"raw"`
	Normalised scoreStatsJSON `json:"normalised"`
	Decision   *decisionJSON  `json:"decision"`
}

type rankingJSON struct {
	CallID    int64      `json:"call_id"`
	Normalise bool       `json:"normalise"`
	Items     []rankJSON `json:"items"`
}

// ranking ranks the call's screened proposals, on raw scores or, with
// normalise=true, on per-evaluator z-scores; both sets of figures are shown.
func (e *endpoints) ranking(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	var normalise bool
	switch s := r.URL.Query().Get("normalise"); s {
	case "", "false":
	case "true":
		normalise = true
	default:
		e.fail(w, r, concord.FieldError("normalise", "%q is not true or false", truncate(s)))
		return
	}
	c, err := e.callFromPath(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	raw, err := e.s.DB.Ranking(ctx, c, false)
	var z []sqlstore.RankRow
	if err == nil {
		z, err = e.s.DB.Ranking(ctx, c, true)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	zBy := map[int64]concord.ScoreStats{}
	for _, row := range z {
		zBy[row.ProposalID] = row.Stats
	}
	rows := raw
	if normalise {
		rows = z
	}
	out := rankingJSON{CallID: c.ID, Normalise: normalise, Items: []rankJSON{}}
	for _, row := range rows {
		p := row.Proposal
		out.Items = append(out.Items, rankJSON{Rank: row.Rank, Tie: row.Tie, ProposalID: p.ID, Title: p.Title, Type: p.Type,
			Subtheme: p.Subtheme, Raw: newScoreStatsJSON(row.Raw), Normalised: newScoreStatsJSON(zBy[p.ID]),
			Decision: newProposalJSON(v, c, p, nil).Decision})
	}
	server.WriteJSON(w, http.StatusOK, out)
}

type acceptedJSON struct {
	CallID            int64          `json:"call_id"`
	PublishedAt       *time.Time     `json:"published_at"`
	PublishedDecision *int64         `json:"published_decision"`
	Items             []proposalJSON `json:"items"`
}

// acceptedProposals is the call's published accepted list; before
// publication it is empty, with published_at null.
func (e *endpoints) acceptedProposals(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := e.callFromPath(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	cj := newCallJSON(c, e.s.DB.Now())
	out := acceptedJSON{CallID: c.ID, PublishedAt: cj.PublishedAt, PublishedDecision: cj.PublishedDecision, Items: []proposalJSON{}}
	if !c.Published.IsZero() {
		all, err := e.s.DB.Proposals(ctx, c.ID, sqlstore.ProposalFilter{Submitted: true})
		if err != nil {
			e.fail(w, r, err)
			return
		}
		for _, p := range all {
			if accepted(p) {
				// The public list shows what the public sees, whoever asks.
				out.Items = append(out.Items, newProposalJSON(&server.Viewer{Role: concord.RolePublic}, c, p, nil))
			}
		}
	}
	server.WriteJSON(w, http.StatusOK, out)
}
