package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"concord/algo/timetable/itc2007"
)

func init() {
	commands["timetable"] = command{
		summary: "solve timetabling benchmarks (timetable itc2007 FILE.ctt)",
		run:     ttRun,
	}
}

func ttRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "itc2007" {
		fmt.Fprintln(stderr, "usage: concord timetable itc2007 FILE.ctt [--time 60s] [--seed S] [--iterations N] [--out FILE.sol]")
		return exitUsage
	}
	return ttRunITC(ctx, args[1:], stdout, stderr)
}

func ttRunITC(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("timetable itc2007", flag.ContinueOnError)
	fs.SetOutput(stderr)
	limit := fs.Duration("time", 60*time.Second, "wall-clock budget for the search")
	seed := fs.Uint64("seed", 1, "random seed")
	iters := fs.Int64("iterations", 0, "cap on search moves; with --time 0 the run replays exactly")
	out := fs.String("out", "", "write the solution in .sol format to this file")
	t0 := fs.Float64("t0", 0, "annealing start temperature (0: default)")
	t1 := fs.Float64("t1", 0, "annealing end temperature (0: default)")
	kempe := fs.Float64("kempe", 0, "share of Kempe-chain moves (0: default 0.2, negative: none)")
	hw := fs.Int("hard-weight", 0, "cost of a hard violation at the start of the search (0: default)")
	partner := fs.Float64("partner-room", 0, "share of moves that reuse a room of the course (0: default 0.3, negative: none)")
	hwEnd := fs.Int("hard-weight-end", 0, "cost of a hard violation at the end of the search (0: default)")
	cutoff := fs.Float64("cutoff", 0, "share of a temperature step's moves accepted before cooling (0: default, negative: continuous cooling)")
	bestRoom := fs.Float64("best-room", 0, "share of moves that take the cheapest free room (0: default, negative: none)")
	reheat := fs.Float64("reheat", 0, "temperature a frozen search reheats to (0: default, negative: never)")
	keepRooms := fs.Bool("kempe-keep-rooms", false, "Kempe chains keep every lecture's room instead of re-matching rooms")
	raceN := fs.Int("race", 0, "chains started, of which only the --chains best at --race-temp are finished (0: default 7, negative: none)")
	raceShare := fs.Float64("race-share", 0, "share of the budget the race's first stage takes (0: default 0.7)")
	raceTemp := fs.Float64("race-temp", 0, "temperature the race's first stage ends at (0: default 0.67)")
	pair := fs.Float64("pair", 0, "share of moves that take two lectures of a curriculum in consecutive periods to another day together (0: default 0.1, negative: none)")
	chains := fs.Int("chains", 0, "independent searches run side by side, the best kept (0: default)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: concord timetable itc2007 FILE.ctt [--time 60s] [--seed S] [--iterations N] [--out FILE.sol]")
		fs.PrintDefaults()
	}
	// Allow the file before or after the flags.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() != 0 || file == "" {
		fs.Usage()
		return exitUsage
	}
	if *limit <= 0 && *iters <= 0 {
		fmt.Fprintln(stderr, "timetable itc2007: need --time or --iterations")
		return exitUsage
	}
	f, err := os.Open(file)
	if err != nil {
		fmt.Fprintln(stderr, "timetable itc2007:", err)
		return exitUsage
	}
	in, err := itc2007.Parse(f)
	f.Close()
	if err != nil {
		fmt.Fprintf(stderr, "timetable itc2007: %s: %v\n", file, err)
		return exitUsage
	}
	opt := itc2007.Options{Seed: *seed, Iterations: *iters, T0: *t0, T1: *t1, PartnerRoom: *partner, HardWeight: *hw, HardWeightEnd: *hwEnd, Kempe: *kempe, Cutoff: *cutoff, Chains: *chains,
		Race: *raceN, RaceShare: *raceShare, RaceTemp: *raceTemp, BestRoom: *bestRoom, Reheat: *reheat, KempeKeepRooms: *keepRooms, Pair: *pair}
	begin := time.Now()
	if *limit > 0 {
		opt.Deadline = begin.Add(*limit)
		if dl, ok := ctx.Deadline(); ok && dl.Before(opt.Deadline) {
			opt.Deadline = dl
		}
		opt.Now = func() time.Time {
			// An interrupt ends the search early with the best solution so far.
			if ctx.Err() != nil {
				return opt.Deadline
			}
			return time.Now()
		}
	}
	res, err := itc2007.Solve(in, opt)
	if err != nil {
		fmt.Fprintln(stderr, "timetable itc2007:", err)
		return exitFailure
	}
	c := res.Cost
	fmt.Fprintf(stdout, "instance %s (%s): %d courses, %d lectures, %d rooms, %d×%d periods\n",
		file, in.Name, len(in.Courses), in.Lectures(), len(in.Rooms), in.Days, in.PeriodsPerDay)
	fmt.Fprintf(stdout, "search: seed %d, %d moves in %.1fs\n", *seed, res.Iterations, time.Since(begin).Seconds())
	fmt.Fprintf(stdout, "hard violations: %d (lectures %d, conflicts %d, room occupancy %d, availability %d)\n",
		c.Hard(), c.Lectures, c.Conflicts, c.RoomOccupancy, c.Availability)
	fmt.Fprintf(stdout, "soft cost: %d (room capacity %d, min working days %d, curriculum compactness %d, room stability %d)\n",
		c.Soft(), c.RoomCapacity, c.MinWorkingDays, c.Compactness, c.RoomStability)
	if *out != "" {
		w, err := os.Create(*out)
		if err == nil {
			err = itc2007.WriteSolution(w, in, res.Solution)
			if cerr := w.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "timetable itc2007:", err)
			return exitFailure
		}
	}
	if c.Hard() > 0 {
		return exitFailure
	}
	return exitOK
}
