package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"concord/decisionlog"
	"concord/sqlstore"
)

// decisionDB is a SQLite database holding a decision log of n entries,
// appended one at a time, so that there is a checkpoint at every size.
func decisionDB(t *testing.T, n int) (*sqlstore.DB, *decisionlog.Log) {
	t.Helper()
	db := sqlstore.OpenTest(t, sqlstore.SQLite)
	log, err := db.DecisionLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	appendDecisions(t, log, 0, n)
	return db, log
}

func appendDecisions(t *testing.T, log *decisionlog.Log, from, to int) {
	t.Helper()
	for i := from; i < to; i++ {
		_, _, err := log.Append(context.Background(), decisionlog.Entry{Forum: "igf", Kind: "proposal.decision",
			Actor: "account:7", Time: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Subject: fmt.Sprintf("Workshop proposal %d", i), InputsHash: strings.Repeat("5e", 32), Seed: fmt.Sprint(i),
			Result: json.RawMessage(fmt.Sprintf(`{"accepted":%v,"score":%d}`, i%3 != 0, i))})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// verify runs "concord verify args…" in-process.
func verify(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"verify"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestVerifyDatabase(t *testing.T) {
	db, log := decisionDB(t, 30)
	code, out, errs := verify(t, db.DSN, "--key", log.VerifierKey())
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	cp, err := log.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("OK: 30 decisions verified; tree head %s at size 30 signed by %s\n", b64(cp.Hash), log.Verifier().Name())
	if out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	if strings.Contains(errs, "WARNING") {
		t.Errorf("a warning with --key given: %s", errs)
	}

	// Without --key the source's own key is used, with a warning.
	code, out, errs = verify(t, "--json", db.DSN)
	if code != exitOK || !strings.Contains(errs, "WARNING: no --key given") {
		t.Fatalf("without --key: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	var rep verifyReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if !rep.OK || rep.Size != 30 || !rep.KeyFromSource || rep.Checkpoint != string(cp.Note) || rep.Tampered != nil {
		t.Errorf("--json report: %+v", rep)
	}

	// Someone edits a row.
	if _, err := db.SQL().Exec(`UPDATE decision_entries SET subject = 'Workshop proposal 5 (withdrawn)' WHERE idx = 5`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = verify(t, db.DSN, "--key", log.VerifierKey())
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: entry 5") {
		t.Errorf("after editing entry 5: exit %d, stdout %q", code, out)
	}
	code, out, _ = verify(t, db.DSN, "--key", log.VerifierKey(), "--json")
	rep = verifyReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if code != exitFailure || rep.OK || rep.Tampered == nil || rep.Tampered.Part != "entry" || rep.Tampered.Index != 5 {
		t.Errorf("--json after editing entry 5: exit %d, %s", code, out)
	}
}

func TestVerifyHTTP(t *testing.T) {
	db, log := decisionDB(t, 30)
	s, err := newApp(db, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://concord.test")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	for _, url := range []string{ts.URL, ts.URL + "/", ts.URL + "/api/log"} {
		code, out, errs := verify(t, url, "--key", log.VerifierKey())
		if code != exitOK || !strings.HasPrefix(out, "OK: 30 decisions verified; tree head ") {
			t.Errorf("verify %s: exit %d\nstdout: %s\nstderr: %s", url, code, out, errs)
		}
	}

	// A row edited behind the server's back shows through the API.
	if _, err := db.SQL().Exec(`UPDATE decision_entries SET result = '{"accepted":true,"score":12}' WHERE idx = 12`); err != nil {
		t.Fatal(err)
	}
	code, out, errs := verify(t, ts.URL, "--key", log.VerifierKey())
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: entry 12") {
		t.Errorf("after editing entry 12: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	// So does a result whose spacing alone changed: the API serves it byte for byte.
	if _, err := db.SQL().Exec(`UPDATE decision_entries SET result = '{"accepted":false,"score":12}' WHERE idx = 12`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE decision_entries SET result = '{"accepted": true,"score":13}' WHERE idx = 13`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = verify(t, ts.URL, "--key", log.VerifierKey())
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: entry 13: result: is not canonical JSON") {
		t.Errorf("after respacing entry 13: exit %d, stdout %q", code, out)
	}

	// A server that is gone, or that is not Concord, cannot be read.
	other := httptest.NewServer(http.NotFoundHandler())
	code, _, errs = verify(t, other.URL, "--key", log.VerifierKey())
	if code != exitUsage || !strings.Contains(errs, "/api/log: 404 Not Found") {
		t.Errorf("a server that is not Concord: exit %d, stderr %q", code, errs)
	}
	other.Close()
	code, _, errs = verify(t, other.URL, "--key", log.VerifierKey(), "--timeout", "2s")
	if code != exitUsage || !strings.Contains(errs, "GET "+other.URL+"/api/log") {
		t.Errorf("a server that is gone: exit %d, stderr %q", code, errs)
	}
}

// TestVerifyHTTPPages reads a log longer than a page of entries and of hashes.
func TestVerifyHTTPPages(t *testing.T) {
	db, log := decisionDB(t, 2)
	var es []decisionlog.Entry
	for i := range 1200 {
		es = append(es, decisionlog.Entry{Forum: "igf", Kind: "evaluator.assignment", Actor: "system",
			Time: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Subject: fmt.Sprintf("Reviewer for proposal %d", i),
			InputsHash: strings.Repeat("a1", 32), Result: json.RawMessage(fmt.Sprintf(`{"reviewer":%d}`, i%17))})
	}
	if _, _, err := log.AppendBatch(context.Background(), es); err != nil {
		t.Fatal(err)
	}
	s, err := newApp(db, slog.New(slog.NewTextHandler(io.Discard, nil)), "http://concord.test")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	code, out, errs := verify(t, ts.URL, "--key", log.VerifierKey())
	if code != exitOK || !strings.HasPrefix(out, "OK: 1202 decisions verified") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if _, err := db.SQL().Exec(`UPDATE decision_entries SET actor = 'account:1' WHERE idx = 1100`); err != nil {
		t.Fatal(err)
	}
	code, out, _ = verify(t, ts.URL, "--key", log.VerifierKey())
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: entry 1100") {
		t.Errorf("after editing entry 1100: exit %d, stdout %q", code, out)
	}
}

func TestVerifyWrongKey(t *testing.T) {
	db, log := decisionDB(t, 3)
	// Another key, under the log's own name and under another name.
	for _, name := range []string{log.Verifier().Name(), "someone-else"} {
		_, vkey, err := note.GenerateKey(rand.Reader, name)
		if err != nil {
			t.Fatal(err)
		}
		code, out, errs := verify(t, db.DSN, "--key", vkey)
		if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: checkpoint") || !strings.Contains(errs, "the source reports another key") {
			t.Errorf("key named %s: exit %d\nstdout: %s\nstderr: %s", name, code, out, errs)
		}
	}
}

func TestVerifyTrustedCheckpoint(t *testing.T) {
	db, log := decisionDB(t, 30)
	saved := filepath.Join(t.TempDir(), "igf.checkpoint")
	code, out, errs := verify(t, db.DSN, "--key", log.VerifierKey(), "--save", saved)
	if code != exitOK {
		t.Fatalf("--save: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	cp, err := log.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(saved); err != nil || !bytes.Equal(got, cp.Note) {
		t.Fatalf("saved checkpoint = %q, %v; want %q", got, err, cp.Note)
	}

	// The log grows; the next run checks it extends the saved checkpoint and saves the new one.
	appendDecisions(t, log, 30, 35)
	code, out, errs = verify(t, db.DSN, "--key", log.VerifierKey(), "--trusted", saved, "--save", saved)
	if code != exitOK || !strings.Contains(out, "OK: 35 decisions verified") || !strings.Contains(out, "extends the trusted checkpoint at size 30") {
		t.Fatalf("--trusted after growth: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}

	// Someone rolls the log back to 30 entries, consistently: rows, hashes
	// and checkpoints. The log alone still verifies; the saved checkpoint
	// shows the deletion.
	for _, q := range []string{
		`DELETE FROM decision_entries WHERE idx >= 30`,
		fmt.Sprintf(`DELETE FROM decision_hashes WHERE idx >= %d`, tlog.StoredHashCount(30)),
		`DELETE FROM decision_checkpoints WHERE size > 30`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if code, out, _ := verify(t, db.DSN, "--key", log.VerifierKey()); code != exitOK || !strings.HasPrefix(out, "OK: 30 decisions") {
		t.Fatalf("rolled-back log without --trusted: exit %d, stdout %q", code, out)
	}
	code, out, errs = verify(t, db.DSN, "--key", log.VerifierKey(), "--trusted", saved)
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: checkpoint 35 → 30 not consistent") || !strings.Contains(out, "deleted") {
		t.Errorf("rolled-back log with --trusted: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}

	// Another log (a replacement under a new key) does not extend the saved checkpoint.
	other, _ := decisionDB(t, 40)
	code, out, _ = verify(t, other.DSN, "--trusted", saved)
	if code != exitFailure || !strings.HasPrefix(out, "TAMPERED: ") || !strings.Contains(out, "does not open with key") {
		t.Errorf("another log with --trusted: exit %d, stdout %q", code, out)
	}
}

func TestVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	garbage := filepath.Join(dir, "garbage.checkpoint")
	if err := os.WriteFile(garbage, []byte("not a checkpoint\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, log := decisionDB(t, 2)
	bare, err := sqlstore.OpenNoMigrate(filepath.Join(dir, "bare.db")) // a SQLite file without Concord's tables
	if err != nil {
		t.Fatal(err)
	}
	bare.Close()
	empty := sqlstore.OpenTest(t, sqlstore.SQLite) // a Concord database with no decisions, so no key
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no source", nil, exitUsage, "usage: concord verify"},
		{"two sources", []string{db.DSN, db.DSN}, exitUsage, "usage: concord verify"},
		{"unknown flag", []string{db.DSN, "--keys", "x"}, exitUsage, "flag provided but not defined"},
		{"help", []string{"-h"}, exitOK, "--trusted"},
		{"missing file", []string{missing}, exitUsage, "no database at"},
		{"not a Concord database", []string{filepath.Join(dir, "bare.db")}, exitUsage, "not a Concord database"},
		{"no key anywhere", []string{empty.DSN}, exitUsage, "give the forum's key with --key"},
		{"bad key", []string{db.DSN, "--key", "nonsense"}, exitUsage, `--key "nonsense" is not a verifier key`},
		{"missing trusted file", []string{db.DSN, "--trusted", missing}, exitUsage, "--trusted"},
		{"trusted file not a checkpoint", []string{db.DSN, "--trusted", garbage}, exitUsage, "not a saved checkpoint"},
		{"bad URL", []string{"http://", "--key", log.VerifierKey()}, exitUsage, "not a server URL"},
		{"bad timeout", []string{db.DSN, "--timeout", "0s"}, exitUsage, "--timeout"},
		{"save into a missing folder", []string{db.DSN, "--key", log.VerifierKey(), "--save", filepath.Join(missing, "x")}, exitUsage, "--save"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := verify(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, want %d; stderr %q lacks %q", code, tt.code, errs, tt.msg)
			}
		})
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("verify created %s: %v", missing, err)
	}
	// An empty log verifies with the forum's key.
	code, out, errs := verify(t, empty.DSN, "--key", log.VerifierKey())
	if code != exitOK || !strings.HasPrefix(out, "OK: 0 decisions verified") {
		t.Errorf("empty log: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestVerifyIndexList(t *testing.T) {
	for _, tt := range []struct {
		in   []int64
		want string
	}{
		{[]int64{7}, "7"},
		{[]int64{0, 1, 2, 3}, "0-3"},
		{[]int64{5, 1, 2, 9, 10, 4}, "5,1-2,9-10,4"},
		{[]int64{3, 3}, "3,3"},
	} {
		if got := indexList(tt.in); got != tt.want {
			t.Errorf("indexList(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func b64(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }
