package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"concord/decisionlog"
)

func TestDecisionLogOnBothEngines(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		log, err := db.DecisionLog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Concurrent appends from two Log values (as two server processes) never fork.
		log2, err := db.DecisionLog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if log.VerifierKey() != log2.VerifierKey() {
			t.Fatal("two opens of one database disagree on the key")
		}
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				l := log
				if i%2 == 1 {
					l = log2
				}
				_, _, err := l.Append(ctx, decisionlog.Entry{Forum: "igf", Kind: "test.decision", Actor: "system",
					Time: time.Date(2026, 6, 1, 12, 0, i, 0, time.UTC), Subject: "decision " + strings.Repeat("x", i%3),
					InputsHash: strings.Repeat("ab", 32), Seed: "42", Result: json.RawMessage(`{"panel":[1,2,3],"n":` + string(rune('0'+i%10)) + `}`)})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		cp, err := decisionlog.Audit(ctx, DecisionStore{db}, log.Verifier(), nil)
		if err != nil {
			t.Fatalf("audit of an untouched log: %v", err)
		}
		if cp.Size != 20 {
			t.Fatalf("size = %d, want 20", cp.Size)
		}
		es, total, err := db.Decisions(ctx, "igf", 0, 5)
		if err != nil || total != 20 || len(es) != 5 || es[0].Index != 19 {
			t.Fatalf("Decisions = %d entries of %d, %v", len(es), total, err)
		}

		// Someone edits a stored row: verification names it.
		if _, err := db.SQL().ExecContext(ctx, `UPDATE decision_entries SET subject = 'a quieter decision' WHERE idx = 7`); err != nil {
			t.Fatal(err)
		}
		_, err = decisionlog.Audit(ctx, DecisionStore{db}, log.Verifier(), nil)
		var ve *decisionlog.VerifyError
		if !errors.As(err, &ve) || ve.Index != 7 {
			t.Fatalf("audit after tampering: %v", err)
		}
	})
}
