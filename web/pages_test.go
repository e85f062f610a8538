package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"concord"
	"concord/decisionlog"
	"concord/demo"
	"concord/internal/browsertest"
	"concord/sqlstore"
)

// demoSite serves the demo forum, with a browser signed in as its secretariat.
func demoSite(t *testing.T) (*site, *http.Client) {
	t.Helper()
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	if _, err := demo.Load(context.Background(), db, 1); err != nil {
		t.Fatal(err)
	}
	s := newSite(t, db)
	sec := browser()
	res, _ := s.post(t, sec, "/signin", url.Values{"email": {demo.SecretariatEmail}, "password": {demo.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("demo secretariat cannot sign in: %d", res.StatusCode)
	}
	return s, sec
}

// pagesToCheck are the pages of the foundation, for size and accessibility.
var pagesToCheck = []string{
	"/", "/forums/igf", "/forums/igf/people", "/forums/igf/people?group=government&region=African",
	"/forums/igf/people/1", "/forums/igf/organisations", "/forums/igf/organisations/1", "/forums/kenya-igf",
	"/decisions", "/signin", "/signup", "/reset", "/nope",
	"/forums/igf/advisory-group",
	"/forums/igf/consultations", "/forums/igf/consultations/1", "/forums/igf/consultations/1/report",
	"/forums/igf/programme", "/forums/igf/programme/accepted",
	"/forums/igf/schedule", "/forums/igf/schedule?view=grid&day=1", "/forums/igf/schedule?subtheme=x&language=es",
	"/forums/igf/schedule/sessions/1", "/forums/kenya-igf/schedule",
	"/forums/igf/schedule?tz=Asia/Kolkata&view=grid&day=4", "/forums/igf/schedule?tz=Mars/Olympus", "/forums/igf/schedule/sessions/1?tz=America/St_Johns",
	"/forums/igf/schedule/sessions/2/report",
}

var secretariatPages = []string{"/account", "/forums/igf/members", "/forums/igf/people/new", "/forums/igf/people/1/edit",
	"/forums/igf/people/import", "/forums/igf/outbox", "/forums/new",
	"/forums/igf/advisory-group/nominate", "/forums/igf/advisory-group/manage", "/forums/igf/advisory-group/calls/1",
	"/forums/igf/advisory-group/nominations/1", "/forums/igf/advisory-group/rules", "/forums/igf/advisory-group/check?year=2026",
	"/forums/igf/advisory-group/selections/1", "/forums/igf/advisory-group/terms", "/forums/igf/advisory-group/terms/1",
	"/forums/igf/consultations/new", "/forums/igf/consultations/import", "/forums/igf/consultations/1/moderation", "/forums/igf/consultations/1/edit",
	"/forums/igf/programme/manage", "/forums/igf/programme/calls/1", "/forums/igf/programme/calls/1?show=failed",
	"/forums/igf/programme/proposals/1", "/forums/igf/programme/propose", "/forums/igf/programme/evaluate",
	"/forums/igf/programme/calls/1/selection", "/forums/igf/programme/calls/1/selection?normalise=1&page=2",
	"/forums/igf/programme/calls/1/dashboard",
	"/forums/igf/meeting/sessions", "/forums/igf/meeting/sessions/3", "/forums/igf/meeting/rooms/1",
	"/forums/igf/meeting", "/forums/igf/schedule/agenda", "/forums/kenya-igf/meeting",
	"/forums/igf/meeting/reports", "/forums/igf/schedule/sessions/2/report"}

// advisorPages are the evaluator's pages: the list of assigned proposals
// and the blind scoring page of the first.
func advisorPages(t *testing.T, s *site) []string {
	t.Helper()
	ctx := context.Background()
	f, err := s.db.Forum(ctx, "igf")
	if err != nil {
		t.Fatal(err)
	}
	me, err := s.db.PersonByEmail(ctx, f.ID, demo.AdvisorEmail)
	if err != nil {
		t.Fatal(err)
	}
	calls, err := s.db.ProposalCalls(ctx, f.ID)
	if err != nil || len(calls) == 0 {
		t.Fatalf("demo calls: %v", err)
	}
	tasks, err := s.db.EvaluatorTasks(ctx, calls[0], me.ID)
	if err != nil || len(tasks) == 0 {
		t.Fatalf("the demo advisor has no proposals to evaluate: %v", err)
	}
	return []string{"/forums/igf/programme/evaluate", fmt.Sprintf("/forums/igf/programme/evaluate/%d", tasks[0].Proposal.ID)}
}

// signInAs signs a demo account in through the form.
func signInAs(t *testing.T, s *site, email string) *http.Client {
	t.Helper()
	c := browser()
	res, _ := s.post(t, c, "/signin", url.Values{"email": {email}, "password": {demo.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s cannot sign in: %d", email, res.StatusCode)
	}
	return c
}

// TestPageWeight holds every page under 100 KB of HTML and CSS together, in
// English and Arabic, as the public and as the secretariat (who sees more).
func TestPageWeight(t *testing.T) {
	s, sec := demoSite(t)
	_, css := s.get(t, s.web, "/static/concord.css")
	const budget = 100 * 1024
	check := func(c *http.Client, path string) {
		for _, lang := range []string{"en", "ar"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			_, html := s.get(t, c, path+sep+"lang="+lang)
			if n := len(html) + len(css); n > budget {
				t.Errorf("%s (%s): %d bytes of HTML+CSS, over %d", path, lang, n, budget)
			} else {
				t.Logf("%-55s %s %6d bytes", path, lang, n)
			}
		}
	}
	for _, p := range pagesToCheck {
		check(browser(), p)
	}
	for _, p := range append(pagesToCheck, secretariatPages...) {
		check(sec, p)
	}
	adv := signInAs(t, s, demo.AdvisorEmail)
	for _, p := range advisorPages(t, s) {
		check(adv, p)
	}
}

const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`

// TestMarkupInEveryFieldIsText stores markup in every free-text field of the
// registry and checks that no page renders it as markup.
func TestMarkupInEveryFieldIsText(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	ctx := context.Background()
	f := &concord.Forum{Slug: "x", Name: "Forum " + payload, Description: payload,
		Groups: []concord.StakeholderGroup{{Slug: "gov", Name: "Gov " + payload}, {Slug: "cs", Name: payload}}}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: f.ID, Year: 2026, Theme: payload, Subthemes: []string{payload}, PolicyQuestions: []string{payload}}); err != nil {
		t.Fatal(err)
	}
	p := &concord.Person{Name: "Name " + payload, Country: "KE", StakeholderGroup: "gov", Organisation: "Org " + payload}
	if err := db.CreatePerson(ctx, f, p); err != nil {
		t.Fatal(err)
	}
	log, err := db.DecisionLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	result, _ := json.Marshal(map[string]string{"note": payload})
	if _, _, err := log.Append(ctx, decisionlog.Entry{Forum: "x", Kind: "test.markup", Actor: payload, Time: time.Now(),
		Subject: payload, InputsHash: strings.Repeat("0", 64), Seed: "s", Result: result}); err != nil {
		t.Fatal(err)
	}
	s := newSite(t, db)
	for _, path := range []string{"/", "/forums/x", "/forums/x/people", "/forums/x/people/" + fmt.Sprint(p.ID),
		"/forums/x/organisations", "/forums/x/organisations/" + fmt.Sprint(p.OrganisationID), "/decisions", "/decisions/0",
		"/forums/x/people?q=" + url.QueryEscape(payload), "/forums/x/people.csv"} {
		code, body := s.get(t, s.web, path)
		if code != http.StatusOK {
			t.Errorf("%s: %d", path, code)
		}
		if strings.HasSuffix(path, ".csv") {
			// CSV is data, downloaded as an attachment with nosniff, never rendered.
			if !strings.Contains(body, `<script>alert(""x"")</script>`) {
				t.Errorf("%s lost the stored text", path)
			}
			continue
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s renders stored markup as markup", path)
		}
		if !strings.Contains(body, "&lt;script&gt;alert") {
			t.Errorf("%s does not show the stored text escaped", path)
		}
	}
}

// TestAccessibility runs axe-core (WCAG 2.1 A and AA) in Chromium on every
// page, in English and in Arabic, signed out and as the secretariat.
func TestAccessibility(t *testing.T) {
	s, _ := demoSite(t)
	ctx := browsertest.New(t)
	for _, lang := range []string{"en", "ar"} {
		for _, p := range pagesToCheck {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			browsertest.CheckAccessible(t, ctx, s.ts.URL+p+sep+"lang="+lang)
		}
	}
	// Sign in through the form, as a person would, then check the secretariat's pages.
	err := chromedp.Do(ctx,
		chromedp.Navigate(s.ts.URL+"/signin?lang=en"),
		chromedp.SendKeys("#f-email", demo.SecretariatEmail),
		chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Submit("#f-password"),
		chromedp.WaitVisible("#f-label"), // only the account page has it: the sign-in went through
	)
	if err != nil {
		t.Fatal(err)
	}
	where, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(where, "/account") {
		t.Fatalf("after signing in the browser is at %s", where)
	}
	for _, p := range secretariatPages {
		browsertest.CheckAccessible(t, ctx, s.ts.URL+p)
	}
	// A form with errors is accessible too.
	chromedp.Do(ctx, chromedp.Navigate(s.ts.URL+"/forums/igf/people/new"),
		chromedp.Submit("#f-name"), chromedp.WaitVisible(".error-summary"))
	browsertest.CheckAccessible(t, ctx, s.ts.URL+"/forums/igf/people/new")

	// The evaluator's pages, signed in as the demo advisor.
	if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(s.ts.URL+"/signin?lang=en"),
		chromedp.SendKeys("#f-email", demo.AdvisorEmail),
		chromedp.SendKeys("#f-password", demo.Password),
		chromedp.Submit("#f-password"),
		chromedp.WaitVisible("#f-label"),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "ar"} {
		for _, p := range advisorPages(t, s) {
			browsertest.CheckAccessible(t, ctx, s.ts.URL+p+"?lang="+lang)
		}
	}
}
