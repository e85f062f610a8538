package decisionlog

import (
	"context"
	"errors"
	"fmt"

	"concord"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Log appends decisions to a Store and signs a checkpoint for every batch.
// It holds no state of its own; the store serialises appends.
type Log struct {
	store    Store
	signer   note.Signer
	verifier note.Verifier
	vkey     string
}

// New returns a log over store that signs with skey and publishes vkey, a key
// pair from note.GenerateKey. The key's name is the log's origin, e.g.
// "forum.example.org/decisions".
func New(store Store, skey, vkey string) (*Log, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("decision log signing key: %v", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("decision log verifier key: %v", err)
	}
	// A mismatched pair would sign checkpoints nobody can check.
	msg, err := note.Sign(&note.Note{Text: "key check\n"}, s)
	if err != nil {
		return nil, err
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		return nil, errors.New("decision log keys: the verifier key does not match the signing key")
	}
	return &Log{store: store, signer: s, verifier: v, vkey: vkey}, nil
}

// VerifierKey returns the public key that checks the log's checkpoints; the
// public page shows it so that anyone can run the verification.
func (l *Log) VerifierKey() string { return l.vkey }

// Verifier returns the log's verifier.
func (l *Log) Verifier() note.Verifier { return l.verifier }

// Append logs one decision and returns it with its index set, normalised as
// Validate does, and the signed checkpoint that includes it.
func (l *Log) Append(ctx context.Context, e Entry) (Entry, Checkpoint, error) {
	es, cp, err := l.AppendBatch(ctx, []Entry{e})
	if err != nil {
		return Entry{}, Checkpoint{}, err
	}
	return es[0], cp, nil
}

// AppendBatch logs several decisions at once (say, every proposal decision of
// a call) under one checkpoint. Invalid entries are a concord EINVALID error
// naming the field, as entries[i].field.
func (l *Log) AppendBatch(ctx context.Context, entries []Entry) ([]Entry, Checkpoint, error) {
	if len(entries) == 0 {
		return nil, Checkpoint{}, concord.FieldError("entries", "none to append")
	}
	es := make([]Entry, len(entries))
	var ps []*concord.Error
	for i, e := range entries {
		e.Result = append([]byte(nil), e.Result...)
		err := e.Validate()
		for _, p := range concord.Problems(err) {
			if len(entries) > 1 {
				p.Field = fmt.Sprintf("entries[%d].%s", i, p.Field)
			}
			ps = append(ps, p)
		}
		es[i] = e
	}
	if err := concord.Invalid(ps); err != nil {
		return nil, Checkpoint{}, err
	}
	var cp Checkpoint
	err := l.store.Append(ctx, func(size int64, r tlog.HashReader) (*Batch, error) {
		b, err := l.batch(size, r, es)
		if err != nil {
			return nil, err
		}
		cp, err = parseCheckpoint(b.Checkpoint)
		return b, err
	})
	if err != nil {
		return nil, Checkpoint{}, err
	}
	return es, cp, nil
}

// batch computes the rows that append es to a log of size entries.
func (l *Log) batch(size int64, r tlog.HashReader, es []Entry) (*Batch, error) {
	b := &Batch{HashStart: tlog.StoredHashCount(size), Size: size + int64(len(es)), Entries: es}
	// Hashes written earlier in this batch are not in the store yet.
	rr := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return overlay(indexes, b.HashStart, b.Hashes, r.ReadHashes)
	})
	for i := range es {
		es[i].Index = size + int64(i)
		data, err := es[i].Encode()
		if err != nil {
			return nil, err
		}
		hs, err := tlog.StoredHashes(es[i].Index, data, rr)
		if err != nil {
			return nil, err
		}
		b.Hashes = append(b.Hashes, hs...)
	}
	root, err := tlog.TreeHash(b.Size, rr)
	if err != nil {
		return nil, err
	}
	cp, err := signCheckpoint(l.signer, b.Size, root)
	if err != nil {
		return nil, err
	}
	b.Checkpoint = cp.Note
	return b, nil
}

// overlay reads indexes below start with read and the rest from extra,
// which holds the hashes from index start on.
func overlay(indexes []int64, start int64, extra []tlog.Hash, read func([]int64) ([]tlog.Hash, error)) ([]tlog.Hash, error) {
	var old []int64
	for _, x := range indexes {
		if x < start {
			old = append(old, x)
		}
	}
	var got []tlog.Hash
	if len(old) > 0 {
		var err error
		if got, err = read(old); err != nil {
			return nil, err
		}
		if len(got) != len(old) {
			return nil, fmt.Errorf("decision log: read %d stored hashes, want %d", len(got), len(old))
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		switch {
		case x < start:
			out[i], got = got[0], got[1:]
		case x-start < int64(len(extra)):
			out[i] = extra[x-start]
		default:
			return nil, fmt.Errorf("decision log: stored hash %d does not exist yet", x)
		}
	}
	return out, nil
}

// Latest returns the newest checkpoint, checked against the log's key. An
// empty log gets a checkpoint of size 0, signed on the spot.
func (l *Log) Latest(ctx context.Context) (Checkpoint, error) {
	msg, err := l.store.Latest(ctx)
	if err != nil {
		return Checkpoint{}, err
	}
	if msg == nil {
		return signCheckpoint(l.signer, 0, emptyCheckpoint(l.signer.Name()).Hash)
	}
	cp, err := OpenCheckpoint(msg, l.verifier)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("decision log: latest checkpoint: %v", err)
	}
	return cp, nil
}

// InclusionProof proves that entry index is in the tree of size entries;
// check it with CheckInclusion.
func (l *Log) InclusionProof(ctx context.Context, index, size int64) (tlog.RecordProof, error) {
	return tlog.ProveRecord(size, index, hashReader(ctx, l.store))
}

// ConsistencyProof proves that the tree of newSize entries extends the tree
// of oldSize entries; check it with CheckConsistency.
func (l *Log) ConsistencyProof(ctx context.Context, oldSize, newSize int64) (tlog.TreeProof, error) {
	return tlog.ProveTree(newSize, oldSize, hashReader(ctx, l.store))
}

func hashReader(ctx context.Context, src Source) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := src.ReadHashes(ctx, indexes)
		if err == nil && len(hs) != len(indexes) {
			err = fmt.Errorf("decision log: read %d stored hashes, want %d", len(hs), len(indexes))
		}
		return hs, err
	})
}
