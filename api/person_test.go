package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"concord"
	"concord/sqlstore"
)

// TestPersonInput feeds the people endpoints bad bodies: each is refused with
// the field named, and nothing stored changes.
func TestPersonInput(t *testing.T) {
	fx := newFixture(t, openSQLite(t))
	bruno := fx.people["bruno"]
	url := fmt.Sprintf("/api/forums/igf/people/%d", bruno.ID)
	const ok = `"country": "NG", "stakeholder_group": "civil-society"`
	bad := []scenario{
		{name: "unknown field", body: `{"name": "A", ` + ok + `, "role": "admin"}`, wantStatus: 422,
			wantBody: []string{`"field": "role"`, "is not a known field"}},
		{name: "field in another case", body: `{"Name": "A", ` + ok + `}`, wantStatus: 422,
			wantBody: []string{`"field": "Name"`}},
		{name: "name not a string", body: `{"name": 42, ` + ok + `}`, wantStatus: 422,
			wantBody: []string{`"field": "name"`, "must be a string"}},
		{name: "languages not an array", body: `{"name": "A", ` + ok + `, "languages": "en"}`, wantStatus: 422,
			wantBody: []string{`"field": "languages"`, "array of strings"}},
		{name: "languages of numbers", body: `{"name": "A", ` + ok + `, "languages": [1]}`, wantStatus: 422,
			wantBody: []string{`"field": "languages"`}},
		{name: "bad language", body: `{"name": "A", ` + ok + `, "languages": ["English"]}`, wantStatus: 422,
			wantBody: []string{`"field": "languages"`}},
		{name: "missing name", body: `{` + ok + `}`, wantStatus: 422, wantBody: []string{`"field": "name"`, "is required"}},
		{name: "blank name", body: `{"name": "   ", ` + ok + `}`, wantStatus: 422, wantBody: []string{`"field": "name"`}},
		{name: "null name", body: `{"name": null, ` + ok + `}`, wantStatus: 422, wantBody: []string{`"field": "name"`}},
		{name: "name too long", body: `{"name": "` + strings.Repeat("é", 201) + `", ` + ok + `}`, wantStatus: 422,
			wantBody: []string{`"field": "name"`, "200"}},
		{name: "invalid country", body: `{"name": "A", "country": "XX", "stakeholder_group": "igo"}`, wantStatus: 422,
			wantBody: []string{`"field": "country"`, `\"XX\"`}},
		{name: "missing country", body: `{"name": "A", "stakeholder_group": "igo"}`, wantStatus: 422,
			wantBody: []string{`"field": "country"`}},
		{name: "unknown group", body: `{"name": "A", "country": "NG", "stakeholder_group": "press"}`, wantStatus: 422,
			wantBody: []string{`"field": "stakeholder_group"`}},
		{name: "unknown gender", body: `{"name": "A", ` + ok + `, "gender": "female"}`, wantStatus: 422,
			wantBody: []string{`"field": "gender"`}},
		{name: "bad email", body: `{"name": "A", ` + ok + `, "email": "Amina <a@example.org>"}`, wantStatus: 422,
			wantBody: []string{`"field": "email"`}},
		{name: "email taken", body: `{"name": "A", ` + ok + `, "email": "AMINA@example.org"}`, wantStatus: 422,
			wantBody: []string{`"field": "email"`}},
		{name: "several problems", body: `{"name": "", "country": "XX", "stakeholder_group": "igo", "extra": 1}`, wantStatus: 422,
			wantBody: []string{`"field": "extra"`}},
		{name: "several field problems", body: `{"name": "", "country": "XX", "stakeholder_group": "igo"}`, wantStatus: 422,
			wantBody: []string{`"field": "name"`, `"field": "country"`}},
		{name: "field twice", body: `{"name": "A", "name": "B", ` + ok + `}`, wantStatus: 422,
			wantBody: []string{`"field": "name"`, "more than once"}},
		{name: "array body", body: `[{"name": "A"}]`, wantStatus: 422, wantBody: []string{`"field": "body"`, "JSON object"}},
		{name: "null body", body: `null`, wantStatus: 422, wantBody: []string{`"field": "body"`}},
		{name: "empty body", body: ``, contentType: "application/json", wantStatus: 422, wantBody: []string{`"field": "body"`}},
		{name: "broken JSON", body: `{"name": "A",`, wantStatus: 422, wantBody: []string{`"field": "body"`, "not valid JSON"}},
		{name: "trailing data", body: `{"name": "A", ` + ok + `} {}`, wantStatus: 422, wantBody: []string{`"field": "body"`}},
		{name: "not JSON", body: `name=A`, contentType: "application/x-www-form-urlencoded", wantStatus: 415,
			wantBody: []string{`"code": "unsupported_media_type"`}},
		{name: "no media type", body: `{"name": "A", ` + ok + `}`, contentType: "-", wantStatus: 415},
		{name: "text", body: `{"name": "A", ` + ok + `}`, contentType: "text/plain", wantStatus: 415},
		{name: "JSON with a charset", body: `{"name": "", ` + ok + `}`, contentType: "application/json; charset=utf-8", wantStatus: 422,
			wantBody: []string{`"field": "name"`}},
		{name: "too large", body: `{"name": "` + strings.Repeat("a", 1<<20) + `", ` + ok + `}`, wantStatus: 413,
			wantBody: []string{`"code": "too_large"`}},
	}
	before := fx.listPeople(t)
	for _, method := range []string{"POST", "PUT"} {
		t.Run(method, func(t *testing.T) {
			scs := make([]scenario, len(bad))
			for i, sc := range bad {
				sc.method, sc.token, sc.url = method, "sec", "/api/forums/igf/people"
				if method == "PUT" {
					sc.url = url
				}
				scs[i] = sc
			}
			fx.run(t, scs)
		})
	}
	if diff := cmp.Diff(before, fx.listPeople(t)); diff != "" {
		t.Errorf("refused requests changed stored people (-before +after):\n%s", diff)
	}
	got, err := fx.db.Person(context.Background(), fx.igf.ID, bruno.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(bruno, got); diff != "" {
		t.Errorf("refused updates changed the person (-before +after):\n%s", diff)
	}
}

// listPeople reads every person of forum igf from the store.
func (fx *fixture) listPeople(t *testing.T) []*concord.Person {
	t.Helper()
	people, _, err := fx.db.People(context.Background(), fx.igf.ID, sqlstore.PersonFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return people
}

// TestMarkupIsText checks that markup in a name is stored as typed and
// returned JSON-escaped, so nothing reading the API as HTML runs it.
func TestMarkupIsText(t *testing.T) {
	fx := newFixture(t, openSQLite(t))
	const name = `<script>alert("x")</script> & <b>Bold</b>`
	body, _ := json.Marshal(map[string]any{"name": name, "country": "FR", "stakeholder_group": "technical"})
	resp, got := fx.do(t, "POST", "/api/forums/igf/people", "sec", "", string(body))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status = %d: %s", resp.StatusCode, got)
	}
	for _, raw := range []string{"<script>", "</script>", "<b>", "&"} {
		if strings.Contains(string(got), raw) {
			t.Errorf("response holds %q unescaped: %s", raw, got)
		}
	}
	if !strings.Contains(string(got), `\u003cscript\u003e`) {
		t.Errorf("response does not escape <script>: %s", got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q", got)
	}
	var p struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(got, &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != name {
		t.Errorf("name = %q, want %q", p.Name, name)
	}
	stored, err := fx.db.Person(context.Background(), fx.igf.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Name != name {
		t.Errorf("stored name = %q, want %q", stored.Name, name)
	}
}
