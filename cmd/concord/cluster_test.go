package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"concord/internal/pgtest"
	"concord/password"
	"concord/sqlstore"
)

var servingLine = regexp.MustCompile(`serving on (http://\S+)`)

// startServe runs `concord serve` as a separate process (this test binary in
// command mode) and returns its URL once it listens.
func startServe(t *testing.T, dsn string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, os.Args[0], "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CONCORD_RUN_MAIN=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("concord serve did not start")
	}
	return ""
}

// TestTwoServersShareOnePostgres runs two stateless server processes on one
// PostgreSQL database: data written through one is read through the other,
// a session opened on one is valid on the other, and concurrent writes
// through both are all kept.
func TestTwoServersShareOnePostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := &concord.Forum{Slug: "igf", Name: "IGF"}
	if err := db.CreateForum(ctx, f); err != nil {
		t.Fatal(err)
	}
	acc, _ := db.CreateAccount(ctx, "Sec", "sec@example.org", password.HashWith("a long passphrase", password.Params{Memory: 64, Time: 1, Threads: 1}))
	db.ConfirmAccount(ctx, acc.ID)
	db.SetRole(ctx, acc.ID, f.ID, concord.RoleSecretariat)
	tok, _ := db.CreateToken(ctx, acc.ID, sqlstore.TokenAPI, "test", time.Hour)

	a, b := startServe(t, dsn), startServe(t, dsn)

	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			base := a
			if i%2 == 1 {
				base = b
			}
			body := fmt.Sprintf(`{"name":"Person %d","email":"p%d@example.org","country":"KE","stakeholder_group":"government"}`, i, i)
			req, _ := http.NewRequest("POST", base+"/api/forums/igf/people", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := http.DefaultClient.Do(req)
			if err == nil {
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					err = fmt.Errorf("create through %s: %d", base, res.StatusCode)
				}
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, base := range []string{a, b} {
		res, err := http.Get(base + "/api/forums/igf/people?limit=500")
		if err != nil {
			t.Fatal(err)
		}
		var page struct{ Total int }
		json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if page.Total != 40 {
			t.Errorf("%s sees %d people, want 40", base, page.Total)
		}
	}

	// Sign in on A; the session cookie works on B.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(a+"/signin", url.Values{"email": {"sec@example.org"}, "password": {"a long passphrase"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on A: %d", res.StatusCode)
	}
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	jar.SetCookies(ub, jar.Cookies(ua))
	res, err = c.Get(b + "/forums/igf/members")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("session from A on B: status %d, want 200", res.StatusCode)
	}
}
