package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"concord"
	"concord/decisionlog"
)

// DecisionStore keeps the decision log's entries, stored hashes and signed
// checkpoints. It implements decisionlog.Store.
type DecisionStore struct{ DB *DB }

var _ decisionlog.Store = DecisionStore{}

// DecisionLog opens the instance's decision log, creating its key pair on
// first use. The pair is one setting, so servers starting together agree.
func (d *DB) DecisionLog(ctx context.Context) (*decisionlog.Log, error) {
	keys, err := d.SettingOrInit(ctx, "decisionlog.keys", func() (string, error) {
		id := make([]byte, 4)
		rand.Read(id)
		s, v, err := note.GenerateKey(rand.Reader, "concord-decisions-"+hex.EncodeToString(id))
		return s + "\n" + v, err
	})
	if err != nil {
		return nil, err
	}
	skey, vkey, _ := strings.Cut(keys, "\n")
	return decisionlog.New(DecisionStore{d}, skey, vkey)
}

// DecisionVerifierKey returns the published key, "" when the log has none yet.
func (d *DB) DecisionVerifierKey(ctx context.Context) (string, error) {
	keys, _, err := d.Setting(ctx, "decisionlog.keys")
	_, vkey, _ := strings.Cut(keys, "\n")
	return vkey, err
}

func (s DecisionStore) Append(ctx context.Context, next func(size int64, r tlog.HashReader) (*decisionlog.Batch, error)) error {
	return s.DB.tx(ctx, func(tx *sql.Tx) error {
		if s.DB.Dialect == Postgres {
			// SQLite's immediate transaction already holds the write lock.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7242001)`); err != nil {
				return err
			}
		}
		var size int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM decision_entries`).Scan(&size); err != nil {
			return err
		}
		b, err := next(size, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return readHashes(ctx, tx, idx) }))
		if err != nil {
			return err
		}
		for _, e := range b.Entries {
			if _, err := tx.ExecContext(ctx, `INSERT INTO decision_entries (idx, forum, kind, actor, at, subject, inputs_hash, seed, result)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, e.Index, e.Forum, e.Kind, e.Actor, e.Time.UnixMilli(),
				e.Subject, e.InputsHash, e.Seed, string(e.Result)); err != nil {
				return err
			}
		}
		for i, h := range b.Hashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO decision_hashes (idx, hash) VALUES ($1, $2)`, b.HashStart+int64(i), h[:]); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO decision_checkpoints (size, note) VALUES ($1, $2)`, b.Size, string(b.Checkpoint))
		return err
	})
}

func (s DecisionStore) Latest(ctx context.Context) ([]byte, error) {
	var n string
	err := s.DB.db.QueryRowContext(ctx, `SELECT note FROM decision_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&n)
	if noRows(err) {
		return nil, nil
	}
	return []byte(n), err
}

const entryColumns = `idx, forum, kind, actor, at, subject, inputs_hash, seed, result`

func scanEntries(rows *sql.Rows) ([]decisionlog.Entry, error) {
	defer rows.Close()
	var out []decisionlog.Entry
	for rows.Next() {
		var e decisionlog.Entry
		var at int64
		var result string
		if err := rows.Scan(&e.Index, &e.Forum, &e.Kind, &e.Actor, &at, &e.Subject, &e.InputsHash, &e.Seed, &result); err != nil {
			return nil, err
		}
		e.Time, e.Result = fromMS(at), []byte(result)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s DecisionStore) ReadEntries(ctx context.Context, start, end int64) ([]decisionlog.Entry, error) {
	rows, err := s.DB.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM decision_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, start, end)
	if err != nil {
		return nil, err
	}
	return scanEntries(rows)
}

func (s DecisionStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, s.DB.db, indexes)
}

// readHashes fetches the span the indexes cover in one range query; tlog asks
// for near-consecutive indexes.
func readHashes(ctx context.Context, q queryer, indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	lo, hi := slices.Min(indexes), slices.Max(indexes)
	rows, err := q.QueryContext(ctx, `SELECT idx, hash FROM decision_hashes WHERE idx >= $1 AND idx <= $2`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[int64]tlog.Hash{}
	for rows.Next() {
		var i int64
		var b []byte
		if err := rows.Scan(&i, &b); err != nil {
			return nil, err
		}
		var h tlog.Hash
		if len(b) != len(h) {
			return nil, fmt.Errorf("decision log: stored hash %d has %d bytes", i, len(b))
		}
		copy(h[:], b)
		got[i] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(indexes))
	for k, i := range indexes {
		h, ok := got[i]
		if !ok {
			return nil, concord.Errorf(concord.ENOTFOUND, "Stored hash %d of the decision log is missing.", i)
		}
		out[k] = h
	}
	return out, nil
}

func (s DecisionStore) ReadCheckpoints(ctx context.Context, minSize int64, limit int) ([][]byte, error) {
	rows, err := s.DB.db.QueryContext(ctx, `SELECT note FROM decision_checkpoints WHERE size >= $1 ORDER BY size LIMIT $2`, minSize, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, []byte(n))
	}
	return out, rows.Err()
}

// Decisions lists entries newest first; forum "" lists every forum's.
func (d *DB) Decisions(ctx context.Context, forum string, offset, limit int) ([]decisionlog.Entry, int, error) {
	where, args := "", []any{}
	if forum != "" {
		where, args = ` WHERE forum = $1`, append(args, forum)
	}
	var total int
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM decision_entries`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args = append(args, limit, offset)
	rows, err := d.db.QueryContext(ctx, `SELECT `+entryColumns+` FROM decision_entries`+where+
		fmt.Sprintf(` ORDER BY idx DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	es, err := scanEntries(rows)
	return es, total, err
}

// Decision finds one entry by index.
func (d *DB) Decision(ctx context.Context, index int64) (*decisionlog.Entry, error) {
	es, err := DecisionStore{d}.ReadEntries(ctx, index, index+1)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, notFound("decision", index)
	}
	return &es[0], nil
}

// DecisionSource is the log's store seen read-only, for pages and verification.
func (d *DB) DecisionSource() decisionlog.Source { return DecisionStore{d} }
