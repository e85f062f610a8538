package decisionlog_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"

	"concord/decisionlog"
	"golang.org/x/mod/sumdb/note"
)

func Example() {
	ctx := context.Background()
	// Once per instance; keep skey secret and publish vkey.
	skey, vkey, _ := note.GenerateKey(rand.Reader, "forum.example.org/decisions")
	store := &decisionlog.MemStore{} // the application uses its SQL store
	log, err := decisionlog.New(store, skey, vkey)
	if err != nil {
		panic(err)
	}

	inputs, _ := decisionlog.InputsHash(map[string]any{"candidates": []int{11, 12, 13, 14}, "seats": 2})
	e, cp, err := log.Append(ctx, decisionlog.Entry{
		Forum:      "igf-2026",
		Kind:       "advisory.selection",
		Actor:      "account:1",
		Time:       time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Subject:    "Advisory group renewal",
		InputsHash: inputs,
		Seed:       "8d2f61",
		Result:     json.RawMessage(`{"panel": [12, 14]}`),
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("entry %d in a log of %d: %s\n", e.Index, cp.Size, e.Result)

	// Anyone with vkey can check the whole log…
	v, _ := note.NewVerifier(vkey)
	if _, err := decisionlog.Audit(ctx, store, v, nil); err != nil {
		fmt.Println("tampered:", err)
	}
	// …or just one entry against the latest checkpoint.
	latest, _ := decisionlog.CheckLatest(ctx, store, v, &cp)
	if _, err := decisionlog.CheckEntry(ctx, store, latest, e.Index); err == nil {
		fmt.Println("entry 0 is in the signed log")
	}
	// Output:
	// entry 0 in a log of 1: {"panel":[12,14]}
	// entry 0 is in the signed log
}
