package api

import (
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

// The advisory group: who sits in a cycle, the nomination calls, the
// selections with what is needed to replay their draw, and the
// secretariat's terms added or changed by hand. Unpublished selections and
// members' emails are the secretariat's only.

// advisoryMemberJSON is one seat of the group in a cycle.
type advisoryMemberJSON struct {
	TermID           int64   `json:"term_id"`
	PersonID         int64   `json:"person_id"`
	Name             string  `json:"name"`
	Email            *string `json:"email,omitempty"`
	StakeholderGroup string  `json:"stakeholder_group"`
	Region           string  `json:"region"`
	Country          string  `json:"country"`
	Gender           string  `json:"gender"`
	Role             string  `json:"role"`
	FirstYear        int     `json:"first_year"`
	LastYear         int     `json:"last_year"`
	Consecutive      int     `json:"consecutive_terms"`
	Decision         *int64  `json:"decision"`
}

// advisoryGroupJSON is the group sitting in one cycle year.
type advisoryGroupJSON struct {
	Year      int                  `json:"year"`
	Years     []int                `json:"years"`
	Voting    int                  `json:"voting_seats"`
	Observers int                  `json:"non_voting"`
	Members   []advisoryMemberJSON `json:"members"`
	// The selection published for the year, null if the group was not drawn here.
	Selection *selectionSummaryJSON `json:"published_selection"`
}

func decisionPtr(i int64) *int64 {
	if i < 0 {
		return nil
	}
	return &i
}

// queryYear reads an optional year parameter; 0 when absent.
func queryYear(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2200 {
		return 0, concord.FieldError("year", "%q is not a year between 2000 and 2200", truncate(s))
	}
	return y, nil
}

func (e *endpoints) advisoryGroup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	year, err := queryYear(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	terms, err := e.s.DB.Terms(ctx, v.Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := advisoryGroupJSON{Years: []int{}, Members: []advisoryMemberJSON{}}
	for _, t := range terms {
		for y := t.FirstYear; y <= t.LastYear; y++ {
			if !slices.Contains(out.Years, y) {
				out.Years = append(out.Years, y)
			}
		}
	}
	slices.Sort(out.Years)
	slices.Reverse(out.Years)
	// Without a year: the current cycle if the group sits in it, else the latest.
	if out.Year = year; out.Year == 0 {
		out.Year = e.s.DB.Now().Year()
		if !slices.Contains(out.Years, out.Year) && len(out.Years) > 0 {
			out.Year = out.Years[0]
		}
	}
	members, comp, err := e.s.DB.AdvisoryGroup(ctx, v.Forum.ID, out.Year)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out.Voting = len(comp.Voting())
	out.Observers = len(members) - out.Voting
	sec := v.Can(concord.RoleSecretariat)
	for _, m := range members {
		j := advisoryMemberJSON{TermID: m.Term.ID, PersonID: m.Person.ID, Name: m.Person.Name,
			StakeholderGroup: m.Seat.Group, Region: string(m.Seat.Region), Country: m.Seat.Country, Gender: string(m.Seat.Gender),
			Role: string(m.Term.Role), FirstYear: m.Term.FirstYear, LastYear: m.Term.LastYear, Consecutive: m.Seat.Consecutive,
			Decision: decisionPtr(m.Term.Decision)}
		if sec {
			j.Email = &m.Person.Email
		}
		out.Members = append(out.Members, j)
	}
	sel, err := e.s.DB.PublishedSelection(ctx, v.Forum.ID, out.Year)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	if sel != nil {
		s := newSelectionSummary(v.Forum, sel)
		out.Selection = &s
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// ---------------------------------------------------------------- nomination calls

// nominationCallJSON is a call for nominations to the group.
type nominationCallJSON struct {
	ID                int64     `json:"id"`
	Year              int       `json:"year"`
	Opens             time.Time `json:"opens"`
	Closes            time.Time `json:"closes"`
	State             string    `json:"state"`
	FormerMembersOnly bool      `json:"former_members_only"`
	Description       string    `json:"description"`
	CreatedAt         time.Time `json:"created_at"`
}

func newNominationCallJSON(c *concord.NominationCall, now time.Time) nominationCallJSON {
	state := "closed"
	switch {
	case now.Before(c.Opens):
		state = "upcoming"
	case c.IsOpen(now):
		state = "open"
	}
	return nominationCallJSON{ID: c.ID, Year: c.Year, Opens: c.Opens.UTC(), Closes: c.Closes.UTC(), State: state,
		FormerMembersOnly: c.FormerMembersOnly, Description: c.Description, CreatedAt: c.CreatedAt.UTC()}
}

func (e *endpoints) listNominationCalls(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	calls, err := e.s.DB.NominationCalls(r.Context(), v.Forum.ID)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := struct {
		Items []nominationCallJSON `json:"items"`
	}{Items: []nominationCallJSON{}}
	now := e.s.DB.Now()
	for _, c := range calls {
		out.Items = append(out.Items, newNominationCallJSON(c, now))
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (e *endpoints) showNominationCall(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "nomination call")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	c, err := e.s.DB.NominationCall(r.Context(), v.Forum.ID, id)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, newNominationCallJSON(c, e.s.DB.Now()))
}

// ---------------------------------------------------------------- selections

// selectionSummaryJSON is a selection as listed: enough to find its
// decision-log entries.
type selectionSummaryJSON struct {
	ID                int64      `json:"id"`
	Year              int        `json:"year"`
	Method            string     `json:"method"`
	Seed              string     `json:"seed"`
	InputsHash        string     `json:"inputs_hash"`
	Decision          int64      `json:"decision"`
	CreatedAt         time.Time  `json:"created_at"`
	PublishedAt       *time.Time `json:"published_at"`
	PublishedDecision *int64     `json:"published_decision"`
	URL               string     `json:"url"`
}

func newSelectionSummary(f *concord.Forum, s *sqlstore.AdvisorySelection) selectionSummaryJSON {
	out := selectionSummaryJSON{ID: s.ID, Year: s.Year, Method: s.Method, Seed: s.Seed, InputsHash: s.InputsHash,
		Decision: s.Decision, CreatedAt: s.CreatedAt.UTC(), URL: fmt.Sprintf("/api/forums/%s/advisory-group/selections/%d", f.Slug, s.ID)}
	if !s.Published.IsZero() {
		at := s.Published.UTC()
		out.PublishedAt, out.PublishedDecision = &at, decisionPtr(s.PublishedDecision)
	}
	return out
}

// selectionJSON is a selection with its published inputs and result: the
// inputs are the canonical JSON whose SHA-256 is inputs_hash, and command
// replays the draw with `concord panel select` on the files.
type selectionJSON struct {
	selectionSummaryJSON
	Inputs  json.RawMessage          `json:"inputs"`
	Result  sqlstore.SelectionResult `json:"result"`
	Command string                   `json:"command"`
	Files   map[string]string        `json:"files"`
}

// selectionVisible hides unpublished selections from all but the secretariat.
func selectionVisible(v *server.Viewer, s *sqlstore.AdvisorySelection) bool {
	return !s.Published.IsZero() || v.Can(concord.RoleSecretariat)
}

func (e *endpoints) listSelections(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	year, err := queryYear(r)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	sels, err := e.s.DB.AdvisorySelections(r.Context(), v.Forum.ID, year)
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := struct {
		Items []selectionSummaryJSON `json:"items"`
	}{Items: []selectionSummaryJSON{}}
	for _, s := range sels {
		if selectionVisible(v, s) {
			out.Items = append(out.Items, newSelectionSummary(v.Forum, s))
		}
	}
	server.WriteJSON(w, http.StatusOK, out)
}

func (e *endpoints) showSelection(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := pathID(r, "id", "selection")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	s, err := e.s.DB.AdvisorySelectionByID(r.Context(), v.Forum.ID, id)
	if err == nil && !selectionVisible(v, s) {
		// Not published reads as absent, as the web's files do.
		err = concord.Errorf(concord.ENOTFOUND, "There is no published selection with id %d.", id)
	}
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := selectionJSON{selectionSummaryJSON: newSelectionSummary(v.Forum, s), Inputs: s.InputsJSON, Result: s.Result,
		Command: s.Inputs.Command(s.Seed), Files: map[string]string{}}
	if out.Result.Panel == nil {
		out.Result.Panel = []string{}
	}
	if out.Result.Probabilities == nil {
		out.Result.Probabilities = map[string]float64{}
	}
	for _, name := range []string{"people.csv", "categories.csv", "inputs.json"} {
		out.Files[name] = fmt.Sprintf("/forums/%s/advisory-group/selections/%d/%s", v.Forum.Slug, s.ID, name)
	}
	server.WriteJSON(w, http.StatusOK, out)
}

// ---------------------------------------------------------------- terms edited by hand

// termJSON is a term as stored.
type termJSON struct {
	ID        int64  `json:"id"`
	PersonID  int64  `json:"person_id"`
	FirstYear int    `json:"first_year"`
	LastYear  int    `json:"last_year"`
	Role      string `json:"role"`
	Decision  *int64 `json:"decision"`
}

func newTermJSON(t concord.Term) termJSON {
	return termJSON{ID: t.ID, PersonID: t.PersonID, FirstYear: t.FirstYear, LastYear: t.LastYear, Role: string(t.Role),
		Decision: decisionPtr(t.Decision)}
}

// termEditJSON answers a saved edit.
type termEditJSON struct {
	Term     termJSON  `json:"term"`
	Before   *termJSON `json:"before"`
	Decision int64     `json:"decision"`
	Warnings []string  `json:"warnings"`
}

// termInput is the body of a term added or changed; person_id only when adding.
type termInput struct {
	PersonID  int64  `json:"person_id"`
	FirstYear int    `json:"first_year"`
	LastYear  int    `json:"last_year"`
	Role      string `json:"role"`
	Reason    string `json:"reason"`
	Override  bool   `json:"override"`
}

func (in *termInput) fields(withPerson bool) []jsonField {
	fs := []jsonField{
		{"first_year", &in.FirstYear, "an integer (a year)"},
		{"last_year", &in.LastYear, "an integer (a year)"},
		{"role", &in.Role, "a string (member, reserved, observer or chair)"},
		{"reason", &in.Reason, "a string"},
		{"override", &in.Override, "a boolean"},
	}
	if withPerson {
		fs = append([]jsonField{{"person_id", &in.PersonID, "an integer (a person's id)"}}, fs...)
	}
	return fs
}

func (e *endpoints) saveTerm(w http.ResponseWriter, r *http.Request, id int64) {
	v := server.ViewerFrom(r.Context())
	var in termInput
	if err := decodeObject(w, r, in.fields(id == 0)); err != nil {
		e.fail(w, r, err)
		return
	}
	edit := concord.TermEdit{Term: concord.Term{ID: id, PersonID: in.PersonID, FirstYear: in.FirstYear, LastYear: in.LastYear,
		Role: concord.AdvisoryRole(in.Role)}, Reason: in.Reason, Override: in.Override}
	if id != 0 {
		old, err := e.s.DB.Term(r.Context(), v.Forum.ID, id)
		if err != nil {
			e.fail(w, r, err)
			return
		}
		edit.Term.PersonID = old.PersonID
	}
	res, err := e.s.DB.SaveTermEdit(r.Context(), v.Forum, edit, fmt.Sprintf("%s (account %d)", v.Account.Name, v.Account.ID))
	if err != nil {
		e.fail(w, r, err)
		return
	}
	out := termEditJSON{Term: newTermJSON(res.Term), Decision: res.Decision, Warnings: []string{}}
	if res.Before != nil {
		b := newTermJSON(*res.Before)
		out.Before = &b
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, w.Message())
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	server.WriteJSON(w, status, out)
}

func (e *endpoints) createTerm(w http.ResponseWriter, r *http.Request) { e.saveTerm(w, r, 0) }

func (e *endpoints) updateTerm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id", "term")
	if err != nil {
		e.fail(w, r, err)
		return
	}
	e.saveTerm(w, r, id)
}
