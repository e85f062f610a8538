package decisionlog

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// What a VerifyError blames.
const (
	PartEntry       = "entry"       // Index is the entry's index
	PartHash        = "hash"        // Index is the stored-hash index
	PartCheckpoint  = "checkpoint"  // Index is the checkpoint's size, -1 if unreadable
	PartConsistency = "consistency" // Old is the trusted size, Index the newer one
)

// VerifyError is evidence that a log is not what was signed: a row, a stored
// hash or a checkpoint was edited, added or deleted. Failures to read a Source
// are other errors.
type VerifyError struct {
	Part   string
	Index  int64
	Old    int64
	Field  string // for PartEntry: the field at fault, when it is known
	Reason string
}

func (e *VerifyError) Error() string {
	switch {
	case e.Part == PartEntry && e.Field != "":
		return fmt.Sprintf("entry %d: %s: %s", e.Index, e.Field, e.Reason)
	case e.Part == PartEntry:
		return fmt.Sprintf("entry %d: %s", e.Index, e.Reason)
	case e.Part == PartHash:
		return fmt.Sprintf("stored hash %d: %s", e.Index, e.Reason)
	case e.Part == PartCheckpoint && e.Index < 0:
		return "checkpoint: " + e.Reason
	case e.Part == PartCheckpoint:
		return fmt.Sprintf("checkpoint at size %d: %s", e.Index, e.Reason)
	}
	return fmt.Sprintf("checkpoint %d → %d not consistent: %s", e.Old, e.Index, e.Reason)
}

const edited = "the row was edited after it was logged"

// Verify checks a whole log from its rows: it recomputes every entry's leaf
// and the tree, checks each checkpoint's signature and that its root is the
// tree of that many entries (which makes successive checkpoints consistent),
// and, if hashes is not nil, that the stored hashes (hashes[i] at stored-hash
// index i) are the recomputed ones. entries must be the log from index 0 in
// order; checkpoints may be any signed checkpoints of the log, in any order,
// including one kept from an earlier visit.
//
// It returns the largest checkpoint, or an unsigned one of size 0 if none
// was given, and a *VerifyError naming the first fault found.
func Verify(v note.Verifier, entries []Entry, checkpoints [][]byte, hashes []tlog.Hash) (Checkpoint, error) {
	return verify(v, entries, checkpoints, hashes, nil)
}

func verify(v note.Verifier, entries []Entry, notes [][]byte, hashes []tlog.Hash, trusted *Checkpoint) (Checkpoint, error) {
	cps := make([]Checkpoint, 0, len(notes))
	for i, msg := range notes {
		c, err := parseCheckpoint(msg)
		if err != nil {
			return Checkpoint{}, &VerifyError{Part: PartCheckpoint, Index: -1, Reason: fmt.Sprintf("number %d of %d: %v", i+1, len(notes), err)}
		}
		cps = append(cps, c)
	}
	slices.SortStableFunc(cps, func(a, b Checkpoint) int { return cmp.Compare(a.Size, b.Size) })
	for _, c := range cps {
		if _, err := OpenCheckpoint(c.Note, v); err != nil {
			return Checkpoint{}, &VerifyError{Part: PartCheckpoint, Index: c.Size, Reason: err.Error()}
		}
	}

	// Rebuild the tree from the rows alone.
	n := int64(len(entries))
	hs := make([]tlog.Hash, 0, tlog.StoredHashCount(n))
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = hs[x] // tlog only asks for hashes already computed
		}
		return out, nil
	})
	for i := range entries {
		e := &entries[i]
		if e.Index != int64(i) {
			return Checkpoint{}, &VerifyError{Part: PartEntry, Index: int64(i), Field: "index",
				Reason: fmt.Sprintf("the row in this place has index %d: rows are missing, duplicated or out of order", e.Index)}
		}
		data, err := e.Encode()
		if err != nil {
			var fe *fieldError
			errors.As(err, &fe)
			return Checkpoint{}, &VerifyError{Part: PartEntry, Index: e.Index, Field: fe.Field, Reason: fe.Problem + ": " + edited}
		}
		h, err := tlog.StoredHashes(e.Index, data, r)
		if err != nil {
			return Checkpoint{}, err
		}
		hs = append(hs, h...)
	}
	root := func(size int64) tlog.Hash {
		h, _ := tlog.TreeHash(size, r) // r cannot fail
		return h
	}

	latest := emptyCheckpoint(v.Name())
	var good int64 // entries [0, good) match a signed checkpoint
	for _, c := range cps {
		if c.Size > n {
			return Checkpoint{}, &VerifyError{Part: PartCheckpoint, Index: c.Size,
				Reason: fmt.Sprintf("the log has only %d entries: entries were deleted", n)}
		}
		if root(c.Size) != c.Hash {
			return Checkpoint{}, blame(c, good, hs, hashes)
		}
		good, latest = c.Size, c
	}
	if trusted != nil {
		switch {
		case trusted.Origin != v.Name():
			return Checkpoint{}, &VerifyError{Part: PartConsistency, Old: trusted.Size, Index: n,
				Reason: fmt.Sprintf("the trusted checkpoint is of another log, %q", trusted.Origin)}
		case trusted.Size > n:
			return Checkpoint{}, &VerifyError{Part: PartConsistency, Old: trusted.Size, Index: n,
				Reason: "the log has fewer entries than the trusted checkpoint: entries were deleted"}
		case root(trusted.Size) != trusted.Hash:
			return Checkpoint{}, &VerifyError{Part: PartConsistency, Old: trusted.Size, Index: n,
				Reason: fmt.Sprintf("the first %d entries are not the ones the trusted checkpoint signed: the log was rewritten", trusted.Size)}
		}
	}

	if hashes == nil {
		return latest, nil
	}
	for k := range min(len(hashes), len(hs)) {
		if hashes[k] == hs[k] {
			continue
		}
		level, m := tlog.SplitStoredHashIndex(int64(k))
		if level == 0 && m >= good {
			// No signature vouches for the row, so it may be the row that changed.
			return Checkpoint{}, &VerifyError{Part: PartEntry, Index: m, Reason: "leaf hash does not match the stored tree: " + edited}
		}
		return Checkpoint{}, &VerifyError{Part: PartHash, Index: int64(k),
			Reason: fmt.Sprintf("does not match the tree recomputed from the signed entries (level %d, node %d): the stored tree was edited", level, m)}
	}
	if len(hashes) != len(hs) {
		return Checkpoint{}, &VerifyError{Part: PartHash, Index: int64(min(len(hashes), len(hs))),
			Reason: fmt.Sprintf("%d stored hashes, want %d for %d entries: hashes were added or deleted", len(hashes), len(hs), n)}
	}
	return latest, nil
}

// blame explains a checkpoint whose root is not the tree of its entries,
// when entries [0, good) matched a smaller checkpoint: it names the entry if
// it can tell which one changed.
func blame(c Checkpoint, good int64, hs, stored []tlog.Hash) *VerifyError {
	if good == c.Size {
		return &VerifyError{Part: PartCheckpoint, Index: c.Size,
			Reason: "root hash differs from another checkpoint of the same size: the log was forked"}
	}
	if stored != nil {
		for j := good; j < c.Size; j++ {
			k := tlog.StoredHashIndex(0, j)
			if k < int64(len(stored)) && stored[k] != hs[k] {
				return &VerifyError{Part: PartEntry, Index: j,
					Reason: fmt.Sprintf("matches neither its stored leaf hash nor the checkpoint at size %d: %s", c.Size, edited)}
			}
		}
		return &VerifyError{Part: PartCheckpoint, Index: c.Size,
			Reason: fmt.Sprintf("root hash is not the tree of entries %d–%d, which match their stored hashes: the checkpoint signed another tree, or rows and hashes were rewritten together", good, c.Size-1)}
	}
	if c.Size-good == 1 {
		return &VerifyError{Part: PartEntry, Index: good,
			Reason: fmt.Sprintf("does not match the signed checkpoint at size %d: %s", c.Size, edited)}
	}
	return &VerifyError{Part: PartCheckpoint, Index: c.Size,
		Reason: fmt.Sprintf("root hash is not the tree of entries 0–%d: one of entries %d–%d was edited after it was signed", c.Size-1, good, c.Size-1)}
}

// auditPage is how many entries, checkpoints or hashes Audit asks for at once.
const auditPage = 1000

// Audit reads a whole log from src, up to its latest checkpoint, and runs
// Verify over it; given a checkpoint the caller trusted earlier, it also
// proves the log still extends it. It holds the whole log in memory, a few
// hundred bytes per entry besides the entries themselves. A *VerifyError
// means tampering; other errors mean src could not be read.
func Audit(ctx context.Context, src Source, v note.Verifier, trusted *Checkpoint) (Checkpoint, error) {
	latest, err := latestCheckpoint(ctx, src, v)
	if err != nil {
		return Checkpoint{}, err
	}
	n := latest.Size
	var entries []Entry
	for start := int64(0); start < n; start += auditPage {
		end := min(n, start+auditPage)
		es, err := src.ReadEntries(ctx, start, end)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("reading entries %d–%d: %w", start, end-1, err)
		}
		entries = append(entries, es...)
		if int64(len(es)) < end-start {
			break // Verify reports the missing rows
		}
	}

	notes := [][]byte{}
	if latest.Note != nil {
		notes = append(notes, latest.Note)
	}
	for minSize := int64(0); minSize <= n; {
		page, err := src.ReadCheckpoints(ctx, minSize, auditPage)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("reading checkpoints from size %d: %w", minSize, err)
		}
		next := minSize
		for _, msg := range page {
			c, err := parseCheckpoint(msg)
			if err == nil && c.Size > n {
				continue // appended after Latest was read
			}
			notes = append(notes, msg)
			if err == nil && c.Size >= next {
				next = c.Size + 1
			}
		}
		if len(page) < auditPage || next == minSize {
			break
		}
		minSize = next
	}

	count := tlog.StoredHashCount(n)
	hashes := make([]tlog.Hash, 0, count)
	for k := int64(0); k < count; k += auditPage {
		idx := make([]int64, 0, auditPage)
		for x := k; x < min(count, k+auditPage); x++ {
			idx = append(idx, x)
		}
		hs, err := src.ReadHashes(ctx, idx)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("reading stored hashes %d–%d: %w", k, k+int64(len(idx))-1, err)
		}
		if len(hs) != len(idx) {
			return Checkpoint{}, fmt.Errorf("reading stored hashes %d–%d: got %d", k, k+int64(len(idx))-1, len(hs))
		}
		hashes = append(hashes, hs...)
	}

	if _, err := verify(v, entries, notes, hashes, trusted); err != nil {
		return Checkpoint{}, err
	}

	// A row past the latest checkpoint was never logged, unless an append
	// has just signed a newer checkpoint.
	more, err := src.ReadEntries(ctx, n, n+1)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("reading entry %d: %w", n, err)
	}
	if len(more) > 0 {
		now, err := latestCheckpoint(ctx, src, v)
		if err != nil {
			return Checkpoint{}, err
		}
		if now.Size <= n {
			return Checkpoint{}, &VerifyError{Part: PartEntry, Index: n,
				Reason: fmt.Sprintf("is past the latest signed checkpoint (size %d): the row was added outside the log", n)}
		}
	}
	return latest, nil
}

// latestCheckpoint reads and opens src's latest checkpoint.
func latestCheckpoint(ctx context.Context, src Source, v note.Verifier) (Checkpoint, error) {
	msg, err := src.Latest(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("reading the latest checkpoint: %w", err)
	}
	if msg == nil {
		return emptyCheckpoint(v.Name()), nil
	}
	if _, err := parseCheckpoint(msg); err != nil {
		return Checkpoint{}, &VerifyError{Part: PartCheckpoint, Index: -1, Reason: "latest: " + err.Error()}
	}
	c, err := OpenCheckpoint(msg, v)
	if err != nil {
		return Checkpoint{}, &VerifyError{Part: PartCheckpoint, Index: c.Size, Reason: err.Error()}
	}
	return c, nil
}

// CheckLatest is the light client's first step: it reads src's latest
// checkpoint, checks its signature and, given a checkpoint the caller trusted
// earlier, fetches and checks a proof that the log only grew since. The
// result is the checkpoint to trust next time.
func CheckLatest(ctx context.Context, src Source, v note.Verifier, trusted *Checkpoint) (Checkpoint, error) {
	latest, err := latestCheckpoint(ctx, src, v)
	if err != nil || trusted == nil {
		return latest, err
	}
	var p tlog.TreeProof
	if trusted.Size > 0 && trusted.Size <= latest.Size {
		if p, err = tlog.ProveTree(latest.Size, trusted.Size, hashReader(ctx, src)); err != nil {
			return Checkpoint{}, fmt.Errorf("reading the consistency proof %d → %d: %w", trusted.Size, latest.Size, err)
		}
	}
	if err := CheckConsistency(*trusted, latest, p); err != nil {
		return Checkpoint{}, err
	}
	return latest, nil
}

// CheckEntry reads entry index from src and proves it is in the tree signed
// by cp (from CheckLatest), fetching the proof's hashes from src.
func CheckEntry(ctx context.Context, src Source, cp Checkpoint, index int64) (Entry, error) {
	if index < 0 || index >= cp.Size {
		return Entry{}, fmt.Errorf("entry %d is not in a log of %d entries", index, cp.Size)
	}
	es, err := src.ReadEntries(ctx, index, index+1)
	if err != nil {
		return Entry{}, fmt.Errorf("reading entry %d: %w", index, err)
	}
	if len(es) == 0 {
		return Entry{}, &VerifyError{Part: PartEntry, Index: index,
			Reason: fmt.Sprintf("is missing, yet the checkpoint at size %d includes it: the row was deleted", cp.Size)}
	}
	p, err := tlog.ProveRecord(cp.Size, index, hashReader(ctx, src))
	if err != nil {
		return Entry{}, fmt.Errorf("reading the inclusion proof of entry %d: %w", index, err)
	}
	if es[0].Index != index {
		return Entry{}, &VerifyError{Part: PartEntry, Index: index, Field: "index",
			Reason: fmt.Sprintf("the row read has index %d", es[0].Index)}
	}
	if err := CheckInclusion(cp, es[0], p); err != nil {
		return Entry{}, err
	}
	return es[0], nil
}

// CheckInclusion checks p, from Log.InclusionProof, proving that e is in the
// tree signed by cp.
func CheckInclusion(cp Checkpoint, e Entry, p tlog.RecordProof) error {
	if e.Index < 0 || e.Index >= cp.Size {
		return &VerifyError{Part: PartEntry, Index: e.Index, Field: "index",
			Reason: fmt.Sprintf("is not in a log of %d entries", cp.Size)}
	}
	leaf, err := e.LeafHash()
	if err != nil {
		var fe *fieldError
		errors.As(err, &fe)
		return &VerifyError{Part: PartEntry, Index: e.Index, Field: fe.Field, Reason: fe.Problem + ": " + edited}
	}
	if tlog.CheckRecord(p, cp.Size, cp.Hash, e.Index, leaf) != nil {
		return &VerifyError{Part: PartEntry, Index: e.Index,
			Reason: fmt.Sprintf("is not in the tree signed at size %d: %s", cp.Size, edited)}
	}
	return nil
}

// CheckConsistency checks p, from Log.ConsistencyProof, proving that the log
// signed in newer extends the log signed in older. Both checkpoints must have
// been opened with OpenCheckpoint.
func CheckConsistency(older, newer Checkpoint, p tlog.TreeProof) error {
	fail := func(reason string) error {
		return &VerifyError{Part: PartConsistency, Old: older.Size, Index: newer.Size, Reason: reason}
	}
	switch {
	case older.Origin != newer.Origin:
		return fail(fmt.Sprintf("checkpoints of two logs, %q and %q", older.Origin, newer.Origin))
	case older.Size > newer.Size:
		return fail("the log shrank: entries were deleted")
	case older.Size == 0:
		return nil
	case tlog.CheckTree(p, newer.Size, newer.Hash, older.Size, older.Hash) != nil:
		return fail("the newer tree does not extend the older one: the log was rewritten")
	}
	return nil
}
