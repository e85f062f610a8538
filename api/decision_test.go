package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"concord/decisionlog"
	"concord/sqlstore"
)

// appendDecisions logs five decisions in three batches.
func appendDecisions(t *testing.T, db *sqlstore.DB) *decisionlog.Log {
	t.Helper()
	ctx := context.Background()
	log, err := db.DecisionLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	entry := func(i int, result string) decisionlog.Entry {
		return decisionlog.Entry{Forum: "igf", Kind: "proposal.decision", Actor: "account:1",
			Time:    time.Date(2026, 6, 1, 12, 0, i, 123e6, time.UTC),
			Subject: fmt.Sprintf("Proposal %d & friends", i), InputsHash: strings.Repeat("0f", 32),
			Seed: fmt.Sprint(i), Result: json.RawMessage(result)}
	}
	if _, _, err := log.Append(ctx, entry(0, `{"accepted": true}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := log.AppendBatch(ctx, []decisionlog.Entry{entry(1, `{"b":[1,2],"a":"<x>"}`), entry(2, `"rejected"`), entry(3, `null`)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := log.Append(ctx, entry(4, `{"panel":[3,1,4]}`)); err != nil {
		t.Fatal(err)
	}
	return log
}

func TestDecisionLogEndpoints(t *testing.T) {
	sqlstore.ForEachStore(t, func(t *testing.T, db *sqlstore.DB) {
		fx := newFixture(t, db)
		fx.run(t, []scenario{
			{name: "empty log", method: "GET", url: "/api/log", wantStatus: 200,
				wantBody: []string{`"size": 0`, `"checkpoint": ""`}},
			{name: "no entries yet", method: "GET", url: "/api/log/entries", wantStatus: 200, wantBody: []string{`"entries":[]`}},
			{name: "no hashes yet", method: "GET", url: "/api/log/hashes?indexes=0", wantStatus: 404},
			{name: "no proof yet", method: "GET", url: "/api/log/entries/0/proof", wantStatus: 404},
		})
		log := appendDecisions(t, db)
		fx.run(t, []scenario{
			{name: "head", method: "GET", url: "/api/log", wantStatus: 200,
				wantBody: []string{`"size": 5`, `"verifier_key": "` + log.VerifierKey() + `"`, `\n5\n`}},
			{name: "head takes no parameters", method: "GET", url: "/api/log?size=1", wantStatus: 422, wantBody: []string{`"field": "size"`}},
			{name: "entries", method: "GET", url: "/api/log/entries", wantStatus: 200,
				wantBody: []string{`"index":0`, `"index":4`, `"result":{"a":"\u003cx\u003e","b":[1,2]}`, `"result":null`,
					`"time":"2026-06-01T12:00:03.123Z"`}},
			{name: "entries page", method: "GET", url: "/api/log/entries?start=1&end=3", wantStatus: 200,
				wantBody: []string{`"index":1`, `"index":2`}, notBody: []string{`"index":0`, `"index":3`}},
			{name: "entries past the end", method: "GET", url: "/api/log/entries?start=10", wantStatus: 200, wantBody: []string{`"entries":[]`}},
			{name: "entries, most at once", method: "GET", url: "/api/log/entries?start=0&end=1000", wantStatus: 200},
			{name: "entries, too many", method: "GET", url: "/api/log/entries?start=0&end=1001", wantStatus: 422,
				wantBody: []string{`"field": "end"`, "1000"}},
			{name: "entries, end before start", method: "GET", url: "/api/log/entries?start=3&end=2", wantStatus: 422,
				wantBody: []string{`"field": "end"`}},
			{name: "entries, bad start", method: "GET", url: "/api/log/entries?start=-1", wantStatus: 422,
				wantBody: []string{`"field": "start"`}},
			{name: "entries, bad end", method: "GET", url: "/api/log/entries?end=x", wantStatus: 422,
				wantBody: []string{`"field": "end"`, `\"x\"`}},
			{name: "entries, unknown parameter", method: "GET", url: "/api/log/entries?limit=3", wantStatus: 422,
				wantBody: []string{`"field": "limit"`}},
			{name: "hashes", method: "GET", url: "/api/log/hashes?indexes=2,0,1", wantStatus: 200, wantBody: []string{`"hashes": [`}},
			{name: "hashes in ranges", method: "GET", url: "/api/log/hashes?indexes=3-5,0-1,7", wantStatus: 200,
				check: func(t *testing.T, resp *http.Response, body []byte) {
					var got struct{ Hashes []string }
					json.Unmarshal(body, &got)
					if len(got.Hashes) != 6 {
						t.Errorf("%d hashes, want 6", len(got.Hashes))
					}
				}},
			{name: "hashes, a range too many", method: "GET", url: "/api/log/hashes?indexes=0-1000", wantStatus: 422,
				wantBody: []string{`"field": "indexes"`, "1000"}},
			{name: "hashes, a backward range", method: "GET", url: "/api/log/hashes?indexes=5-3", wantStatus: 422,
				wantBody: []string{`"field": "indexes"`, `\"5-3\"`}},
			{name: "hashes, none asked", method: "GET", url: "/api/log/hashes", wantStatus: 422, wantBody: []string{`"field": "indexes"`}},
			{name: "hashes, bad index", method: "GET", url: "/api/log/hashes?indexes=1,x", wantStatus: 422,
				wantBody: []string{`"field": "indexes"`, `\"x\"`}},
			{name: "hashes, too many", method: "GET", url: "/api/log/hashes?indexes=" + strings.Repeat("0,", 1000) + "0", wantStatus: 422,
				wantBody: []string{`"field": "indexes"`}},
			{name: "hashes, not in the tree", method: "GET", url: "/api/log/hashes?indexes=0,999", wantStatus: 404,
				wantBody: []string{`"code": "not_found"`, "999"}},
			{name: "checkpoints", method: "GET", url: "/api/log/checkpoints", wantStatus: 200,
				wantBody: []string{`\n1\n`, `\n4\n`, `\n5\n`}},
			{name: "checkpoints from a size", method: "GET", url: "/api/log/checkpoints?min=2&limit=1", wantStatus: 200,
				wantBody: []string{`\n4\n`}, notBody: []string{`\n5\n`}},
			{name: "checkpoints, limit too large", method: "GET", url: "/api/log/checkpoints?limit=1001", wantStatus: 422,
				wantBody: []string{`"field": "limit"`}},
			{name: "checkpoints, bad min and limit", method: "GET", url: "/api/log/checkpoints?min=a&limit=0", wantStatus: 422,
				wantBody: []string{`"field": "min"`, `"field": "limit"`}},
			{name: "proof", method: "GET", url: "/api/log/entries/2/proof", wantStatus: 200,
				wantBody: []string{`"index": 2`, `"size": 5`}},
			{name: "proof at a size", method: "GET", url: "/api/log/entries/2/proof?size=4", wantStatus: 200,
				wantBody: []string{`"size": 4`}},
			{name: "proof, size too small", method: "GET", url: "/api/log/entries/2/proof?size=2", wantStatus: 422,
				wantBody: []string{`"field": "size"`}},
			{name: "proof, size too large", method: "GET", url: "/api/log/entries/2/proof?size=6", wantStatus: 422,
				wantBody: []string{`"field": "size"`}},
			{name: "proof, no such entry", method: "GET", url: "/api/log/entries/5/proof", wantStatus: 404},
			{name: "proof, not an index", method: "GET", url: "/api/log/entries/x/proof", wantStatus: 404},
		})
	})
}

// TestDecisionLogServedExactly checks that what the endpoints serve verifies
// as the log: entries byte for byte, hashes, checkpoints and proofs.
func TestDecisionLogServedExactly(t *testing.T) {
	db := openSQLite(t)
	fx := newFixture(t, db)
	log := appendDecisions(t, db)
	get := func(url string, v any) {
		t.Helper()
		resp, body := fx.do(t, "GET", url, "", "", "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", url, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
	}
	var head struct {
		VerifierKey string `json:"verifier_key"`
		Size        int64  `json:"size"`
		Checkpoint  string `json:"checkpoint"`
	}
	get("/api/log", &head)
	v, err := note.NewVerifier(head.VerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := decisionlog.OpenCheckpoint([]byte(head.Checkpoint), v)
	if err != nil || cp.Size != head.Size || cp.Size != 5 {
		t.Fatalf("head checkpoint: %+v, %v", cp, err)
	}

	var entries struct{ Entries []decisionlog.Entry }
	get("/api/log/entries", &entries)
	stored, err := sqlstore.DecisionStore{DB: db}.ReadEntries(context.Background(), 0, 5)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, entries.Entries); diff != "" {
		t.Errorf("served entries differ from stored (-stored +served):\n%s", diff)
	}

	var idx []string
	for i := range tlog.StoredHashCount(5) {
		idx = append(idx, fmt.Sprint(i))
	}
	var hashes struct{ Hashes []string }
	get("/api/log/hashes?indexes="+strings.Join(idx, ","), &hashes)
	hs := decodeHashes(t, hashes.Hashes)
	var cps struct{ Checkpoints []string }
	get("/api/log/checkpoints", &cps)
	var notes [][]byte
	for _, c := range cps.Checkpoints {
		notes = append(notes, []byte(c))
	}
	got, err := decisionlog.Verify(log.Verifier(), entries.Entries, notes, hs)
	if err != nil || got.Size != 5 {
		t.Fatalf("Verify of the served log: size %d, %v", got.Size, err)
	}

	var proof struct {
		Index, Size int64
		Hashes      []string
	}
	get("/api/log/entries/3/proof", &proof)
	if err := decisionlog.CheckInclusion(cp, entries.Entries[3], decodeHashes(t, proof.Hashes)); err != nil {
		t.Errorf("served inclusion proof: %v", err)
	}
}

func decodeHashes(t *testing.T, ss []string) []tlog.Hash {
	t.Helper()
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != len(out[i]) {
			t.Fatalf("hash %q: %v", s, err)
		}
		copy(out[i][:], b)
	}
	return out
}
