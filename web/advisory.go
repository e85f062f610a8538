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

// The advisory group: the public composition with how to verify its draw,
// nominations by signed-in accounts, and the secretariat's calls, rules,
// validator, selection and publication.

const localMinute = "2006-01-02T15:04" // <input type="datetime-local">, read as UTC

func (h *Handler) advisoryBase(r *http.Request) string {
	return "/forums/" + server.ViewerFrom(r.Context()).Forum.Slug + "/advisory-group"
}

// countSeats breaks seats down by key, largest first, for NewChart.
func countSeats(seats []concord.Seat, key func(concord.Seat) string) []sqlstore.Count {
	m := map[string]int{}
	for _, s := range seats {
		m[key(s)]++
	}
	var out []sqlstore.Count
	for k, n := range m {
		out = append(out, sqlstore.Count{Key: k, N: n})
	}
	slices.SortFunc(out, func(a, b sqlstore.Count) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Key, b.Key)) })
	return out
}

func (h *Handler) seatCharts(p Page, f *concord.Forum, seats []concord.Seat) []Chart {
	cs := []Chart{
		NewChart("by-group", p.T("By stakeholder group"), countSeats(seats, func(s concord.Seat) string { return s.Group }), func(k string) string { return p.T(f.GroupName(k)) }),
		NewChart("by-region", p.T("By UN regional group"), countSeats(seats, func(s concord.Seat) string { return string(s.Region) }), func(k string) string { return p.T(k) }),
		NewChart("by-gender", p.T("By gender"), countSeats(seats, func(s concord.Seat) string { return string(s.Gender) }), func(k string) string { return p.T("gender." + k) }),
	}
	for i := range cs {
		cs[i].Cols = [3]string{p.T("Group"), p.T("Count"), p.T("Share")}
		cs[i].Desc = p.T("{{.A0}} in all", cs[i].Total)
	}
	return cs
}

// ---------------------------------------------------------------- public page

type advisoryPage struct {
	Page
	Forum     *concord.Forum
	Year      int
	Years     []int
	Members   []sqlstore.AdvisoryMember
	Voting    int
	Observers int
	Charts    []Chart
	// MinProbability is the published selection's lowest chance, as a percentage.
	MinProbability string
	Selection      *sqlstore.AdvisorySelection
	Command        string
	Call           *concord.NominationCall
	CallOpen       bool
}

func (h *Handler) advisoryGroup(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	terms, err := h.s.DB.Terms(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := advisoryPage{Page: h.page(r, "Advisory group"), Forum: v.Forum}
	for _, t := range terms {
		for y := t.FirstYear; y <= t.LastYear; y++ {
			if !slices.Contains(p.Years, y) {
				p.Years = append(p.Years, y)
			}
		}
	}
	slices.Sort(p.Years)
	slices.Reverse(p.Years)
	calls, err := h.s.DB.NominationCalls(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(calls) > 0 {
		p.Call, p.CallOpen = calls[0], calls[0].IsOpen(h.s.DB.Now())
	}
	// The group of the latest call's cycle once published, else the latest group.
	if s := r.URL.Query().Get("year"); s != "" {
		if p.Year, err = strconv.Atoi(s); err != nil {
			h.fail(w, r, concord.FieldError("year", "%q is not a year", s))
			return
		}
	} else if p.Call != nil && slices.Contains(p.Years, p.Call.Year) {
		p.Year = p.Call.Year
	} else if len(p.Years) > 0 {
		p.Year = p.Years[0]
	}
	var comp concord.Composition
	if p.Members, comp, err = h.s.DB.AdvisoryGroup(ctx, v.Forum.ID, p.Year); err != nil {
		h.fail(w, r, err)
		return
	}
	voting := comp.Voting()
	p.Voting, p.Observers = len(voting), len(p.Members)-len(voting)
	p.Charts = h.seatCharts(p.Page, v.Forum, voting)
	if p.Selection, err = h.s.DB.PublishedSelection(ctx, v.Forum.ID, p.Year); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Selection != nil {
		p.Command = p.Selection.Inputs.Command(p.Selection.Seed)
		p.MinProbability = fmt.Sprintf("%.1f%%", 100*p.Selection.Result.MinProbability)
	}
	h.render(w, r, http.StatusOK, "advisory.html", p)
}

// selectionFile serves a selection's public inputs: published selections to
// anyone, others to the secretariat only.
func (h *Handler) selectionFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	sel, err := forumRecord(r, h.s.DB.AdvisorySelectionByID)
	if err == nil && sel.Published.IsZero() && !v.Can(concord.RoleSecretariat) {
		err = concord.Errorf(concord.ENOTFOUND, "Selection %d is not published.", sel.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	name := r.PathValue("file")
	var body []byte
	typ := "text/csv; charset=utf-8"
	switch name {
	case "inputs.json":
		body, typ = sel.InputsJSON, "application/json"
	case "people.csv":
		body = sel.Inputs.PeopleCSV()
	case "categories.csv":
		body = sel.Inputs.CategoriesCSV()
	default:
		h.fail(w, r, concord.Errorf(concord.ENOTFOUND, "There is no file %s.", name))
		return
	}
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body)
}

// ---------------------------------------------------------------- nominations

type nominatePage struct {
	Page
	Forum   *concord.Forum
	Call    *concord.NominationCall
	Open    bool
	Self    *concord.Person
	Form    *Form
	Mine    []*concord.Nomination
	Query   string
	Matches []*concord.Person
	// For a self-nomination by an account the registry does not know yet.
	Countries []concord.Country
	Genders   []concord.Gender
}

func (h *Handler) nominateForm(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{})
	f.Values.Set("nominee", "self")
	if id := r.URL.Query().Get("person"); id != "" {
		f.Values.Set("nominee", "other")
		f.Values.Set("person", id)
	}
	h.renderNominate(w, r, http.StatusOK, f)
}

func (h *Handler) renderNominate(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	p := nominatePage{Page: h.page(r, "Nominate to the advisory group"), Forum: v.Forum, Form: f,
		Countries: concord.Countries(), Genders: concord.Genders}
	calls, err := h.s.DB.NominationCalls(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(calls) > 0 {
		p.Call, p.Open = calls[0], calls[0].IsOpen(h.s.DB.Now())
	}
	if p.Self, err = h.s.DB.PersonByEmail(ctx, v.Forum.ID, v.Account.Email); err != nil && concord.ErrorCode(err) != concord.ENOTFOUND {
		h.fail(w, r, err)
		return
	}
	if p.Mine, err = h.s.DB.AccountNominations(ctx, v.Forum.ID, v.Account); err != nil {
		h.fail(w, r, err)
		return
	}
	if p.Query = strings.TrimSpace(r.URL.Query().Get("q")); p.Query != "" {
		if p.Matches, _, err = h.s.DB.People(ctx, v.Forum.ID, sqlstore.PersonFilter{Query: p.Query, Limit: 10}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, status, "advisory_nominate.html", p)
}

func (h *Handler) nominate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	r.ParseForm()
	f := newForm(r.PostForm)
	calls, err := h.s.DB.NominationCalls(ctx, v.Forum.ID)
	if err == nil && len(calls) == 0 {
		err = concord.Errorf(concord.EINVALID, "There is no nomination call in this forum.")
	}
	if err == nil {
		n := &concord.Nomination{CallID: calls[0].ID, NominatedBy: v.Account.ID, Statement: f.Get("statement")}
		if f.Get("nominee") == "other" {
			n.PersonID, _ = strconv.ParseInt(strings.TrimSpace(f.Get("person")), 10, 64)
		} else {
			n.Self = true
			n.PersonID, err = h.selfInRegistry(r, f, calls[0])

		}
		if err == nil {
			err = h.s.DB.Nominate(ctx, n)
		}
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderNominate(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Nomination submitted.")
	h.redirect(w, r, h.advisoryBase(r)+"/nominate")
}

// selfInRegistry finds the signed-in account's registry entry by email, or
// adds one from the form's country, group and gender while the call is open:
// a nomination's group, region and gender always come from the registry.
func (h *Handler) selfInRegistry(r *http.Request, f *Form, call *concord.NominationCall) (int64, error) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	me, err := h.s.DB.PersonByEmail(ctx, v.Forum.ID, v.Account.Email)
	if err == nil || concord.ErrorCode(err) != concord.ENOTFOUND {
		if err != nil {
			return 0, err
		}
		return me.ID, nil
	}
	if !call.IsOpen(h.s.DB.Now()) {
		return 0, nil // Nominate explains that the call is closed
	}
	me = &concord.Person{Name: v.Account.Name, Email: v.Account.Email, Country: f.Get("country"),
		StakeholderGroup: f.Get("stakeholder_group"), Gender: concord.Gender(f.Get("gender")), Organisation: strings.TrimSpace(f.Get("organisation"))}
	if err := h.s.DB.CreatePerson(ctx, v.Forum, me); err != nil {
		return 0, err
	}
	return me.ID, nil
}

// ---------------------------------------------------------------- secretariat: calls

type advisoryManagePage struct {
	Page
	Forum *concord.Forum
	Calls []*concord.NominationCall
	Now   time.Time
	Form  *Form
}

func (h *Handler) advisoryManage(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{})
	now := h.s.DB.Now().UTC().Truncate(time.Hour)
	f.Values.Set("year", strconv.Itoa(now.Year()))
	f.Values.Set("opens", now.Format(localMinute))
	f.Values.Set("closes", now.Add(30*24*time.Hour).Format(localMinute))
	h.renderManage(w, r, http.StatusOK, f)
}

func (h *Handler) renderManage(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	v := server.ViewerFrom(r.Context())
	calls, err := h.s.DB.NominationCalls(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "advisory_manage.html", advisoryManagePage{Page: h.page(r, "Manage the advisory group"), Forum: v.Forum, Calls: calls, Now: h.s.DB.Now(), Form: f})
}

// parseCall reads a call form; fields it cannot read come back as problems.
func parseCall(f *Form, c *concord.NominationCall) error {
	var ps []*concord.Error
	if y, err := strconv.Atoi(strings.TrimSpace(f.Get("year"))); err == nil {
		c.Year = y
	} else if f.Values.Has("year") {
		ps = append(ps, concord.FieldError("year", "%q is not a year", f.Get("year")))
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
	c.FormerMembersOnly = f.Get("former_only") == "on"
	c.Description = f.Get("description")
	if len(ps) > 0 {
		return concord.Invalid(ps)
	}
	return c.Validate()
}

func (h *Handler) createCall(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	c := &concord.NominationCall{ForumID: v.Forum.ID}
	err := parseCall(f, c)
	if err == nil {
		err = h.s.DB.CreateNominationCall(r.Context(), c)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderManage(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Nomination call created.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.advisoryBase(r), c.ID))
}

type advisoryCallPage struct {
	Page
	Forum       *concord.Forum
	Call        *concord.NominationCall
	Open        bool
	Nominations []*concord.Nomination
	Counts      map[concord.NominationStatus]int
	Selections  []*sqlstore.AdvisorySelection
	Statuses    []concord.NominationStatus
	Form        *Form // the call's window
	Run         *Form // method and seed
	Conflicts   []string
	Published   *sqlstore.AdvisorySelection // the selection published for the cycle, if any
}

func (h *Handler) advisoryCall(w http.ResponseWriter, r *http.Request) {
	run := newForm(url.Values{})
	var seed [8]byte
	rand.Read(seed[:])
	run.Values.Set("seed", strconv.FormatUint(binary.BigEndian.Uint64(seed[:])%1_000_000_000, 10))
	run.Values.Set("method", sqlstore.MethodLeximin)
	h.renderCall(w, r, http.StatusOK, nil, run, nil)
}

func (h *Handler) renderCall(w http.ResponseWriter, r *http.Request, status int, f, run *Form, conflicts []string) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	c, err := forumRecord(r, h.s.DB.NominationCall)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(url.Values{})
		f.Values.Set("opens", c.Opens.Format(localMinute))
		f.Values.Set("closes", c.Closes.Format(localMinute))
		f.Values.Set("description", c.Description)
		if c.FormerMembersOnly {
			f.Values.Set("former_only", "on")
		}
	}
	if run == nil {
		run = newForm(url.Values{})
	}
	p := advisoryCallPage{Page: h.page(r, "Nomination call"), Forum: v.Forum, Call: c, Open: c.IsOpen(h.s.DB.Now()),
		Counts: map[concord.NominationStatus]int{}, Statuses: concord.NominationStatuses, Form: f, Run: run, Conflicts: conflicts}
	p.Title = p.T("Nomination call {{.A0}}", c.Year)
	if p.Nominations, err = h.s.DB.Nominations(ctx, c.ID); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, n := range p.Nominations {
		p.Counts[n.Status]++
	}
	if p.Selections, err = h.s.DB.AdvisorySelections(ctx, v.Forum.ID, c.Year); err != nil {
		h.fail(w, r, err)
		return
	}
	for _, s := range p.Selections {
		if !s.Published.IsZero() {
			p.Published = s
		}
	}
	h.render(w, r, status, "advisory_call.html", p)
}

func (h *Handler) updateCall(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := forumRecord(r, h.s.DB.NominationCall)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	msg, err := callAction(f, &c.Opens, &c.Closes, h.s.DB.Now().UTC().Truncate(time.Minute),
		func() error { return parseCall(f, c) }, "Nomination call saved.")
	if err == nil {
		err = h.s.DB.UpdateNominationCall(ctx, c)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderCall(w, r, http.StatusUnprocessableEntity, f, nil, nil)
		return
	}
	h.flash(r, msg)
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.advisoryBase(r), c.ID))
}

func (h *Handler) checkEligibility(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.s.DB.CheckEligibility(r.Context(), v.Forum, id); err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "Eligibility checked.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.advisoryBase(r), id))
}

// ---------------------------------------------------------------- secretariat: one nomination

type nominationPage struct {
	Page
	Forum      *concord.Forum
	Nomination *concord.Nomination
	Call       *concord.NominationCall
	Statuses   []concord.NominationStatus
	Form       *Form
}

func (h *Handler) nomination(w http.ResponseWriter, r *http.Request) {
	h.renderNomination(w, r, http.StatusOK, nil)
}

func (h *Handler) renderNomination(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	n, err := forumRecord(r, h.s.DB.Nomination)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.s.DB.NominationCall(ctx, v.Forum.ID, n.CallID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if f == nil {
		f = newForm(url.Values{})
		f.Values.Set("status", string(n.Status))
		f.Values.Set("reason", n.Reason)
		f.Values.Set("score", strconv.FormatFloat(n.Score, 'g', -1, 64))
	}
	p := nominationPage{Page: h.page(r, "Nomination"), Forum: v.Forum, Nomination: n, Call: c, Statuses: concord.NominationStatuses, Form: f}
	p.Title = p.T("Nomination of {{.A0}}", n.Name)
	h.render(w, r, status, "advisory_nomination.html", p)
}

func (h *Handler) reviewNomination(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n, err := forumRecord(r, h.s.DB.Nomination)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	n.Status, n.Reason = concord.NominationStatus(f.Get("status")), strings.TrimSpace(f.Get("reason"))
	if n.Score, err = strconv.ParseFloat(strings.TrimSpace(cmp.Or(f.Get("score"), "0")), 64); err != nil {
		err = concord.FieldError("score", "%q is not a number", f.Get("score"))
	} else {
		err = h.s.DB.ReviewNomination(ctx, n)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.renderNomination(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	h.flash(r, "Nomination saved.")
	h.redirect(w, r, fmt.Sprintf("%s/calls/%d", h.advisoryBase(r), n.CallID))
}

// ---------------------------------------------------------------- secretariat: rules

type rulesPage struct {
	Page
	Forum *concord.Forum
	Form  *Form
}

func rulesForm(r concord.CompositionRules) *Form {
	f := newForm(url.Values{})
	num := func(k string, v float64) { f.Values.Set(k, strconv.FormatFloat(v, 'f', -1, 64)) }
	num("size", float64(r.Size))
	f.Values.Set("government_group", r.GovernmentGroup)
	num("government_max_percent", r.GovernmentMaxPercent)
	f.Values["balanced_groups"] = slices.Clone(r.BalancedGroups)
	num("balance_within", float64(r.BalanceWithin))
	num("region_min", float64(r.RegionMin))
	num("region_max_percent", r.RegionMaxPercent)
	num("gender_max_percent", r.GenderMaxPercent)
	num("term_years", float64(r.TermYears))
	num("max_consecutive_terms", float64(r.MaxConsecutiveTerms))
	f.Values.Set("renewal_min_percent", strconv.FormatFloat(r.RenewalMinPercent, 'f', 2, 64))
	var lines []string
	for _, s := range r.Reserved {
		lines = append(lines, fmt.Sprintf("%s %d", s.Country, s.Seats))
	}
	f.Values.Set("reserved", strings.Join(lines, "\n"))
	f.Values["observer_groups"] = slices.Clone(r.ObserverGroups)
	return f
}

// parseRules reads the rules form, naming every field it cannot read.
func parseRules(f *Form) (concord.CompositionRules, error) {
	var r concord.CompositionRules
	var ps []*concord.Error
	integer := func(k string, to *int) {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(k)))
		if err != nil {
			ps = append(ps, concord.FieldError(k, "%q is not a whole number", f.Get(k)))
		}
		*to = n
	}
	percent := func(k string, to *float64) {
		x, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(f.Get(k), "%")), 64)
		if err != nil {
			ps = append(ps, concord.FieldError(k, "%q is not a number", f.Get(k)))
		}
		*to = x
	}
	integer("size", &r.Size)
	r.GovernmentGroup = f.Get("government_group")
	percent("government_max_percent", &r.GovernmentMaxPercent)
	r.BalancedGroups = f.Values["balanced_groups"]
	integer("balance_within", &r.BalanceWithin)
	integer("region_min", &r.RegionMin)
	percent("region_max_percent", &r.RegionMaxPercent)
	percent("gender_max_percent", &r.GenderMaxPercent)
	integer("term_years", &r.TermYears)
	integer("max_consecutive_terms", &r.MaxConsecutiveTerms)
	percent("renewal_min_percent", &r.RenewalMinPercent)
	// Two decimals in the form stand for a third.
	if strings.TrimSpace(f.Get("renewal_min_percent")) == "33.33" {
		r.RenewalMinPercent = 100.0 / 3
	}
	for _, line := range strings.Split(f.Get("reserved"), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		n, err := strconv.Atoi(fields[len(fields)-1])
		if len(fields) != 2 || err != nil {
			ps = append(ps, concord.FieldError("reserved", "write each line as a country code and a number of seats, such as \"CL 2\" (not %q)", strings.TrimSpace(line)))
			continue
		}
		r.Reserved = append(r.Reserved, concord.ReservedSeat{Country: strings.ToUpper(fields[0]), Seats: n})
	}
	r.ObserverGroups = f.Values["observer_groups"]
	return r, concord.Invalid(ps)
}

func (h *Handler) advisoryRules(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	rules, err := h.s.DB.AdvisoryRules(r.Context(), v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "advisory_rules.html", rulesPage{h.page(r, "Composition rules"), v.Forum, rulesForm(rules)})
}

func (h *Handler) saveAdvisoryRules(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	r.ParseForm()
	f := newForm(r.PostForm)
	rules, err := parseRules(f)
	if err == nil {
		err = h.s.DB.SetAdvisoryRules(r.Context(), v.Forum, rules)
	}
	if err != nil {
		if !f.Fail(err) {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "advisory_rules.html", rulesPage{h.page(r, "Composition rules"), v.Forum, f})
		return
	}
	h.flash(r, "Composition rules saved.")
	h.redirect(w, r, h.advisoryBase(r)+"/rules")
}

// ---------------------------------------------------------------- secretariat: validator

type checkPage struct {
	Page
	Forum    *concord.Forum
	Year     int
	Proposed string
	Seats    []concord.Seat
	Checks   []concord.RuleResult
	Failed   int
	Form     *Form
}

// advisoryCheck runs the validator on the group sitting in a year or, with
// people, on a proposed composition of registry people.
func (h *Handler) advisoryCheck(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	q := r.URL.Query()
	p := checkPage{Page: h.page(r, "Check a composition"), Forum: v.Forum, Year: h.s.DB.Now().Year(), Form: newForm(q)}
	if y, err := strconv.Atoi(q.Get("year")); err == nil {
		p.Year = y
	}
	rules, err := h.s.DB.AdvisoryRules(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var comp concord.Composition
	if p.Proposed = strings.TrimSpace(q.Get("people")); p.Proposed != "" {
		var ids []int64
		for _, s := range strings.FieldsFunc(p.Proposed, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				p.Form.Fail(concord.FieldError("people", "%q is not a person number", s))
				break
			}
			ids = append(ids, id)
		}
		if len(p.Form.Order) == 0 {
			comp, err = h.s.DB.ProposedComposition(ctx, v.Forum, p.Year, ids)
			if err != nil && !p.Form.Fail(err) {
				h.fail(w, r, err)
				return
			}
		}
	} else if _, comp, err = h.s.DB.AdvisoryGroup(ctx, v.Forum.ID, p.Year); err != nil {
		h.fail(w, r, err)
		return
	}
	p.Seats = comp.Seats
	if len(p.Form.Order) == 0 {
		p.Checks = rules.Check(v.Forum, comp)
		p.Failed = len(concord.Failed(p.Checks))
	}
	h.render(w, r, http.StatusOK, "advisory_check.html", p)
}

// ---------------------------------------------------------------- secretariat: selection

func (h *Handler) runSelection(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	run := newForm(r.PostForm)
	seed, err := strconv.ParseUint(strings.TrimSpace(run.Get("seed")), 10, 64)
	var sel *sqlstore.AdvisorySelection
	if err != nil {
		err = concord.FieldError("seed", "%q is not a whole number from 0 to 18446744073709551615", run.Get("seed"))
	} else {
		sel, err = h.s.DB.RunAdvisorySelection(ctx, v.Forum, id, run.Get("method"), seed, actorOf(v))
	}
	if err != nil {
		if !run.Fail(err) {
			h.fail(w, r, err)
			return
		}
		// Every conflict the solver names is shown, not only the first.
		var conflicts []string
		if run.Errors["rules"] != "" {
			for _, p := range concord.Problems(err) {
				conflicts = append(conflicts, p.Message)
			}
		}
		h.renderCall(w, r, http.StatusUnprocessableEntity, nil, run, conflicts)
		return
	}
	h.flash(r, "Selection recorded in the decision log.")
	h.redirect(w, r, fmt.Sprintf("%s/selections/%d", h.advisoryBase(r), sel.ID))
}

func actorOf(v *server.Viewer) string {
	return fmt.Sprintf("%s (account %d)", v.Account.Name, v.Account.ID)
}

type poolRow struct {
	PersonID    string
	Name        string
	Group       string
	Region      string
	Gender      string
	Probability string
	Selected    bool
	Forced      bool
}

type selectionPage struct {
	Page
	Forum     *concord.Forum
	Selection *sqlstore.AdvisorySelection
	Pool      []poolRow
	Checks    []concord.RuleResult
	Failed    int
	Command   string
	Charts    []Chart
}

func (h *Handler) advisorySelection(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	sel, err := forumRecord(r, h.s.DB.AdvisorySelectionByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	comp, err := h.s.DB.ProposedGroup(ctx, v.Forum, sel)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := selectionPage{Page: h.page(r, "Selection"), Forum: v.Forum, Selection: sel, Command: sel.Inputs.Command(sel.Seed)}
	p.Title = p.T("Selection for {{.A0}}", sel.Year)
	p.Checks = sel.Inputs.Rules.Check(v.Forum, comp)
	p.Failed = len(concord.Failed(p.Checks))
	p.Charts = h.seatCharts(p.Page, v.Forum, comp.Voting())
	names := map[int64]string{}
	for _, s := range comp.Seats {
		names[s.PersonID] = s.Name
	}
	for _, in := range sel.Inputs.People {
		row := poolRow{PersonID: in.ID, Group: in.Features["group"], Region: in.Features["region"], Gender: in.Features["gender"],
			Probability: fmt.Sprintf("%.1f%%", 100*sel.Result.Probabilities[in.ID]),
			Selected:    slices.Contains(sel.Result.Panel, in.ID), Forced: slices.Contains(sel.Inputs.Forced, in.ID)}
		pid, _ := strconv.ParseInt(in.ID, 10, 64)
		if row.Name = names[pid]; row.Name == "" {
			if person, err := h.s.DB.Person(ctx, v.Forum.ID, pid); err == nil {
				row.Name = person.Name
			}
		}
		p.Pool = append(p.Pool, row)
	}
	slices.SortStableFunc(p.Pool, func(a, b poolRow) int {
		if a.Selected != b.Selected {
			if a.Selected {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	h.render(w, r, http.StatusOK, "advisory_selection.html", p)
}

func (h *Handler) publishSelection(w http.ResponseWriter, r *http.Request) {
	v := server.ViewerFrom(r.Context())
	id, err := parseID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sel, err := h.s.DB.PublishAdvisorySelection(r.Context(), v.Forum, id, actorOf(v))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.flash(r, "The advisory group is published.")
	h.redirect(w, r, fmt.Sprintf("%s?year=%d", h.advisoryBase(r), sel.Year))
}

// ---------------------------------------------------------------- secretariat: terms by hand

// termsPage is the list of a year's terms with the form to add one or,
// with Term set, the form to change that term.
type termsPage struct {
	Page
	Forum    *concord.Forum
	Term     *concord.Term
	Person   *concord.Person
	Year     int
	Years    []int
	Members  []sqlstore.AdvisoryMember
	Roles    []concord.AdvisoryRole
	Form     *Form
	Warnings []concord.Warning
}

// termYears are the years to offer: every year a term covers, and the
// current and next cycles, latest first.
func termYears(terms []concord.Term, now int) []int {
	years := []int{now, now + 1}
	for _, t := range terms {
		for y := t.FirstYear; y <= t.LastYear; y++ {
			if !slices.Contains(years, y) {
				years = append(years, y)
			}
		}
	}
	slices.Sort(years)
	slices.Reverse(years)
	return years
}

// advisoryTerms lists the terms sitting in a year, with the form to add one.
func (h *Handler) advisoryTerms(w http.ResponseWriter, r *http.Request) {
	year := h.s.DB.Now().Year()
	if s := r.URL.Query().Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 2000 || y > 2200 {
			h.fail(w, r, concord.FieldError("year", "%q is not a year between 2000 and 2200", s))
			return
		}
		year = y
	}
	f := newForm(url.Values{"first_year": {strconv.Itoa(year)}, "last_year": {strconv.Itoa(year)}, "role": {string(concord.AdvisoryMember)}})
	h.renderTerms(w, r, http.StatusOK, year, f, nil)
}

func (h *Handler) renderTerms(w http.ResponseWriter, r *http.Request, status, year int, f *Form, ws []concord.Warning) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	terms, err := h.s.DB.Terms(ctx, v.Forum.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := termsPage{Page: h.page(r, "Terms of the advisory group"), Forum: v.Forum, Year: year, Roles: concord.AdvisoryRoles,
		Years: termYears(terms, h.s.DB.Now().Year()), Form: f, Warnings: ws}
	if !slices.Contains(p.Years, year) {
		p.Years = append(p.Years, year)
	}
	if p.Members, _, err = h.s.DB.AdvisoryGroup(ctx, v.Forum.ID, year); err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, status, "advisory_terms.html", p)
}

// parseTermForm reads a term form into an edit; fields it cannot read come
// back as problems.
func parseTermForm(f *Form, e *concord.TermEdit) error {
	var ps []*concord.Error
	num := func(field string) int {
		s := strings.TrimSpace(f.Get(field))
		n, err := strconv.Atoi(s)
		if err != nil {
			ps = append(ps, concord.FieldError(field, "%q is not a whole number", s))
		}
		return n
	}
	if e.Term.ID == 0 {
		s := strings.TrimSpace(f.Get("person"))
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			ps = append(ps, concord.FieldError("person", "%q is not a person number from the registry", s))
		}
		e.Term.PersonID = id
	}
	e.Term.FirstYear, e.Term.LastYear = num("first_year"), num("last_year")
	e.Term.Role = concord.AdvisoryRole(f.Get("role"))
	e.Reason, e.Override = f.Get("reason"), f.Get("override") == "on"
	return concord.Invalid(ps)
}

// saveTermForm previews the edit and saves it once it is valid and, if it
// breaks the composition rules, confirmed. It answers the redirect itself
// and returns the warnings to show, or ok false after an error page.
func (h *Handler) saveTermForm(w http.ResponseWriter, r *http.Request, f *Form, e concord.TermEdit) (ws []concord.Warning, ok bool) {
	ctx := r.Context()
	v := server.ViewerFrom(ctx)
	err := parseTermForm(f, &e)
	if err == nil {
		ws, err = h.s.DB.PreviewTermEdit(ctx, v.Forum, e)
	}
	if err == nil && (len(ws) == 0 || e.Override) {
		var res *sqlstore.TermEditResult
		if res, err = h.s.DB.SaveTermEdit(ctx, v.Forum, e, actorOf(v)); err == nil {
			h.flash(r, "The change is saved and recorded in the decision log.")
			h.redirect(w, r, fmt.Sprintf("%s/terms?year=%d", h.advisoryBase(r), res.Term.FirstYear))
			return nil, true
		}
	}
	if err != nil && !f.Fail(err) {
		h.fail(w, r, err)
		return nil, false
	}
	return ws, true
}

func (h *Handler) addTerm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := newForm(r.PostForm)
	ws, ok := h.saveTermForm(w, r, f, concord.TermEdit{})
	if !ok || (len(ws) == 0 && len(f.Order) == 0) {
		return
	}
	year, err := strconv.Atoi(f.Get("first_year"))
	if err != nil {
		year = h.s.DB.Now().Year()
	}
	h.renderTerms(w, r, http.StatusUnprocessableEntity, year, f, ws)
}

// advisoryTerm shows the form to end a term early, extend it or change its role.
func (h *Handler) advisoryTerm(w http.ResponseWriter, r *http.Request) {
	t, err := forumRecord(r, h.s.DB.Term)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := newForm(url.Values{"first_year": {strconv.Itoa(t.FirstYear)}, "last_year": {strconv.Itoa(t.LastYear)}, "role": {string(t.Role)}})
	h.renderTerm(w, r, http.StatusOK, t, f, nil)
}

func (h *Handler) renderTerm(w http.ResponseWriter, r *http.Request, status int, t concord.Term, f *Form, ws []concord.Warning) {
	v := server.ViewerFrom(r.Context())
	person, err := h.s.DB.Person(r.Context(), v.Forum.ID, t.PersonID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := termsPage{Page: h.page(r, "Change a term"), Forum: v.Forum, Term: &t, Person: person, Roles: concord.AdvisoryRoles, Form: f, Warnings: ws}
	p.Title = p.T("Term of {{.A0}}", person.Name)
	h.render(w, r, status, "advisory_terms.html", p)
}

func (h *Handler) editTerm(w http.ResponseWriter, r *http.Request) {
	t, err := forumRecord(r, h.s.DB.Term)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := newForm(r.PostForm)
	ws, ok := h.saveTermForm(w, r, f, concord.TermEdit{Term: concord.Term{ID: t.ID, PersonID: t.PersonID}})
	if !ok || (len(ws) == 0 && len(f.Order) == 0) {
		return
	}
	h.renderTerm(w, r, http.StatusUnprocessableEntity, t, f, ws)
}
