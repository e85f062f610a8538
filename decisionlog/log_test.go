package decisionlog

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"concord"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "forum.example.org/decisions"

// testKeys is a fixed key pair, so that checkpoints are the same every run.
func testKeys(t testing.TB, name string) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(bytes.NewReader(bytes.Repeat([]byte(name[:1]), 32)), name)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

func newTestLog(t testing.TB) (*Log, *MemStore) {
	t.Helper()
	m := &MemStore{}
	skey, vkey := testKeys(t, testOrigin)
	l, err := New(m, skey, vkey)
	if err != nil {
		t.Fatal(err)
	}
	return l, m
}

// testEntry is the i'th decision of a made-up cycle.
func testEntry(i int) Entry {
	kinds := []string{"advisory.selection", "evaluation.assignment", "proposal.decision", "timetable.published"}
	h, _ := InputsHash(i)
	return Entry{
		Forum:      "igf-2026",
		Kind:       kinds[i%len(kinds)],
		Actor:      fmt.Sprintf("account:%d", i%7),
		Time:       time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		Subject:    fmt.Sprintf("Decision %d", i),
		InputsHash: h,
		Seed:       fmt.Sprint(i * 7919),
		Result:     json.RawMessage(fmt.Sprintf(`{"accepted":[%d,%d],"by":"chair"}`, i, i+1)),
	}
}

// appendN appends n test entries in batches of 1, 2, 3, 4, 1, … and returns the
// checkpoint of each batch.
func appendN(t testing.TB, l *Log, n int) []Checkpoint {
	t.Helper()
	start, err := l.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var cps []Checkpoint
	for i, k := 0, 1; i < n; i, k = i+k, k%4+1 {
		var es []Entry
		for j := i; j < min(n, i+k); j++ {
			es = append(es, testEntry(j))
		}
		got, cp, err := l.AppendBatch(context.Background(), es)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Index != start.Size+int64(i) || cp.Size != start.Size+int64(i+len(es)) {
			t.Fatalf("AppendBatch at %d: first index %d, checkpoint size %d", i, got[0].Index, cp.Size)
		}
		cps = append(cps, cp)
	}
	return cps
}

// rows returns copies of everything the store holds.
func (m *MemStore) rows() (entries []Entry, notes [][]byte, hashes []tlog.Hash) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.entries {
		e.Result = bytes.Clone(e.Result)
		entries = append(entries, e)
	}
	for _, c := range m.checkpoints {
		notes = append(notes, bytes.Clone(c.note))
	}
	return entries, notes, append([]tlog.Hash(nil), m.hashes...)
}

func TestAppendProofs(t *testing.T) {
	ctx := context.Background()
	l, _ := newTestLog(t)
	cps := appendN(t, l, 60)
	latest, err := l.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := latest.Size, int64(60); got != want {
		t.Fatalf("Latest size = %d, want %d", got, want)
	}
	for _, cp := range cps {
		for i := int64(0); i < cp.Size; i++ {
			p, err := l.InclusionProof(ctx, i, cp.Size)
			if err != nil {
				t.Fatal(err)
			}
			e := testEntry(int(i))
			e.Index = i
			if err := CheckInclusion(cp, e, p); err != nil {
				t.Errorf("CheckInclusion(entry %d, size %d): %v", i, cp.Size, err)
			}
			e.Subject += "!"
			if err := CheckInclusion(cp, e, p); err == nil {
				t.Errorf("CheckInclusion accepted an edited entry %d at size %d", i, cp.Size)
			}
		}
		for _, newer := range cps {
			if newer.Size < cp.Size {
				continue
			}
			p, err := l.ConsistencyProof(ctx, cp.Size, newer.Size)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckConsistency(cp, newer, p); err != nil {
				t.Errorf("CheckConsistency(%d → %d): %v", cp.Size, newer.Size, err)
			}
		}
	}
}

func TestCheckpointText(t *testing.T) {
	l, _ := newTestLog(t)
	_, cp, err := l.Append(context.Background(), testEntry(0))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(cp.Note), "\n")
	if len(lines) != 6 || lines[0] != testOrigin || lines[1] != "1" || lines[3] != "" ||
		!strings.HasPrefix(lines[4], "— "+testOrigin+" ") {
		t.Errorf("checkpoint note is not origin, size, root, blank line, signature:\n%s", cp.Note)
	}
	e := testEntry(0)
	leaf, _ := e.LeafHash()
	if cp.Hash != leaf {
		t.Errorf("root of a one-entry tree = %v, want its leaf hash %v", cp.Hash, leaf)
	}
	got, err := OpenCheckpoint(cp.Note, l.Verifier())
	if err != nil || got.Size != 1 || got.Hash != cp.Hash || got.Origin != testOrigin {
		t.Errorf("OpenCheckpoint = %+v, %v", got, err)
	}
}

func TestLatestEmpty(t *testing.T) {
	l, _ := newTestLog(t)
	cp, err := l.Latest(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCheckpoint(cp.Note, l.Verifier()); err != nil || cp.Size != 0 {
		t.Errorf("empty log: Latest = %+v, open: %v", cp, err)
	}
}

func TestAppendInvalid(t *testing.T) {
	ctx := context.Background()
	l, m := newTestLog(t)
	bad := testEntry(1)
	bad.Subject = ""
	bad.InputsHash = "abc"
	_, _, err := l.AppendBatch(ctx, []Entry{testEntry(0), bad})
	var fields []string
	for _, p := range concord.Problems(err) {
		fields = append(fields, p.Field)
	}
	if got, want := strings.Join(fields, " "), "entries[1].subject entries[1].inputs_hash"; got != want || concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("AppendBatch problems = %q (%v), want %q", got, err, want)
	}
	if _, _, err := l.Append(ctx, bad); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("Append(bad) = %v, want EINVALID", err)
	}
	if _, _, err := l.AppendBatch(ctx, nil); concord.ErrorCode(err) != concord.EINVALID {
		t.Errorf("AppendBatch(nil) = %v, want EINVALID", err)
	}
	if es, _, _ := m.rows(); len(es) != 0 {
		t.Errorf("invalid appends wrote %d entries", len(es))
	}
}

func TestAppendNormalises(t *testing.T) {
	l, _ := newTestLog(t)
	e := testEntry(0)
	e.Time = e.Time.Add(999 * time.Microsecond).In(time.FixedZone("x", 3600))
	e.Result = json.RawMessage(`{ "by": "chair", "accepted": [0, 1] }`)
	got, _, err := l.Append(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	if want := testEntry(0); !got.Time.Equal(want.Time) || got.Time.Location() != time.UTC || string(got.Result) != string(want.Result) {
		t.Errorf("Append stored time %v result %s, want %v %s", got.Time, got.Result, want.Time, want.Result)
	}
}

func TestNewKeyMismatch(t *testing.T) {
	skey, _ := testKeys(t, testOrigin)
	_, vkey := testKeys(t, "other.example.org/decisions")
	if _, err := New(&MemStore{}, skey, vkey); err == nil {
		t.Error("New accepted keys that are not a pair")
	}
	if _, err := New(&MemStore{}, "nonsense", vkey); err == nil {
		t.Error("New accepted a malformed signing key")
	}
}

// Two Logs on one store stand for two server processes on one database.
func TestConcurrentAppend(t *testing.T) {
	ctx := context.Background()
	l1, m := newTestLog(t)
	l2, err := New(m, l1.signerKeyForTest(t), l1.VerifierKey())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			l := []*Log{l1, l2}[w%2]
			for i := range 20 {
				if _, _, err := l.Append(ctx, testEntry(w*100+i)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	entries, notes, hashes := m.rows()
	if got, want := len(entries), 160; got != want {
		t.Fatalf("%d entries, want %d", got, want)
	}
	if _, err := Verify(l1.Verifier(), entries, notes, hashes); err != nil {
		t.Fatal(err)
	}
}

func (l *Log) signerKeyForTest(t testing.TB) string {
	skey, _ := testKeys(t, l.signer.Name())
	return skey
}
