package itc2007

import "fmt"

// Cost is a solution's score under the official ITC-2007 Track 3 rules. Hard
// fields count violations; soft fields are already weighted (capacity 1 per
// student over, minimum working days 5 per day short, compactness 2 per
// isolated lecture, room stability 1 per extra room).
type Cost struct {
	Lectures       int // lectures missing, extra, or two of a course at one period
	Conflicts      int // pairs of lectures of same-curriculum or same-teacher courses at one period
	RoomOccupancy  int // lectures beyond the first in a room at a period
	Availability   int // lectures at a period their course cannot use
	RoomCapacity   int
	MinWorkingDays int
	Compactness    int
	RoomStability  int
}

// Hard is the number of hard violations.
func (c Cost) Hard() int { return c.Lectures + c.Conflicts + c.RoomOccupancy + c.Availability }

// Soft is the soft cost, the number compared in the competition.
func (c Cost) Soft() int { return c.RoomCapacity + c.MinWorkingDays + c.Compactness + c.RoomStability }

func (c Cost) String() string {
	return fmt.Sprintf("hard %d (lectures %d, conflicts %d, room occupancy %d, availability %d); soft %d (room capacity %d, min working days %d, curriculum compactness %d, room stability %d)",
		c.Hard(), c.Lectures, c.Conflicts, c.RoomOccupancy, c.Availability,
		c.Soft(), c.RoomCapacity, c.MinWorkingDays, c.Compactness, c.RoomStability)
}

// Evaluate scores sol from scratch, following the official validator.
func Evaluate(in *Instance, sol Solution) Cost {
	var cost Cost
	nc, np, nr := len(in.Courses), in.Periods(), len(in.Rooms)
	at := make([]int, nc*np) // lectures of course c at period p
	roomAt := make([]int, nr*np)
	count := make([]int, nc)
	for _, a := range sol {
		at[a.Course*np+a.Period]++
		roomAt[a.Room*np+a.Period]++
		count[a.Course]++
		if s := in.Courses[a.Course].Students - in.Rooms[a.Room].Capacity; s > 0 {
			cost.RoomCapacity += s
		}
	}
	for c, course := range in.Courses {
		if d := count[c] - course.Lectures; d != 0 {
			cost.Lectures += max(d, -d)
		}
		for p := range np {
			if k := at[c*np+p]; k > 1 {
				cost.Lectures += k - 1
			}
		}
		for _, p := range course.Unavailable {
			cost.Availability += at[c*np+p]
		}
	}
	for _, k := range roomAt {
		if k > 1 {
			cost.RoomOccupancy += k - 1
		}
	}
	// Conflicts between distinct courses sharing a curriculum or a teacher.
	conflict := make([]bool, nc*nc)
	for _, cu := range in.Curricula {
		for _, a := range cu.Courses {
			for _, b := range cu.Courses {
				conflict[a*nc+b] = true
			}
		}
	}
	for a := range nc {
		for b := a + 1; b < nc; b++ {
			if !conflict[a*nc+b] && in.Courses[a].Teacher != in.Courses[b].Teacher {
				continue
			}
			for p := range np {
				if at[a*np+p] > 0 && at[b*np+p] > 0 {
					cost.Conflicts++
				}
			}
		}
	}
	for c, course := range in.Courses {
		days := map[int]bool{}
		rooms := map[int]bool{}
		for _, a := range sol {
			if a.Course == c {
				days[a.Period/in.PeriodsPerDay] = true
				rooms[a.Room] = true
			}
		}
		if len(days) < course.MinDays {
			cost.MinWorkingDays += 5 * (course.MinDays - len(days))
		}
		if len(rooms) > 1 {
			cost.RoomStability += len(rooms) - 1
		}
	}
	busy := make([]bool, np)
	for _, cu := range in.Curricula {
		for p := range busy {
			busy[p] = false
			for _, c := range cu.Courses {
				if at[c*np+p] > 0 {
					busy[p] = true
				}
			}
		}
		for p := range np {
			k := p % in.PeriodsPerDay
			if busy[p] && (k == 0 || !busy[p-1]) && (k == in.PeriodsPerDay-1 || !busy[p+1]) {
				cost.Compactness += 2
			}
		}
	}
	return cost
}
