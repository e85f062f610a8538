package itc2007

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"concord/algo/timetable/internal/core"
)

// Options bound a Solve run. With Deadline zero the run is decided by Seed
// and Iterations alone and replays exactly.
type Options struct {
	Seed       uint64
	Iterations int64     // cap on annealing moves; 0 means none with a Deadline, else 1,000,000
	Deadline   time.Time // optional wall-clock limit
	// Now reads the clock when Deadline is set; nil means time.Now.
	Now func() time.Time
	// T0 and T1 override the annealing temperatures (0: tuned defaults).
	T0, T1 float64
	// PartnerRoom is the share of moves that reuse a room the course
	// already uses, which speeds up room stability (0: 0.3; negative: none).
	PartnerRoom float64
	// Kempe is the share of Kempe-chain moves, which move whole clashing
	// sets of lectures between two periods (0: 0.2; negative: none).
	Kempe float64
	// HardWeight prices a hard violation at the start of the search and
	// HardWeightEnd at its end (0: defaults).
	HardWeight, HardWeightEnd int
	// Cutoff is the share of a temperature step's moves that, once
	// accepted, ends the step (0: default; negative: continuous cooling).
	Cutoff float64
	// BestRoom is the share of moves that pick the cheapest free room at
	// the new period instead of a random one (0: default; negative: none).
	BestRoom float64
	// Reheat is the temperature a frozen search restarts its cooling from
	// (0: default; negative: never).
	Reheat float64
	// Pair is the share of moves that take two lectures of a curriculum in
	// consecutive periods to another day together (0: 0.1; negative:
	// none).
	Pair float64
	// KempeKeepRooms makes Kempe chains keep every lecture's room, growing
	// over room clashes too; by default they grow over shared curricula and
	// teachers only and then re-match rooms.
	KempeKeepRooms bool
	// Chains is the number of independent searches run side by side, the
	// best kept (0: default).
	Chains int
	// Race is the number of chains started; only the Chains best at
	// temperature RaceTemp (0: 0.67), after RaceShare of the budget (0:
	// 0.7), are finished (0: 7; negative: none, every chain runs to the end).
	Race                int
	RaceShare, RaceTemp float64
}

// Result is the best solution found and its official cost.
type Result struct {
	Solution   Solution
	Cost       Cost
	Iterations int64
}

// problem maps the instance onto the shared timetabling core: a lecture is a
// one-slot event, periods are slots, courses/teachers/curricula are groups
// that may not meet twice at once, and the soft constraints become the core's
// room costs, spreads, same-room sets and compactness. It returns the course
// of each event.
func (in *Instance) problem() (*core.Problem, []int) {
	p := &core.Problem{Days: in.Days, SlotsPerDay: in.PeriodsPerDay, Rooms: len(in.Rooms)}
	var course []int
	byCourse := make([][]int, len(in.Courses))
	for c, co := range in.Courses {
		var starts []int
		if len(co.Unavailable) > 0 {
			for t := range in.Periods() {
				if !slices.Contains(co.Unavailable, t) {
					starts = append(starts, t)
				}
			}
		}
		roomCost := make([]int, len(in.Rooms))
		for r, rm := range in.Rooms {
			roomCost[r] = max(0, co.Students-rm.Capacity)
		}
		for range co.Lectures {
			byCourse[c] = append(byCourse[c], len(p.Events))
			course = append(course, c)
			p.Events = append(p.Events, core.Event{Starts: starts, RoomCost: roomCost, PrevStart: -1, PrevRoom: -1})
		}
		if co.MinDays > 0 {
			p.Spreads = append(p.Spreads, core.Spread{Events: byCourse[c], MinDays: co.MinDays, Weight: 5})
		}
		if co.Lectures > 1 {
			p.SameRooms = append(p.SameRooms, core.SameRoom{Events: byCourse[c], Weight: 1})
		}
	}
	// Identical event sets (a teacher with one course, a one-course
	// curriculum) share one group so conflicts are not counted twice.
	groupOf := map[string]int{}
	add := func(courses []int, isolated int) {
		cs := slices.Clone(courses)
		slices.Sort(cs)
		cs = slices.Compact(cs)
		key := fmt.Sprint(cs)
		if g, ok := groupOf[key]; ok {
			p.Groups[g].Isolated += isolated
			return
		}
		var evs []int
		for _, c := range cs {
			evs = append(evs, byCourse[c]...)
		}
		if len(evs) == 0 {
			return
		}
		groupOf[key] = len(p.Groups)
		p.Groups = append(p.Groups, core.Group{Events: evs, Cap: 1, Hard: true, Isolated: isolated})
	}
	for c := range in.Courses {
		add([]int{c}, 0)
	}
	teachers := map[string][]int{}
	var names []string
	for c, co := range in.Courses {
		if _, ok := teachers[co.Teacher]; !ok {
			names = append(names, co.Teacher)
		}
		teachers[co.Teacher] = append(teachers[co.Teacher], c)
	}
	for _, t := range names {
		add(teachers[t], 0)
	}
	for _, cu := range in.Curricula {
		add(cu.Courses, 2)
	}
	return p, course
}

// Tuned on comp01–comp07 (see BENCHMARKS.md).
const (
	defaultHardWeight    = 20
	defaultHardWeightEnd = 1000
	defaultT1            = 0.05
	defaultCutoff        = 0.1
	defaultChains        = 2
	defaultReheat        = 1.0
	defaultBestRoom      = 0.2
	defaultRace          = 7
	defaultPair          = 0.1
	defaultKempe         = 0.2
	defaultPartnerRoom   = 0.3
)

// orDefault reads an option where 0 means def and a negative value means
// none.
func orDefault(v, def float64) float64 {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}

// startTemperature picks the annealing start from the instance's conflict
// density (the share of course pairs that share a curriculum or a teacher):
// 3 up to a density of 0.12, rising to 10 at 0.21 and above. Dense
// instances (comp05) have costlier single moves and a room-capacity
// structure that only a hotter start reshuffles; hotter starts waste moves
// on sparse ones (comp02, comp07).
func (in *Instance) startTemperature() float64 {
	nc := len(in.Courses)
	if nc < 2 {
		return 3
	}
	conflict := make([]bool, nc*nc)
	for _, cu := range in.Curricula {
		for _, a := range cu.Courses {
			for _, b := range cu.Courses {
				conflict[a*nc+b] = true
			}
		}
	}
	pairs := 0
	for a := range nc {
		for b := a + 1; b < nc; b++ {
			if conflict[a*nc+b] || in.Courses[a].Teacher == in.Courses[b].Teacher {
				pairs++
			}
		}
	}
	density := float64(pairs) / float64(nc*(nc-1)/2)
	return 3 + 7*min(1, max(0, (density-0.12)/0.09))
}

// Solve searches for a low-cost solution.
func Solve(in *Instance, opt Options) (Result, error) {
	switch {
	case opt.HardWeight < 0:
		return Result{}, fmt.Errorf("itc2007: HardWeight %d is negative", opt.HardWeight)
	case opt.HardWeightEnd < 0:
		return Result{}, fmt.Errorf("itc2007: HardWeightEnd %d is negative", opt.HardWeightEnd)
	case opt.Chains < 0:
		return Result{}, fmt.Errorf("itc2007: Chains %d is negative", opt.Chains)
	case opt.RaceShare < 0 || opt.RaceShare >= 1:
		return Result{}, fmt.Errorf("itc2007: RaceShare %g is not in [0, 1)", opt.RaceShare)
	case opt.Pair >= 1:
		return Result{}, fmt.Errorf("itc2007: Pair %g is not below 1", opt.Pair)
	case opt.RaceTemp < 0:
		return Result{}, fmt.Errorf("itc2007: RaceTemp %g is negative", opt.RaceTemp)
	}
	p, course := in.problem()
	copt := core.Options{Seed: opt.Seed, Iterations: opt.Iterations, T0: opt.T0, T1: cmp.Or(opt.T1, defaultT1),
		HardWeight: cmp.Or(opt.HardWeight, defaultHardWeight), HardWeightEnd: cmp.Or(opt.HardWeightEnd, defaultHardWeightEnd),
		KempeRooms: !opt.KempeKeepRooms, Chains: cmp.Or(opt.Chains, defaultChains),
		Race: opt.Race, RaceShare: opt.RaceShare, RaceTemp: opt.RaceTemp,
		Cutoff: orDefault(opt.Cutoff, defaultCutoff), BestRoom: orDefault(opt.BestRoom, defaultBestRoom),
		Reheat: orDefault(opt.Reheat, defaultReheat), Kempe: orDefault(opt.Kempe, defaultKempe),
		Pair: orDefault(opt.Pair, defaultPair), PartnerRoom: orDefault(opt.PartnerRoom, defaultPartnerRoom)}
	switch {
	case opt.Race == 0:
		copt.Race = max(defaultRace, copt.Chains)
	case opt.Race < 0:
		copt.Race = 0
	}
	if copt.T0 == 0 {
		copt.T0 = in.startTemperature()
	}
	if !opt.Deadline.IsZero() {
		now := opt.Now
		if now == nil {
			now = time.Now
		}
		begin := now()
		total := opt.Deadline.Sub(begin)
		copt.Progress = func() float64 {
			if total <= 0 {
				return 1
			}
			return float64(now().Sub(begin)) / float64(total)
		}
	}
	res, err := core.Solve(p, copt)
	if err != nil {
		return Result{}, err
	}
	sol := make(Solution, 0, len(course))
	for e, c := range course {
		if res.Starts[e] >= 0 {
			sol = append(sol, Assignment{Course: c, Room: res.Rooms[e], Period: res.Starts[e]})
		}
	}
	return Result{Solution: sol, Cost: Evaluate(in, sol), Iterations: res.Iterations}, nil
}
