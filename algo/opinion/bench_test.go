package opinion_test

import (
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"concord/algo/opinion"
	"concord/export/polis"
	"concord/internal/shareddata"
)

// BenchmarkBowlingGreen recomputes the largest open-data conversation
// (2,031 participants, 896 statements, ~225k votes) from scratch.
func BenchmarkBowlingGreen(b *testing.B) {
	e, err := polis.ReadDir(shareddata.Path(b, "polis", "opendata", "american-assembly.bowling-green"))
	if err != nil {
		b.Fatal(err)
	}
	in := e.OpinionInput()
	b.ReportMetric(float64(len(in.Votes)), "votes")
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := opinion.Analyse(in, opinion.Options{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}

// cpuTime is the process's user+system time: on a shared machine wall time
// measures the neighbours as much as the code.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// synthetic makes nP participants in four planted opinion groups voting on
// nS statements, nV votes in all, with five stakeholder groups.
func synthetic(nP, nS, nV int, seed uint64) opinion.Input {
	rng := rand.New(rand.NewPCG(seed, 1))
	const groups = 4
	lean := make([][]float64, groups)
	for g := range lean {
		lean[g] = make([]float64, nS)
		for s := range lean[g] {
			lean[g][s] = rng.Float64()*2 - 1
		}
	}
	in := opinion.Input{Votes: make([]opinion.Vote, 0, nV), Stakeholders: make(map[int]string, nP)}
	sh := []string{"Government", "Civil Society", "Technical Community", "Private Sector", "Intergovernmental Organization"}
	perP := nV / nP
	for p := range nP {
		g := p % groups
		in.Stakeholders[p] = sh[rng.IntN(len(sh))]
		for range perP {
			s := rng.IntN(nS)
			x := lean[g][s] + rng.NormFloat64()*0.5
			v := opinion.Pass
			switch {
			case x > 0.3:
				v = opinion.Agree
			case x < -0.3:
				v = opinion.Disagree
			}
			in.Votes = append(in.Votes, opinion.Vote{Participant: p, Statement: s, Value: v})
		}
	}
	return in
}

// BenchmarkSynthetic100k is the scale target: 100,000 participants × 2,000
// statements × 10 million votes.
func BenchmarkSynthetic100k(b *testing.B) {
	in := synthetic(100_000, 2_000, 10_000_000, 1)
	runtime.GC()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		res, err := opinion.Analyse(in, opinion.Options{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.K), "k")
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
}
