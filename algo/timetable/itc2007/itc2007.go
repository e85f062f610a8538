// Package itc2007 reads, scores, solves and writes instances of ITC-2007
// Track 3 (curriculum-based course timetabling), the public benchmark used to
// measure Concord's timetabling core against published results.
package itc2007

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Instance is a parsed .ctt file. Periods are numbered day by day: period p
// is on day p/PeriodsPerDay.
type Instance struct {
	Name          string
	Days          int
	PeriodsPerDay int
	Courses       []Course
	Rooms         []Room
	Curricula     []Curriculum
}

// Course is taught by one teacher in Lectures lectures to Students students,
// which should spread over at least MinDays days.
type Course struct {
	ID, Teacher string
	Lectures    int
	MinDays     int
	Students    int
	Unavailable []int // periods
}

// Room has a capacity in seats.
type Room struct {
	ID       string
	Capacity int
}

// Curriculum is a set of courses (by index) a student group attends.
type Curriculum struct {
	ID      string
	Courses []int
}

// Periods returns the number of periods in the week.
func (in *Instance) Periods() int { return in.Days * in.PeriodsPerDay }

// Lectures returns the total number of lectures.
func (in *Instance) Lectures() int {
	n := 0
	for _, c := range in.Courses {
		n += c.Lectures
	}
	return n
}

// lineReader yields non-blank lines with their numbers.
type lineReader struct {
	sc   *bufio.Scanner
	line int
}

func (lr *lineReader) next() ([]string, bool) {
	for lr.sc.Scan() {
		lr.line++
		f := strings.Fields(lr.sc.Text())
		if len(f) > 0 {
			return f, true
		}
	}
	return nil, false
}

func (lr *lineReader) errorf(format string, a ...any) error {
	return fmt.Errorf("line %d: %s", lr.line, fmt.Sprintf(format, a...))
}

// Parse reads a .ctt instance. Errors name the offending line.
func Parse(r io.Reader) (*Instance, error) {
	lr := &lineReader{sc: bufio.NewScanner(r)}
	in := &Instance{}
	header := map[string]int{}
	for _, key := range []string{"Name:", "Courses:", "Rooms:", "Days:", "Periods_per_day:", "Curricula:", "Constraints:"} {
		f, ok := lr.next()
		if !ok {
			return nil, lr.errorf("unexpected end of file, want %q", key)
		}
		if f[0] != key || len(f) != 2 {
			return nil, lr.errorf("want %q and one value, got %q", key, strings.Join(f, " "))
		}
		if key == "Name:" {
			in.Name = f[1]
			continue
		}
		v, err := strconv.Atoi(f[1])
		if err != nil || v < 0 {
			return nil, lr.errorf("%s %q is not a count", key, f[1])
		}
		header[key] = v
	}
	in.Days, in.PeriodsPerDay = header["Days:"], header["Periods_per_day:"]
	if in.Days == 0 || in.PeriodsPerDay == 0 {
		return nil, lr.errorf("days and periods per day must be positive")
	}
	section := func(name string) error {
		f, ok := lr.next()
		if !ok {
			return lr.errorf("unexpected end of file, want %q", name)
		}
		if len(f) != 1 || f[0] != name {
			return lr.errorf("want %q, got %q", name, strings.Join(f, " "))
		}
		return nil
	}
	ints := func(f []string) ([]int, error) {
		out := make([]int, len(f))
		for i, s := range f {
			v, err := strconv.Atoi(s)
			if err != nil || v < 0 {
				return nil, lr.errorf("%q is not a non-negative integer", s)
			}
			out[i] = v
		}
		return out, nil
	}
	if err := section("COURSES:"); err != nil {
		return nil, err
	}
	courseIdx := map[string]int{}
	for range header["Courses:"] {
		f, ok := lr.next()
		if !ok || len(f) != 5 {
			return nil, lr.errorf("want <course> <teacher> <lectures> <min days> <students>")
		}
		v, err := ints(f[2:])
		if err != nil {
			return nil, err
		}
		if _, dup := courseIdx[f[0]]; dup {
			return nil, lr.errorf("course %q listed twice", f[0])
		}
		courseIdx[f[0]] = len(in.Courses)
		in.Courses = append(in.Courses, Course{ID: f[0], Teacher: f[1], Lectures: v[0], MinDays: v[1], Students: v[2]})
	}
	if err := section("ROOMS:"); err != nil {
		return nil, err
	}
	roomIdx := map[string]int{}
	for range header["Rooms:"] {
		f, ok := lr.next()
		if !ok || len(f) != 2 {
			return nil, lr.errorf("want <room> <capacity>")
		}
		v, err := ints(f[1:])
		if err != nil {
			return nil, err
		}
		if _, dup := roomIdx[f[0]]; dup {
			return nil, lr.errorf("room %q listed twice", f[0])
		}
		roomIdx[f[0]] = len(in.Rooms)
		in.Rooms = append(in.Rooms, Room{ID: f[0], Capacity: v[0]})
	}
	if err := section("CURRICULA:"); err != nil {
		return nil, err
	}
	for range header["Curricula:"] {
		f, ok := lr.next()
		if !ok || len(f) < 2 {
			return nil, lr.errorf("want <curriculum> <#courses> <course>...")
		}
		k, err := strconv.Atoi(f[1])
		if err != nil || k != len(f)-2 {
			return nil, lr.errorf("curriculum %q: course count %q does not match %d courses listed", f[0], f[1], len(f)-2)
		}
		cu := Curriculum{ID: f[0]}
		for _, name := range f[2:] {
			c, ok := courseIdx[name]
			if !ok {
				return nil, lr.errorf("curriculum %q: unknown course %q", f[0], name)
			}
			cu.Courses = append(cu.Courses, c)
		}
		in.Curricula = append(in.Curricula, cu)
	}
	if err := section("UNAVAILABILITY_CONSTRAINTS:"); err != nil {
		return nil, err
	}
	for range header["Constraints:"] {
		f, ok := lr.next()
		if !ok || len(f) != 3 {
			return nil, lr.errorf("want <course> <day> <period>")
		}
		c, ok := courseIdx[f[0]]
		if !ok {
			return nil, lr.errorf("unknown course %q", f[0])
		}
		v, err := ints(f[1:])
		if err != nil {
			return nil, err
		}
		if v[0] >= in.Days || v[1] >= in.PeriodsPerDay {
			return nil, lr.errorf("day %d period %d outside the %d×%d week", v[0], v[1], in.Days, in.PeriodsPerDay)
		}
		in.Courses[c].Unavailable = append(in.Courses[c].Unavailable, v[0]*in.PeriodsPerDay+v[1])
	}
	if err := section("END."); err != nil {
		return nil, err
	}
	if err := lr.sc.Err(); err != nil {
		return nil, err
	}
	return in, nil
}

// Assignment places one lecture of a course in a room at a period.
type Assignment struct {
	Course, Room, Period int
}

// Solution lists one Assignment per scheduled lecture.
type Solution []Assignment

// ParseSolution reads a .sol file for the instance: <course> <room> <day>
// <period> per line.
func ParseSolution(r io.Reader, in *Instance) (Solution, error) {
	courseIdx := map[string]int{}
	for i, c := range in.Courses {
		courseIdx[c.ID] = i
	}
	roomIdx := map[string]int{}
	for i, c := range in.Rooms {
		roomIdx[c.ID] = i
	}
	lr := &lineReader{sc: bufio.NewScanner(r)}
	var sol Solution
	for {
		f, ok := lr.next()
		if !ok {
			break
		}
		if len(f) != 4 {
			return nil, lr.errorf("want <course> <room> <day> <period>")
		}
		c, ok := courseIdx[f[0]]
		if !ok {
			return nil, lr.errorf("unknown course %q", f[0])
		}
		rm, ok := roomIdx[f[1]]
		if !ok {
			return nil, lr.errorf("unknown room %q", f[1])
		}
		d, err1 := strconv.Atoi(f[2])
		p, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || d < 0 || p < 0 || d >= in.Days || p >= in.PeriodsPerDay {
			return nil, lr.errorf("day %q period %q outside the %d×%d week", f[2], f[3], in.Days, in.PeriodsPerDay)
		}
		sol = append(sol, Assignment{Course: c, Room: rm, Period: d*in.PeriodsPerDay + p})
	}
	return sol, lr.sc.Err()
}

// WriteSolution writes sol in the .sol format.
func WriteSolution(w io.Writer, in *Instance, sol Solution) error {
	bw := bufio.NewWriter(w)
	for _, a := range sol {
		fmt.Fprintf(bw, "%s %s %d %d\n", in.Courses[a.Course].ID, in.Rooms[a.Room].ID,
			a.Period/in.PeriodsPerDay, a.Period%in.PeriodsPerDay)
	}
	return bw.Flush()
}
