package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/sqlstore"
)

var speakerLink = regexp.MustCompile(`http://127\.0\.0\.1:\d+(/forums/igf/programme/confirm/[A-Za-z0-9_-]+)`)

// speakerLinks finds the confirmation links emailed to speakers.
func speakerLinks(t *testing.T, db *sqlstore.DB) map[string]string {
	t.Helper()
	es, err := db.Outbox(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range es {
		if m := speakerLink.FindStringSubmatch(e.Body); m != nil {
			out[e.To] = m[1]
		}
	}
	return out
}

// TestProgrammeProposalFlow: the secretariat opens a call; a proposer saves
// a draft and sees what the rules still want; speakers confirm by emailed
// link; the proposal passes, is submitted, overridden with a reason in the
// screening queue, and refused once the call has closed.
func TestProgrammeProposalFlow(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a := newAdvisorySite(t, db)
		if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: a.forum.ID, Year: 2026, Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1"}}); err != nil {
			t.Fatal(err)
		}
		res, _ := a.post(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2026"}, "opens": {"2026-03-01T00:00"}, "closes": {"2026-04-30T23:59"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create call: %d", res.StatusCode)
		}
		callPage := res.Header.Get("Location")

		// n1, n2 (Kenya) and n6 (India) speak: two genders, three groups, two regions;
		// n4 moderates onsite and online, n5 reports.
		form := url.Values{"action": {"save"}, "type": {"workshop"}, "title": {"Community networks"},
			"description": {"How communities build their own networks."}, "subtheme": {"Access"}, "policy_questions": {"Q1"},
			"format": {"round_table"}, "languages": {"en, fr"}, "organiser": {"n0@example.org"},
			"speaker": {"n1@example.org\nn2@example.org\n#" + strconv.FormatInt(a.people[6].ID, 10)}, "onsite_moderator": {"n4@example.org"},
			"online_moderator": {"n4@example.org"}, "rapporteur": {"n5@example.org"}}
		res, _ = a.post(t, a.del, "/forums/igf/programme/proposals", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save draft: %d", res.StatusCode)
		}
		mine := res.Header.Get("Location")
		_, body := a.get(t, a.del, mine)
		if !strings.Contains(body, "0 confirmed speakers (3 more not confirmed yet); at least 3 are needed") {
			t.Fatalf("draft page does not show the screening:\n%s", body)
		}
		links := speakerLinks(t, db)
		if len(links) != 3 {
			t.Fatalf("%d speakers invited, want 3: %v", len(links), links)
		}
		// A stranger cannot see it; a bad link is refused.
		other := a.signIn(t, "n9@example.org", concord.RoleDelegate)
		if code, _ := a.get(t, other, mine); code != http.StatusNotFound {
			t.Errorf("someone else's proposal: %d", code)
		}
		if code, _ := a.get(t, browser(), "/forums/igf/programme/confirm/not-a-token"); code != http.StatusUnprocessableEntity {
			t.Errorf("bad link: %d", code)
		}
		for _, link := range links {
			anon := browser()
			if code, body := a.get(t, anon, link); code != http.StatusOK || !strings.Contains(body, "Community networks") {
				t.Fatalf("confirmation page: %d", code)
			}
			if res, _ := a.post(t, anon, link, url.Values{}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("confirm: %d", res.StatusCode)
			}
		}
		_, body = a.get(t, a.del, mine)
		if !strings.Contains(body, "The proposal meets every rule.") {
			t.Fatalf("after confirmations the rules still fail:\n%s", body)
		}
		// The secretariat reads the proposal but cannot rewrite it.
		if code, _ := a.get(t, a.sec, mine); code != http.StatusOK {
			t.Errorf("the secretariat cannot read the proposal: %d", code)
		}
		if res, _ := a.post(t, a.sec, mine, form); res.StatusCode != http.StatusForbidden {
			t.Errorf("the secretariat edits a proposal: %d", res.StatusCode)
		}
		form.Set("action", "submit")
		if res, _ := a.post(t, a.del, mine, form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", res.StatusCode)
		}
		if _, body := a.get(t, a.sec, callPage+"?show=passed"); !strings.Contains(body, "Community networks") || !strings.Contains(body, "1 submitted, 0 drafts.") {
			t.Errorf("screening queue:\n%s", body)
		}
		// An override needs a reason, and is recorded.
		res, body = a.post(t, a.sec, mine+"/screening", url.Values{"override": {"fail"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "say why the rules are overridden") {
			t.Errorf("override without reason: %d", res.StatusCode)
		}
		if res, _ := a.post(t, a.sec, mine+"/screening", url.Values{"override": {"fail"}, "reason": {"Duplicates workshop 12"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("override: %d", res.StatusCode)
		}
		if _, body := a.get(t, a.sec, callPage+"?show=failed"); !strings.Contains(body, "Community networks") {
			t.Errorf("overridden proposal not screened out")
		}
		// Late edits are refused, with the close time.
		a.now = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		res, body = a.post(t, a.del, mine, form)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "closed at 2026-04-30 23:59 UTC") {
			t.Errorf("late edit: %d", res.StatusCode)
		}
	})
}

func TestProgrammeProposalFormErrors(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	a := newAdvisorySite(t, db)
	if code, _ := a.get(t, a.del, "/forums/igf/programme/propose"); code != http.StatusNotFound {
		t.Errorf("no call yet: %d", code)
	}
	a.post(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2026"}, "opens": {"2026-03-01T00:00"}, "closes": {"2026-04-30T23:59"}})
	res, body := a.post(t, a.del, "/forums/igf/programme/proposals", url.Values{"action": {"save"}, "title": {""},
		"description": {strings.Repeat("word ", 501)}, "speaker": {"nobody@example.org"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad proposal: %d", res.StatusCode)
	}
	for _, want := range []string{"nobody@example.org&#34; is not a person number or email"} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	res, body = a.post(t, a.del, "/forums/igf/programme/proposals", url.Values{"action": {"save"}, "title": {""},
		"description": {strings.Repeat("word ", 501)}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "has 501 words, over the limit of 500") || !strings.Contains(body, "is required") {
		t.Errorf("over the word limit: %d", res.StatusCode)
	}
}

// TestProgrammeAssignmentAndScoring: the secretariat assigns evaluators
// (an impossible request says why), an assigned advisory-group member
// scores without seeing the proposer's name, and refusals hold.
func TestProgrammeAssignmentAndScoring(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a := newAdvisorySite(t, db)
		if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: a.forum.ID, Year: 2026, Subthemes: []string{"Access"}, PolicyQuestions: []string{"Q1"}}); err != nil {
			t.Fatal(err)
		}
		a.mustPost(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2026"}, "opens": {"2026-03-01T00:00"}, "closes": {"2026-03-05T23:59"}}, http.StatusSeeOther)
		calls, _ := db.ProposalCalls(ctx, a.forum.ID)
		for _, p := range a.people[20:] {
			if err := db.AddTerm(ctx, &concord.Term{ForumID: a.forum.ID, PersonID: p.ID, FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember}); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		var ps []*concord.Proposal
		for i := range 3 {
			p := &concord.Proposal{ProposerID: a.people[0].ID, Type: "workshop", Title: "Workshop " + strconv.Itoa(i), Description: "Community networks.",
				Subtheme: "Access", PolicyQuestions: []string{"Q1"}, Status: concord.ProposalSubmitted, Submitted: at}
			for j, role := range []concord.ProposalRole{concord.Organiser, concord.Speaker, concord.Speaker, concord.Speaker, concord.OnsiteModerator, concord.OnlineModerator, concord.Rapporteur} {
				p.People = append(p.People, concord.SessionPerson{PersonID: a.people[[]int{0, 1, 6, 12, 2, 2, 3}[j]].ID, Role: role, Confirmed: at})
			}
			ps = append(ps, p)
		}
		if err := db.ImportProposals(ctx, calls[0], ps); err != nil {
			t.Fatal(err)
		}
		base := "/forums/igf/programme/calls/" + strconv.FormatInt(calls[0].ID, 10)
		_, body := a.mustPost(t, a.sec, base+"/assignments", url.Values{"per_proposal": {"15"}, "seed": {"7"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "3×15 evaluations over 10 evaluators") {
			t.Errorf("infeasible assignment does not say why:\n%s", body)
		}
		a.mustPost(t, a.sec, base+"/assignments", url.Values{"per_proposal": {"3"}, "seed": {"7"}}, http.StatusSeeOther)
		if _, body := a.get(t, a.sec, base); !strings.Contains(body, "Current assignment: 3 proposals, 3 evaluators each.") {
			t.Errorf("call page lacks the assignment")
		}
		cur, err := db.CurrentAssignment(ctx, calls[0].ID)
		if err != nil || cur == nil {
			t.Fatal(err)
		}
		pair := cur.Pairs[0]
		var who *concord.Person
		for _, p := range a.people {
			if strconv.FormatInt(p.ID, 10) == pair.Evaluator {
				who = p
			}
		}
		ev := a.signIn(t, who.Email, concord.RoleAdvisor)
		if _, body := a.get(t, ev, "/forums/igf/programme/evaluate"); !strings.Contains(body, "not scored yet") {
			t.Errorf("evaluator's list:\n%s", body)
		}
		page := "/forums/igf/programme/evaluate/" + pair.Proposal
		code, body := a.get(t, ev, page)
		if code != http.StatusOK || strings.Contains(body, a.people[0].Name) || !strings.Contains(body, "First-time proposer") ||
			!strings.Contains(body, "Proposer from a developing country") {
			t.Errorf("proposal for scoring (%d) shows the proposer or lacks the flags:\n%s", code, body)
		}
		_, body = a.mustPost(t, ev, page, url.Values{"score": {"2"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "is required for a score of 3 or less") {
			t.Errorf("score 2 without reason accepted")
		}
		a.mustPost(t, ev, page, url.Values{"score": {"9"}, "reason": {"x"}}, http.StatusUnprocessableEntity)
		a.mustPost(t, ev, page, url.Values{"score": {"2"}, "reason": {"Speakers from one region"}, "merge_with": {pair.Proposal}}, http.StatusUnprocessableEntity)
		a.mustPost(t, ev, page, url.Values{"score": {"2"}, "reason": {"Speakers from one region"}}, http.StatusSeeOther)
		// Someone not assigned cannot score; a declared conflict stops scoring.
		stranger := a.signIn(t, "n13@example.org", concord.RoleAdvisor)
		if res, _ := a.post(t, stranger, page, url.Values{"score": {"5"}}); res.StatusCode == http.StatusSeeOther {
			t.Errorf("unassigned evaluator scored")
		}
		a.mustPost(t, ev, page+"/conflict", url.Values{"reason": {"colleague"}}, http.StatusSeeOther)
		a.mustPost(t, ev, page, url.Values{"score": {"5"}}, http.StatusUnprocessableEntity)
		es, _ := db.Evaluations(ctx, calls[0].ID)
		if len(es) != 1 || es[0].Score != 2 {
			t.Errorf("evaluations: %+v", es)
		}

		// Selection: ranking, decisions, balance dashboard, publication.
		if code, body := a.get(t, a.sec, base+"/selection?normalise=1"); code != http.StatusOK || !strings.Contains(body, "Workshop 1") {
			t.Errorf("selection page: %d", code)
		}
		prop := "/forums/igf/programme/proposals/" + strconv.FormatInt(ps[1].ID, 10)
		_, body = a.mustPost(t, a.sec, prop+"/decision", url.Values{"decision": {"accept_if_merged"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "name the proposal to merge with") {
			t.Errorf("accept if merged without a partner")
		}
		a.mustPost(t, a.sec, prop+"/decision", url.Values{"decision": {"accept_if_merged"}, "merge_into": {"#" + strconv.FormatInt(ps[2].ID, 10)}}, http.StatusSeeOther)
		a.mustPost(t, a.sec, base+"/accept-top", url.Values{"count": {"1"}, "normalise": {"0"}}, http.StatusSeeOther)
		if code, body := a.get(t, a.sec, base+"/dashboard"); code != http.StatusOK || strings.Count(body, "<svg") != 12 {
			t.Errorf("dashboard: %d, %d charts", code, strings.Count(body, "<svg"))
		}
		a.mustPost(t, a.sec, base+"/publish", url.Values{}, http.StatusSeeOther)
		if _, body := a.get(t, browser(), "/forums/igf/programme/accepted"); !strings.Contains(body, "Workshop 1") {
			t.Errorf("accepted list:\n%s", body)
		}
		out, _ := db.Outbox(ctx, a.forum.ID, 50)
		notified := 0
		for _, e := range out {
			if e.To == a.people[0].Email && strings.Contains(e.Subject, "Your session proposal") {
				notified++
			}
		}
		if notified != 2 {
			t.Errorf("%d decision emails to the proposer, want 2", notified)
		}
		a.mustPost(t, a.sec, prop+"/decision", url.Values{"decision": {"reject"}}, http.StatusConflict)
	})
}

func TestProgrammeScreeningRulesForm(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	ctx := context.Background()
	a := newAdvisorySite(t, db)
	a.mustPost(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2026"}, "opens": {"2026-03-01T00:00"}, "closes": {"2026-04-30T23:59"}}, http.StatusSeeOther)
	calls, _ := db.ProposalCalls(ctx, a.forum.ID)
	path := "/forums/igf/programme/calls/" + strconv.FormatInt(calls[0].ID, 10)
	if _, body := a.get(t, a.sec, path); !strings.Contains(body, `name="min_speakers" type="number" value="3"`) {
		t.Errorf("rules form lacks the IGF defaults")
	}
	form := url.Values{"types": {"workshop", "open-forum"}, "screened_types": {"workshop"}, "word_limit": {"300"}, "min_speakers": {"x"},
		"min_groups": {"2"}, "min_regions": {"2"}, "min_policy_questions": {"1"}, "max_sessions_per_speaker": {"3"}, "mixed_gender": {"on"}}
	_, body := a.mustPost(t, a.sec, path+"/rules", form, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "is not a whole number") {
		t.Errorf("bad number accepted")
	}
	form.Set("min_speakers", "4")
	a.mustPost(t, a.sec, path+"/rules", form, http.StatusSeeOther)
	c, _ := db.ProposalCall(ctx, a.forum.ID, calls[0].ID)
	if c.Rules.MinSpeakers != 4 || c.Rules.WordLimit != 300 || c.Rules.Rapporteur || !c.Rules.MixedGender || len(c.Types) != 2 {
		t.Errorf("rules saved: %+v, types %v", c.Rules, c.Types)
	}
	if fr, _ := db.ForumRules(ctx, a.forum.ID); fr.Screening.MinSpeakers != 3 {
		t.Errorf("a call's rules became the forum's default unasked: %+v", fr.Screening)
	}

	// Made the forum's default, the rules carry over to the next call.
	form.Set("as_default", "on")
	form.Set("min_speakers", "5")
	a.mustPost(t, a.sec, path+"/rules", form, http.StatusSeeOther)
	if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: a.forum.ID, Year: 2027}); err != nil {
		t.Fatal(err)
	}
	a.mustPost(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2027"}, "opens": {"2027-03-01T00:00"}, "closes": {"2027-04-30T23:59"}}, http.StatusSeeOther)
	calls, _ = db.ProposalCalls(ctx, a.forum.ID)
	for _, c := range calls {
		if c.Year == 2027 && (c.Rules.MinSpeakers != 5 || c.Rules.WordLimit != 300 || c.Rules.Rapporteur) {
			t.Errorf("the 2027 call did not start from the forum's rules: %+v", c.Rules)
		}
	}
}

// TestCallOpenAndCloseNow: the call page's buttons move the window to now.
func TestCallOpenAndCloseNow(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	ctx := context.Background()
	a := newAdvisorySite(t, db)
	a.mustPost(t, a.sec, "/forums/igf/programme/calls", url.Values{"year": {"2026"}, "opens": {"2026-04-01T00:00"}, "closes": {"2026-04-30T23:59"}}, http.StatusSeeOther)
	calls, _ := db.ProposalCalls(ctx, a.forum.ID)
	path := "/forums/igf/programme/calls/" + strconv.FormatInt(calls[0].ID, 10)
	a.mustPost(t, a.sec, path, url.Values{"action": {"open"}}, http.StatusSeeOther)
	c, _ := db.ProposalCall(ctx, a.forum.ID, calls[0].ID)
	if !c.IsOpen(a.now) {
		t.Errorf("after open: %v – %v at %v", c.Opens, c.Closes, a.now)
	}
	a.mustPost(t, a.sec, path, url.Values{"action": {"close"}}, http.StatusSeeOther)
	c, _ = db.ProposalCall(ctx, a.forum.ID, calls[0].ID)
	if c.IsOpen(a.now) || c.IsOpen(a.now.Add(time.Hour)) {
		t.Errorf("after close: %v – %v at %v", c.Opens, c.Closes, a.now)
	}
}
