package core

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// Options set the search budget and its randomness. A run with the same
// problem, Seed and Iterations (and Progress nil) always gives the same result.
type Options struct {
	Seed       uint64
	Iterations int64 // cap on annealing moves; 0 means Progress alone ends the run
	// Progress, if set, reports the fraction of a time budget used (≥1 ends the
	// run). It is polled every few hundred moves; the temperature follows the
	// larger of it and the fraction of Iterations done.
	Progress func() float64
	// HardWeight converts one hard violation into soft cost units for the
	// acceptance test. 0 means 1000.
	HardWeight int
	// HardWeightEnd, if above HardWeight, is the weight at temperature T1:
	// the weight rises as the temperature falls (geometrically in both), so
	// hard violations are cheap to cross early and repaired at the end.
	HardWeightEnd int
	// Start and end temperatures of the geometric cooling; 0 means defaults.
	T0, T1 float64
	// RepairT0 is the starting temperature, in hard violations, of the
	// phase that repairs hard violations alone; 0 means 0.1.
	RepairT0 float64
	// PartnerRoom is the share of moves that draw the room from those the
	// event's same-room set uses (0: rooms always drawn uniformly).
	PartnerRoom float64
	// BestRoom is the share of moves that take the event to a random start
	// in the room free there that adds the least room and same-room cost,
	// instead of a random room.
	BestRoom float64
	// Kempe is the share of moves that swap two periods for a chain of
	// events closed under clashes (one-slot events only).
	Kempe float64
	// Pair is the share of moves that take two neighbouring events of a
	// compactness group to another day together (one-slot events only).
	Pair float64
	// KempeRooms grows Kempe chains over shared groups only and then gives
	// each moved event its own room if free at the new period, else the
	// cheapest free one: chains stay small where rooms are plentiful.
	KempeRooms bool
	// Start, if set, is an initial placement (start, room per event, -1 for
	// none) kept where allowed; construction fills in the rest.
	Start, StartRooms []int
	// Cutoff > 0 cools in steps of Alpha (0: 0.99) and leaves a step early
	// once Cutoff times its share of the budget has been accepted, so the
	// hot steps, which accept almost everything, hand their moves to the
	// cold ones. 0 keeps the continuous geometric schedule.
	Cutoff, Alpha float64
	// Reheat > 0 lets a stepped schedule that has found no better placement
	// for ReheatAfter of the budget (0: 0.1) start cooling again from that
	// temperature over the remaining budget: a frozen search gets another
	// descent instead of idling.
	Reheat, ReheatAfter float64
	// Chains > 1 runs that many independent searches on as many goroutines,
	// each from its own seed, and keeps the best; every chain gets the whole
	// Iterations budget, so the result still replays.
	Chains int
	// Retries is how many times a chain that ends with hard violations starts
	// again from a fresh construction under a derived seed, keeping the best;
	// small, tight meetings sometimes freeze in a corner the moves cannot
	// leave.
	Retries int
	// Race > Chains starts that many chains side by side, cools them to
	// RaceTemp (0: 0.67) over the first RaceShare (0: 0.7) of the budget and
	// finishes only the Chains best. With an iteration budget, a chain's
	// full schedule has Iterations moves, split the same way.
	Race                int
	RaceShare, RaceTemp float64
}

// Result is the best placement found.
type Result struct {
	Starts, Rooms []int
	Hard, Soft    int
	Iterations    int64
}

// beats orders results: fewer hard violations, then lower soft cost.
func (r Result) beats(o Result) bool {
	return r.Hard < o.Hard || (r.Hard == o.Hard && r.Soft < o.Soft)
}

func (o Options) withDefaults() Options {
	if o.HardWeight == 0 {
		o.HardWeight = 1000
	}
	if o.T0 == 0 {
		o.T0 = 4
	}
	if o.T1 == 0 {
		o.T1 = 0.05
	}
	if o.Iterations == 0 && o.Progress == nil {
		o.Iterations = 1_000_000
	}
	if o.Alpha == 0 {
		o.Alpha = 0.99
	}
	if o.RepairT0 == 0 {
		o.RepairT0 = 0.1
	}
	if o.ReheatAfter == 0 {
		o.ReheatAfter = 0.1
	}
	if o.Chains < 1 {
		o.Chains = 1
	}
	if o.RaceShare == 0 {
		o.RaceShare = 0.7
	}
	if o.RaceTemp == 0 {
		o.RaceTemp = 0.67
	}
	return o
}

// Solve constructs a placement greedily and improves it by simulated
// annealing, on Chains independent chains; the best one wins, ties going to
// the lowest chain so the answer does not depend on goroutine timing.
func Solve(p *Problem, opt Options) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	opt = opt.withDefaults()
	if opt.Race > opt.Chains {
		switch {
		case opt.RaceShare <= 0 || opt.RaceShare >= 1:
			return Result{}, fmt.Errorf("core: race share %g is not between 0 and 1", opt.RaceShare)
		case opt.RaceTemp <= opt.T1 || opt.RaceTemp >= opt.T0:
			return Result{}, fmt.Errorf("core: race temperature %g is not between T1 %g and T0 %g", opt.RaceTemp, opt.T1, opt.T0)
		}
		return race(p, opt), nil
	}
	results := make([]Result, opt.Chains)
	var wg sync.WaitGroup
	for c := range opt.Chains {
		wg.Go(func() { results[c] = solveChain(p, opt, chainSeed(opt.Seed, c)) })
	}
	wg.Wait()
	best := 0
	var iters int64
	for c, r := range results {
		iters += r.Iterations
		if r.beats(results[best]) {
			best = c
		}
	}
	res := results[best]
	res.Iterations = iters
	return res, nil
}

// chainSeed derives chain c's seed; chain 0 keeps the caller's seed.
func chainSeed(seed uint64, c int) uint64 {
	if c == 0 {
		return seed
	}
	x := seed + uint64(c)*0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func solveChain(p *Problem, opt Options, seed uint64) Result {
	best := solveOnce(p, opt, seed)
	for k := 1; k <= opt.Retries && best.Hard > 0; k++ {
		r := solveOnce(p, opt, chainSeed(seed, 1000+k))
		r.Iterations += best.Iterations
		if r.beats(best) {
			best = r
		} else {
			best.Iterations = r.Iterations
		}
	}
	return best
}

func solveOnce(p *Problem, opt Options, seed uint64) Result {
	s, rng := firstPlacement(p, opt, seed)
	iters := s.Anneal(rng, opt)
	st, rm := s.Assignment()
	h, so := s.Cost()
	return Result{Starts: st, Rooms: rm, Hard: h, Soft: so, Iterations: iters}
}

// firstPlacement builds a chain's first placement (opt.Start where allowed,
// the rest constructed) and its random source.
func firstPlacement(p *Problem, opt Options, seed uint64) (*State, *rand.Rand) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := NewState(p)
	if opt.Start != nil {
		for e := range p.Events {
			if e < len(opt.Start) && opt.Start[e] >= 0 && opt.StartRooms[e] >= 0 &&
				opt.Start[e] < s.nSlots && opt.StartRooms[e] < p.Rooms && s.Allowed(e, opt.Start[e], opt.StartRooms[e]) {
				s.Add(e, opt.Start[e], opt.StartRooms[e])
			}
		}
	}
	s.Construct(rng, opt.HardWeight)
	return s, rng
}

// Construct places every unplaced event, hardest first (fewest places, most
// groups), each at its cheapest place given those already placed.
func (s *State) Construct(rng *rand.Rand, hardWeight int) {
	n := len(s.p.Events)
	order := make([]int, 0, n)
	for e := range n {
		if s.start[e] < 0 {
			order = append(order, e)
		}
	}
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	key := func(e int) int {
		dom := len(s.starts[e]) * len(s.rooms[e])
		size := 0
		for _, g := range s.evGroups[e] {
			if s.p.Groups[g].Hard {
				size += len(s.p.Groups[g].Events)
			}
		}
		return dom*4/int(s.length[e]) - size
	}
	sort.SliceStable(order, func(i, j int) bool { return key(order[i]) < key(order[j]) })
	for _, e := range order {
		bestCost, bestS, bestR, ties := math.MaxInt, -1, -1, 0
		for _, st := range s.starts[e] {
			for _, r := range s.rooms[e] {
				dh, ds := s.Add(e, int(st), int(r))
				s.Remove(e)
				c := dh*hardWeight + ds
				switch {
				case c < bestCost:
					bestCost, bestS, bestR, ties = c, int(st), int(r), 1
				case c == bestCost:
					// Reservoir sampling among equals keeps the seed meaningful.
					ties++
					if rng.IntN(ties) == 0 {
						bestS, bestR = int(st), int(r)
					}
				}
			}
		}
		if bestS >= 0 {
			s.Add(e, bestS, bestR)
		}
	}
}

// Anneal runs simulated annealing from the current (complete) placement and
// leaves the best placement found in s. It returns the moves tried.
func (s *State) Anneal(rng *rand.Rand, opt Options) int64 {
	opt = opt.withDefaults()
	wk := newWalker(s, rng, opt)
	if wk == nil {
		return 0
	}
	w := opt.HardWeight
	weightAt := opt.weightAt()
	logRatio := math.Log(opt.T1 / opt.T0)
	temp := opt.T0
	progress := 0.0
	var it int64
	// Phase one repairs hard violations alone, at temperatures in hard units,
	// for up to half the budget; phase two anneals the weighted sum over the
	// rest, on the continuous or the stepped schedule.
	repair := s.hard > 0
	repairEnd := 1.0
	stepped := opt.Cutoff > 0
	sched := newSteps(opt)
	lastBest := 0.0 // progress when the best last improved
	for {
		if it&255 == 0 {
			progress = 0
			if opt.Iterations > 0 {
				progress = float64(it) / float64(opt.Iterations)
			}
			if opt.Progress != nil {
				if f := opt.Progress(); f > progress {
					progress = f
				}
			}
			if progress >= 1 {
				break
			}
			if repair && (s.hard == 0 || progress >= 0.5) {
				repair = false
				repairEnd = progress
				sched.begin(it, progress)
			}
			switch {
			case repair:
				temp = opt.RepairT0 * math.Exp(math.Log(0.1)*progress/0.5)
			case stepped:
				temp = sched.temp
			case repairEnd < 1:
				temp = opt.T0 * math.Exp(logRatio*(progress-repairEnd)/(1-repairEnd))
			default:
				temp = opt.T0 * math.Exp(logRatio*progress)
			}
			if !repair {
				w = weightAt(temp)
			}
		}
		if stepped && !repair && sched.over(it) {
			if opt.Reheat > sched.temp && progress-lastBest > opt.ReheatAfter && progress < 1-2*opt.ReheatAfter {
				sched.restart(opt.Reheat)
				lastBest = progress
			}
			sched.next(it, progress)
			temp = sched.temp
			w = weightAt(temp)
		}
		it++
		if !wk.move(temp, w, repair) {
			continue
		}
		sched.accepted++
		if wk.keepBest() {
			lastBest = progress
			if wk.bestHard == 0 && wk.bestSoft == 0 {
				break
			}
		}
	}
	s.SetAssignment(wk.bestStart, wk.bestRoom)
	return it
}

// weightAt returns the hard weight at a temperature: HardWeight, or with a
// ramp w0·(T0/T)^k, reaching HardWeightEnd at T1.
func (o Options) weightAt() func(temp float64) int {
	if o.HardWeightEnd <= o.HardWeight || o.T1 >= o.T0 {
		return func(float64) int { return o.HardWeight }
	}
	k := math.Log(float64(o.HardWeightEnd)/float64(o.HardWeight)) / math.Log(o.T0/o.T1)
	return func(temp float64) int {
		return int(math.Round(float64(o.HardWeight) * math.Pow(o.T0/max(temp, o.T1), k)))
	}
}

// walker makes one search's moves on its state and keeps its best placement.
//
// One neighbourhood covers both moves and swaps: pick an event and a random
// place in its domain (the room drawn at random, among those its same-room
// set uses, or the cheapest free one); if another event of the same length
// starts there and could take the first event's place, swap them, else move
// the event. A share of the moves are Kempe chains or pair moves instead.
type walker struct {
	s                    *State
	rng                  *rand.Rand
	opt                  Options
	movable              []int32
	journal, kempe, pair bool
	kb                   kempeBuf
	bestStart, bestRoom  []int32
	bestHard, bestSoft   int
}

// newWalker returns nil when there is nothing to search: no event can move
// or the placement already costs nothing.
func newWalker(s *State, rng *rand.Rand, opt Options) *walker {
	n := len(s.p.Events)
	wk := &walker{s: s, rng: rng, opt: opt, journal: s.canJournal()}
	for e := range n {
		if len(s.starts[e])*len(s.rooms[e]) > 1 {
			wk.movable = append(wk.movable, int32(e))
		}
	}
	if len(wk.movable) == 0 || (s.hard == 0 && s.soft == 0) {
		return nil
	}
	wk.kempe = opt.Kempe > 0 && wk.journal && s.unitLength()
	wk.pair = opt.Pair > 0 && wk.journal && s.unitLength()
	wk.kb.rooms = opt.KempeRooms
	wk.bestStart = slices.Clone(s.start)
	wk.bestRoom = slices.Clone(s.room)
	wk.bestHard, wk.bestSoft = s.hard, s.soft
	return wk
}

// keepBest records the placement if it beats the best; it reports whether
// it did.
func (wk *walker) keepBest() bool {
	s := wk.s
	if s.hard < wk.bestHard || (s.hard == wk.bestHard && s.soft < wk.bestSoft) {
		wk.bestHard, wk.bestSoft = s.hard, s.soft
		copy(wk.bestStart, s.start)
		copy(wk.bestRoom, s.room)
		return true
	}
	return false
}

// move tries one random move at temperature temp with hard weight w (in
// repair, on hard violations alone) and reports whether it was kept.
func (wk *walker) move(temp float64, w int, repair bool) bool {
	s, rng, opt := wk.s, wk.rng, &wk.opt
	e := int(wk.movable[rng.IntN(len(wk.movable))])
	if wk.kempe && !repair && rng.Float64() < opt.Kempe {
		return s.kempeMove(rng, e, w, temp, &wk.kb)
	}
	if wk.pair && !repair && rng.Float64() < opt.Pair {
		return s.pairMove(rng, e, w, temp)
	}
	rooms := s.p.Rooms
	ss, rs := s.starts[e], s.rooms[e]
	st := int(ss[rng.IntN(len(ss))])
	oldS, oldR := int(s.start[e]), int(s.room[e])
	r := oldR
	switch {
	case opt.BestRoom != 0 && rng.Float64() < opt.BestRoom:
		if r = s.bestFreeRoom(rng, e, st); r < 0 {
			r = int(rs[rng.IntN(len(rs))])
		}
	case opt.PartnerRoom != 0 && len(s.evSame[e]) > 0 && rng.Float64() < opt.PartnerRoom:
		// A room its series already uses, chosen in proportion to use,
		// so room-stability repairs are proposed often.
		evs := s.p.SameRooms[s.evSame[e][0]].Events
		r = int(s.room[evs[rng.IntN(len(evs))]])
		if r < 0 || !s.okRoom[e*rooms+r] {
			r = int(rs[rng.IntN(len(rs))])
		}
	default:
		r = int(rs[rng.IntN(len(rs))])
	}
	if st == oldS && r == oldR {
		return false
	}
	o := int(s.at[st*s.nRooms+r])
	swap := o >= 0 && o != e && s.length[o] == s.length[e] &&
		s.okStart[o*s.nSlots+oldS] && s.okRoom[o*rooms+oldR]
	if swap && s.twin[e] == s.twin[o] {
		// Twins trading places leave the cost as it is, so pricing would
		// keep the move; only the labels change.
		s.trade(e, o)
		return true
	}
	// Skip doomed moves only where a hard violation could never be
	// accepted at this temperature.
	if !repair && s.hard == 0 && float64(w) > 40*temp {
		if swap && (s.swapBreaksHard(e, o, st, oldS) || s.swapBreaksHard(o, e, oldS, st)) {
			return false
		}
		if !swap && s.breaksHard(e, st, r, oldS, oldR) {
			return false
		}
	}
	// Moves and swaps of one-slot events are priced without touching the
	// state; only accepted ones are done.
	priced := s.length[e] == 1 && len(s.evPairs[e]) == 0 && s.pairW == nil &&
		(!swap || len(s.evPairs[o]) == 0)
	var dh, ds int
	if wk.journal && !priced {
		s.Begin()
	}
	switch {
	case priced && swap:
		dh, ds = s.swapDelta(e, o)
	case priced:
		dh, ds = s.moveDelta(e, st, r)
	case swap:
		h1, s1 := s.Remove(e)
		h2, s2 := s.Remove(o)
		h3, s3 := s.Add(e, st, r)
		h4, s4 := s.Add(o, oldS, oldR)
		dh, ds = h1+h2+h3+h4, s1+s2+s3+s4
	default:
		h1, s1 := s.Remove(e)
		h2, s2 := s.Add(e, st, r)
		dh, ds = h1+h2, s1+s2
	}
	delta := dh*w + ds
	if repair {
		delta = dh
	}
	if s.keeps(rng, delta, temp) {
		switch {
		case priced && swap:
			s.Remove(e)
			s.Remove(o)
			s.Add(e, st, r)
			s.Add(o, oldS, oldR)
		case priced:
			s.Remove(e)
			s.Add(e, st, r)
		}
		s.Commit()
		return true
	}
	switch {
	case priced:
	case wk.journal:
		s.Rollback()
	case swap:
		s.Remove(e)
		s.Remove(o)
		s.Add(e, oldS, oldR)
		s.Add(o, st, r)
	default:
		s.Remove(e)
		s.Add(e, oldS, oldR)
	}
	return false
}

// steps is the cutoff cooling schedule: temperature steps of ratio Alpha
// from T0 to T1, each given an equal share of the moves still to come, and
// ended early after Cutoff times that share of acceptances.
type steps struct {
	opt       Options
	temp      float64
	left      int     // steps still to run after this one
	from      int64   // move count at the start of this step
	budget    float64 // moves for this step
	accepted  int64
	maxAccept float64
}

func newSteps(opt Options) *steps {
	l := 0
	if opt.Cutoff > 0 && opt.T1 < opt.T0 && opt.Alpha > 0 && opt.Alpha < 1 {
		l = int(math.Ceil(math.Log(opt.T1/opt.T0) / math.Log(opt.Alpha)))
	}
	st := &steps{opt: opt, left: l}
	st.begin(0, 0)
	return st
}

// begin starts the steps at T0, at move it.
func (st *steps) begin(it int64, progress float64) {
	st.temp = st.opt.T0 / st.opt.Alpha
	st.left++
	st.next(it, progress)
}

// remaining estimates the moves left in the budget: exactly with an
// iteration cap, else from the rate so far.
func (st *steps) remaining(it int64, progress float64) float64 {
	rem := math.Inf(1)
	if st.opt.Iterations > 0 {
		rem = float64(st.opt.Iterations - it)
	}
	if st.opt.Progress != nil && progress > 0 && it > 0 {
		rem = min(rem, float64(it)/progress*(1-progress))
	}
	if math.IsInf(rem, 1) {
		// No rate yet: a short first step, re-planned when it ends.
		rem = 1 << 14 * float64(st.left+1)
	}
	return rem
}

// restart plans the steps from temperature t down to T1 again; the next
// call to next starts them.
func (st *steps) restart(t float64) {
	st.temp = t / st.opt.Alpha
	st.left = int(math.Ceil(math.Log(st.opt.T1/t)/math.Log(st.opt.Alpha))) + 1
}

func (st *steps) next(it int64, progress float64) {
	if st.left > 0 {
		st.temp = max(st.temp*st.opt.Alpha, st.opt.T1)
		st.left--
	}
	st.from = it
	st.accepted = 0
	st.budget = max(1, st.remaining(it, progress)/float64(st.left+1))
	st.maxAccept = math.Max(1, st.opt.Cutoff*st.budget)
}

func (st *steps) over(it int64) bool {
	return float64(it-st.from) >= st.budget || float64(st.accepted) >= st.maxAccept
}

// bestFreeRoom returns the allowed room that is free at e's slots from st
// on (e itself aside) and where e would add the least room, moving and
// same-room cost (the only costs that differ between free rooms), ties
// broken at random; -1 if no room is free.
func (s *State) bestFreeRoom(rng *rand.Rand, e, st int) int {
	l := int(s.length[e])
	oldS, oldR := int(s.start[e]), int(s.room[e])
	rp := s.pricer(e, st)
	own := -1 // the room whose count at st includes e itself
	if l == 1 && st == oldS {
		own = oldR
	}
	row := s.occ[st*s.nRooms:]
	best, bestC, ties := -1, math.MaxInt, 0
rooms:
	for _, r32 := range s.rooms[e] {
		r := int(r32)
		if l == 1 {
			if occ := row[r]; occ > 0 && (r != own || occ > 1) {
				continue
			}
		} else {
			for t := st; t < st+l; t++ {
				occ := s.occ[t*s.nRooms+r]
				if r == oldR && t >= oldS && t < oldS+l {
					occ--
				}
				if occ > 0 {
					continue rooms
				}
			}
		}
		c := rp.price(r)
		switch {
		case c < bestC:
			best, bestC, ties = r, c, 1
		case c == bestC:
			ties++
			if rng.IntN(ties) == 0 {
				best = r
			}
		}
	}
	return best
}

// roomPricer prices the free rooms of one period for one event: the room,
// moving and same-room cost it would add there, the only costs that differ
// between them. It reads the event once, as room scans price every room.
type roomPricer struct {
	sets               []SameRoom
	rc                 []int
	same               []int32
	sroom              []int16
	nr, st, oldR       int
	prevS, prevR, move int // move is 0 unless leaving (prevS, prevR) costs
}

func (s *State) pricer(e, st int) roomPricer {
	ev := &s.p.Events[e]
	rp := roomPricer{sets: s.p.SameRooms, rc: ev.RoomCost, same: s.evSame[e], sroom: s.sroom, nr: s.nRooms, st: st, oldR: int(s.room[e])}
	if ev.PrevStart >= 0 {
		rp.prevS, rp.prevR, rp.move = ev.PrevStart, ev.PrevRoom, ev.MoveCost
	}
	return rp
}

func (rp *roomPricer) price(r int) int {
	c := 0
	if rp.rc != nil {
		c = rp.rc[r]
	}
	if rp.move != 0 && (rp.st != rp.prevS || r != rp.prevR) {
		c += rp.move
	}
	for _, g := range rp.same {
		k := rp.sroom[int(g)*rp.nr+r]
		if r == rp.oldR {
			k--
		}
		if k == 0 {
			c += rp.sets[g].Weight
		}
	}
	return c
}

// SetAssignment replaces the placement.
func (s *State) SetAssignment(starts, rooms []int32) {
	for e := range s.start {
		s.Remove(e)
	}
	for e := range s.start {
		if starts[e] >= 0 {
			s.Add(e, int(starts[e]), int(rooms[e]))
		}
	}
}

// breaksHard reports whether moving e from (oldS, oldR) to (st, r) surely
// adds a hard violation: a hard group or the room is already full at one of
// the new slots that e does not occupy now. It spares most doomed moves the
// cost of being done and undone.
func (s *State) breaksHard(e, st, r, oldS, oldR int) bool {
	l := int(s.length[e])
	for t := st; t < st+l; t++ {
		if t >= oldS && t < oldS+l {
			continue
		}
		for i := range s.evG[e] {
			gr := &s.evG[e][i]
			if gr.hard && int32(s.gcnt[int(gr.base)+t]) >= gr.cap {
				return true
			}
		}
	}
	for t := st; t < st+l; t++ {
		if r == oldR && t >= oldS && t < oldS+l {
			continue
		}
		if s.occ[t*s.nRooms+r] > 0 {
			return true
		}
	}
	return false
}

// swapBreaksHard reports whether e, moving from oldS to st while o moves the
// other way, surely joins a full hard group that o is not in.
func (s *State) swapBreaksHard(e, o, st, oldS int) bool {
	l := int(s.length[e])
	for i := range s.evG[e] {
		gr := &s.evG[e][i]
		if !gr.hard {
			continue
		}
		for t := st; t < st+l; t++ {
			// The count first: most groups have room, and o's groups
			// need a search.
			if (t < oldS || t >= oldS+l) && int32(s.gcnt[int(gr.base)+t]) >= gr.cap && !slices.Contains(s.evGroups[o], gr.id) {
				return true
			}
		}
	}
	return false
}

func (s *State) unitLength() bool {
	for _, l := range s.length {
		if l != 1 {
			return false
		}
	}
	return true
}

// kempeBuf is scratch space for kempeMove.
type kempeBuf struct {
	mark         []uint32
	gen          uint32
	at1, at2     []int32
	side1, side2 []int32
	room1, room2 []int32
	conf         []uint64 // event pairs sharing a hard group, or nil
	words        int      // uint64s per row of conf
	rooms        bool     // re-match rooms instead of keeping them
	used         []int32  // room → generation in which it is taken
	usedGen      int32
}

// clash reports whether a and b may not share a period: same room or a
// common hard group. The group test reads a bit matrix built once per
// buffer when the events are few enough, since Kempe chains ask it for
// every pair of events of two periods.
func (s *State) clash(a, b int32, kb *kempeBuf) bool {
	if !kb.rooms && s.room[a] == s.room[b] {
		return true
	}
	if kb.conf != nil {
		return kb.conf[int(a)*kb.words+int(b)>>6]&(1<<(uint(b)&63)) != 0
	}
	for i := range s.evG[a] {
		ga := &s.evG[a][i]
		if !ga.hard {
			continue
		}
		for j := range s.evG[b] {
			if s.evG[b][j].id == ga.id {
				return true
			}
		}
	}
	return false
}

// maxConflictMatrix bounds the events for which clash uses a bit matrix
// (8 MB at the bound).
const maxConflictMatrix = 8192

// buildConflicts fills kb.conf with the pairs of events sharing a hard group.
func (s *State) buildConflicts(kb *kempeBuf) {
	n := len(s.start)
	if n > maxConflictMatrix {
		return
	}
	kb.words = (n + 63) / 64
	kb.conf = make([]uint64, n*kb.words)
	for _, g := range s.p.Groups {
		if !g.Hard {
			continue
		}
		for _, a := range g.Events {
			row := kb.conf[a*kb.words : (a+1)*kb.words]
			for _, b := range g.Events {
				row[b>>6] |= 1 << (uint(b) & 63)
			}
		}
	}
}

// matchRooms gives the events of side, arriving at period at whose current
// events are there (those marked gen leave it), a room each: their own if
// allowed and free, else the allowed free room with the least price.
// It reports false when some event finds no room.
func (s *State) matchRooms(side, there, out []int32, at int, gen uint32, kb *kempeBuf) ([]int32, bool) {
	if len(side) == 0 {
		return out[:0], true
	}
	if kb.used == nil {
		kb.used = make([]int32, s.p.Rooms)
	}
	kb.usedGen++
	ug := kb.usedGen
	for _, o := range there {
		if kb.mark[o] != gen {
			kb.used[s.room[o]] = ug
		}
	}
	out = out[:0]
	for _, x := range side {
		r := s.room[x]
		if kb.used[r] == ug || !s.okRoom[int(x)*s.p.Rooms+int(r)] {
			r = -1
		} else {
			kb.used[r] = ug
		}
		out = append(out, r)
	}
	for k, x := range side {
		if out[k] >= 0 {
			continue
		}
		best, bestC := int32(-1), math.MaxInt
		rp := s.pricer(int(x), at)
		for _, r := range s.rooms[x] {
			if kb.used[r] == ug {
				continue
			}
			if c := rp.price(int(r)); c < bestC {
				best, bestC = r, c
			}
		}
		if best < 0 {
			return out, false
		}
		kb.used[best] = ug
		out[k] = best
	}
	return out, true
}

// kempeMove swaps the period of e with a random other period for the
// smallest set of events closed under clashes, keeping every room or
// re-matching rooms (kb.rooms), so no hard constraint breaks; it keeps the
// result by the annealing rule.
func (s *State) kempeMove(rng *rand.Rand, e, w int, temp float64, kb *kempeBuf) bool {
	p1, p2, ok := s.buildChain(rng, e, kb)
	if !ok {
		return false
	}
	if len(kb.side1) == 1 && len(kb.side2) == 1 {
		// Two twins swapping periods and rooms: the cost stays, as in move.
		if y := kb.side2[0]; s.twin[e] == s.twin[y] && kb.room1[0] == s.room[y] && kb.room2[0] == s.room[e] {
			s.trade(e, int(y))
			return true
		}
	}
	if len(s.p.Pairs) == 0 {
		// Priced without the journal, like single moves: most chains are
		// rejected.
		dh, ds := s.chainDelta(kb, p1, p2)
		if !s.keeps(rng, dh*w+ds, temp) {
			return false
		}
		s.applyChain(kb, p1, p2)
		return true
	}
	s.Begin()
	dh, ds := s.applyChain(kb, p1, p2)
	return s.settle(rng, dh*w+ds, temp)
}

// buildChain draws another period p2 for e, at p1, and fills kb with the
// chain: the events of each side and the rooms they take at the other
// period. It reports false when the chain cannot move.
func (s *State) buildChain(rng *rand.Rand, e int, kb *kempeBuf) (p1, p2 int, ok bool) {
	ss := s.starts[e]
	p1 = int(s.start[e])
	p2 = int(ss[rng.IntN(len(ss))])
	if p1 == p2 {
		return p1, p2, false
	}
	if kb.mark == nil {
		s.buildConflicts(kb)
		kb.mark = make([]uint32, len(s.start))
	}
	kb.gen++
	gen := kb.gen
	kb.at1 = kb.at1[:0]
	kb.at2 = s.occupants(kb.at2, p2)
	kb.side1 = append(kb.side1[:0], int32(e))
	kb.side2 = kb.side2[:0]
	kb.mark[e] = gen
	// Grow both sides until nothing more clashes across them, giving up
	// at the first event that may not take the other period: a fifth of
	// the chains end there.
	ns := s.nSlots
	for i, j := 0, 0; i < len(kb.side1) || j < len(kb.side2); {
		for ; i < len(kb.side1); i++ {
			if !s.okStart[int(kb.side1[i])*ns+p2] {
				return p1, p2, false
			}
			kb.side2 = s.joiners(kb.side1[i], kb.at2, kb.side2, gen, kb)
		}
		if j < len(kb.side2) && len(kb.at1) == 0 {
			// A third of the chains are one event that clashes with
			// nothing at p2, so p1's events are listed only when the
			// chain reaches back.
			kb.at1 = s.occupants(kb.at1, p1)
		}
		for ; j < len(kb.side2); j++ {
			if !s.okStart[int(kb.side2[j])*ns+p1] {
				return p1, p2, false
			}
			kb.side1 = s.joiners(kb.side2[j], kb.at1, kb.side1, gen, kb)
		}
	}
	// Each side needs as many rooms as are left free at its new period.
	if len(kb.side1) > s.p.Rooms-len(kb.at2)+len(kb.side2) || len(kb.side2) > s.p.Rooms-len(kb.at1)+len(kb.side1) {
		return p1, p2, false
	}
	kb.room1, kb.room2 = kb.room1[:0], kb.room2[:0]
	if kb.rooms {
		var ok bool
		if kb.room1, ok = s.matchRooms(kb.side1, kb.at2, kb.room1, p2, gen, kb); !ok {
			return p1, p2, false
		}
		if kb.room2, ok = s.matchRooms(kb.side2, kb.at1, kb.room2, p1, gen, kb); !ok {
			return p1, p2, false
		}
	} else {
		for _, x := range kb.side1 {
			kb.room1 = append(kb.room1, s.room[x])
		}
		for _, y := range kb.side2 {
			kb.room2 = append(kb.room2, s.room[y])
		}
	}
	return p1, p2, true
}

// occupants returns, in room order, the events that start at slot t, in
// buf. It runs for every Kempe chain, so it appends without branching.
func (s *State) occupants(buf []int32, t int) []int32 {
	row := s.at[t*s.nRooms : (t+1)*s.nRooms]
	buf = slices.Grow(buf[:0], len(row))[:len(row)]
	n := 0
	for _, o := range row {
		buf[n] = o
		n += int(^uint32(o) >> 31)
	}
	return buf[:n]
}

// joiners marks the events of there not yet in the chain that clash with
// x and appends them to side. When only shared hard groups clash, the bit
// matrix is read inline: this runs for every pair of events of two periods.
func (s *State) joiners(x int32, there, side []int32, gen uint32, kb *kempeBuf) []int32 {
	if kb.rooms && kb.conf != nil {
		row := kb.conf[int(x)*kb.words:]
		for _, y := range there {
			if row[y>>6]&(1<<(uint(y)&63)) != 0 && kb.mark[y] != gen {
				kb.mark[y] = gen
				side = append(side, y)
			}
		}
		return side
	}
	for _, y := range there {
		if kb.mark[y] != gen && s.clash(x, y, kb) {
			kb.mark[y] = gen
			side = append(side, y)
		}
	}
	return side
}

// applyChain moves kb.side1 from p1 to p2 and kb.side2 back, into the rooms
// kb.room1 and kb.room2, and returns the cost change.
func (s *State) applyChain(kb *kempeBuf, p1, p2 int) (dh, ds int) {
	for _, x := range kb.side1 {
		h, c := s.Remove(int(x))
		dh, ds = dh+h, ds+c
	}
	for _, y := range kb.side2 {
		h, c := s.Remove(int(y))
		dh, ds = dh+h, ds+c
	}
	for k, x := range kb.side1 {
		h, c := s.Add(int(x), p2, int(kb.room1[k]))
		dh, ds = dh+h, ds+c
	}
	for k, y := range kb.side2 {
		h, c := s.Add(int(y), p1, int(kb.room2[k]))
		dh, ds = dh+h, ds+c
	}
	return dh, ds
}

// chainDelta returns applyChain's cost change for one-slot events without
// pairs, leaving the state as it was: each event's counts are shifted as
// the chain would shift them, priced in turn, and then shifted back.
func (s *State) chainDelta(kb *kempeBuf, p1, p2 int) (dh, ds int) {
	for k, x := range kb.side1 {
		h, c := s.shiftOne(int(x), p1, p2, int(kb.room1[k]))
		dh, ds = dh+h, ds+c
	}
	for k, y := range kb.side2 {
		h, c := s.shiftOne(int(y), p2, p1, int(kb.room2[k]))
		dh, ds = dh+h, ds+c
	}
	for k, y := range kb.side2 {
		s.unshiftOne(int(y), p2, p1, int(kb.room2[k]))
	}
	for k, x := range kb.side1 {
		s.unshiftOne(int(x), p1, p2, int(kb.room1[k]))
	}
	return dh, ds
}

// shiftOne moves one-slot event x's counts from slot from, in its room, to
// (to, r) without moving x itself, and returns the cost change; unshiftOne
// moves them back. Several events may be shifted before any is moved back,
// in reverse order.
func (s *State) shiftOne(x, from, to, r int) (dh, ds int) {
	r0 := int(s.room[x])
	leave, arrive := from*s.nRooms+r0, to*s.nRooms+r
	if s.occ[leave] >= 2 {
		dh--
	}
	s.occ[leave]--
	if s.occ[arrive] >= 1 {
		dh++
	}
	s.occ[arrive]++
	h, c := s.shiftGroups(x, from, to)
	dh, ds = dh+h, ds+c
	if d0, d1 := int(s.slotDay[from]), int(s.slotDay[to]); d0 != d1 {
		ds += s.shiftSpreads(x, d0, d1)
	}
	if r != r0 {
		ds += s.shiftSame(x, r0, r)
	}
	ds += s.eventCost(x, to, r) - s.eventCost(x, from, r0)
	return dh, ds
}

func (s *State) unshiftOne(x, from, to, r int) {
	r0 := int(s.room[x])
	s.occ[to*s.nRooms+r]--
	s.occ[from*s.nRooms+r0]++
	s.shiftCounts(x, to, from)
	if d0, d1 := int(s.slotDay[from]), int(s.slotDay[to]); d0 != d1 {
		s.shiftSpreads(x, d1, d0)
	}
	if r != r0 {
		s.shiftSame(x, r, r0)
	}
}

// pairMove takes e and a neighbour of it in a compactness group (an event
// of the group in the next or previous slot of the same day) to a random
// other day, keeping their order, each to its cheapest free room there; it
// keeps the result by the annealing rule. Done one at a time, the first
// move can leave its partner isolated, a step the cold search rarely takes.
func (s *State) pairMove(rng *rand.Rand, e, w int, temp float64) bool {
	f, st, ft, ok := s.pairTarget(rng, e)
	if !ok {
		return false
	}
	if len(s.p.Pairs) > 0 {
		return s.pairJournal(rng, e, f, st, ft, w, temp)
	}
	return s.pairPriced(rng, e, f, st, ft, w, temp)
}

// pairTarget draws e's neighbour f and their new starts st and ft for a
// pair move; ok is false when there is none.
func (s *State) pairTarget(rng *rand.Rand, e int) (f, st, ft int, ok bool) {
	es := int(s.start[e])
	if es < 0 {
		return 0, 0, 0, false
	}
	spd := s.p.SlotsPerDay
	var cand [8]int
	n := 0
	k := int(s.slotPos[es])
	for i := range s.evG[e] {
		gr := &s.evG[e][i]
		if gr.iso == 0 {
			continue
		}
		// The counts say how many neighbours the group has, so the scan
		// of its events stops once it has found them.
		b := int(gr.base) + es
		need := 0
		if k > 0 {
			need += int(s.gcnt[b-1])
		}
		if k < spd-1 {
			need += int(s.gcnt[b+1])
		}
		for _, f := range s.p.Groups[gr.id].Events {
			if need == 0 || n == len(cand) {
				break
			}
			if fs := int(s.start[f]); (fs == es+1 && k < spd-1) || (fs == es-1 && k > 0) {
				cand[n] = f
				n++
				need--
			}
		}
	}
	if n == 0 {
		return 0, 0, 0, false
	}
	f = cand[rng.IntN(n)]
	fs := int(s.start[f])
	ss := s.starts[e]
	st = int(ss[rng.IntN(len(ss))])
	ft = st + fs - es
	if s.slotDay[st] == s.slotDay[es] || ft < 0 || ft >= s.nSlots || s.slotDay[ft] != s.slotDay[st] || !s.okStart[e*s.nSlots+st] || !s.okStart[f*s.nSlots+ft] {
		return 0, 0, 0, false
	}
	return f, st, ft, true
}

// pairJournal does the pair move (e to st, f to ft, each to its cheapest
// free room, chosen with both lifted) and keeps it by the annealing rule.
func (s *State) pairJournal(rng *rand.Rand, e, f, st, ft, w int, temp float64) bool {
	s.Begin()
	h1, c1 := s.Remove(e)
	h2, c2 := s.Remove(f)
	re := s.bestFreeRoom(rng, e, st)
	if re < 0 {
		s.Rollback()
		return false
	}
	h3, c3 := s.Add(e, st, re)
	rf := s.bestFreeRoom(rng, f, ft)
	if rf < 0 {
		s.Rollback()
		return false
	}
	h4, c4 := s.Add(f, ft, rf)
	return s.settle(rng, (h1+h2+h3+h4)*w+c1+c2+c3+c4, temp)
}

// pairPriced is pairJournal for problems without pairs, priced without the
// journal and done only when kept; it picks the same rooms and draws the
// same random numbers. Both events stay on their old day while the rooms
// are chosen, which no free-room test on the new day can see, but f's
// same-room uses would count for e, so they are set aside.
func (s *State) pairPriced(rng *rand.Rand, e, f, st, ft, w int, temp float64) bool {
	es, fs := int(s.start[e]), int(s.start[f])
	s.liftSame(f, -1)
	re := s.bestFreeRoom(rng, e, st)
	s.liftSame(f, 1)
	if re < 0 {
		return false
	}
	dh, ds := s.shiftOne(e, es, st, re)
	rf := s.bestFreeRoom(rng, f, ft)
	if rf < 0 {
		s.unshiftOne(e, es, st, re)
		return false
	}
	h, c := s.shiftOne(f, fs, ft, rf)
	s.unshiftOne(f, fs, ft, rf)
	s.unshiftOne(e, es, st, re)
	if !s.keeps(rng, (dh+h)*w+ds+c, temp) {
		return false
	}
	s.Remove(e)
	s.Remove(f)
	s.Add(e, st, re)
	s.Add(f, ft, rf)
	return true
}

// liftSame adds d to the same-room counts of e's room, for e's sets.
func (s *State) liftSame(e, d int) {
	r := int(s.room[e])
	for _, g := range s.evSame[e] {
		s.sroom[int(g)*s.nRooms+r] += int16(d)
	}
}

// settle ends a journaled move: kept by the annealing rule at temp
// (committed), else rolled back.
func (s *State) settle(rng *rand.Rand, delta int, temp float64) bool {
	if s.keeps(rng, delta, temp) {
		s.Commit()
		return true
	}
	s.Rollback()
	return false
}

// keeps is the annealing rule: a change of delta is kept if it costs
// nothing, else with probability exp(-delta/temp).
func (s *State) keeps(rng *rand.Rand, delta int, temp float64) bool {
	if delta <= 0 {
		return true
	}
	if temp != s.bzTemp {
		s.bzTemp = temp
		s.bz = [len(s.bz)]float64{}
	}
	if delta >= len(s.bz) {
		return rng.Float64() < math.Exp(-float64(delta)/temp)
	}
	if s.bz[delta] == 0 {
		s.bz[delta] = math.Exp(-float64(delta) / temp)
	}
	return rng.Float64() < s.bz[delta]
}
