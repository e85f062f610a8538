package core

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKempeMoveConsistent(t *testing.T) {
	for _, rooms := range []bool{false, true} {
		t.Run(map[bool]string{false: "keep-rooms", true: "rematch-rooms"}[rooms], func(t *testing.T) {
			testKempeMoveConsistent(t, rooms)
		})
	}
}

func testKempeMoveConsistent(t *testing.T, rooms bool) {
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
	kb := kempeBuf{rooms: rooms}
	changed := 0
	for range 2000 {
		before, beforeR := s.Assignment()
		kept := s.kempeMove(rng, rng.IntN(20), 1000, 1, &kb)
		after, afterR := s.Assignment()
		moved := false
		for i := range before {
			if before[i] != after[i] || beforeR[i] != afterR[i] {
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
		for f := range 20 {
			st, r := s.Place(f)
			if !s.Allowed(f, st, r) {
				t.Fatalf("event %d left its domain at (%d, %d)", f, st, r)
			}
		}
		if h2 > h {
			t.Fatalf("kempe added hard: %d > %d", h2, h)
		}
	}
	t.Logf("changed %d of 2000; end %v", changed, s.soft)
}

// A chain that re-matches rooms keeps a moved event's room when it is free
// at the new period and otherwise takes the cheapest free one.
func TestKempeRematchRooms(t *testing.T) {
	p := &Problem{Days: 1, SlotsPerDay: 2, Rooms: 3,
		Events: []Event{
			{RoomCost: []int{0, 3, 1}, PrevStart: -1, PrevRoom: -1},
			{PrevStart: -1, PrevRoom: -1},
			{PrevStart: -1, PrevRoom: -1},
		},
		Groups: []Group{{Events: []int{0, 1}, Cap: 1, Hard: true}},
	}
	s := NewState(p)
	s.Add(0, 0, 0)
	s.Add(1, 1, 1)
	s.Add(2, 1, 0)
	rng := rand.New(rand.NewPCG(3, 4))
	kb := kempeBuf{rooms: true}
	moved := false
	for range 100 {
		if s.kempeMove(rng, 0, 1000, 1e9, &kb) {
			moved = true
			break
		}
	}
	if !moved {
		t.Fatal("the chain never moved")
	}
	for e, want := range [][2]int{{1, 2}, {0, 1}, {1, 0}} {
		if st, r := s.Place(e); st != want[0] || r != want[1] {
			t.Errorf("event %d at (%d, %d), want (%d, %d)", e, st, r, want[0], want[1])
		}
	}
	if h, soft := s.Cost(); h != 0 || soft != 1 {
		t.Errorf("cost %d/%d, want 0/1", h, soft)
	}
}

// A chain priced without the journal costs what doing it costs, and
// pricing leaves every count as it was, with soft and hard groups, room
// clashes already present, and both room modes.
func TestChainDeltaMatchesApply(t *testing.T) {
	for _, rooms := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(5, 6))
		p := randomProblem(rng, 24, 0)
		for i := range p.Events {
			p.Events[i].Length = 1
		}
		s := NewState(p)
		s.Construct(rng, 1)
		kb := kempeBuf{rooms: rooms}
		priced := 0
		for range 3000 {
			p1, p2, ok := s.buildChain(rng, rng.IntN(len(p.Events)), &kb)
			if !ok {
				continue
			}
			before := snapshot(s)
			dh, ds := s.chainDelta(&kb, p1, p2)
			if diff := cmp.Diff(before, snapshot(s)); diff != "" {
				t.Fatalf("pricing changed the state (-before +after):\n%s", diff)
			}
			h, c := s.applyChain(&kb, p1, p2)
			if dh != h || ds != c {
				t.Fatalf("priced %d/%d, applied %d/%d", dh, ds, h, c)
			}
			priced++
			relocate(rng, s)
		}
		if priced < 100 {
			t.Fatalf("only %d chains priced", priced)
		}
		checkRecompute(t, s)
	}
}

type counts struct {
	Occ, Gcnt, Sday, Sroom []int16
	Sdistinct, Rdistinct   []int32
	Start, Room, At        []int32
	Hard, Soft             int
}

func snapshot(s *State) counts {
	return counts{slices.Clone(s.occ), slices.Clone(s.gcnt), slices.Clone(s.sday), slices.Clone(s.sroom),
		slices.Clone(s.sdistinct), slices.Clone(s.rdistinct), slices.Clone(s.start), slices.Clone(s.room), slices.Clone(s.at), s.hard, s.soft}
}

// Chains grown from the conflict bit matrix are the ones grown by scanning
// each event's groups, event for event and in the same order.
func TestGrowByGroupsMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	p := unitProblem(rng, 40, 0)
	for i := range p.Groups {
		p.Groups[i].Hard = i%3 != 0
	}
	s := NewState(p)
	s.Construct(rng, 1000)
	matrix := kempeBuf{rooms: true}
	scan := kempeBuf{rooms: true, mark: make([]uint32, len(p.Events))}
	grown := 0
	for k := range 2000 {
		e := rng.IntN(len(p.Events))
		r1 := rand.New(rand.NewPCG(uint64(k), 9))
		r2 := rand.New(rand.NewPCG(uint64(k), 9))
		a1, a2, okA := s.buildChain(r1, e, &matrix)
		b1, b2, okB := s.buildChain(r2, e, &scan)
		if matrix.conf == nil || scan.conf != nil {
			t.Fatal("want one buffer with the bit matrix and one without")
		}
		if a1 != b1 || a2 != b2 || okA != okB {
			t.Fatalf("chain %d: (%d, %d, %v) against (%d, %d, %v)", k, a1, a2, okA, b1, b2, okB)
		}
		if !slices.Equal(matrix.side1, scan.side1) || !slices.Equal(matrix.side2, scan.side2) {
			t.Fatalf("chain %d: sides %v %v against %v %v", k, matrix.side1, matrix.side2, scan.side1, scan.side2)
		}
		if okA && (!slices.Equal(matrix.room1, scan.room1) || !slices.Equal(matrix.room2, scan.room2)) {
			t.Fatalf("chain %d: rooms differ", k)
		}
		if len(matrix.side1)+len(matrix.side2) > 2 {
			grown++
		}
		if okA {
			s.applyChain(&matrix, a1, a2)
		}
	}
	if grown < 100 {
		t.Fatalf("only %d chains grew past two events", grown)
	}
}
