package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"concord"
	"concord/api"
	"concord/password"
	"concord/server"
	"concord/sqlstore"
	"concord/web"
)

var testLog io.Writer = io.Discard

func TestMain(m *testing.M) {
	if os.Getenv("CONCORD_TEST_LOG") != "" {
		testLog = os.Stderr
	}
	password.Default = password.Params{Memory: 64, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

type site struct {
	db  *sqlstore.DB
	ts  *httptest.Server
	web *http.Client
}

func newSite(t *testing.T, db *sqlstore.DB) *site {
	t.Helper()
	s := server.New(db, slog.New(slog.NewTextHandler(testLog, nil)), "http://concord.test")
	h, err := web.New(s)
	if err != nil {
		t.Fatal(err)
	}
	s.Add(h.Routes()...)
	s.Add(api.Routes(s)...)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	s.BaseURL = ts.URL
	return &site{db: db, ts: ts, web: browser()}
}

// browser is a client with cookies that does not follow redirects.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (s *site) get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	res, err := c.Get(s.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (s *site) post(t *testing.T, c *http.Client, path string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", s.ts.URL)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var linkPattern = regexp.MustCompile(`http://127\.0\.0\.1:\d+(/(?:confirm|reset)/[A-Za-z0-9_-]+)`)

// lastLink finds the link in the newest outbox message to an address.
func (s *site) lastLink(t *testing.T, to string) string {
	t.Helper()
	es, err := s.db.Outbox(context.Background(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.To == to {
			if m := linkPattern.FindStringSubmatch(e.Body); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no link emailed to %s", to)
	return ""
}

func TestSignupConfirmSigninSignoutReset(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		s := newSite(t, db)
		c := s.web
		res, body := s.post(t, c, "/signup", url.Values{"name": {"Ama"}, "email": {"not-an-email"}, "password": {"short"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is not an email address") || !strings.Contains(body, "at least 10 characters") {
			t.Fatalf("bad sign-up: %d\n%s", res.StatusCode, body)
		}
		res, _ = s.post(t, c, "/signup", url.Values{"name": {"Ama"}, "email": {"ama@example.org"}, "password": {"a long passphrase"}})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("sign-up: %d", res.StatusCode)
		}
		// Unconfirmed accounts cannot sign in.
		res, _ = s.post(t, c, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"a long passphrase"}})
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("unconfirmed sign-in: %d", res.StatusCode)
		}
		link := s.lastLink(t, "ama@example.org")
		if code, _ := s.get(t, c, link); code != http.StatusSeeOther {
			t.Fatalf("confirm: %d", code)
		}
		if code, body := s.get(t, c, "/account"); code != http.StatusOK || !strings.Contains(body, "ama@example.org") {
			t.Fatalf("account after confirm: %d", code)
		}
		if code, _ := s.get(t, c, link); code != http.StatusUnprocessableEntity {
			t.Errorf("confirm link reused: %d", code)
		}
		s.post(t, c, "/signout", url.Values{})
		if code, _ := s.get(t, c, "/account"); code != http.StatusSeeOther {
			t.Fatalf("account after sign-out: %d", code)
		}
		res, body = s.post(t, c, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"wrong password!"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "wrong") {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		res, _ = s.post(t, c, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"a long passphrase"}, "next": {"//evil.example/"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account" {
			t.Fatalf("sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		// Reset by emailed link; the old password stops working.
		anon := browser()
		s.post(t, anon, "/reset", url.Values{"email": {"ama@example.org"}})
		link = s.lastLink(t, "ama@example.org")
		res, _ = s.post(t, anon, link, url.Values{"password": {"another passphrase"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset: %d", res.StatusCode)
		}
		fresh := browser()
		if res, _ := s.post(t, fresh, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"a long passphrase"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("old password after reset: %d", res.StatusCode)
		}
		if res, _ := s.post(t, fresh, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"another passphrase"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("new password after reset: %d", res.StatusCode)
		}
		// Asking to reset an unknown address says the same and sends nothing.
		_, body = s.post(t, anon, "/reset", url.Values{"email": {"nobody@example.org"}})
		if !strings.Contains(body, "If an account uses") {
			t.Errorf("reset for unknown address reveals it")
		}
	})
}

func TestSigninIsRateLimited(t *testing.T) {
	s := newSite(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	ctx := context.Background()
	a, _ := s.db.CreateAccount(ctx, "Ama", "ama@example.org", password.Hash("the right one"))
	s.db.ConfirmAccount(ctx, a.ID)
	for i := 0; i < 5; i++ {
		if res, _ := s.post(t, s.web, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"guess"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	res, body := s.post(t, s.web, "/signin", url.Values{"email": {"ama@example.org"}, "password": {"the right one"}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed sign-ins") {
		t.Fatalf("sixth attempt: %d", res.StatusCode)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	s := newSite(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	req, _ := http.NewRequest("POST", s.ts.URL+"/signup", strings.NewReader("name=x&email=x%40example.org&password=0123456789"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", res.StatusCode)
	}
	if _, _, err := s.db.AccountByEmail(context.Background(), "x@example.org"); concord.ErrorCode(err) != concord.ENOTFOUND {
		t.Errorf("a refused request created an account")
	}
}

func TestUnknownRoutesGive404Pages(t *testing.T) {
	s := newSite(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	for _, p := range []string{"/nope", "/forums/nope", "/forums/nope/people", "/static/nope.css"} {
		code, body := s.get(t, s.web, p)
		if code != http.StatusNotFound || !strings.Contains(body, "<html") || strings.Contains(body, "goroutine") {
			t.Errorf("%s: %d", p, code)
		}
	}
}

func TestLanguageSwitchAndRTL(t *testing.T) {
	s := newSite(t, sqlstore.OpenTest(t, sqlstore.SQLite))
	_, body := s.get(t, s.web, "/?lang=ar")
	if !strings.Contains(body, `<html lang="ar" dir="rtl">`) {
		t.Fatalf("Arabic page is not right to left:\n%.300s", body)
	}
	// The choice is remembered.
	_, body = s.get(t, s.web, "/signin")
	if !strings.Contains(body, `dir="rtl"`) {
		t.Errorf("language choice not remembered")
	}
	_, body = s.get(t, s.web, "/?lang=fr")
	if !strings.Contains(body, `<html lang="fr" dir="ltr">`) {
		t.Errorf("French page: %.200s", body)
	}
	req, _ := http.NewRequest("GET", s.ts.URL+"/", nil)
	req.Header.Set("Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	res, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `lang="es"`) {
		t.Errorf("Accept-Language not honoured")
	}
}

// TestDirectoryFragmentForHtmx: htmx asks for the results block only; a plain
// request gets the whole page, so the filters work without JavaScript.
func TestDirectoryFragmentForHtmx(t *testing.T) {
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	f := &concord.Forum{Slug: "igf", Name: "IGF"}
	db.CreateForum(context.Background(), f)
	db.CreatePerson(context.Background(), f, &concord.Person{Name: "Amina", Country: "KE", StakeholderGroup: "government"})
	s := newSite(t, db)
	req, _ := http.NewRequest("GET", s.ts.URL+"/forums/igf/people?group=government", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	body := string(b)
	if !strings.HasPrefix(strings.TrimSpace(body), `<div id="results">`) || strings.Contains(body, "<html") || !strings.Contains(body, "Amina") {
		t.Errorf("htmx fragment:\n%.300s", body)
	}
	if _, page := s.get(t, s.web, "/forums/igf/people?group=government"); !strings.Contains(page, "<html") || !strings.Contains(page, `<div id="results">`) {
		t.Errorf("plain request did not get the whole page")
	}
}
