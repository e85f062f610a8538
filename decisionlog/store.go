package decisionlog

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"
)

// Source is a read-only view of a log: a database, or a server reached over
// HTTP. Verification trusts nothing a Source returns; it only needs the reads
// to be complete.
type Source interface {
	// Latest returns the signed checkpoint with the largest size, byte for
	// byte as written, or nil and no error for a log with no entries.
	Latest(ctx context.Context) ([]byte, error)

	// ReadEntries returns the entries with start <= Index < end, in index
	// order and without gaps. It returns fewer only when the log ends before
	// end. Every field must come back exactly as appended: text byte for
	// byte, Result byte for byte (store it as text, never as jsonb, which
	// reorders and reformats), Time to the millisecond in any location.
	ReadEntries(ctx context.Context, start, end int64) ([]Entry, error)

	// ReadHashes returns the stored hashes at the given stored-hash indexes,
	// in the order asked, and an error if any is missing. Lists can be long
	// (verification asks for up to 1000 indexes at a time); the indexes are
	// then usually consecutive.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// ReadCheckpoints returns up to limit signed checkpoints of size >=
	// minSize, in increasing size.
	ReadCheckpoints(ctx context.Context, minSize int64, limit int) ([][]byte, error)
}

// Store keeps a log: entries, the tree's stored hashes (tlog's layout, see
// tlog.StoredHashIndex) and signed checkpoints. Suggested tables, one row each:
//
//	decision_entries     index PRIMARY KEY, and one column per Entry field
//	decision_hashes      index PRIMARY KEY, hash (32 bytes)
//	decision_checkpoints size PRIMARY KEY, note (text, byte-exact)
//
// The log itself holds no state, so several processes may append through
// their own Log values to one shared store.
type Store interface {
	Source

	// Append adds one batch to the log. It must, in one transaction:
	//
	//  1. take the log's append lock, held until commit or rollback, so that
	//     only one Append is between steps 2 and 4 at a time across every
	//     process sharing the database (PostgreSQL: pg_advisory_xact_lock,
	//     or SELECT ... FOR UPDATE on a one-row head table; SQLite: BEGIN
	//     IMMEDIATE);
	//  2. read size, the number of entries, inside that transaction (the
	//     head row's size, or max(index)+1; never a value cached outside);
	//  3. call next(size, r), where r reads committed stored hashes inside the
	//     transaction; if next fails, roll back and return its error;
	//  4. insert the batch's entries, its hashes at HashStart, HashStart+1, …
	//     and its checkpoint, then commit: all of it or none of it.
	//
	// Primary keys on entry index, hash index and checkpoint size are the
	// backstop should the lock ever fail: a second writer then gets a
	// constraint error rather than a fork. A store that retries a failed
	// transaction may call next again; next recomputes everything each time.
	// Append returns next's error unwrapped when it is one.
	Append(ctx context.Context, next func(size int64, r tlog.HashReader) (*Batch, error)) error
}

// Batch is what one Append writes.
type Batch struct {
	Entries    []Entry     // the new rows; Entries[i].Index == size+i
	HashStart  int64       // stored-hash index of Hashes[0], = tlog.StoredHashCount(size)
	Hashes     []tlog.Hash // the new stored hashes, for indexes HashStart, HashStart+1, …
	Size       int64       // the log's size after the batch, size+len(Entries)
	Checkpoint []byte      // the signed checkpoint of Size entries
}
