package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"concord"
	"concord/password"
	"concord/server"
	"concord/sqlstore"
)

func TestMain(m *testing.M) {
	// Subprocess mode: the test binary runs as the concord command, so tests
	// can start real server processes without building the binary.
	if os.Getenv("CONCORD_RUN_MAIN") == "1" {
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
	}
	password.Default = password.Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

// testApp is a running app over db with accounts for every role.
type testApp struct {
	db     *sqlstore.DB
	srv    *server.Server
	ts     *httptest.Server
	forum  *concord.Forum
	other  *concord.Forum
	tokens map[string]string // role name → API token
	person *concord.Person
}

var roleNames = []string{"anonymous", "signed-in", "delegate", "advisor", "secretariat", "other-secretariat", "admin"}

func newTestApp(t *testing.T, db *sqlstore.DB) *testApp {
	t.Helper()
	ctx := context.Background()
	s, err := newApp(db, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://concord.test")
	if err != nil {
		t.Fatal(err)
	}
	a := &testApp{db: db, srv: s, tokens: map[string]string{}}
	a.ts = httptest.NewServer(s.Handler())
	t.Cleanup(a.ts.Close)
	a.forum = &concord.Forum{Slug: "igf", Name: "IGF"}
	a.other = &concord.Forum{Slug: "other", Name: "Other"}
	for _, f := range []*concord.Forum{a.forum, a.other} {
		if err := db.CreateForum(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	a.person = &concord.Person{Name: "Amina Odhiambo", Email: "amina@example.org", Country: "KE", StakeholderGroup: "civil-society", Organisation: "Digital Rights Kenya"}
	if err := db.CreatePerson(ctx, a.forum, a.person); err != nil {
		t.Fatal(err)
	}
	for _, role := range roleNames[1:] {
		acc, err := db.CreateAccount(ctx, role, role+"@example.org", password.Hash("password-"+role))
		if err != nil {
			t.Fatal(err)
		}
		db.ConfirmAccount(ctx, acc.ID)
		switch role {
		case "delegate", "advisor", "secretariat":
			db.SetRole(ctx, acc.ID, a.forum.ID, concord.Role(role))
		case "other-secretariat":
			db.SetRole(ctx, acc.ID, a.other.ID, concord.RoleSecretariat)
		case "admin":
			db.SetAdmin(ctx, acc.ID, true)
		}
		tok, err := db.CreateToken(ctx, acc.ID, sqlstore.TokenAPI, "test", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[role] = tok
	}
	return a
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// do sends a request as a role (by API token, or anonymously).
func (a *testApp) do(t *testing.T, role, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, a.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if tok := a.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	c := &http.Client{CheckRedirect: noRedirect}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// access is who may use each route: the decision made once, here, for review.
// A route missing from this table fails the test, so every new route needs one.
var access = map[string]string{
	"GET /{$}":                                "anonymous",
	"GET /static/":                            "anonymous",
	"GET /healthz":                            "anonymous",
	"GET /signup":                             "anonymous",
	"POST /signup":                            "anonymous",
	"GET /confirm/{token}":                    "anonymous",
	"GET /signin":                             "anonymous",
	"POST /signin":                            "anonymous",
	"POST /signout":                           "anonymous",
	"GET /reset":                              "anonymous",
	"POST /reset":                             "anonymous",
	"GET /reset/{token}":                      "anonymous",
	"POST /reset/{token}":                     "anonymous",
	"GET /account":                            "signed-in",
	"POST /account/tokens":                    "signed-in",
	"POST /account/tokens/revoke":             "signed-in",
	"GET /forums/new":                         "admin",
	"POST /forums":                            "admin",
	"GET /outbox":                             "admin",
	"GET /decisions":                          "anonymous",
	"GET /decisions/{index}":                  "anonymous",
	"GET /forums/{forum}":                     "anonymous",
	"GET /forums/{forum}/people":              "anonymous",
	"GET /forums/{forum}/people.csv":          "anonymous",
	"GET /forums/{forum}/people/new":          "secretariat",
	"POST /forums/{forum}/people":             "secretariat",
	"GET /forums/{forum}/people/import":       "secretariat",
	"POST /forums/{forum}/people/import":      "secretariat",
	"GET /forums/{forum}/people/{id}":         "anonymous",
	"GET /forums/{forum}/people/{id}/edit":    "secretariat",
	"POST /forums/{forum}/people/{id}":        "secretariat",
	"POST /forums/{forum}/people/{id}/delete": "secretariat",
	"GET /forums/{forum}/organisations":       "anonymous",
	"GET /forums/{forum}/organisations/{id}":  "anonymous",
	"GET /forums/{forum}/members":             "secretariat",
	"POST /forums/{forum}/members":            "secretariat",
	"GET /forums/{forum}/outbox":              "secretariat",

	// Consultations: anyone may vote, anonymously or signed in; the API takes an account.
	"GET /forums/{forum}/consultations":                     "anonymous",
	"GET /forums/{forum}/consultations/new":                 "secretariat",
	"POST /forums/{forum}/consultations":                    "secretariat",
	"GET /forums/{forum}/consultations/import":              "secretariat",
	"POST /forums/{forum}/consultations/import":             "secretariat",
	"GET /forums/{forum}/consultations/{id}":                "anonymous",
	"POST /forums/{forum}/consultations/{id}/votes":         "anonymous",
	"POST /forums/{forum}/consultations/{id}/statements":    "anonymous",
	"POST /forums/{forum}/consultations/{id}/group":         "anonymous",
	"GET /forums/{forum}/consultations/{id}/report":         "anonymous",
	"GET /forums/{forum}/consultations/{id}/statements.csv": "anonymous",
	"GET /forums/{forum}/consultations/{id}/polis.zip":      "anonymous",
	"GET /forums/{forum}/consultations/{id}/moderation":     "secretariat",
	"POST /forums/{forum}/consultations/{id}/moderation":    "secretariat",
	"GET /forums/{forum}/consultations/{id}/edit":           "secretariat",
	"POST /forums/{forum}/consultations/{id}/edit":          "secretariat",
	"POST /forums/{forum}/consultations/{id}/close":         "secretariat",
	"POST /api/forums/{forum}/consultations/{id}/votes":     "signed-in",

	"GET /forums/{forum}/advisory-group":                          "anonymous",
	"GET /forums/{forum}/advisory-group/selections/{id}/{file}":   "anonymous",
	"GET /forums/{forum}/advisory-group/nominate":                 "signed-in",
	"POST /forums/{forum}/advisory-group/nominations":             "signed-in",
	"GET /forums/{forum}/advisory-group/manage":                   "secretariat",
	"POST /forums/{forum}/advisory-group/calls":                   "secretariat",
	"GET /forums/{forum}/advisory-group/calls/{id}":               "secretariat",
	"POST /forums/{forum}/advisory-group/calls/{id}":              "secretariat",
	"POST /forums/{forum}/advisory-group/calls/{id}/eligibility":  "secretariat",
	"POST /forums/{forum}/advisory-group/calls/{id}/selections":   "secretariat",
	"GET /forums/{forum}/advisory-group/nominations/{id}":         "secretariat",
	"POST /forums/{forum}/advisory-group/nominations/{id}":        "secretariat",
	"GET /forums/{forum}/advisory-group/rules":                    "secretariat",
	"POST /forums/{forum}/advisory-group/rules":                   "secretariat",
	"GET /forums/{forum}/advisory-group/check":                    "secretariat",
	"GET /forums/{forum}/advisory-group/selections/{id}":          "secretariat",
	"POST /forums/{forum}/advisory-group/selections/{id}/publish": "secretariat",
	"GET /forums/{forum}/advisory-group/terms":                    "secretariat",
	"POST /forums/{forum}/advisory-group/terms":                   "secretariat",
	"GET /forums/{forum}/advisory-group/terms/{id}":               "secretariat",
	"POST /forums/{forum}/advisory-group/terms/{id}":              "secretariat",

	// The programme: proposers are signed in; speakers confirm by an emailed link.
	"GET /forums/{forum}/programme":                           "anonymous",
	"GET /forums/{forum}/programme/propose":                   "signed-in",
	"POST /forums/{forum}/programme/proposals":                "signed-in",
	"GET /forums/{forum}/programme/proposals/{id}":            "signed-in",
	"POST /forums/{forum}/programme/proposals/{id}":           "signed-in",
	"GET /forums/{forum}/programme/confirm/{token}":           "anonymous",
	"POST /forums/{forum}/programme/confirm/{token}":          "anonymous",
	"GET /forums/{forum}/programme/manage":                    "secretariat",
	"POST /forums/{forum}/programme/calls":                    "secretariat",
	"GET /forums/{forum}/programme/calls/{id}":                "secretariat",
	"POST /forums/{forum}/programme/calls/{id}":               "secretariat",
	"POST /forums/{forum}/programme/proposals/{id}/screening": "secretariat",
	"POST /forums/{forum}/programme/calls/{id}/assignments":   "secretariat",
	"POST /forums/{forum}/programme/calls/{id}/rules":         "secretariat",
	"GET /forums/{forum}/programme/evaluate":                  "advisor",
	"GET /forums/{forum}/programme/evaluate/{id}":             "advisor",
	"POST /forums/{forum}/programme/evaluate/{id}":            "advisor",
	"POST /forums/{forum}/programme/evaluate/{id}/conflict":   "advisor",
	"GET /forums/{forum}/programme/calls/{id}/selection":      "secretariat",
	"POST /forums/{forum}/programme/calls/{id}/accept-top":    "secretariat",
	"GET /forums/{forum}/programme/calls/{id}/dashboard":      "secretariat",
	"POST /forums/{forum}/programme/calls/{id}/publish":       "secretariat",
	"POST /forums/{forum}/programme/proposals/{id}/decision":  "secretariat",
	"GET /forums/{forum}/programme/accepted":                  "anonymous",

	// The annual meeting: a public schedule and exports, delegates' agendas,
	// the secretariat's set-up, solver and edits.
	"GET /forums/{forum}/schedule":                             "anonymous",
	"GET /forums/{forum}/schedule/sessions/{id}":               "anonymous",
	"GET /forums/{forum}/schedule/sessions/{id}/report":        "anonymous",
	"GET /forums/{forum}/schedule/sessions/{id}/report.md":     "anonymous",
	"GET /forums/{forum}/schedule/reports.csv":                 "anonymous",
	"POST /forums/{forum}/schedule/sessions/{id}/report":       "signed-in",
	"GET /forums/{forum}/meeting/reports":                      "secretariat",
	"POST /forums/{forum}/meeting/reports/rules":               "secretariat",
	"POST /forums/{forum}/schedule/sessions/{id}/star":         "delegate",
	"GET /forums/{forum}/schedule/agenda":                      "delegate",
	"GET /forums/{forum}/schedule/agenda/{token}/calendar.ics": "anonymous",
	"GET /forums/{forum}/schedule/calendar.ics":                "anonymous",
	"GET /forums/{forum}/schedule/rooms/{id}/calendar.ics":     "anonymous",
	"GET /forums/{forum}/schedule/people/{id}/calendar.ics":    "anonymous",
	"GET /forums/{forum}/schedule/frab.xml":                    "anonymous",
	"GET /forums/{forum}/schedule/frab.json":                   "anonymous",
	"GET /forums/{forum}/schedule/sessions.csv":                "anonymous",
	"GET /forums/{forum}/meeting":                              "secretariat",
	"POST /forums/{forum}/meeting":                             "secretariat",
	"POST /forums/{forum}/meeting/rooms":                       "secretariat",
	"POST /forums/{forum}/meeting/grid":                        "secretariat",
	"POST /forums/{forum}/meeting/sessions":                    "secretariat",
	"POST /forums/{forum}/meeting/sessions/from-proposals":     "secretariat",
	"POST /forums/{forum}/meeting/solve":                       "secretariat",
	"POST /forums/{forum}/meeting/publish":                     "secretariat",
	"POST /forums/{forum}/meeting/edit":                        "secretariat",
	"POST /forums/{forum}/meeting/limits":                      "secretariat",
	"GET /forums/{forum}/meeting/sessions":                     "secretariat",
	"GET /forums/{forum}/meeting/sessions/{id}":                "secretariat",
	"POST /forums/{forum}/meeting/sessions/{id}":               "secretariat",
	"POST /forums/{forum}/meeting/sessions/{id}/delete":        "secretariat",
	"GET /forums/{forum}/meeting/rooms/{id}":                   "secretariat",
	"POST /forums/{forum}/meeting/rooms/{id}":                  "secretariat",
	"POST /forums/{forum}/meeting/rooms/{id}/delete":           "secretariat",

	"GET /api/openapi.json":                  "anonymous",
	"GET /api/forums":                        "anonymous",
	"GET /api/forums/{forum}":                "anonymous",
	"GET /api/forums/{forum}/people":         "anonymous",
	"POST /api/forums/{forum}/people":        "secretariat",
	"GET /api/forums/{forum}/people/{id}":    "anonymous",
	"PUT /api/forums/{forum}/people/{id}":    "secretariat",
	"DELETE /api/forums/{forum}/people/{id}": "secretariat",
	"GET /api/forums/{forum}/organisations":  "anonymous",
	"GET /api/forums/{forum}/stats":          "anonymous",
	"GET /api/log":                           "anonymous",
	"GET /api/log/entries":                   "anonymous",
	"GET /api/log/hashes":                    "anonymous",
	"GET /api/log/checkpoints":               "anonymous",
	"GET /api/log/entries/{index}/proof":     "anonymous",

	// The programme API: who sees which proposal is decided in the handlers.
	"GET /api/forums/{forum}/programme/calls":                     "anonymous",
	"GET /api/forums/{forum}/programme/calls/{id}":                "anonymous",
	"GET /api/forums/{forum}/programme/calls/{id}/proposals":      "anonymous",
	"POST /api/forums/{forum}/programme/calls/{id}/proposals":     "signed-in",
	"GET /api/forums/{forum}/programme/proposals/{id}":            "anonymous",
	"PUT /api/forums/{forum}/programme/proposals/{id}":            "signed-in",
	"POST /api/forums/{forum}/programme/proposals/{id}/submit":    "signed-in",
	"GET /api/forums/{forum}/programme/calls/{id}/evaluations":    "advisor",
	"PUT /api/forums/{forum}/programme/proposals/{id}/evaluation": "advisor",
	"POST /api/forums/{forum}/programme/proposals/{id}/conflict":  "advisor",
	"GET /api/forums/{forum}/programme/calls/{id}/ranking":        "secretariat",
	"GET /api/forums/{forum}/programme/calls/{id}/accepted":       "anonymous",

	// Session reports: anyone reads; filing is checked against the session in the handler.
	"GET /api/forums/{forum}/sessions/{id}/reports":        "anonymous",
	"PUT /api/forums/{forum}/sessions/{id}/reports/{kind}": "signed-in",
	"GET /api/forums/{forum}/reports":                      "secretariat",
	"GET /api/forums/{forum}/rules":                        "anonymous",
	"PUT /api/forums/{forum}/rules":                        "secretariat",

	// The advisory group API: unpublished selections and emails are hidden in the handlers.
	"GET /api/forums/{forum}/advisory-group":                 "anonymous",
	"GET /api/forums/{forum}/advisory-group/calls":           "anonymous",
	"GET /api/forums/{forum}/advisory-group/calls/{id}":      "anonymous",
	"GET /api/forums/{forum}/advisory-group/selections":      "anonymous",
	"GET /api/forums/{forum}/advisory-group/selections/{id}": "anonymous",
	"POST /api/forums/{forum}/advisory-group/terms":          "secretariat",
	"PUT /api/forums/{forum}/advisory-group/terms/{id}":      "secretariat",
}

// mayAccess is the expected decision for a role against a route's minimum.
func mayAccess(role, min string) bool {
	rank := map[string]int{"anonymous": 0, "signed-in": 1, "other-secretariat": 1, "delegate": 2, "advisor": 3, "secretariat": 4}
	switch {
	case min == "anonymous":
		return true
	case role == "admin":
		return true // administrators act as secretariat in every forum
	case min == "admin":
		return false
	}
	return rank[role] >= rank[min]
}

func TestAuthorizationMatrix(t *testing.T) {
	a := newTestApp(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	seen := map[string]bool{}
	for _, rt := range a.srv.Routes() {
		key := rt.Method + " " + rt.Pattern
		seen[key] = true
		min, ok := access[key]
		if !ok {
			t.Errorf("route %s has no entry in the access table", key)
			continue
		}
		path := strings.NewReplacer("{$}", "", "{forum}", "igf", "{id}", fmt.Sprint(a.person.ID), "{token}", "not-a-token").Replace(rt.Pattern)
		for _, role := range roleNames {
			t.Run(key+"/"+role, func(t *testing.T) {
				var form url.Values
				if rt.Method != "GET" {
					form = url.Values{}
				}
				res := a.do(t, role, rt.Method, path, form)
				denied := res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden ||
					(res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/signin"))
				if want := mayAccess(role, min); denied == want {
					t.Errorf("%s as %s: status %d, want allowed=%v", key, role, res.StatusCode, want)
				}
			})
		}
	}
	for key := range access {
		if !seen[key] {
			t.Errorf("access table names %s, which is not a route", key)
		}
	}
}

func TestRolesDoNotLeakAcrossForums(t *testing.T) {
	a := newTestApp(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	res := a.do(t, "other-secretariat", "POST", "/forums/igf/people", url.Values{"name": {"Intruder"}, "country": {"KE"}, "stakeholder_group": {"government"}})
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("secretariat of another forum: status %d, want 403", res.StatusCode)
	}
	if _, total, _ := a.db.People(context.Background(), a.forum.ID, sqlstore.PersonFilter{}); total != 1 {
		t.Errorf("a forbidden request changed the registry: %d people", total)
	}
	res = a.do(t, "other-secretariat", "GET", "/forums/other/members", nil)
	if res.StatusCode != http.StatusOK {
		t.Errorf("secretariat in own forum: status %d", res.StatusCode)
	}
}
