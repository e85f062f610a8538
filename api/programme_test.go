package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/sqlstore"
)

// programmeFixture adds to the API fixture a 2026 cycle with an open call,
// a proposer in the registry (the "del" account), three speakers with
// emails and four advisory-group members, one of them the "advisor" account.
type programmeFixture struct {
	*fixture
	at       time.Time
	call     *concord.ProposalCall
	proposer *concord.Person
	dina     *concord.Person
	advisor  *concord.Person
	members  []*concord.Person // the advisory group, advisor first
}

func newProgrammeFixture(t *testing.T, db *sqlstore.DB) *programmeFixture {
	t.Helper()
	ctx := context.Background()
	fx := &programmeFixture{fixture: newFixture(t, db), at: time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return fx.at }
	if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: fx.igf.ID, Year: 2026, Subthemes: []string{"Access"},
		PolicyQuestions: []string{"Q1", "Q2"}}); err != nil {
		t.Fatal(err)
	}
	person := func(p concord.Person) *concord.Person {
		if err := db.CreatePerson(ctx, fx.igf, &p); err != nil {
			t.Fatal(err)
		}
		return &p
	}
	fx.proposer = person(concord.Person{Name: "Delia Mwangi", Email: "del@accounts.example", Country: "KE", Gender: concord.Woman,
		StakeholderGroup: "civil-society"})
	fx.dina = person(concord.Person{Name: "Dina Rao", Email: "dina@example.org", Country: "IN", Gender: concord.Woman,
		StakeholderGroup: "private-sector"})
	for i, m := range []concord.Person{
		{Name: "Ava Member", Email: "advisor@accounts.example", Country: "NO", StakeholderGroup: "government", Organisation: "Ministry"},
		{Name: "Member Two", Country: "FR", StakeholderGroup: "civil-society", Organisation: "Org 2"},
		{Name: "Member Three", Country: "CA", StakeholderGroup: "technical", Organisation: "Org 3"},
		{Name: "Member Four", Country: "JP", StakeholderGroup: "private-sector", Organisation: "Org 4"},
	} {
		p := person(m)
		fx.members = append(fx.members, p)
		if i == 0 {
			fx.advisor = p
		}
		if err := db.AddTerm(ctx, &concord.Term{ForumID: fx.igf.ID, PersonID: p.ID, FirstYear: 2026, LastYear: 2026,
			Role: concord.AdvisoryMember}); err != nil {
			t.Fatal(err)
		}
	}
	fx.call = &concord.ProposalCall{ForumID: fx.igf.ID, Year: 2026, Opens: fx.at.Add(-24 * time.Hour), Closes: fx.at.Add(24 * time.Hour),
		Rules: concord.DefaultScreeningRules(), Description: "Workshops for 2026."}
	if err := db.CreateProposalCall(ctx, fx.call); err != nil {
		t.Fatal(err)
	}
	return fx
}

// imported is a submitted proposal with confirmed speakers, as carried over
// from an earlier system, by no account of this instance.
func (fx *programmeFixture) imported(title string) *concord.Proposal {
	amina, bruno := fx.people["amina"], fx.people["bruno"]
	p := &concord.Proposal{CallID: fx.call.ID, ForumID: fx.igf.ID, Type: "workshop", Title: title, Description: "Imported.",
		Subtheme: "Access", PolicyQuestions: []string{"Q2"}, Status: concord.ProposalSubmitted, Submitted: fx.at}
	for _, x := range []concord.SessionPerson{
		{PersonID: amina.ID, Role: concord.Speaker}, {PersonID: bruno.ID, Role: concord.Speaker}, {PersonID: fx.dina.ID, Role: concord.Speaker},
		{PersonID: bruno.ID, Role: concord.OnsiteModerator}, {PersonID: amina.ID, Role: concord.OnlineModerator},
		{PersonID: fx.dina.ID, Role: concord.Rapporteur},
	} {
		x.Confirmed = fx.at
		p.People = append(p.People, x)
	}
	return p
}

// decode reads a JSON body into v or fails t.
func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
}

type proposalOut struct {
	ID        int64
	Status    string
	Mine      bool
	Title     string
	People    []map[string]any
	Screening *struct {
		Passed   bool
		Failures []struct{ Rule, Message string }
	}
	Decision *struct{ Decision string }
}

type pageOut struct {
	Total int
	Items []proposalOut
}

func TestProgrammeProposalsAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		bruno := fx.people["bruno"]
		calls := "/api/forums/igf/programme/calls"
		callURL := fmt.Sprintf("%s/%d", calls, fx.call.ID)
		valid := fmt.Sprintf(`{"title": "Community networks", "description": "How communities build their own networks.",
			"subtheme": "Access", "policy_questions": ["Q1"], "format": "round_table", "languages": ["en", "sw"],
			"organiser": ["del@accounts.example"], "speaker": ["Amina@Example.org", %d, %d],
			"onsite_moderator": [%d], "online_moderator": ["amina@example.org"], "rapporteur": [%d]}`,
			bruno.ID, fx.dina.ID, bruno.ID, fx.dina.ID)
		var mineURL string
		fx.run(t, []scenario{
			{name: "calls", method: "GET", url: calls, wantStatus: 200,
				wantBody: []string{`"state": "open"`, `"opens": "2026-03-31T12:00:00Z"`, `"closes": "2026-04-02T12:00:00Z"`,
					`"min_speakers": 3`, `"word_limit": 500`, `"published_at": null`}},
			{name: "call", method: "GET", url: callURL, wantStatus: 200, wantBody: []string{`"Workshops for 2026."`, `"lightning-talk"`}},
			{name: "no such call", method: "GET", url: calls + "/999", wantStatus: 404},
			{name: "call of another forum", method: "GET", url: fmt.Sprintf("/api/forums/youth/programme/calls/%d", fx.call.ID), wantStatus: 404},
			{name: "create anonymously", method: "POST", url: callURL + "/proposals", body: valid, wantStatus: 401},
			{name: "create with problems", method: "POST", url: callURL + "/proposals", token: "del", wantStatus: 422,
				body: `{"title": " ", "subtheme": "Nowhere", "speaker": ["nobody@example.org", true], "format": "circus"}`,
				wantBody: []string{`"field": "title"`, `"field": "subtheme"`, `\"Nowhere\" is not one of the cycle's subthemes`,
					`"field": "speaker"`, `\"nobody@example.org\" is not a person number or email`, `"field": "speaker[1]"`,
					`"field": "format"`}},
			{name: "create with a mistyped field", method: "POST", url: callURL + "/proposals", token: "del", wantStatus: 422,
				body: `{"title": 7, "speakers": []}`, wantBody: []string{`"field": "title"`, `"field": "speakers"`, "is not a known field"}},
			{name: "create over the word limit", method: "POST", url: callURL + "/proposals", token: "del", wantStatus: 422,
				body:     `{"title": "Long", "description": "` + strings.Repeat("word ", 501) + `"}`,
				wantBody: []string{`"field": "description"`, "has 501 words, over the limit of 500"}},
			{name: "create a draft", method: "POST", url: callURL + "/proposals", token: "del", body: valid, wantStatus: 201,
				wantBody: []string{`"status": "draft"`, `"mine": true`, `"rule": "speakers"`, "0 confirmed speakers (3 more not confirmed yet)"},
				notBody:  []string{"amina@example.org", "dina@example.org"},
				check: func(t *testing.T, resp *http.Response, body []byte) {
					mineURL = resp.Header.Get("Location")
					var p proposalOut
					decode(t, body, &p)
					if want := fmt.Sprintf("/api/forums/igf/programme/proposals/%d", p.ID); mineURL != want {
						t.Errorf("Location = %q, want %q", mineURL, want)
					}
					if len(p.People) != 7 || p.Screening == nil || p.Screening.Passed {
						t.Errorf("people %v, screening %+v", p.People, p.Screening)
					}
				}},
		})
		// Each speaker got an emailed link; confirming it makes them count.
		mail, err := db.Outbox(ctx, fx.igf.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		link := regexp.MustCompile(`/forums/igf/programme/confirm/(\S+)`)
		for _, m := range mail {
			to = append(to, m.To)
			if !strings.Contains(m.Subject, "Community networks") {
				t.Errorf("invitation subject %q", m.Subject)
			}
			tok := link.FindStringSubmatch(m.Body)
			if tok == nil {
				t.Fatalf("no confirmation link in %q", m.Body)
			}
			if _, err := db.ConfirmSpeaker(ctx, fx.igf.ID, tok[1]); err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(to)
		if got, want := strings.Join(to, " "), "amina@example.org bruno@example.org dina@example.org"; got != want {
			t.Errorf("invitations to %s, want %s", got, want)
		}

		fx.run(t, []scenario{
			{name: "hidden from the public", method: "GET", url: mineURL, wantStatus: 404},
			{name: "hidden from another account", method: "GET", url: mineURL, token: "plain", wantStatus: 404},
			{name: "the proposer sees it screened", method: "GET", url: mineURL, token: "del", wantStatus: 200,
				wantBody: []string{`"passed": true`, `"failures": []`, `"decision": null`}, notBody: []string{"@example.org"}},
			{name: "the secretariat sees emails", method: "GET", url: mineURL, token: "sec", wantStatus: 200,
				wantBody: []string{`"email": "amina@example.org"`, `"mine": false`}},
			{name: "another forum's secretariat", method: "GET", url: strings.Replace(mineURL, "/igf/", "/youth/", 1), token: "youth-sec", wantStatus: 404},
			{name: "another account may not edit", method: "PUT", url: mineURL, token: "plain", body: valid, wantStatus: 404},
			{name: "nor the secretariat", method: "PUT", url: mineURL, token: "sec", body: valid, wantStatus: 404},
			{name: "nor submit", method: "POST", url: mineURL + "/submit", token: "sec", wantStatus: 404},
			{name: "edit", method: "PUT", url: mineURL, token: "del", body: strings.Replace(valid, "Community networks", "Community networks in Africa", 1),
				wantStatus: 200, wantBody: []string{`"title": "Community networks in Africa"`, `"passed": true`}},
			{name: "listed for the public: none", method: "GET", url: callURL + "/proposals", wantStatus: 200, wantBody: []string{`"total": 0`}},
			{name: "listed for the proposer", method: "GET", url: callURL + "/proposals", token: "del", wantStatus: 200,
				wantBody: []string{`"total": 1`, `"Community networks in Africa"`}},
			{name: "a bad limit", method: "GET", url: callURL + "/proposals?limit=0", token: "del", wantStatus: 422, wantBody: []string{`"field": "limit"`}},
			{name: "submit", method: "POST", url: mineURL + "/submit", token: "del", wantStatus: 200,
				wantBody: []string{`"status": "submitted"`, `"submitted_at": "2026-04-01T12:00:00Z"`}},
		})
		// No new invitations: the speakers stayed in their roles.
		if mail, _ := db.Outbox(ctx, fx.igf.ID, 10); len(mail) != 3 {
			t.Errorf("%d emails after editing, want the 3 invitations", len(mail))
		}

		// The call closes: no change, no submission, no new proposal.
		fx.at = fx.call.Closes
		late := "The call closed at 2026-04-02 12:00 UTC"
		fx.run(t, []scenario{
			{name: "calls say closed", method: "GET", url: callURL, wantStatus: 200, wantBody: []string{`"state": "closed"`}},
			{name: "late edit", method: "PUT", url: mineURL, token: "del", body: valid, wantStatus: 409, wantBody: []string{late}},
			{name: "late submission", method: "POST", url: mineURL + "/submit", token: "del", wantStatus: 409, wantBody: []string{late}},
			{name: "late proposal", method: "POST", url: callURL + "/proposals", token: "plain", body: valid, wantStatus: 409, wantBody: []string{late}},
		})
		id, _ := strconv.ParseInt(mineURL[strings.LastIndex(mineURL, "/")+1:], 10, 64)
		if p, err := db.Proposal(ctx, fx.igf.ID, id); err != nil || p.Title != "Community networks in Africa" || p.Status != concord.ProposalSubmitted {
			t.Errorf("stored after refusals: %+v, %v", p, err)
		}
		if all, _ := db.Proposals(ctx, fx.call.ID, sqlstore.ProposalFilter{}); len(all) != 1 {
			t.Errorf("%d proposals stored, want 1: refused requests store nothing", len(all))
		}
	})
}

func TestProgrammeScoringAndResultsAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fx := newProgrammeFixture(t, db)
		del, err := db.PersonByEmail(ctx, fx.igf.ID, "del@accounts.example")
		if err != nil {
			t.Fatal(err)
		}
		// P1 is the "del" account's; P2 and P3 are imported.
		acc := accountID(t, db, "del@accounts.example")
		p1, p2, p3 := fx.imported("Community networks"), fx.imported("Digital public goods"), fx.imported("Spectrum for all")
		p1.AccountID, p1.ProposerID = acc, del.ID
		p1.People = append(p1.People, concord.SessionPerson{PersonID: del.ID, Role: concord.Organiser})
		if err := db.ImportProposals(ctx, fx.call, []*concord.Proposal{p1, p2, p3}); err != nil {
			t.Fatal(err)
		}
		// The advisor declared a conflict with P3 before the assignment, so
		// is not assigned to it; loads within one then give them P1 and P2.
		if err := db.DeclareConflict(ctx, fx.igf.ID, p3.ID, fx.advisor.ID, "former employer"); err != nil {
			t.Fatal(err)
		}
		a, err := db.RunAssignment(ctx, fx.igf, fx.call, 3, 7, "sec")
		if err != nil {
			t.Fatal(err)
		}
		evaluators := map[int64][]int64{} // by proposal, the advisor left out
		for _, pair := range a.Pairs {
			pid, _ := strconv.ParseInt(pair.Proposal, 10, 64)
			eid, _ := strconv.ParseInt(pair.Evaluator, 10, 64)
			if eid != fx.advisor.ID {
				evaluators[pid] = append(evaluators[pid], eid)
			}
		}
		if len(evaluators[p1.ID]) != 2 || len(evaluators[p2.ID]) != 2 || len(evaluators[p3.ID]) != 3 {
			t.Fatalf("assignment %+v: the advisor should evaluate P1 and P2 only", a.Pairs)
		}
		callURL := fmt.Sprintf("/api/forums/igf/programme/calls/%d", fx.call.ID)
		score := func(p *concord.Proposal) string {
			return fmt.Sprintf("/api/forums/igf/programme/proposals/%d/evaluation", p.ID)
		}
		fx.run(t, []scenario{
			{name: "tasks are for advisors", method: "GET", url: callURL + "/evaluations", token: "del", wantStatus: 403},
			{name: "tasks are blind", method: "GET", url: callURL + "/evaluations", token: "advisor", wantStatus: 200,
				wantBody: []string{`"scored": 0`, `"Community networks"`, `"Digital public goods"`, `"developing_country": true`,
					`"first_time": true`, `"region": "African"`, `"confirmed": true`},
				notBody: []string{"Spectrum for all", "Delia", "Amina", "Bruno", "Dina", "Open Net Africa", "@"},
				check: func(t *testing.T, _ *http.Response, body []byte) {
					var out struct {
						Items []struct {
							ProposalID int64 `json:"proposal_id"`
						}
					}
					decode(t, body, &out)
					if len(out.Items) != 2 || out.Items[0].ProposalID != p1.ID || out.Items[1].ProposalID != p2.ID {
						t.Errorf("tasks %+v, want P1 and P2", out.Items)
					}
				}},
			{name: "no registry person, no tasks", method: "GET", url: callURL + "/evaluations", token: "sec", wantStatus: 200,
				wantBody: []string{`"items": []`}},
			{name: "score out of range", method: "PUT", url: score(p1), token: "advisor", body: `{"score": 6, "comment": "Great"}`,
				wantStatus: 422, wantBody: []string{`"field": "score"`, "6 is not a score from 1 to 5"}},
			{name: "score missing", method: "PUT", url: score(p1), token: "advisor", body: `{"comment": "Great"}`,
				wantStatus: 422, wantBody: []string{`"field": "score"`, "is required"}},
			{name: "score not a number", method: "PUT", url: score(p1), token: "advisor", body: `{"score": "five"}`,
				wantStatus: 422, wantBody: []string{`"field": "score"`, "an integer from 1 to 5"}},
			{name: "low score without a reason", method: "PUT", url: score(p1), token: "advisor", body: `{"score": 2}`,
				wantStatus: 422, wantBody: []string{`"field": "reason"`}},
			{name: "unassigned", method: "PUT", url: score(p3), token: "advisor", body: `{"score": 5}`,
				wantStatus: 422, wantBody: []string{"is not assigned to you"}},
			{name: "not an evaluator", method: "PUT", url: score(p1), token: "sec", body: `{"score": 5}`,
				wantStatus: 404, wantBody: []string{"is not assigned to you"}},
			{name: "not an advisor", method: "PUT", url: score(p1), token: "del", body: `{"score": 5}`, wantStatus: 403},
			{name: "merge with nothing", method: "PUT", url: score(p1), token: "advisor", body: `{"score": 4, "merge_with": 999}`,
				wantStatus: 422, wantBody: []string{`"field": "merge_with"`}},
			{name: "score", method: "PUT", url: score(p1), token: "advisor",
				body:       fmt.Sprintf(`{"score": 4, "comment": "Clear and balanced", "merge_with": %d}`, p2.ID),
				wantStatus: 200, wantBody: []string{`"score": 4`, fmt.Sprintf(`"merge_with": %d`, p2.ID)}},
			{name: "the score is listed", method: "GET", url: callURL + "/evaluations", token: "advisor", wantStatus: 200,
				wantBody: []string{`"scored": 1`, `"comment": "Clear and balanced"`}},
		})
		conflict := fmt.Sprintf("/api/forums/igf/programme/proposals/%d/conflict", p2.ID)
		fx.run(t, []scenario{
			{name: "conflict of a non-evaluator", method: "POST", url: conflict, token: "sec", body: `{"reason": "x"}`, wantStatus: 404},
			{name: "conflict with no such proposal", method: "POST", url: "/api/forums/igf/programme/proposals/999/conflict", token: "advisor",
				body: `{}`, wantStatus: 404},
			{name: "declare a conflict", method: "POST", url: conflict, token: "advisor", body: `{"reason": "a speaker is my colleague"}`,
				wantStatus: 204},
			{name: "conflicted", method: "PUT", url: score(p2), token: "advisor", body: `{"score": 5}`,
				wantStatus: 422, wantBody: []string{"conflict of interest"}},
			{name: "the conflict is listed", method: "GET", url: callURL + "/evaluations", token: "advisor", wantStatus: 200,
				wantBody: []string{`"conflict": true`}},
		})

		// The other evaluators score: P1 gets 4 (above), 5 and 1; P2 3 and 3;
		// P3 3, 3 and 4. P1 and P3 share a mean of 10/3, and P1 goes first on
		// its median.
		scores := map[int64][]int{p1.ID: {5, 1}, p2.ID: {3, 3}, p3.ID: {3, 3, 4}}
		for pid, eids := range evaluators {
			for i, eid := range eids {
				if err := db.SaveEvaluation(ctx, fx.igf.ID, &concord.Evaluation{ProposalID: pid, PersonID: eid, Score: scores[pid][i],
					Reason: "Thin on regions"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		all, err := db.Evaluations(ctx, fx.call.ID)
		if err != nil {
			t.Fatal(err)
		}
		z := concord.Normalise(all)
		type stats struct {
			N                int
			Mean, Median, SD float64
			Polarised        bool
		}
		type row struct {
			Rank       int
			Tie        string
			ProposalID int64 `json:"proposal_id"`
			Raw        stats
			Normalised stats
		}
		var ranking struct {
			Normalise bool
			Items     []row
		}
		fx.run(t, []scenario{
			{name: "ranking is the secretariat's", method: "GET", url: callURL + "/ranking", token: "advisor", wantStatus: 403},
			{name: "ranking takes true or false", method: "GET", url: callURL + "/ranking?normalise=yes", token: "sec", wantStatus: 422,
				wantBody: []string{`"field": "normalise"`}},
			{name: "ranking", method: "GET", url: callURL + "/ranking", token: "sec", wantStatus: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) { decode(t, body, &ranking) }},
		})
		if len(ranking.Items) != 3 {
			t.Fatalf("ranking %+v", ranking)
		}
		first, second, third := ranking.Items[0], ranking.Items[1], ranking.Items[2]
		if first.ProposalID != p1.ID || second.ProposalID != p3.ID || third.ProposalID != p2.ID {
			t.Errorf("order %d %d %d, want P1 %d, P3 %d, P2 %d", first.ProposalID, second.ProposalID, third.ProposalID, p1.ID, p3.ID, p2.ID)
		}
		near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
		if r := first.Raw; r.N != 3 || !near(r.Mean, 10.0/3) || r.Median != 4 || !near(r.SD, math.Sqrt(26.0/9)) || !r.Polarised {
			t.Errorf("P1 raw %+v: want n 3, mean 3.33, median 4, sd 1.70, polarised", r)
		}
		if second.Rank != 2 || !strings.Contains(second.Tie, fmt.Sprintf("same mean as proposal %d", p1.ID)) ||
			!strings.Contains(second.Tie, "placed below on median 3.0 < 4.0") || second.Raw.Polarised {
			t.Errorf("P3 %+v: want rank 2 below P1 on the median, not polarised", second)
		}
		for _, r := range ranking.Items {
			want := concord.Aggregate(z[r.ProposalID])
			if r.Normalised.N != want.N || !near(r.Normalised.Mean, want.Mean) || !near(r.Normalised.SD, want.SD) {
				t.Errorf("proposal %d normalised %+v, want the z-scores' %+v", r.ProposalID, r.Normalised, want)
			}
		}
		fx.run(t, []scenario{
			{name: "ranking on z-scores", method: "GET", url: callURL + "/ranking?normalise=true", token: "sec", wantStatus: 200,
				wantBody: []string{`"normalise": true`}},
		})

		// Decisions, then publication: the public sees the accepted list only.
		if err := db.DecideProposal(ctx, fx.igf, p1.ID, concord.DecisionAccept, 0, "", "sec"); err != nil {
			t.Fatal(err)
		}
		if err := db.DecideProposal(ctx, fx.igf, p2.ID, concord.DecisionReject, 0, "Overlaps P1", "sec"); err != nil {
			t.Fatal(err)
		}
		p1URL := fmt.Sprintf("/api/forums/igf/programme/proposals/%d", p1.ID)
		fx.run(t, []scenario{
			{name: "nothing published yet", method: "GET", url: callURL + "/accepted", wantStatus: 200,
				wantBody: []string{`"published_at": null`, `"items": []`}},
			{name: "accepted but unpublished stays hidden", method: "GET", url: p1URL, wantStatus: 404},
			{name: "public listing before publication", method: "GET", url: callURL + "/proposals", wantStatus: 200,
				wantBody: []string{`"total": 0`}},
			{name: "decisions unseen before publication", method: "GET", url: p1URL, token: "del", wantStatus: 200,
				wantBody: []string{`"decision": null`}},
			{name: "the secretariat sees decisions", method: "GET", url: callURL + "/proposals", token: "sec", wantStatus: 200,
				wantBody: []string{`"total": 3`, `"decision": "accept"`, `"decision": "reject"`, `"reason": "Overlaps P1"`, `"email": "amina@example.org"`}},
		})
		if _, err := db.PublishProgramme(ctx, fx.igf, fx.call, "sec"); err != nil {
			t.Fatal(err)
		}
		var listed pageOut
		fx.run(t, []scenario{
			{name: "accepted list", method: "GET", url: callURL + "/accepted", wantStatus: 200,
				wantBody: []string{`"Community networks"`, `"decision": "accept"`, `"screening": null`},
				notBody:  []string{"Digital public goods", "Spectrum for all", "@"}},
			{name: "public listing", method: "GET", url: callURL + "/proposals", wantStatus: 200,
				notBody: []string{"@"}, check: func(t *testing.T, _ *http.Response, body []byte) { decode(t, body, &listed) }},
			{name: "public proposal", method: "GET", url: p1URL, wantStatus: 200, wantBody: []string{`"decision": "accept"`, `"screening": null`}},
			{name: "rejected stays hidden", method: "GET", url: fmt.Sprintf("/api/forums/igf/programme/proposals/%d", p2.ID), wantStatus: 404},
			{name: "call published", method: "GET", url: callURL, wantStatus: 200, wantBody: []string{`"published_decision": `}},
		})
		if listed.Total != 1 || len(listed.Items) != 1 || listed.Items[0].ID != p1.ID || listed.Items[0].Screening != nil {
			t.Errorf("public listing %+v, want P1 alone without screening", listed)
		}
	})
}

// accountID finds an account of the fixture by email.
func accountID(t *testing.T, db *sqlstore.DB, email string) int64 {
	t.Helper()
	a, _, err := db.AccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
