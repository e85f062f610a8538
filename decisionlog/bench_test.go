package decisionlog

import (
	"context"
	"testing"
)

const benchEntries = 10000

// BenchmarkAppend logs 10,000 decisions one by one, each with its own
// signed checkpoint, the way the application appends them.
func BenchmarkAppend(b *testing.B) {
	ctx := context.Background()
	es := make([]Entry, benchEntries)
	for i := range es {
		es[i] = testEntry(i)
	}
	for b.Loop() {
		l, _ := newTestLog(b)
		for _, e := range es {
			if _, _, err := l.Append(ctx, e); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchEntries), "ns/entry")
}

// benchLog is a log of 10,000 entries appended one by one.
func benchLog(b *testing.B) (*Log, *MemStore) {
	l, m := newTestLog(b)
	for i := range benchEntries {
		if _, _, err := l.Append(context.Background(), testEntry(i)); err != nil {
			b.Fatal(err)
		}
	}
	return l, m
}

// BenchmarkVerify checks 10,000 entries, their 20,000 stored hashes and
// 10,000 checkpoints.
func BenchmarkVerify(b *testing.B) {
	l, m := benchLog(b)
	es, notes, hs := m.rows()
	for b.Loop() {
		if _, err := Verify(l.Verifier(), es, notes, hs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAudit is BenchmarkVerify reading through the Source interface.
func BenchmarkAudit(b *testing.B) {
	l, m := benchLog(b)
	for b.Loop() {
		if _, err := Audit(context.Background(), m, l.Verifier(), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckEntry is the light client proving one entry of 10,000.
func BenchmarkCheckEntry(b *testing.B) {
	ctx := context.Background()
	l, m := benchLog(b)
	cp, err := CheckLatest(ctx, m, l.Verifier(), nil)
	if err != nil {
		b.Fatal(err)
	}
	i := int64(0)
	for b.Loop() {
		if _, err := CheckEntry(ctx, m, cp, i%benchEntries); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}
