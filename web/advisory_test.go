package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/password"
	"concord/sqlstore"
)

// advisorySite is a forum with 30 registry people, a secretariat and a
// delegate whose account email is person 0's, both signed in.
type advisorySite struct {
	*site
	forum    *concord.Forum
	people   []*concord.Person
	sec, del *http.Client
	now      time.Time
}

func newAdvisorySite(t *testing.T, db *sqlstore.DB) *advisorySite {
	t.Helper()
	ctx := context.Background()
	a := &advisorySite{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return a.now }
	a.forum = &concord.Forum{Slug: "igf", Name: "IGF"}
	if err := db.CreateForum(ctx, a.forum); err != nil {
		t.Fatal(err)
	}
	countries := []string{"KE", "IN", "PL", "BR", "NO"}
	for i := 0; i < 30; i++ {
		g := concord.Woman
		if i%2 == 1 {
			g = concord.Man
		}
		p := &concord.Person{Name: fmt.Sprintf("Nominee %02d", i), Email: fmt.Sprintf("n%d@example.org", i), Country: countries[(i/5)%5],
			Gender: g, StakeholderGroup: concord.DefaultGroups[i%5].Slug}
		if err := db.CreatePerson(ctx, a.forum, p); err != nil {
			t.Fatal(err)
		}
		a.people = append(a.people, p)
	}
	a.site = newSite(t, db)
	a.sec = a.signIn(t, "sec@example.org", concord.RoleSecretariat)
	a.del = a.signIn(t, "n0@example.org", concord.RoleDelegate)
	return a
}

// signIn creates a confirmed account with a role in the forum and signs it in.
func (a *advisorySite) signIn(t *testing.T, email string, role concord.Role) *http.Client {
	t.Helper()
	ctx := context.Background()
	acc, err := a.db.CreateAccount(ctx, email, email, password.Hash("a long passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	a.db.ConfirmAccount(ctx, acc.ID)
	a.db.SetRole(ctx, acc.ID, a.forum.ID, role)
	c := browser()
	if res, _ := a.post(t, c, "/signin", url.Values{"email": {email}, "password": {"a long passphrase"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", email, res.StatusCode)
	}
	return c
}

func (a *advisorySite) mustPost(t *testing.T, c *http.Client, path string, form url.Values, status int) (string, string) {
	t.Helper()
	res, body := a.post(t, c, path, form)
	if res.StatusCode != status {
		t.Fatalf("POST %s: %d, want %d\n%s", path, res.StatusCode, status, body)
	}
	return res.Header.Get("Location"), body
}

var rulesForm = url.Values{"size": {"10"}, "government_group": {"government"}, "government_max_percent": {"40"},
	"balanced_groups": {"civil-society", "technical", "private-sector"}, "balance_within": {"1"}, "region_min": {"1"},
	"region_max_percent": {"30"}, "gender_max_percent": {"60"}, "term_years": {"1"}, "max_consecutive_terms": {"3"},
	"renewal_min_percent": {"33.33"}, "observer_groups": {"igo"}}

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for key, vs := range v {
		out[key] = vs
	}
	out.Set(k, val)
	return out
}

func TestAdvisoryNominationSelectionAndPublication(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		a := newAdvisorySite(t, db)
		ctx := context.Background()
		base := "/forums/igf/advisory-group"

		// Rules: a field-named error, then saved.
		_, body := a.mustPost(t, a.sec, base+"/rules", with(rulesForm, "size", "many"), http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="f-size-error"`) || !strings.Contains(body, "is not a whole number") {
			t.Errorf("rules error not shown by its field:\n%s", body)
		}
		a.mustPost(t, a.sec, base+"/rules", rulesForm, http.StatusSeeOther)
		if r, _ := db.AdvisoryRules(ctx, a.forum.ID); r.Size != 10 || r.RenewalMinPercent != 100.0/3 {
			t.Fatalf("rules saved as %+v", r)
		}

		// The secretariat opens a call for 2026.
		loc, _ := a.mustPost(t, a.sec, base+"/calls", url.Values{"year": {"2026"}, "opens": {"2026-03-01T00:00"},
			"closes": {"2026-03-31T23:59"}, "description": {"MAG 2026"}}, http.StatusSeeOther)
		callPath := loc
		if !regexp.MustCompile(`^/forums/igf/advisory-group/calls/\d+$`).MatchString(callPath) {
			t.Fatalf("call created at %q", callPath)
		}

		// A delegate nominates themselves and someone else; a duplicate is refused.
		if code, body := a.get(t, a.del, base+"/nominate"); code != http.StatusOK || !strings.Contains(body, "Nominee 00") {
			t.Fatalf("nominate form: %d", code)
		}
		a.mustPost(t, a.del, base+"/nominations", url.Values{"nominee": {"self"}, "statement": {"I coordinate a youth network."}}, http.StatusSeeOther)
		other := fmt.Sprint(a.people[2].ID)
		a.mustPost(t, a.del, base+"/nominations", url.Values{"nominee": {"other"}, "person": {other}, "statement": {"She chairs a coalition."}}, http.StatusSeeOther)
		_, body = a.mustPost(t, a.del, base+"/nominations", url.Values{"nominee": {"other"}, "person": {other}, "statement": {"Again."}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "already nominated") {
			t.Errorf("duplicate nomination not explained")
		}
		_, body = a.mustPost(t, a.del, base+"/nominations", url.Values{"nominee": {"other"}, "person": {fmt.Sprint(a.people[3].ID)}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="f-statement-error"`) {
			t.Errorf("missing statement not shown by its field")
		}
		if _, body := a.get(t, a.del, base+"/nominate"); !strings.Contains(body, "Nominee 02") || strings.Count(body, "Submitted") < 2 {
			t.Errorf("the delegate does not see their nominations' status")
		}
		// An account the registry does not know yet nominates itself with its details.
		newcomer := a.signIn(t, "newcomer@example.org", concord.RoleDelegate)
		_, body = a.mustPost(t, newcomer, base+"/nominations", url.Values{"nominee": {"self"}, "statement": {"New voice."}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="f-country-error"`) {
			t.Errorf("a self-nomination without registry details does not ask for the country")
		}
		a.mustPost(t, newcomer, base+"/nominations", url.Values{"nominee": {"self"}, "statement": {"New voice."}, "country": {"CL"},
			"stakeholder_group": {"technical"}, "gender": {"woman"}}, http.StatusSeeOther)
		if p, err := db.PersonByEmail(ctx, a.forum.ID, "newcomer@example.org"); err != nil || p.Country != "CL" {
			t.Errorf("newcomer not in the registry: %+v %v", p, err)
		}
		// Everyone else is nominated too.
		calls, _ := db.NominationCalls(ctx, a.forum.ID)
		for _, p := range a.people {
			if p == a.people[0] || p == a.people[2] {
				continue
			}
			if err := db.Nominate(ctx, &concord.Nomination{CallID: calls[0].ID, PersonID: p.ID, Statement: "Experienced."}); err != nil {
				t.Fatal(err)
			}
		}
		// After the close, a nomination is refused with the close time shown.
		a.now = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		_, body = a.mustPost(t, a.del, base+"/nominations", url.Values{"nominee": {"other"}, "person": {fmt.Sprint(a.people[3].ID)}, "statement": {"Late."}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "closed at 2026-03-31 23:59 UTC") {
			t.Errorf("late nomination does not show the close time:\n%s", body)
		}

		// Only the secretariat may run the selection.
		if res, _ := a.post(t, a.del, callPath+"/selections", url.Values{"method": {"leximin"}, "seed": {"42"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("delegate runs the selection: %d", res.StatusCode)
		}
		a.mustPost(t, a.sec, callPath+"/eligibility", url.Values{}, http.StatusSeeOther)

		// Rules no composition can meet: the conflict is named.
		a.mustPost(t, a.sec, base+"/rules", with(rulesForm, "gender_max_percent", "30"), http.StatusSeeOther)
		_, body = a.mustPost(t, a.sec, callPath+"/selections", url.Values{"method": {"optimal"}, "seed": {"1"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "No composition satisfies the rules") || !strings.Contains(body, "gender") {
			t.Errorf("infeasible rules not explained:\n%s", body)
		}
		a.mustPost(t, a.sec, base+"/rules", rulesForm, http.StatusSeeOther)

		loc, _ = a.mustPost(t, a.sec, callPath+"/selections", url.Values{"method": {"leximin"}, "seed": {"20260401"}}, http.StatusSeeOther)
		code, body := a.get(t, a.sec, loc)
		if code != http.StatusOK || !strings.Contains(body, "Probability") || !strings.Contains(body, "20260401") || strings.Contains(body, "fails") {
			t.Fatalf("selection page %s: %d\n%s", loc, code, body)
		}
		sels, _ := db.AdvisorySelections(ctx, a.forum.ID, 2026)
		if len(sels) != 1 || len(sels[0].Result.Panel) != 10 {
			t.Fatalf("selections: %+v", sels)
		}
		sel := sels[0]
		// Unpublished inputs are not public yet.
		if code, _ := a.get(t, browser(), fmt.Sprintf("%s/selections/%d/inputs.json", base, sel.ID)); code != http.StatusNotFound {
			t.Errorf("unpublished inputs served to the public: %d", code)
		}
		if res, _ := a.post(t, a.del, fmt.Sprintf("%s/selections/%d/publish", base, sel.ID), url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("delegate publishes: %d", res.StatusCode)
		}
		a.mustPost(t, a.sec, fmt.Sprintf("%s/selections/%d/publish", base, sel.ID), url.Values{}, http.StatusSeeOther)

		// The public page shows the group, its balance and how to verify it.
		code, body = a.get(t, browser(), base)
		if code != http.StatusOK {
			t.Fatalf("public page: %d", code)
		}
		for _, want := range []string{"<svg", "By stakeholder group", "By UN regional group", "By gender", "How to verify the draw",
			"20260401", sel.InputsHash, fmt.Sprintf(`href="/decisions/%d"`, sel.Decision), "10 voting members and 6 observers",
			"concord panel select --people people.csv --quotas categories.csv --seats 10 --method leximin --seed 20260401"} {
			if !strings.Contains(body, want) {
				t.Errorf("public page lacks %q", want)
			}
		}
		for _, id := range sel.Result.Panel {
			if !strings.Contains(body, `/people/`+id+`"`) {
				t.Errorf("public page lacks member %s", id)
			}
		}
		code, inputs := a.get(t, browser(), fmt.Sprintf("%s/selections/%d/inputs.json", base, sel.ID))
		sum := sha256.Sum256([]byte(inputs))
		if code != http.StatusOK || hex.EncodeToString(sum[:]) != sel.InputsHash {
			t.Errorf("inputs.json (%d) does not hash to the published inputs hash", code)
		}
		if e, err := db.Decision(ctx, sel.Decision); err != nil || e.Kind != "advisory.selection" || e.InputsHash != sel.InputsHash {
			t.Errorf("decision entry: %+v %v", e, err)
		}
		if code, body := a.get(t, a.del, base+"/nominate"); code != http.StatusOK || !strings.Contains(body, "Selected") && !strings.Contains(body, "Not selected") {
			t.Errorf("delegate does not see the outcome")
		}
		// The validator on the current group passes every rule.
		if code, body := a.get(t, a.sec, base+"/check?year=2026"); code != http.StatusOK || strings.Contains(body, "fails") || !strings.Contains(body, "Voting seats filled: 10 of 10") {
			t.Errorf("check page: %d\n%s", code, body)
		}
		// And on a proposed group it names what fails.
		ids := []string{}
		for _, p := range a.people[:10] {
			ids = append(ids, fmt.Sprint(p.ID))
		}
		if _, body := a.get(t, a.sec, base+"/check?year=2026&people="+strings.Join(ids, ",")); !strings.Contains(body, "Voting seats filled: 8 of 10") || !strings.Contains(body, "fails") {
			t.Errorf("proposed composition not checked:\n%s", body)
		}
	})
}

// TestAdvisoryTermsByHand edits the group's terms through the web forms on
// both engines: refusals are shown by their field, a change that breaks the
// rules is shown with the validator's figures and saved only when
// confirmed, and each change is a public decision-log entry with its reason.
func TestAdvisoryTermsByHand(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		a := newAdvisorySite(t, db)
		ctx := context.Background()
		base := "/forums/igf/advisory-group"
		a.mustPost(t, a.sec, base+"/rules", rulesForm, http.StatusSeeOther)
		// Ten members in 2026, four of them government (40%, the limit);
		// Nominee 00 sits until 2027.
		terms := map[int]*concord.Term{}
		for _, i := range []int{0, 5, 10, 15, 2, 3, 4, 7, 8, 9} {
			tm := &concord.Term{ForumID: a.forum.ID, PersonID: a.people[i].ID, FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember, Decision: -1}
			if i == 0 {
				tm.LastYear = 2027
			}
			if err := db.AddTerm(ctx, tm); err != nil {
				t.Fatal(err)
			}
			terms[i] = tm
		}
		count := func() int {
			ts, err := db.Terms(ctx, a.forum.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(ts)
		}

		code, body := a.get(t, a.sec, base+"/terms?year=2026")
		if code != http.StatusOK || !strings.Contains(body, "Nominee 15") || !strings.Contains(body, fmt.Sprintf(`href="%s/terms/%d"`, base, terms[0].ID)) {
			t.Fatalf("terms page: %d\n%s", code, body)
		}
		if code, _ := a.get(t, a.del, base+"/terms"); code != http.StatusForbidden {
			t.Errorf("a delegate sees the terms page: %d", code)
		}
		if res, _ := a.post(t, a.del, base+"/terms", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("a delegate may add a term: %d", res.StatusCode)
		}

		gov := url.Values{"person": {fmt.Sprint(a.people[20].ID)}, "first_year": {"2026"}, "last_year": {"2026"}, "role": {"member"},
			"reason": {"Host government seat"}}
		// Refused by field, nothing saved.
		for _, c := range []struct {
			name, field, text string
			form              url.Values
		}{
			{"overlap", "first_year", "overlaps", with(with(with(gov, "person", fmt.Sprint(a.people[0].ID)), "first_year", "2027"), "last_year", "2027")},
			{"year not a number", "last_year", "is not a whole number", with(gov, "last_year", "next")},
			{"no one", "person", "is not a person number", with(gov, "person", "")},
			{"no reason", "reason", "is required", with(gov, "reason", " ")},
		} {
			_, body := a.mustPost(t, a.sec, base+"/terms", c.form, http.StatusUnprocessableEntity)
			if !strings.Contains(body, `id="f-`+c.field+`-error"`) || !strings.Contains(body, `href="#f-`+c.field+`"`) || !strings.Contains(body, c.text) {
				t.Errorf("%s: error not shown by field %s:\n%s", c.name, c.field, body)
			}
		}
		// Breaks the government limit: the figures are shown and nothing is saved.
		_, body = a.mustPost(t, a.sec, base+"/terms", gov, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "This change breaks the composition rules") || !strings.Contains(body, "In 2026: Government 5 of 11 = 45.5% &gt; 40%") ||
			!strings.Contains(body, `id="f-override"`) || !strings.Contains(body, "Host government seat") {
			t.Errorf("warnings not shown:\n%s", body)
		}
		if n := count(); n != 10 {
			t.Fatalf("an unconfirmed change was saved: %d terms", n)
		}
		loc, _ := a.mustPost(t, a.sec, base+"/terms", with(gov, "override", "on"), http.StatusSeeOther)
		if loc != base+"/terms?year=2026" || count() != 11 {
			t.Errorf("confirmed change: redirected to %q, %d terms", loc, count())
		}

		// Changing a role that breaks nothing saves at once.
		tp := fmt.Sprintf("%s/terms/%d", base, terms[2].ID)
		if code, body := a.get(t, a.sec, tp); code != http.StatusOK || !strings.Contains(body, "Term of Nominee 02") {
			t.Fatalf("term page: %d\n%s", code, body)
		}
		a.mustPost(t, a.sec, tp, url.Values{"first_year": {"2026"}, "last_year": {"2026"}, "role": {"reserved"}, "reason": {"Host country seat"}}, http.StatusSeeOther)
		if got, _ := db.Term(ctx, a.forum.ID, terms[2].ID); got.Role != concord.AdvisoryReserved {
			t.Errorf("role not changed: %+v", got)
		}
		// Ending Nominee 00's term early empties 2027: warned, then confirmed.
		tp = fmt.Sprintf("%s/terms/%d", base, terms[0].ID)
		end := url.Values{"first_year": {"2026"}, "last_year": {"2026"}, "role": {"member"}, "reason": {"Resigned for health reasons"}}
		_, body = a.mustPost(t, a.sec, tp, end, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "In 2027: Voting seats filled: 0 of 10") {
			t.Errorf("the emptied year is not shown:\n%s", body)
		}
		a.mustPost(t, a.sec, tp, with(end, "override", "on"), http.StatusSeeOther)
		if got, _ := db.Term(ctx, a.forum.ID, terms[0].ID); got.LastYear != 2026 {
			t.Errorf("term not ended: %+v", got)
		}
		if code, _ := a.get(t, a.sec, base+"/terms/99999"); code != http.StatusNotFound {
			t.Errorf("no such term: %d", code)
		}

		// The public sees every change and why.
		entries, _, err := db.Decisions(ctx, "igf", 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var found int
		for _, e := range entries {
			if e.Kind != "advisory.term" {
				continue
			}
			found++
			if strings.Contains(e.Subject, "Nominee 00: term 2026–2027 ended early") {
				code, page := a.get(t, browser(), fmt.Sprintf("/decisions/%d", e.Index))
				if code != http.StatusOK || !strings.Contains(page, "Resigned for health reasons") {
					t.Errorf("public decision page %d lacks the reason: %d\n%s", e.Index, code, page)
				}
			}
		}
		if found != 3 {
			t.Errorf("%d advisory.term entries, want 3", found)
		}
	})
}
