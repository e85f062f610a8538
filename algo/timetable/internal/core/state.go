package core

import "encoding/binary"

// State is a complete or partial placement with its cost kept up to date
// incrementally: every remove and add returns the change it caused, so a move
// is tried by doing it, and undone by rolling back a journal of the values it
// overwrote (or, with dense pairs, by doing the reverse).
type State struct {
	p             *Problem
	nSlots, spd   int
	nRooms        int
	slotDay       []int32 // slot → day
	slotPos       []int32 // slot → period within its day
	slotNb        []uint8 // slot → which of t-2, t-1, t+1, t+2 share its day (bits 0–3)
	length        []int32
	starts, rooms [][]int32 // domains
	okStart       []bool    // event*nSlots+slot
	okRoom        []bool    // event*Rooms+room
	start, room   []int32   // -1 while not placed
	occ           []int16   // slot*nRooms+room: events in that room
	at            []int32   // slot*nRooms+room: an event starting there, or -1
	gcnt          []int16   // group*nSlots+slot
	evGroups      [][]int32
	evG           [][]grp // evGroups unpacked, for the inner loops
	evSpreads     [][]int32
	evSame        [][]int32
	evPairs       [][]pairRef
	// With many pairs, a dense weight matrix and the events running in
	// each slot make the overlap cost proportional to the rooms, not to
	// the number of partners.
	pairW       []int32   // e*n+o, or nil
	slotEv      [][]int32 // slot → events covering it (only with pairW)
	sday        []int16   // spread*Days+day
	sdistinct   []int32
	sroom       []int16 // sameRoom*Rooms+room
	rdistinct   []int32
	hard, soft  int
	placedCount int
	// twin is the lowest-numbered event interchangeable with each: lectures
	// of one course trade places without changing anything else.
	twin []int32
	// bz caches exp(-d/bzTemp) for small cost rises d, filled as needed:
	// the temperature holds for a whole cooling step, and most priced
	// moves are rejected.
	bzTemp float64
	bz     [64]float64
	// Journal of overwritten values while recording, so a rejected move is
	// undone by restoring them instead of recomputing its reverse.
	rec                  bool
	j16                  []j16e
	j32                  []j32e
	savedHard, savedSoft int
	savedPlaced          int
}

type pairRef struct{ other, w int32 }

type j16e struct {
	p *int16
	v int16
}

type j32e struct {
	p *int32
	v int32
}

func (s *State) w16(p *int16, v int16) {
	if s.rec {
		s.j16 = append(s.j16, j16e{p, *p})
	}
	*p = v
}

func (s *State) w32(p *int32, v int32) {
	if s.rec {
		s.j32 = append(s.j32, j32e{p, *p})
	}
	*p = v
}

// canJournal reports whether Begin/Rollback may be used; the dense overlap
// lists are not journaled.
func (s *State) canJournal() bool { return s.pairW == nil }

// Begin starts recording changes for Rollback.
func (s *State) Begin() {
	s.rec = true
	s.j16 = s.j16[:0]
	s.j32 = s.j32[:0]
	s.savedHard, s.savedSoft, s.savedPlaced = s.hard, s.soft, s.placedCount
}

// Commit keeps the changes since Begin.
func (s *State) Commit() { s.rec = false }

// Rollback restores the state as it was at Begin.
func (s *State) Rollback() {
	for i := len(s.j16) - 1; i >= 0; i-- {
		*s.j16[i].p = s.j16[i].v
	}
	for i := len(s.j32) - 1; i >= 0; i-- {
		*s.j32[i].p = s.j32[i].v
	}
	s.hard, s.soft, s.placedCount = s.savedHard, s.savedSoft, s.savedPlaced
	s.rec = false
}

// grp is one group of an event, flattened: base is the group's row in gcnt.
type grp struct {
	id, base, cap, weight, iso int32
	hard                       bool
}

// NewState builds an empty placement (nothing placed).
func NewState(p *Problem) *State {
	n := len(p.Events)
	ns := p.Days * p.SlotsPerDay
	s := &State{p: p, nSlots: ns, spd: p.SlotsPerDay, nRooms: p.Rooms}
	// Tables instead of divisions: isoFlip and the day tests run on every
	// priced move.
	s.slotDay = make([]int32, ns)
	s.slotPos = make([]int32, ns)
	for t := range ns {
		s.slotDay[t], s.slotPos[t] = int32(t/s.spd), int32(t%s.spd)
	}
	s.slotNb = make([]uint8, ns)
	for t := range ns {
		for i, d := range [4]int{-2, -1, 1, 2} {
			if k := int(s.slotPos[t]) + d; k >= 0 && k < s.spd {
				s.slotNb[t] |= 1 << i
			}
		}
	}
	s.length = make([]int32, n)
	s.starts = make([][]int32, n)
	s.rooms = make([][]int32, n)
	s.okStart = make([]bool, n*ns)
	s.okRoom = make([]bool, n*p.Rooms)
	for i, e := range p.Events {
		l := e.Length
		if l <= 0 {
			l = 1
		}
		s.length[i] = int32(l)
		if e.Starts == nil {
			for t := 0; t < ns; t++ {
				if t%s.spd+l <= s.spd {
					s.starts[i] = append(s.starts[i], int32(t))
				}
			}
		} else {
			for _, t := range e.Starts {
				if t%s.spd+l <= s.spd {
					s.starts[i] = append(s.starts[i], int32(t))
				}
			}
		}
		for _, t := range s.starts[i] {
			s.okStart[i*ns+int(t)] = true
		}
		if e.Rooms == nil {
			for r := 0; r < p.Rooms; r++ {
				s.rooms[i] = append(s.rooms[i], int32(r))
			}
		} else {
			for _, r := range e.Rooms {
				s.rooms[i] = append(s.rooms[i], int32(r))
			}
		}
		for _, r := range s.rooms[i] {
			s.okRoom[i*p.Rooms+int(r)] = true
		}
	}
	s.start = make([]int32, n)
	s.room = make([]int32, n)
	for i := range s.start {
		s.start[i], s.room[i] = -1, -1
	}
	s.occ = make([]int16, p.Rooms*ns)
	s.at = make([]int32, p.Rooms*ns)
	for i := range s.at {
		s.at[i] = -1
	}
	// Two idle slots pad each end so isoFlip may read two slots either
	// side of any slot.
	s.gcnt = make([]int16, len(p.Groups)*ns+4)
	s.evGroups = make([][]int32, n)
	for g, gr := range p.Groups {
		for _, e := range gr.Events {
			s.evGroups[e] = append(s.evGroups[e], int32(g))
		}
	}
	s.evG = make([][]grp, n)
	for e, gs := range s.evGroups {
		for _, g := range gs {
			gr := &p.Groups[g]
			s.evG[e] = append(s.evG[e], grp{id: g, base: 2 + g*int32(ns), cap: int32(gr.Cap), weight: int32(gr.Weight), iso: int32(gr.Isolated), hard: gr.Hard})
		}
	}
	s.evSpreads = make([][]int32, n)
	for g, gr := range p.Spreads {
		for _, e := range gr.Events {
			s.evSpreads[e] = append(s.evSpreads[e], int32(g))
		}
	}
	s.evSame = make([][]int32, n)
	for g, gr := range p.SameRooms {
		for _, e := range gr.Events {
			s.evSame[e] = append(s.evSame[e], int32(g))
		}
	}
	s.evPairs = make([][]pairRef, n)
	dense := len(p.Pairs) > 4*n && n <= 4000
	if dense {
		s.pairW = make([]int32, n*n)
		s.slotEv = make([][]int32, ns)
	}
	for _, pr := range p.Pairs {
		if pr.A == pr.B || pr.Weight == 0 {
			continue
		}
		if dense {
			s.pairW[pr.A*n+pr.B] += int32(pr.Weight)
			s.pairW[pr.B*n+pr.A] += int32(pr.Weight)
			continue
		}
		s.evPairs[pr.A] = append(s.evPairs[pr.A], pairRef{int32(pr.B), int32(pr.Weight)})
		s.evPairs[pr.B] = append(s.evPairs[pr.B], pairRef{int32(pr.A), int32(pr.Weight)})
	}
	s.sday = make([]int16, len(p.Spreads)*p.Days)
	s.sdistinct = make([]int32, len(p.Spreads))
	// An empty spread is already short of all its days.
	for _, sp := range p.Spreads {
		s.soft += sp.Weight * sp.MinDays
	}
	s.sroom = make([]int16, len(p.SameRooms)*p.Rooms)
	s.rdistinct = make([]int32, len(p.SameRooms))
	s.twin = s.twins()
	return s
}

// twins finds the events that are interchangeable: same length, domain,
// costs, groups, spreads and same-room sets, and no pairs or earlier place.
func (s *State) twins() []int32 {
	n := len(s.start)
	tw := make([]int32, n)
	seen := map[string]int32{}
	var key []byte
	for e := range n {
		tw[e] = int32(e)
		ev := &s.p.Events[e]
		if s.pairW != nil || len(s.evPairs[e]) > 0 || ev.PrevStart >= 0 {
			continue
		}
		key = binary.AppendUvarint(key[:0], uint64(s.length[e]))
		key = appendList(key, s.starts[e])
		key = appendList(key, s.rooms[e])
		key = appendList(key, ev.RoomCost)
		key = appendList(key, ev.SlotCost)
		key = appendList(key, s.evGroups[e])
		key = appendList(key, s.evSpreads[e])
		key = appendList(key, s.evSame[e])
		if t, ok := seen[string(key)]; ok {
			tw[e] = t
		} else {
			seen[string(key)] = int32(e)
		}
	}
	return tw
}

// appendList appends xs, length first, to a twin signature.
func appendList[T int | int32](key []byte, xs []T) []byte {
	key = binary.AppendUvarint(key, uint64(len(xs)))
	for _, x := range xs {
		key = binary.AppendVarint(key, int64(x))
	}
	return key
}

// trade swaps the places of twins e and o: the placement, and so every
// count and cost, stays as it is; only the labels move, as Remove and Add
// would move them.
func (s *State) trade(e, o int) {
	se, re, so, ro := s.start[e], s.room[e], s.start[o], s.room[o]
	if i := int(se)*s.nRooms + int(re); s.at[i] == int32(e) || s.at[i] < 0 {
		s.w32(&s.at[i], int32(o))
	}
	if i := int(so)*s.nRooms + int(ro); s.at[i] == int32(o) || s.at[i] < 0 {
		s.w32(&s.at[i], int32(e))
	}
	s.w32(&s.start[e], so)
	s.w32(&s.room[e], ro)
	s.w32(&s.start[o], se)
	s.w32(&s.room[o], re)
}

// Cost returns the hard violations and the soft cost of the current placement.
// Unplaced events are not counted as hard violations.
func (s *State) Cost() (hard, soft int) { return s.hard, s.soft }

// Placed reports how many events are placed.
func (s *State) Placed() int { return s.placedCount }

// Place returns where event e is, or (-1, -1).
func (s *State) Place(e int) (start, room int) { return int(s.start[e]), int(s.room[e]) }

// Domain returns event e's allowed start slots and rooms.
func (s *State) Domain(e int) (starts, rooms []int32) { return s.starts[e], s.rooms[e] }

// Allowed reports whether (start, room) is in event e's domain.
func (s *State) Allowed(e, start, room int) bool {
	return s.okStart[e*s.nSlots+start] && s.okRoom[e*s.p.Rooms+room]
}

// isoFlip is the change in isolated slots of a group when slot t (base:
// the group's row) goes from idle to busy: t's neighbours stop being
// isolated, and t is isolated unless a neighbour is busy. Negate it for busy
// to idle.
func (s *State) isoFlip(base, t int) int {
	// Branch-free: the neighbours are read from the padded row and masked
	// by which of them are on t's day, as random slots mispredict.
	nb := int(s.slotNb[t])
	w := s.gcnt[base+t-2 : base+t+3 : base+t+3]
	ll := b2i(w[0] > 0) & nb
	l := b2i(w[1] > 0) & (nb >> 1)
	r := b2i(w[3] > 0) & (nb >> 2)
	rr := b2i(w[4] > 0) & (nb >> 3)
	return 1 - (l | r) - (l &^ ll) - (r &^ rr)
}

func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// groupLeave is the cost change when one of group gr's events leaves slot t.
func (s *State) groupLeave(gr *grp, t int) (dh, ds int) {
	c := int32(s.gcnt[int(gr.base)+t])
	if c > gr.cap {
		if gr.hard {
			dh--
		} else {
			ds -= int(gr.weight)
		}
	}
	if c == 1 && gr.iso > 0 {
		ds -= s.isoFlip(int(gr.base), t) * int(gr.iso)
	}
	return dh, ds
}

// groupJoin is the cost change when one more of group gr's events comes to
// slot t.
func (s *State) groupJoin(gr *grp, t int) (dh, ds int) {
	c := int32(s.gcnt[int(gr.base)+t])
	if c >= gr.cap {
		if gr.hard {
			dh++
		} else {
			ds += int(gr.weight)
		}
	}
	if c == 0 && gr.iso > 0 {
		ds += s.isoFlip(int(gr.base), t) * int(gr.iso)
	}
	return dh, ds
}

// Remove takes event e off the timetable and returns the cost change.
func (s *State) Remove(e int) (dh, ds int) {
	st, r := int(s.start[e]), int(s.room[e])
	if st < 0 {
		return 0, 0
	}
	p := s.p
	l := int(s.length[e])
	s.w32(&s.start[e], -1)
	s.w32(&s.room[e], -1)
	s.placedCount--
	if i := st*s.nRooms + r; s.at[i] == int32(e) {
		s.w32(&s.at[i], -1)
	}
	for t := st; t < st+l; t++ {
		i := t*s.nRooms + r
		s.w16(&s.occ[i], s.occ[i]-1)
		if s.occ[i] >= 1 {
			dh--
		}
	}
	for i := range s.evG[e] {
		gr := &s.evG[e][i]
		base := int(gr.base)
		for t := st; t < st+l; t++ {
			h, c := s.groupLeave(gr, t)
			dh, ds = dh+h, ds+c
			s.w16(&s.gcnt[base+t], s.gcnt[base+t]-1)
		}
	}
	day := int(s.slotDay[st])
	for _, g := range s.evSpreads[e] {
		i := int(g)*p.Days + day
		s.w16(&s.sday[i], s.sday[i]-1)
		if s.sday[i] == 0 {
			s.w32(&s.sdistinct[g], s.sdistinct[g]-1)
			if int(s.sdistinct[g]) < p.Spreads[g].MinDays {
				ds += p.Spreads[g].Weight
			}
		}
	}
	for _, g := range s.evSame[e] {
		i := int(g)*p.Rooms + r
		s.w16(&s.sroom[i], s.sroom[i]-1)
		if s.sroom[i] == 0 {
			if s.rdistinct[g] > 1 {
				ds -= p.SameRooms[g].Weight
			}
			s.w32(&s.rdistinct[g], s.rdistinct[g]-1)
		}
	}
	for _, pr := range s.evPairs[e] {
		os := s.start[pr.other]
		if os >= 0 && int(os) < st+l && st < int(os+s.length[pr.other]) {
			ds -= int(pr.w)
		}
	}
	if s.pairW != nil {
		for t := st; t < st+l; t++ {
			evs := s.slotEv[t]
			for k := 0; k < len(evs); k++ {
				o := evs[k]
				if o == int32(e) {
					evs[k] = evs[len(evs)-1]
					evs = evs[:len(evs)-1]
					k--
					continue
				}
				if t == max(st, int(s.start[o])) {
					ds -= int(s.pairW[e*len(s.start)+int(o)])
				}
			}
			s.slotEv[t] = evs
		}
	}
	ds -= s.eventCost(e, st, r)
	s.hard += dh
	s.soft += ds
	return dh, ds
}

func (s *State) eventCost(e, st, r int) int {
	ev := &s.p.Events[e]
	c := 0
	if ev.RoomCost != nil {
		c += ev.RoomCost[r]
	}
	if ev.SlotCost != nil {
		c += ev.SlotCost[st]
	}
	if ev.MoveCost != 0 && ev.PrevStart >= 0 && (st != ev.PrevStart || r != ev.PrevRoom) {
		c += ev.MoveCost
	}
	return c
}

// Add places event e (which must be unplaced) at (st, r) and returns the
// cost change. The domain is not checked here; the search only proposes
// allowed places.
func (s *State) Add(e, st, r int) (dh, ds int) {
	p := s.p
	l := int(s.length[e])
	s.w32(&s.start[e], int32(st))
	s.w32(&s.room[e], int32(r))
	s.placedCount++
	if i := st*s.nRooms + r; s.at[i] < 0 {
		s.w32(&s.at[i], int32(e))
	}
	for t := st; t < st+l; t++ {
		i := t*s.nRooms + r
		if s.occ[i] >= 1 {
			dh++
		}
		s.w16(&s.occ[i], s.occ[i]+1)
	}
	for i := range s.evG[e] {
		gr := &s.evG[e][i]
		base := int(gr.base)
		for t := st; t < st+l; t++ {
			h, c := s.groupJoin(gr, t)
			dh, ds = dh+h, ds+c
			s.w16(&s.gcnt[base+t], s.gcnt[base+t]+1)
		}
	}
	day := int(s.slotDay[st])
	for _, g := range s.evSpreads[e] {
		i := int(g)*p.Days + day
		if s.sday[i] == 0 {
			s.w32(&s.sdistinct[g], s.sdistinct[g]+1)
			if int(s.sdistinct[g]) <= p.Spreads[g].MinDays {
				ds -= p.Spreads[g].Weight
			}
		}
		s.w16(&s.sday[i], s.sday[i]+1)
	}
	for _, g := range s.evSame[e] {
		i := int(g)*p.Rooms + r
		if s.sroom[i] == 0 {
			s.w32(&s.rdistinct[g], s.rdistinct[g]+1)
			if s.rdistinct[g] > 1 {
				ds += p.SameRooms[g].Weight
			}
		}
		s.w16(&s.sroom[i], s.sroom[i]+1)
	}
	for _, pr := range s.evPairs[e] {
		os := s.start[pr.other]
		if os >= 0 && int(os) < st+l && st < int(os+s.length[pr.other]) {
			ds += int(pr.w)
		}
	}
	if s.pairW != nil {
		for t := st; t < st+l; t++ {
			for _, o := range s.slotEv[t] {
				if t == max(st, int(s.start[o])) {
					ds += int(s.pairW[e*len(s.start)+int(o)])
				}
			}
			s.slotEv[t] = append(s.slotEv[t], int32(e))
		}
	}
	ds += s.eventCost(e, st, r)
	s.hard += dh
	s.soft += ds
	return dh, ds
}

// moveDelta returns the cost change of moving one-slot event e, placed and
// without pairs, to (st, r), another place, leaving the state as it was:
// most moves are rejected, so pricing them without the journal's writes
// and rollback is the search's cheapest step.
func (s *State) moveDelta(e, st, r int) (dh, ds int) {
	oldS, oldR := int(s.start[e]), int(s.room[e])
	if s.occ[oldS*s.nRooms+oldR] >= 2 {
		dh--
	}
	if s.occ[st*s.nRooms+r] >= 1 {
		dh++
	}
	h, c := s.shiftGroups(e, oldS, st)
	s.shiftCounts(e, st, oldS)
	dh, ds = dh+h, ds+c
	if d0, d1 := int(s.slotDay[oldS]), int(s.slotDay[st]); d0 != d1 {
		ds += s.shiftSpreads(e, d0, d1)
		s.shiftSpreads(e, d1, d0)
	}
	if r != oldR {
		ds += s.shiftSame(e, oldR, r)
		s.shiftSame(e, r, oldR)
	}
	ds += s.eventCost(e, st, r) - s.eventCost(e, oldS, oldR)
	return dh, ds
}

// Recompute returns the cost of the current placement from scratch, by
// removing and re-adding every event; tests use it to check the increments.
func (s *State) Recompute() (hard, soft int) {
	n := len(s.p.Events)
	st := make([]int32, n)
	rm := make([]int32, n)
	copy(st, s.start)
	copy(rm, s.room)
	for e := range n {
		s.Remove(e)
	}
	for e := range n {
		if st[e] >= 0 {
			s.Add(e, int(st[e]), int(rm[e]))
		}
	}
	return s.hard, s.soft
}

// Assignment returns copies of the start and room of every event (-1 when
// unplaced).
func (s *State) Assignment() (starts, rooms []int) {
	starts = make([]int, len(s.start))
	rooms = make([]int, len(s.room))
	for i := range s.start {
		starts[i], rooms[i] = int(s.start[i]), int(s.room[i])
	}
	return starts, rooms
}

// swapDelta returns the cost change of swapping the places of one-slot
// events e and o (both placed, without pairs), leaving the state as it was.
// Rooms keep one event each, so only groups, spreads, same-room sets and
// the events' own costs change; their counts are moved as the swap would
// move them and then moved back, which costs less than the journal.
func (s *State) swapDelta(e, o int) (dh, ds int) {
	se, so := int(s.start[e]), int(s.start[o])
	re, ro := int(s.room[e]), int(s.room[o])
	h1, c1 := s.shiftGroups(e, se, so)
	h2, c2 := s.shiftGroups(o, so, se)
	dh, ds = h1+h2, c1+c2
	s.shiftCounts(o, se, so)
	s.shiftCounts(e, so, se)
	if d0, d1 := int(s.slotDay[se]), int(s.slotDay[so]); d0 != d1 {
		ds += s.shiftSpreads(e, d0, d1) + s.shiftSpreads(o, d1, d0)
		s.shiftSpreads(o, d0, d1)
		s.shiftSpreads(e, d1, d0)
	}
	if re != ro {
		ds += s.shiftSame(e, re, ro) + s.shiftSame(o, ro, re)
		s.shiftSame(o, re, ro)
		s.shiftSame(e, ro, re)
	}
	ds += s.eventCost(e, so, ro) - s.eventCost(e, se, re) + s.eventCost(o, se, re) - s.eventCost(o, so, ro)
	return dh, ds
}

// shiftGroups moves one-slot event e's group counts from slot a to slot b
// and returns the cost change.
func (s *State) shiftGroups(e, a, b int) (dh, ds int) {
	for i := range s.evG[e] {
		gr := &s.evG[e][i]
		base := int(gr.base)
		h1, c1 := s.groupLeave(gr, a)
		s.gcnt[base+a]--
		h2, c2 := s.groupJoin(gr, b)
		s.gcnt[base+b]++
		dh, ds = dh+h1+h2, ds+c1+c2
	}
	return dh, ds
}

// shiftCounts moves one-slot event e's group counts from slot a to slot b
// without pricing it: the way back after shiftGroups.
func (s *State) shiftCounts(e, a, b int) {
	for i := range s.evG[e] {
		base := int(s.evG[e][i].base)
		s.gcnt[base+a]--
		s.gcnt[base+b]++
	}
}

// shiftSpreads moves one of e's lectures from day a to day b in its
// spreads' counts and returns the cost change.
func (s *State) shiftSpreads(e, a, b int) (ds int) {
	p := s.p
	for _, g := range s.evSpreads[e] {
		sp := &p.Spreads[g]
		i := int(g) * p.Days
		if s.sday[i+a]--; s.sday[i+a] == 0 {
			if s.sdistinct[g]--; int(s.sdistinct[g]) < sp.MinDays {
				ds += sp.Weight
			}
		}
		if s.sday[i+b] == 0 {
			if s.sdistinct[g]++; int(s.sdistinct[g]) <= sp.MinDays {
				ds -= sp.Weight
			}
		}
		s.sday[i+b]++
	}
	return ds
}

// shiftSame moves one of e's uses from room a to room b in its same-room
// sets' counts and returns the cost change.
func (s *State) shiftSame(e, a, b int) (ds int) {
	p := s.p
	for _, g := range s.evSame[e] {
		w := p.SameRooms[g].Weight
		i := int(g) * p.Rooms
		if s.sroom[i+a]--; s.sroom[i+a] == 0 {
			if s.rdistinct[g] > 1 {
				ds -= w
			}
			s.rdistinct[g]--
		}
		if s.sroom[i+b] == 0 {
			if s.rdistinct[g]++; s.rdistinct[g] > 1 {
				ds += w
			}
		}
		s.sroom[i+b]++
	}
	return ds
}
