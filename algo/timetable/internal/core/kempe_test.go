package core

import (
	"math/rand/v2"
	"testing"
)

func TestKempeMoveConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := randomProblem(rng, 20, 0)
	for i := range p.Events {
		p.Events[i].Length = 1
	}
	for i := range p.Groups {
		p.Groups[i].Hard = true
		p.Groups[i].Cap = 1
	}
	s := NewState(p)
	s.Construct(rng, 1000)
	h, so := s.Cost()
	t.Logf("start %d %d", h, so)
	var kb kempeBuf
	changed := 0
	for range 2000 {
		before, _ := s.Assignment()
		kept := s.kempeMove(rng, rng.IntN(20), 1000, 1, &kb)
		after, _ := s.Assignment()
		moved := false
		for i := range before {
			if before[i] != after[i] {
				moved = true
			}
		}
		if moved != kept {
			t.Fatalf("kempeMove reported kept=%v, placement changed=%v", kept, moved)
		}
		if moved {
			changed++
		}
		h2, s2 := s.Cost()
		fresh := NewState(p)
		for f := range 20 {
			st, r := s.Place(f)
			fresh.Add(f, st, r)
		}
		if fh, fs := fresh.Cost(); fh != h2 || fs != s2 {
			t.Fatalf("mismatch")
		}
		if h2 > h {
			t.Fatalf("kempe added hard: %d > %d", h2, h)
		}
	}
	t.Logf("changed %d of 2000; end %v", changed, s.soft)
}
