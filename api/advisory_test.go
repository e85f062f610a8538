package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/decisionlog"
	"concord/sqlstore"
)

// advisoryFixture adds to the API fixture small composition rules (three
// seats, government at most 40%), two more people, a sitting group for 2026
// of Amina (2026–2027) and Bruno, and a nomination call for 2030 with six
// eligible nominees.
func advisoryFixture(t *testing.T, db *sqlstore.DB) (*fixture, *concord.NominationCall) {
	t.Helper()
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) }
	fx := newFixture(t, db)
	r := concord.DefaultCompositionRules()
	r.Size, r.BalancedGroups, r.ObserverGroups, r.RegionMin = 3, nil, nil, 0
	r.RegionMaxPercent, r.GenderMaxPercent, r.RenewalMinPercent = 100, 100, 0
	if err := db.SetAdvisoryRules(ctx, fx.igf, r); err != nil {
		t.Fatal(err)
	}
	for key, p := range map[string]concord.Person{
		"diego": {Name: "Diego Fernández", Email: "diego@example.org", Country: "AR", StakeholderGroup: "government"},
		"eun":   {Name: "Eun-ji Park", Email: "eun@example.org", Country: "KR", StakeholderGroup: "private-sector", Gender: concord.Woman},
	} {
		if err := db.CreatePerson(ctx, fx.igf, &p); err != nil {
			t.Fatal(err)
		}
		fx.people[key] = &p
	}
	for key, last := range map[string]int{"amina": 2027, "bruno": 2026} {
		if err := db.AddTerm(ctx, &concord.Term{ForumID: fx.igf.ID, PersonID: fx.people[key].ID, FirstYear: 2026, LastYear: last,
			Role: concord.AdvisoryMember, Decision: -1}); err != nil {
			t.Fatal(err)
		}
	}
	call := &concord.NominationCall{ForumID: fx.igf.ID, Year: 2030, Opens: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Closes: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Description: "MAG 2030"}
	if err := db.CreateNominationCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"amina", "bruno", "carmen", "diego", "eun"} {
		if err := db.Nominate(ctx, &concord.Nomination{CallID: call.ID, PersonID: fx.people[key].ID, Statement: "Serves the community."}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.CheckEligibility(ctx, fx.igf, call.ID); err != nil {
		t.Fatal(err)
	}
	return fx, call
}

// TestAdvisoryGroupAPI reads the group, calls and selections as the public
// and the secretariat, on both engines.
func TestAdvisoryGroupAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fx, call := advisoryFixture(t, db)
		sel, err := db.RunAdvisorySelection(ctx, fx.igf, call.ID, sqlstore.MethodLeximin, 7, "sec")
		if err != nil {
			t.Fatal(err)
		}
		selURL := fmt.Sprintf("/api/forums/igf/advisory-group/selections/%d", sel.ID)
		callURL := fmt.Sprintf("/api/forums/igf/advisory-group/calls/%d", call.ID)
		const group = "/api/forums/igf/advisory-group"
		fx.run(t, []scenario{
			{name: "group, anonymous", method: "GET", url: group + "?year=2026", wantStatus: 200,
				wantBody: []string{`"year": 2026`, `"voting_seats": 2`, `"Amina Diallo"`, `"Bruno Keller"`, `"role": "member"`,
					`"stakeholder_group": "civil-society"`, `"region": "African"`, `"country": "SN"`, `"gender": "woman"`,
					`"first_year": 2026`, `"last_year": 2027`, `"published_selection": null`},
				notBody: []string{`"email"`, "@example.org", "Carmen"}},
			{name: "group, delegate", method: "GET", url: group + "?year=2026", token: "del", wantStatus: 200, notBody: []string{`"email"`}},
			{name: "group, another forum's secretariat", method: "GET", url: group + "?year=2026", token: "youth-sec", wantStatus: 200,
				notBody: []string{`"email"`}},
			{name: "group, secretariat", method: "GET", url: group + "?year=2026", token: "sec", wantStatus: 200,
				wantBody: []string{`"email": "amina@example.org"`, `"email": "bruno@example.org"`}},
			{name: "group, default year", method: "GET", url: group, wantStatus: 200, wantBody: []string{`"year": 2026`, `"years": [`}},
			{name: "group, a year with no one", method: "GET", url: group + "?year=2029", wantStatus: 200,
				wantBody: []string{`"members": []`, `"voting_seats": 0`}},
			{name: "group, bad year", method: "GET", url: group + "?year=soon", wantStatus: 422, wantBody: []string{`"field": "year"`}},
			{name: "group, unknown parameter", method: "GET", url: group + "?yaer=2026", wantStatus: 422, wantBody: []string{`"field": "yaer"`}},
			{name: "group of no forum", method: "GET", url: "/api/forums/nope/advisory-group", wantStatus: 404},

			{name: "calls", method: "GET", url: group + "/calls", wantStatus: 200,
				wantBody: []string{`"year": 2030`, `"state": "open"`, `"description": "MAG 2030"`, `"former_members_only": false`}},
			{name: "call", method: "GET", url: callURL, wantStatus: 200, wantBody: []string{`"year": 2030`}},
			{name: "call of another forum", method: "GET", url: "/api/forums/youth/advisory-group/calls/" + fmt.Sprint(call.ID), wantStatus: 404},
			{name: "no such call", method: "GET", url: group + "/calls/999", wantStatus: 404},

			// Unpublished: the secretariat's only.
			{name: "selections, anonymous, unpublished", method: "GET", url: group + "/selections", wantStatus: 200,
				wantBody: []string{`"items": []`}},
			{name: "selection, anonymous, unpublished", method: "GET", url: selURL, wantStatus: 404},
			{name: "selection, delegate, unpublished", method: "GET", url: selURL, token: "del", wantStatus: 404},
			{name: "selection, another forum's secretariat", method: "GET", url: selURL, token: "youth-sec", wantStatus: 404},
			{name: "selections, secretariat", method: "GET", url: group + "/selections?year=2030", token: "sec", wantStatus: 200,
				wantBody: []string{fmt.Sprintf(`"id": %d`, sel.ID), `"published_at": null`}},
			{name: "selection, secretariat", method: "GET", url: selURL, token: "sec", wantStatus: 200,
				wantBody: []string{`"seed": "7"`, `"method": "leximin"`, `"command": "concord panel select`}},
		})

		if _, err := db.PublishAdvisorySelection(ctx, fx.igf, sel.ID, "sec"); err != nil {
			t.Fatal(err)
		}
		fx.run(t, []scenario{
			{name: "selections, anonymous, published", method: "GET", url: group + "/selections", wantStatus: 200,
				wantBody: []string{fmt.Sprintf(`"id": %d`, sel.ID), fmt.Sprintf(`"decision": %d`, sel.Decision), `"seed": "7"`,
					`"inputs_hash": "` + sel.InputsHash + `"`}},
			{name: "selections of another year", method: "GET", url: group + "/selections?year=2026", wantStatus: 200,
				wantBody: []string{`"items": []`}},
			{name: "group 2030 with its selection", method: "GET", url: group + "?year=2030", wantStatus: 200,
				wantBody: []string{fmt.Sprintf(`"decision": %d`, sel.Decision), `"voting_seats": 3`}, notBody: []string{`"published_selection": null`}},
			{name: "selection, anonymous, published", method: "GET", url: selURL, wantStatus: 200,
				check: func(t *testing.T, _ *http.Response, body []byte) {
					var got struct {
						Seed       string          `json:"seed"`
						InputsHash string          `json:"inputs_hash"`
						Decision   int64           `json:"decision"`
						Published  *int64          `json:"published_decision"`
						Inputs     json.RawMessage `json:"inputs"`
						Result     struct {
							Panel []string `json:"panel"`
						} `json:"result"`
						Files map[string]string `json:"files"`
					}
					if err := json.Unmarshal(body, &got); err != nil {
						t.Fatal(err)
					}
					// The inputs served are the ones the log's hash covers.
					var in any
					json.Unmarshal(got.Inputs, &in)
					if h, _ := decisionlog.InputsHash(in); h != sel.InputsHash || got.InputsHash != h {
						t.Errorf("inputs hash %s, served %s, logged %s", h, got.InputsHash, sel.InputsHash)
					}
					if got.Published == nil || got.Decision != sel.Decision || len(got.Result.Panel) != 3 || got.Seed != "7" {
						t.Errorf("selection = %+v", got)
					}
					if !strings.HasSuffix(got.Files["people.csv"], "/people.csv") {
						t.Errorf("files = %v", got.Files)
					}
				}},
		})
	})
}

// TestAdvisoryTermAPI adds and changes terms through the API on both
// engines: refusals name the field, rules broken need override, and each
// saved change is a decision-log entry with its reason.
func TestAdvisoryTermAPI(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		fx, _ := advisoryFixture(t, db)
		terms, err := db.Terms(ctx, fx.igf.ID)
		if err != nil {
			t.Fatal(err)
		}
		var amina concord.Term
		for _, tm := range terms {
			if tm.PersonID == fx.people["amina"].ID {
				amina = tm
			}
		}
		const termsURL = "/api/forums/igf/advisory-group/terms"
		aminaURL := fmt.Sprintf("%s/%d", termsURL, amina.ID)
		add := func(key string, first, last int, role, extra string) string {
			return fmt.Sprintf(`{"person_id": %d, "first_year": %d, "last_year": %d, "role": %q, "reason": "Appointed to fill a vacancy"%s}`,
				fx.people[key].ID, first, last, role, extra)
		}
		carmen := add("carmen", 2026, 2026, "member", "")
		var decision int64
		fx.run(t, []scenario{
			{name: "add, anonymous", method: "POST", url: termsURL, body: carmen, wantStatus: 401},
			{name: "add, delegate", method: "POST", url: termsURL, token: "del", body: carmen, wantStatus: 403},
			{name: "add, another forum's secretariat", method: "POST", url: termsURL, token: "youth-sec", body: carmen, wantStatus: 403},
			{name: "add, unknown field", method: "POST", url: termsURL, token: "sec", body: `{"person": 1}`, wantStatus: 422,
				wantBody: []string{`"field": "person"`, "is not a known field"}},
			{name: "add, year as text", method: "POST", url: termsURL, token: "sec",
				body: strings.Replace(carmen, `"first_year": 2026`, `"first_year": "2026"`, 1), wantStatus: 422,
				wantBody: []string{`"field": "first_year"`, "must be an integer"}},
			{name: "add, no reason", method: "POST", url: termsURL, token: "sec",
				body: strings.Replace(carmen, "Appointed to fill a vacancy", " ", 1), wantStatus: 422, wantBody: []string{`"field": "reason"`}},
			{name: "add, years reversed", method: "POST", url: termsURL, token: "sec", body: add("carmen", 2027, 2026, "member", ""),
				wantStatus: 422, wantBody: []string{`"field": "last_year"`}},
			{name: "add, bad role", method: "POST", url: termsURL, token: "sec", body: add("carmen", 2026, 2026, "president", ""),
				wantStatus: 422, wantBody: []string{`"field": "role"`}},
			{name: "add, person of another forum", method: "POST", url: termsURL, token: "sec",
				body:       fmt.Sprintf(`{"person_id": %d, "first_year": 2026, "last_year": 2026, "role": "chair", "reason": "x"}`, fx.people["yuki"].ID),
				wantStatus: 422, wantBody: []string{`"field": "person"`, "registry"}},
			{name: "add, overlapping", method: "POST", url: termsURL, token: "sec", body: add("amina", 2027, 2028, "chair", ""),
				wantStatus: 422, wantBody: []string{`"field": "first_year"`, "overlaps", "2026–2027"}},
			{name: "add", method: "POST", url: termsURL, token: "sec", body: carmen, wantStatus: 201,
				wantBody: []string{`"role": "member"`, `"before": null`, `"warnings": []`},
				check: func(t *testing.T, _ *http.Response, body []byte) {
					var got struct {
						Decision int64 `json:"decision"`
						Term     struct {
							Decision int64 `json:"decision"`
						} `json:"term"`
					}
					json.Unmarshal(body, &got)
					decision = got.Decision
					if got.Term.Decision != got.Decision {
						t.Errorf("the term's decision %d is not its entry %d", got.Term.Decision, got.Decision)
					}
				}},
			// A second government member: 2 of 4 seats, over 40%.
			{name: "add, breaks the rules", method: "POST", url: termsURL, token: "sec", body: add("diego", 2026, 2026, "member", ""),
				wantStatus: 422, wantBody: []string{`"field": "override"`, "In 2026: Government 2 of 4 = 50% \\u003e 40%", "Voting seats filled: 4 of 3"}},
			{name: "add, confirmed", method: "POST", url: termsURL, token: "sec", body: add("diego", 2026, 2026, "member", `, "override": true`),
				wantStatus: 201, wantBody: []string{"Government 2 of 4 = 50% \\u003e 40%"}},
			{name: "add a chair", method: "POST", url: termsURL, token: "sec", body: add("eun", 2026, 2027, "chair", ""), wantStatus: 201},
			// Ending Amina's term leaves 2027 with no voting member.
			{name: "end early, unconfirmed", method: "PUT", url: aminaURL, token: "sec",
				body: `{"first_year": 2026, "last_year": 2026, "role": "member", "reason": "Resigned"}`, wantStatus: 422,
				wantBody: []string{`"field": "override"`, "In 2027: Voting seats filled: 0 of 3"}},
			{name: "end early, with person", method: "PUT", url: aminaURL, token: "sec",
				body: `{"person_id": 1, "first_year": 2026, "last_year": 2026, "role": "member", "reason": "Resigned"}`, wantStatus: 422,
				wantBody: []string{`"field": "person_id"`}},
			{name: "end early, delegate", method: "PUT", url: aminaURL, token: "del",
				body: `{"first_year": 2026, "last_year": 2026, "role": "member", "reason": "Resigned", "override": true}`, wantStatus: 403},
			{name: "end early", method: "PUT", url: aminaURL, token: "sec",
				body: `{"first_year": 2026, "last_year": 2026, "role": "member", "reason": "Resigned", "override": true}`, wantStatus: 200,
				wantBody: []string{`"last_year": 2026`, `"before": {`, `"last_year": 2027`}},
			{name: "no such term", method: "PUT", url: termsURL + "/99999", token: "sec",
				body: `{"first_year": 2026, "last_year": 2026, "role": "member", "reason": "x"}`, wantStatus: 404},
			{name: "group after the edits", method: "GET", url: "/api/forums/igf/advisory-group?year=2026", wantStatus: 200,
				wantBody: []string{`"voting_seats": 4`, `"non_voting": 1`, `"role": "chair"`, "Diego"}, notBody: []string{"@example.org"}},
		})
		e, err := db.Decision(ctx, decision)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != "advisory.term" || !strings.Contains(e.Subject, "Carmen Ruiz appointed member for 2026") ||
			!strings.Contains(string(e.Result), "Appointed to fill a vacancy") {
			t.Errorf("decision %d = %+v %s", decision, e, e.Result)
		}
		entries, _, err := db.Decisions(ctx, "igf", 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var resigned bool
		for _, e := range entries {
			resigned = resigned || (e.Kind == "advisory.term" && strings.Contains(string(e.Result), `"reason":"Resigned"`) &&
				strings.Contains(e.Subject, "Amina Diallo: term 2026–2027 ended early"))
		}
		if !resigned {
			t.Errorf("the early end is not in the decision log: %+v", entries)
		}
	})
}
