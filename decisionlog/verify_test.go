package decisionlog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// checkVerifyError fails unless err is a *VerifyError blaming part, index and field.
func checkVerifyError(t *testing.T, err error, part string, index int64, field string) {
	t.Helper()
	var ve *VerifyError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v, want a VerifyError blaming %s %d", err, part, index)
	}
	if ve.Part != part || ve.Index != index || ve.Field != field {
		t.Errorf("error = %q (%s %d %q), want %s %d %q", err, ve.Part, ve.Index, ve.Field, part, index, field)
	}
}

// resign returns a checkpoint signed with the log's key over any root: what
// an insider holding the key could forge.
func resign(t *testing.T, size int64, root tlog.Hash) []byte {
	t.Helper()
	skey, _ := testKeys(t, testOrigin)
	s, _ := note.NewSigner(skey)
	cp, err := signCheckpoint(s, size, root)
	if err != nil {
		t.Fatal(err)
	}
	return cp.Note
}

// rewrittenLog is the test log with entry 2 changed, rebuilt and re-signed
// from scratch with the log's own key.
func rewrittenLog(t *testing.T, n int) *MemStore {
	l, m := newTestLog(t)
	for i := range n {
		e := testEntry(i)
		if i == 2 {
			e.Subject = "Decision 2, quietly changed"
		}
		if _, _, err := l.Append(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// The test log has 20 entries in batches of 1, 2, 3, 4, 1, 2, 3, 4, so
// checkpoints at sizes 1, 3, 6, 10, 11, 13, 16 and 20.
func TestVerifyDetects(t *testing.T) {
	l, m := newTestLog(t)
	appendN(t, l, 20)
	type rows struct {
		es    []Entry
		notes [][]byte
		hs    []tlog.Hash
	}
	for _, tt := range []struct {
		name  string
		edit  func(r *rows)
		part  string
		index int64
		field string
	}{
		{"row edited", func(r *rows) { r.es[7].Subject += " (amended)" }, PartEntry, 7, ""},
		{"row edited, no hashes, one-entry batch", func(r *rows) { r.es[10].Actor = "system"; r.hs = nil }, PartEntry, 10, ""},
		{"row edited, no hashes, larger batch", func(r *rows) { r.es[7].Actor = "system"; r.hs = nil }, PartCheckpoint, 10, ""},
		{"line break in a field", func(r *rows) { r.es[7].Subject = "Decision\n7" }, PartEntry, 7, "subject"},
		{"result reformatted", func(r *rows) { r.es[3].Result = json.RawMessage(`{"by":"chair", "accepted":[3,4]}`) }, PartEntry, 3, "result"},
		{"result changed", func(r *rows) { r.es[3].Result = json.RawMessage(`{"accepted":[3],"by":"chair"}`) }, PartEntry, 3, ""},
		{"time moved by a millisecond", func(r *rows) { r.es[4].Time = r.es[4].Time.Add(time.Millisecond) }, PartEntry, 4, ""},
		{"seed removed", func(r *rows) { r.es[12].Seed = "" }, PartEntry, 12, ""},
		{"index changed", func(r *rows) { r.es[5].Index = 6 }, PartEntry, 5, "index"},
		{"rows swapped", func(r *rows) { r.es[5], r.es[6] = r.es[6], r.es[5] }, PartEntry, 5, "index"},
		{"row deleted", func(r *rows) { r.es = slices.Delete(r.es, 5, 6) }, PartEntry, 5, "index"},
		{"last row deleted", func(r *rows) { r.es = r.es[:19] }, PartCheckpoint, 20, ""},
		{"stored leaf hash edited", func(r *rows) { r.hs[tlog.StoredHashIndex(0, 8)][0] ^= 1 }, PartHash, tlog.StoredHashIndex(0, 8), ""},
		{"stored inner hash edited", func(r *rows) { r.hs[tlog.StoredHashIndex(2, 1)][31] ^= 1 }, PartHash, tlog.StoredHashIndex(2, 1), ""},
		{"stored hash deleted", func(r *rows) { r.hs = r.hs[:len(r.hs)-1] }, PartHash, tlog.StoredHashCount(20) - 1, ""},
		{"checkpoint signature edited", func(r *rows) { r.notes[2][len(r.notes[2])-20] ^= 1 }, PartCheckpoint, 6, ""},
		{"checkpoint size edited", func(r *rows) { r.notes[2] = bytes.Replace(r.notes[2], []byte("\n6\n"), []byte("\n7\n"), 1) }, PartCheckpoint, 7, ""},
		{"checkpoint truncated", func(r *rows) { r.notes[2] = r.notes[2][:20] }, PartCheckpoint, -1, ""},
		{"checkpoint signed by another key", func(r *rows) {
			skey, _ := testKeys(t, "other.example.org/decisions")
			s, _ := note.NewSigner(skey)
			cp, _ := signCheckpoint(s, 6, tlog.Hash{})
			r.notes[2] = cp.Note
		}, PartCheckpoint, 6, ""},
		{"checkpoint forged with the log's key", func(r *rows) { r.notes[2] = resign(t, 6, tlog.Hash{1}) }, PartCheckpoint, 6, ""},
		{"history rewritten and re-signed, an old checkpoint kept", func(r *rows) {
			es, notes, hs := rewrittenLog(t, 20).rows()
			r.es, r.hs, r.notes = es, hs, [][]byte{r.notes[1], notes[len(notes)-1]}
		}, PartCheckpoint, 3, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var r rows
			r.es, r.notes, r.hs = m.rows()
			tt.edit(&r)
			_, err := Verify(l.Verifier(), r.es, r.notes, r.hs)
			checkVerifyError(t, err, tt.part, tt.index, tt.field)
		})
	}
	t.Run("untouched", func(t *testing.T) {
		es, notes, hs := m.rows()
		cp, err := Verify(l.Verifier(), es, notes, hs)
		if err != nil || cp.Size != 20 {
			t.Errorf("Verify = size %d, %v; want 20, nil", cp.Size, err)
		}
		// A checkpoint kept from an earlier visit can ride along.
		if _, err := Verify(l.Verifier(), es, append(notes, notes[3]), nil); err != nil {
			t.Errorf("Verify with a repeated checkpoint: %v", err)
		}
	})
}

func TestAuditStore(t *testing.T) {
	ctx := context.Background()
	l, m := newTestLog(t)
	appendN(t, l, 20)
	latest, err := Audit(ctx, m, l.Verifier(), nil)
	if err != nil || latest.Size != 20 {
		t.Fatalf("Audit = size %d, %v; want 20, nil", latest.Size, err)
	}

	t.Run("stored row edited", func(t *testing.T) {
		m := cloneStore(m)
		m.entries[7].Result = json.RawMessage(`{"accepted":[],"by":"chair"}`)
		_, err := Audit(ctx, m, l.Verifier(), nil)
		checkVerifyError(t, err, PartEntry, 7, "")
		if got, want := err.Error(), "entry 7: matches neither its stored leaf hash nor the checkpoint at size 10: the row was edited after it was logged"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
	})
	t.Run("row added outside the log", func(t *testing.T) {
		m := cloneStore(m)
		e := testEntry(20)
		e.Index = 20
		m.entries = append(m.entries, e)
		_, err := Audit(ctx, m, l.Verifier(), nil)
		checkVerifyError(t, err, PartEntry, 20, "")
	})
	t.Run("last batch removed", func(t *testing.T) {
		m := cloneStore(m)
		m.entries = m.entries[:16]
		m.hashes = m.hashes[:tlog.StoredHashCount(16)]
		m.checkpoints = m.checkpoints[:len(m.checkpoints)-1]
		// Invisible without memory of the past…
		if _, err := Audit(ctx, m, l.Verifier(), nil); err != nil {
			t.Errorf("Audit of a consistent shorter log: %v", err)
		}
		// …but not to whoever kept the last checkpoint.
		_, err := Audit(ctx, m, l.Verifier(), &latest)
		checkVerifyError(t, err, PartConsistency, 16, "")
	})
	t.Run("history rewritten", func(t *testing.T) {
		_, err := Audit(ctx, rewrittenLog(t, 20), l.Verifier(), &latest)
		checkVerifyError(t, err, PartConsistency, 20, "")
		if got, want := err.Error(), "checkpoint 20 → 20 not consistent: the first 20 entries are not the ones the trusted checkpoint signed: the log was rewritten"; got != want {
			t.Errorf("error = %q, want %q", got, want)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		_, vkey := testKeys(t, "other.example.org/decisions")
		v, _ := note.NewVerifier(vkey)
		_, err := Audit(ctx, m, v, nil)
		checkVerifyError(t, err, PartCheckpoint, 20, "")
	})
	t.Run("empty", func(t *testing.T) {
		if cp, err := Audit(ctx, &MemStore{}, l.Verifier(), nil); err != nil || cp.Size != 0 {
			t.Errorf("Audit(empty) = %+v, %v", cp, err)
		}
	})
}

func cloneStore(m *MemStore) *MemStore {
	es, _, hs := m.rows()
	m.mu.Lock()
	defer m.mu.Unlock()
	return &MemStore{entries: es, hashes: hs, checkpoints: slices.Clone(m.checkpoints)}
}

func TestClient(t *testing.T) {
	ctx := context.Background()
	l, m := newTestLog(t)
	appendN(t, l, 10)
	first, err := CheckLatest(ctx, m, l.Verifier(), nil)
	if err != nil || first.Size != 10 {
		t.Fatalf("CheckLatest = size %d, %v", first.Size, err)
	}
	appendN(t, l, 10) // the log grows: entries 10–19 repeat 0–9, which is fine
	latest, err := CheckLatest(ctx, m, l.Verifier(), &first)
	if err != nil || latest.Size != 20 {
		t.Fatalf("CheckLatest after growth = size %d, %v", latest.Size, err)
	}
	for i := range int64(20) {
		if _, err := CheckEntry(ctx, m, latest, i); err != nil {
			t.Errorf("CheckEntry(%d): %v", i, err)
		}
	}

	edited := cloneStore(m)
	edited.entries[4].Kind = "proposal.decision.reversed"
	_, err = CheckEntry(ctx, edited, latest, 4)
	checkVerifyError(t, err, PartEntry, 4, "")
	if _, err := CheckEntry(ctx, edited, latest, 5); err != nil {
		t.Errorf("CheckEntry(5) next to an edited row: %v", err)
	}

	deleted := cloneStore(m)
	deleted.entries = deleted.entries[:12]
	_, err = CheckEntry(ctx, deleted, latest, 15)
	checkVerifyError(t, err, PartEntry, 15, "")

	shrunk := cloneStore(m)
	shrunk.checkpoints = shrunk.checkpoints[:3]
	_, err = CheckLatest(ctx, shrunk, l.Verifier(), &latest)
	checkVerifyError(t, err, PartConsistency, 6, "")

	_, err = CheckLatest(ctx, rewrittenLog(t, 25), l.Verifier(), &latest)
	checkVerifyError(t, err, PartConsistency, 25, "")
}
