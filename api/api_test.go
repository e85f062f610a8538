package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/api"
	"concord/server"
	"concord/sqlstore"
)

// fixture is a running server over a seeded database: forums igf and youth,
// three people in igf and one in youth, and API tokens for several roles.
type fixture struct {
	db       *sqlstore.DB
	ts       *httptest.Server
	contract *contract
	igf      *concord.Forum
	youth    *concord.Forum
	tokens   map[string]string // by who: sec, del, youth-sec, admin, plain, bad
	people   map[string]*concord.Person
}

func openSQLite(t *testing.T) *sqlstore.DB { return sqlstore.OpenTest(t, sqlstore.SQLite) }

func newFixture(t *testing.T, db *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	s := server.New(db, slog.New(slog.DiscardHandler), "http://example.test")
	s.Add(api.Routes(s)...)
	fx := &fixture{db: db, ts: httptest.NewServer(s.Handler()), contract: loadContract(t, readDocument(t)),
		tokens: map[string]string{"bad": "not-a-token"}, people: map[string]*concord.Person{}}
	t.Cleanup(fx.ts.Close)

	fx.igf = &concord.Forum{Slug: "igf", Name: "Internet Governance Forum", Description: "The global forum."}
	fx.youth = &concord.Forum{Slug: "youth", Name: "Youth IGF"}
	for _, f := range []*concord.Forum{fx.igf, fx.youth} {
		if err := db.CreateForum(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []struct {
		who   string
		forum *concord.Forum
		role  concord.Role
	}{
		{"sec", fx.igf, concord.RoleSecretariat},
		{"del", fx.igf, concord.RoleDelegate},
		{"advisor", fx.igf, concord.RoleAdvisor},
		{"youth-sec", fx.youth, concord.RoleSecretariat},
		{"admin", nil, ""},
		{"plain", nil, ""},
	} {
		acc, err := db.CreateAccount(ctx, a.who, a.who+"@accounts.example", "hash")
		if err != nil {
			t.Fatal(err)
		}
		if a.forum != nil {
			if err := db.SetRole(ctx, acc.ID, a.forum.ID, a.role); err != nil {
				t.Fatal(err)
			}
		}
		if a.who == "admin" {
			if err := db.SetAdmin(ctx, acc.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if fx.tokens[a.who], err = db.CreateToken(ctx, acc.ID, sqlstore.TokenAPI, "test", time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []struct {
		key   string
		forum *concord.Forum
		p     concord.Person
	}{
		{"amina", fx.igf, concord.Person{Name: "Amina Diallo", Email: "amina@example.org", Country: "SN", Gender: concord.Woman,
			Organisation: "Open Net Africa", StakeholderGroup: "civil-society", Languages: []string{"fr", "en"}}},
		{"bruno", fx.igf, concord.Person{Name: "Bruno Keller", Email: "bruno@example.org", Country: "DE", Gender: concord.Man,
			Organisation: "Example Registry", StakeholderGroup: "technical", Languages: []string{"de"}}},
		{"carmen", fx.igf, concord.Person{Name: "Carmen Ruiz", Country: "BR", StakeholderGroup: "government"}},
		{"yuki", fx.youth, concord.Person{Name: "Yuki Tanaka", Email: "yuki@example.org", Country: "JP",
			Gender: concord.Woman, StakeholderGroup: "private-sector"}},
	} {
		person := p.p
		if err := db.CreatePerson(ctx, p.forum, &person); err != nil {
			t.Fatal(err)
		}
		fx.people[p.key] = &person
	}
	return fx
}

// do sends a request as who (a key of fx.tokens, or "" for anonymous) and
// checks the exchange against the OpenAPI document.
func (fx *fixture) do(t *testing.T, method, url, who, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, fx.ts.URL+url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if who != "" {
		tok, ok := fx.tokens[who]
		if !ok {
			t.Fatalf("no token for %q", who)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if contentType == "" && body != "" {
		contentType = "application/json"
	}
	if contentType != "" && contentType != "-" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	fx.contract.check(t, req, []byte(body), resp, got)
	return resp, got
}

// scenario is one request and what its answer must hold, in the manner of
// PocketBase's ApiScenario. Scenarios of a table run in order on one
// database, so writes are seen by later rows.
type scenario struct {
	name        string
	method      string
	url         string
	token       string // who: a key of fixture.tokens, or "" for anonymous
	body        string
	contentType string // application/json when empty and there is a body; "-" for none
	wantStatus  int
	wantBody    []string // substrings the body must contain
	notBody     []string // substrings it must not contain
	check       func(t *testing.T, resp *http.Response, body []byte)
}

func (fx *fixture) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			resp, body := fx.do(t, sc.method, sc.url, sc.token, sc.contentType, sc.body)
			if got, want := resp.StatusCode, sc.wantStatus; got != want {
				t.Errorf("%s %s: status = %d, want %d\nbody: %s", sc.method, sc.url, got, want, body)
			}
			for _, s := range sc.wantBody {
				if !strings.Contains(string(body), s) {
					t.Errorf("%s %s: body lacks %q\nbody: %s", sc.method, sc.url, s, body)
				}
			}
			for _, s := range sc.notBody {
				if strings.Contains(string(body), s) {
					t.Errorf("%s %s: body holds %q\nbody: %s", sc.method, sc.url, s, body)
				}
			}
			if sc.check != nil {
				sc.check(t, resp, body)
			}
		})
	}
}

// TestRegistry drives the whole API through its main scenario on both engines.
func TestRegistry(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		fx := newFixture(t, db)
		amina, yuki := fx.people["amina"], fx.people["yuki"]
		aminaURL := fmt.Sprintf("/api/forums/igf/people/%d", amina.ID)
		const newPerson = `{"name": "Dmitri Volkov", "email": "Dmitri@Example.org", "country": "ua", "gender": "man",
			"organisation": "Kyiv Internet Society", "stakeholder_group": "civil-society", "languages": ["uk", "ru"]}`
		var created string // the Location of the person created below
		fx.run(t, []scenario{
			{name: "document", method: "GET", url: "/api/openapi.json", wantStatus: 200, wantBody: []string{`"openapi": "3.1.0"`}},
			{name: "document takes no parameters", method: "GET", url: "/api/openapi.json?v=2", wantStatus: 422,
				wantBody: []string{`"field": "v"`, "takes none"}},
			{name: "forums", method: "GET", url: "/api/forums", wantStatus: 200,
				wantBody: []string{`"slug": "igf"`, `"slug": "youth"`, `"Internet Governance Forum"`}},
			{name: "forum", method: "GET", url: "/api/forums/igf", wantStatus: 200,
				wantBody: []string{`"slug": "civil-society"`, `"The global forum."`}},
			{name: "forum with a bad token", method: "GET", url: "/api/forums/igf", token: "bad", wantStatus: 401,
				wantBody: []string{`"code": "unauthorized"`}},
			{name: "no such forum", method: "GET", url: "/api/forums/nope", wantStatus: 404, wantBody: []string{`"code": "not_found"`}},
			{name: "no such forum for people", method: "GET", url: "/api/forums/nope/people", wantStatus: 404},
			{name: "unknown route", method: "GET", url: "/api/nope", wantStatus: 404, wantBody: []string{`"code": "not_found"`}},
			{name: "unknown route under a forum", method: "GET", url: "/api/forums/igf/nope", wantStatus: 404},
			{name: "unknown method", method: "PATCH", url: aminaURL, token: "sec", body: `{}`, wantStatus: 404},
			{name: "unknown query parameter", method: "GET", url: "/api/forums?sort=name", wantStatus: 422,
				wantBody: []string{`"field": "sort"`}},

			// Reading people: emails only for the forum's secretariat.
			{name: "people, anonymous", method: "GET", url: "/api/forums/igf/people", wantStatus: 200,
				wantBody: []string{`"total": 3`, `"limit": 100`, `"Amina Diallo"`, `"region": "African"`, `"gender": "woman"`,
					`"stakeholder_group": "civil-society"`, `"organisation": "Open Net Africa"`},
				notBody: []string{`"email"`, "@example.org", "Yuki"}},
			{name: "people, delegate", method: "GET", url: "/api/forums/igf/people", token: "del", wantStatus: 200,
				notBody: []string{`"email"`, "@example.org"}},
			{name: "people, advisor", method: "GET", url: "/api/forums/igf/people", token: "advisor", wantStatus: 200,
				notBody: []string{`"email"`}},
			{name: "people, another forum's secretariat", method: "GET", url: "/api/forums/igf/people", token: "youth-sec",
				wantStatus: 200, notBody: []string{`"email"`}},
			{name: "people, secretariat", method: "GET", url: "/api/forums/igf/people", token: "sec", wantStatus: 200,
				wantBody: []string{`"email": "amina@example.org"`, `"email": ""`}},
			{name: "people, administrator", method: "GET", url: "/api/forums/igf/people", token: "admin", wantStatus: 200,
				wantBody: []string{`"email": "bruno@example.org"`}},
			{name: "person, anonymous", method: "GET", url: aminaURL, wantStatus: 200,
				wantBody: []string{`"name": "Amina Diallo"`, `"country": "SN"`, `"languages": [`},
				notBody:  []string{"amina@example.org"}},
			{name: "person, secretariat", method: "GET", url: aminaURL, token: "sec", wantStatus: 200,
				wantBody: []string{`"email": "amina@example.org"`}},
			{name: "person of another forum", method: "GET", url: fmt.Sprintf("/api/forums/igf/people/%d", yuki.ID), wantStatus: 404},
			{name: "person id not a number", method: "GET", url: "/api/forums/igf/people/abc", wantStatus: 404},
			{name: "person id zero", method: "GET", url: "/api/forums/igf/people/0", wantStatus: 404},
			{name: "person id too large", method: "GET", url: "/api/forums/igf/people/99999999999999999999", wantStatus: 404},
			{name: "no such person", method: "GET", url: "/api/forums/igf/people/999999", wantStatus: 404},

			// Filters and paging.
			{name: "filter by region", method: "GET", url: "/api/forums/igf/people?region=African", wantStatus: 200,
				wantBody: []string{`"total": 1`, "Amina"}, notBody: []string{"Bruno"}},
			{name: "filter by region with a space", method: "GET", url: "/api/forums/igf/people?region=Latin+American+and+Caribbean",
				wantStatus: 200, wantBody: []string{`"total": 1`, "Carmen"}},
			{name: "filter by group", method: "GET", url: "/api/forums/igf/people?group=technical", wantStatus: 200,
				wantBody: []string{`"total": 1`, "Bruno"}},
			{name: "filter by country in lower case", method: "GET", url: "/api/forums/igf/people?country=de", wantStatus: 200,
				wantBody: []string{`"total": 1`, "Bruno"}},
			{name: "filter by gender", method: "GET", url: "/api/forums/igf/people?gender=not_stated", wantStatus: 200,
				wantBody: []string{`"total": 1`, "Carmen"}},
			{name: "filter by name", method: "GET", url: "/api/forums/igf/people?q=KEL", wantStatus: 200,
				wantBody: []string{`"total": 1`, "Bruno"}},
			{name: "filter by organisation", method: "GET",
				url:        fmt.Sprintf("/api/forums/igf/people?organisation=%d", amina.OrganisationID),
				wantStatus: 200, wantBody: []string{`"total": 1`, "Amina"}},
			{name: "page", method: "GET", url: "/api/forums/igf/people?offset=1&limit=1", wantStatus: 200,
				wantBody: []string{`"total": 3`, `"offset": 1`, `"limit": 1`, "Bruno"}, notBody: []string{"Amina", "Carmen"}},
			{name: "page past the end", method: "GET", url: "/api/forums/igf/people?offset=10", wantStatus: 200,
				wantBody: []string{`"items": []`, `"total": 3`}},
			{name: "limit not a number", method: "GET", url: "/api/forums/igf/people?limit=abc", wantStatus: 422,
				wantBody: []string{`"code": "invalid"`, `"field": "limit"`, `\"abc\"`}},
			{name: "limit too large", method: "GET", url: "/api/forums/igf/people?limit=501", wantStatus: 422,
				wantBody: []string{`"field": "limit"`, "500"}},
			{name: "limit zero", method: "GET", url: "/api/forums/igf/people?limit=0", wantStatus: 422, wantBody: []string{`"field": "limit"`}},
			{name: "offset negative", method: "GET", url: "/api/forums/igf/people?offset=-1", wantStatus: 422,
				wantBody: []string{`"field": "offset"`}},
			{name: "region unknown", method: "GET", url: "/api/forums/igf/people?region=Mars", wantStatus: 422,
				wantBody: []string{`"field": "region"`, "Mars"}},
			{name: "gender unknown", method: "GET", url: "/api/forums/igf/people?gender=x", wantStatus: 422,
				wantBody: []string{`"field": "gender"`}},
			{name: "group unknown", method: "GET", url: "/api/forums/igf/people?group=press", wantStatus: 422,
				wantBody: []string{`"field": "group"`}},
			{name: "country unknown", method: "GET", url: "/api/forums/igf/people?country=ZZ", wantStatus: 422,
				wantBody: []string{`"field": "country"`}},
			{name: "organisation not an id", method: "GET", url: "/api/forums/igf/people?organisation=Open", wantStatus: 422,
				wantBody: []string{`"field": "organisation"`}},
			{name: "name query too long", method: "GET", url: "/api/forums/igf/people?q=" + strings.Repeat("a", 201), wantStatus: 422,
				wantBody: []string{`"field": "q"`}},
			{name: "parameter repeated", method: "GET", url: "/api/forums/igf/people?limit=1&limit=2", wantStatus: 422,
				wantBody: []string{`"field": "limit"`}},
			{name: "misspelt parameter", method: "GET", url: "/api/forums/igf/people?regoin=African", wantStatus: 422,
				wantBody: []string{`"field": "regoin"`}},
			{name: "several bad parameters", method: "GET", url: "/api/forums/igf/people?region=Mars&gender=x&limit=abc", wantStatus: 422,
				wantBody: []string{`"field": "region"`, `"field": "gender"`, `"field": "limit"`}},

			// Organisations and statistics.
			{name: "organisations", method: "GET", url: "/api/forums/igf/organisations", wantStatus: 200,
				wantBody: []string{`"name": "Example Registry"`, `"name": "Open Net Africa"`, `"people": 1`, `"country": "SN"`}},
			{name: "stats", method: "GET", url: "/api/forums/igf/stats", wantStatus: 200,
				wantBody: []string{`"total": 3`, `"countries": 3`, `"key": "civil-society"`, `"key": "igo"`,
					`"key": "Eastern European"`, `"key": "another"`}},
			{name: "stats filtered", method: "GET", url: "/api/forums/igf/stats?gender=woman", wantStatus: 200,
				wantBody: []string{`"total": 1`}},
			{name: "stats with a bad filter", method: "GET", url: "/api/forums/igf/stats?region=Mars", wantStatus: 422,
				wantBody: []string{`"field": "region"`}},
			{name: "stats take no paging", method: "GET", url: "/api/forums/igf/stats?limit=5", wantStatus: 422,
				wantBody: []string{`"field": "limit"`}},

			// Writing: the forum's secretariat (or an administrator) only.
			{name: "create, anonymous", method: "POST", url: "/api/forums/igf/people", body: newPerson, wantStatus: 401},
			{name: "create, signed in without a role", method: "POST", url: "/api/forums/igf/people", token: "plain", body: newPerson,
				wantStatus: 403, wantBody: []string{`"code": "forbidden"`}},
			{name: "create, delegate", method: "POST", url: "/api/forums/igf/people", token: "del", body: newPerson, wantStatus: 403},
			{name: "create, advisor", method: "POST", url: "/api/forums/igf/people", token: "advisor", body: newPerson, wantStatus: 403},
			{name: "create, another forum's secretariat", method: "POST", url: "/api/forums/igf/people", token: "youth-sec",
				body: newPerson, wantStatus: 403},
			{name: "create in no forum", method: "POST", url: "/api/forums/nope/people", token: "sec", body: newPerson, wantStatus: 404},
			{name: "create", method: "POST", url: "/api/forums/igf/people", token: "sec", body: newPerson, wantStatus: 201,
				wantBody: []string{`"name": "Dmitri Volkov"`, `"email": "dmitri@example.org"`, `"country": "UA"`,
					`"region": "Eastern European"`, `"organisation": "Kyiv Internet Society"`, `"uk"`},
				check: func(t *testing.T, resp *http.Response, body []byte) {
					created = resp.Header.Get("Location")
					if !strings.HasPrefix(created, "/api/forums/igf/people/") {
						t.Errorf("Location = %q", created)
					}
				}},
			{name: "create the same email again", method: "POST", url: "/api/forums/igf/people", token: "sec", body: newPerson,
				wantStatus: 422, wantBody: []string{`"field": "email"`, "already registered"}},
			{name: "create, administrator", method: "POST", url: "/api/forums/youth/people", token: "admin",
				body: `{"name": "Zara", "country": "KE", "stakeholder_group": "igo"}`, wantStatus: 201,
				wantBody: []string{`"gender": "not_stated"`, `"organisation_id": null`, `"languages": []`, `"email": ""`}},
			{name: "after create", method: "GET", url: "/api/forums/igf/people?q=dmitri", wantStatus: 200,
				wantBody: []string{`"total": 1`}},
		})

		id := strings.TrimPrefix(created, "/api/forums/igf/people/")
		if id == created {
			t.Fatalf("no person was created")
		}
		url := "/api/forums/igf/people/" + id
		fx.run(t, []scenario{
			{name: "read created", method: "GET", url: url, token: "sec", wantStatus: 200, wantBody: []string{`"Dmitri Volkov"`}},
			{name: "update, delegate", method: "PUT", url: url, token: "del", body: `{"name": "X", "country": "UA", "stakeholder_group": "igo"}`,
				wantStatus: 403},
			{name: "update", method: "PUT", url: url, token: "sec",
				body:       `{"name": "Dmitri Volkov", "country": "PL", "gender": "man", "stakeholder_group": "technical"}`,
				wantStatus: 200, wantBody: []string{`"country": "PL"`, `"stakeholder_group": "technical"`, `"organisation": ""`,
					`"organisation_id": null`, `"email": ""`}},
			{name: "update no such person", method: "PUT", url: "/api/forums/igf/people/999999", token: "sec",
				body: `{"name": "X", "country": "UA", "stakeholder_group": "igo"}`, wantStatus: 404},
			{name: "update another forum's person", method: "PUT", url: fmt.Sprintf("/api/forums/igf/people/%d", yuki.ID), token: "sec",
				body: `{"name": "X", "country": "UA", "stakeholder_group": "igo"}`, wantStatus: 404},
			{name: "delete, anonymous", method: "DELETE", url: url, wantStatus: 401},
			{name: "delete, delegate", method: "DELETE", url: url, token: "del", wantStatus: 403},
			{name: "delete, another forum's secretariat", method: "DELETE", url: url, token: "youth-sec", wantStatus: 403},
			{name: "delete with a query", method: "DELETE", url: url + "?force=1", token: "sec", wantStatus: 422,
				wantBody: []string{`"field": "force"`}},
			{name: "delete", method: "DELETE", url: url, token: "sec", wantStatus: 204},
			{name: "read deleted", method: "GET", url: url, wantStatus: 404},
			{name: "delete again", method: "DELETE", url: url, token: "sec", wantStatus: 404},
			{name: "delete bad id", method: "DELETE", url: "/api/forums/igf/people/-3", token: "sec", wantStatus: 404},
			{name: "people after delete", method: "GET", url: "/api/forums/igf/people", wantStatus: 200, wantBody: []string{`"total": 3`}},
		})
	})
}
