package decisionlog

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"pgregory.net/rapid"
)

func genEntry() *rapid.Generator[Entry] {
	return rapid.Custom(func(t *rapid.T) Entry {
		result, _ := json.Marshal(rapid.MapOf(
			rapid.StringMatching(`[a-z<&>]{1,5}`),
			rapid.OneOf(rapid.Int().AsAny(), rapid.String().AsAny(), rapid.SliceOf(rapid.Bool()).AsAny()),
		).Draw(t, "result"))
		return Entry{
			Forum:      rapid.StringMatching(`[a-z0-9]{1,10}(-[a-z0-9]{1,10})?`).Draw(t, "forum"),
			Kind:       rapid.StringMatching(`[a-z]{1,8}(\.[a-z]{1,8}){0,2}`).Draw(t, "kind"),
			Actor:      rapid.OneOf(rapid.Just("system"), rapid.StringMatching(`(account|person):[0-9]{1,5}`)).Draw(t, "actor"),
			Time:       time.UnixMilli(rapid.Int64Range(0, 1<<42).Draw(t, "ms")),
			Subject:    rapid.StringMatching(`[A-Za-zé0-9]([A-Za-zé0-9 ,.:—]{0,30}[A-Za-z0-9])?`).Draw(t, "subject"),
			InputsHash: hex.EncodeToString(rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "inputs")),
			Seed:       rapid.OneOf(rapid.Just(""), rapid.StringMatching(`[0-9a-f]{1,16}`)).Draw(t, "seed"),
			Result:     result,
		}
	})
}

var entryFields = []string{"index", "forum", "kind", "actor", "time", "subject", "inputs_hash", "seed", "result"}

// changeField changes one field of e, to another valid value or an invalid one.
func changeField(t *rapid.T, e *Entry, field string, valid bool) {
	switch field {
	case "index":
		e.Index++ // never valid: the index is the row's place
	case "forum":
		e.Forum = map[bool]string{true: e.Forum + "-x", false: "Forum " + e.Forum}[valid]
	case "kind":
		e.Kind = map[bool]string{true: e.Kind + ".x", false: e.Kind + "."}[valid]
	case "actor":
		e.Actor = map[bool]string{true: e.Actor + "x", false: e.Actor + "\n"}[valid]
	case "time":
		if valid {
			e.Time = e.Time.Add(time.Duration(rapid.Int64Range(1, 1e9).Draw(t, "ms")) * time.Millisecond)
		} else {
			e.Time = e.Time.Add(time.Microsecond)
		}
	case "subject":
		e.Subject = map[bool]string{true: e.Subject + "x", false: " " + e.Subject}[valid]
	case "inputs_hash":
		if valid {
			i := rapid.IntRange(0, 63).Draw(t, "digit")
			d := "0123456789abcdef"
			c := d[(strings.IndexByte(d, e.InputsHash[i])+rapid.IntRange(1, 15).Draw(t, "by"))%16]
			e.InputsHash = e.InputsHash[:i] + string(c) + e.InputsHash[i+1:]
		} else {
			e.InputsHash = e.InputsHash[:63]
		}
	case "seed":
		e.Seed = map[bool]string{true: e.Seed + "1", false: e.Seed + "\t1"}[valid]
	case "result":
		if valid {
			e.Result = json.RawMessage(`{"was":` + string(e.Result) + `}`)
		} else {
			e.Result = json.RawMessage(`[` + string(e.Result) + ` ]`)
		}
	}
}

// Any single edit to a logged row, stored hash or checkpoint fails
// verification, blaming what was edited; an untouched log passes.
func TestVerifyProperty(t *testing.T) {
	skey, vkey := testKeys(t, testOrigin)
	v, _ := note.NewVerifier(vkey)
	rapid.Check(t, func(t *rapid.T) {
		m := &MemStore{}
		l, err := New(m, skey, vkey)
		if err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(1, 30).Draw(t, "entries")
		var ends []int64 // checkpoint sizes
		for len(ends) == 0 || ends[len(ends)-1] < int64(n) {
			size := int64(0)
			if len(ends) > 0 {
				size = ends[len(ends)-1]
			}
			k := rapid.IntRange(1, min(4, n-int(size))).Draw(t, "batch")
			es := rapid.SliceOfN(genEntry(), k, k).Draw(t, "batch entries")
			if _, _, err := l.AppendBatch(context.Background(), es); err != nil {
				t.Fatal(err)
			}
			ends = append(ends, size+int64(k))
		}
		es, notes, hs := m.rows()
		if cp, err := Verify(v, es, notes, hs); err != nil || cp.Size != int64(n) {
			t.Fatalf("untouched log: Verify = size %d, %v", cp.Size, err)
		}
		withHashes := rapid.Bool().Draw(t, "with hashes")

		// blamed is what Verify blames when entry i does not match the
		// checkpoints and nothing else tells which row changed.
		blamed := func(i int64) (string, int64) {
			j, _ := slices.BinarySearch(ends, i+1) // the first checkpoint covering entry i
			start := int64(0)
			if j > 0 {
				start = ends[j-1]
			}
			if ends[j]-start == 1 {
				return PartEntry, i
			}
			return PartCheckpoint, ends[j]
		}
		want := func(part string, index int64, field string) {
			if !withHashes {
				hs = nil
			}
			_, err := Verify(v, es, notes, hs)
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify = %v, want a VerifyError blaming %s %d", err, part, index)
			}
			if ve.Part != part || (index != -2 && ve.Index != index) || ve.Field != field {
				t.Fatalf("Verify = %q (%s %d %q), want %s %d %q", err, ve.Part, ve.Index, ve.Field, part, index, field)
			}
		}

		switch rapid.SampledFrom([]string{"field", "invalid field", "hash", "checkpoint", "forged checkpoint", "last row deleted", "row deleted"}).Draw(t, "tamper") {
		case "field":
			i := rapid.Int64Range(0, int64(n-1)).Draw(t, "entry")
			f := rapid.SampledFrom(entryFields[1:]).Draw(t, "field")
			changeField(t, &es[i], f, true)
			if withHashes {
				want(PartEntry, i, "")
			} else {
				part, index := blamed(i)
				want(part, index, "")
			}
		case "invalid field":
			i := rapid.Int64Range(0, int64(n-1)).Draw(t, "entry")
			f := rapid.SampledFrom(entryFields).Draw(t, "field")
			changeField(t, &es[i], f, false)
			want(PartEntry, i, f)
		case "hash":
			withHashes = true
			k := rapid.IntRange(0, len(hs)-1).Draw(t, "hash")
			hs[k][rapid.IntRange(0, 31).Draw(t, "byte")] ^= 1 << rapid.IntRange(0, 7).Draw(t, "bit")
			want(PartHash, int64(k), "")
		case "checkpoint":
			j := rapid.IntRange(0, len(notes)-1).Draw(t, "checkpoint")
			text := bytes.Index(notes[j], []byte("\n\n"))
			notes[j][rapid.IntRange(0, text-1).Draw(t, "byte")] ^= 1
			want(PartCheckpoint, -2, "")
		case "forged checkpoint":
			j := rapid.IntRange(0, len(notes)-1).Draw(t, "checkpoint")
			s, _ := note.NewSigner(skey)
			cp, _ := signCheckpoint(s, ends[j], tlog.Hash{byte(j + 1)})
			notes[j] = cp.Note
			if withHashes {
				want(PartCheckpoint, ends[j], "")
			} else {
				part, index := blamed(ends[j] - 1)
				want(part, index, "")
			}
		case "last row deleted":
			es = es[:n-1]
			want(PartCheckpoint, int64(n), "")
		case "row deleted":
			if n < 2 {
				t.Skip("one row")
			}
			i := rapid.IntRange(0, n-2).Draw(t, "entry")
			es = slices.Delete(es, i, i+1)
			want(PartEntry, int64(i), "index")
		}
	})
}
