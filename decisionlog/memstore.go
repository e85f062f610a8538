package decisionlog

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// MemStore is a Store in memory, for tests and demos. Its zero value is an
// empty log.
type MemStore struct {
	mu          sync.Mutex // the append lock; readers take it too
	entries     []Entry
	hashes      []tlog.Hash
	checkpoints []memCheckpoint // in increasing size
}

type memCheckpoint struct {
	size int64
	note []byte
}

var _ Store = (*MemStore)(nil)

// Append implements Store.
func (m *MemStore) Append(ctx context.Context, next func(size int64, r tlog.HashReader) (*Batch, error)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	size := int64(len(m.entries))
	b, err := next(size, tlog.HashReaderFunc(m.readHashes))
	if err != nil {
		return err
	}
	// Stand-ins for the SQL store's primary keys.
	if b.HashStart != int64(len(m.hashes)) || b.Size != size+int64(len(b.Entries)) {
		return fmt.Errorf("decision log: batch does not start at the end of the log")
	}
	for i, e := range b.Entries {
		if e.Index != size+int64(i) {
			return fmt.Errorf("decision log: entry %d already exists", e.Index)
		}
	}
	for _, e := range b.Entries {
		e.Result = slices.Clone(e.Result)
		m.entries = append(m.entries, e)
	}
	m.hashes = append(m.hashes, b.Hashes...)
	m.checkpoints = append(m.checkpoints, memCheckpoint{b.Size, slices.Clone(b.Checkpoint)})
	return nil
}

// Latest implements Source.
func (m *MemStore) Latest(ctx context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.checkpoints) == 0 {
		return nil, nil
	}
	return slices.Clone(m.checkpoints[len(m.checkpoints)-1].note), nil
}

// ReadEntries implements Source.
func (m *MemStore) ReadEntries(ctx context.Context, start, end int64) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	start, end = max(start, 0), min(end, int64(len(m.entries)))
	var out []Entry
	for i := start; i < end; i++ {
		e := m.entries[i]
		e.Result = slices.Clone(e.Result)
		out = append(out, e)
	}
	return out, nil
}

// ReadHashes implements Source.
func (m *MemStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.readHashes(indexes)
}

func (m *MemStore) readHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("decision log: no stored hash %d", x)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// ReadCheckpoints implements Source.
func (m *MemStore) ReadCheckpoints(ctx context.Context, minSize int64, limit int) ([][]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out [][]byte
	for _, c := range m.checkpoints {
		if c.size >= minSize && len(out) < limit {
			out = append(out, slices.Clone(c.note))
		}
	}
	return out, nil
}
