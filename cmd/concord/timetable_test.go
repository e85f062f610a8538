package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"concord/algo/timetable/itc2007"
	"concord/internal/shareddata"
)

func TestTimetableITC2007(t *testing.T) {
	ctt := shareddata.Path(t, "itc2007", "instances", "toy.ctt")
	out := filepath.Join(t.TempDir(), "toy.sol")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"timetable", "itc2007", ctt, "--time", "0", "--iterations", "20000", "--seed", "3", "--out", out}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr.String())
	}
	for _, want := range []string{"hard violations: 0", "soft cost: 0 (room capacity 0, min working days 0, curriculum compactness 0, room stability 0)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
	// The written solution scores the same with the package evaluator.
	f, err := os.Open(ctt)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := itc2007.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	sf, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	sol, err := itc2007.ParseSolution(sf, in)
	if err != nil {
		t.Fatal(err)
	}
	if c := itc2007.Evaluate(in, sol); c.Hard() != 0 || c.Soft() != 0 || len(sol) != in.Lectures() {
		t.Errorf("written solution: %v, %d lectures", c, len(sol))
	}
}

func TestTimetableUsage(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.ctt")
	if err := os.WriteFile(bad, []byte("Name: x\nCourses: two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"timetable"}, exitUsage, "usage:"},
		{[]string{"timetable", "itc2007"}, exitUsage, "usage:"},
		{[]string{"timetable", "itc2007", "/no/such.ctt"}, exitUsage, "no such file"},
		{[]string{"timetable", "itc2007", bad}, exitUsage, "line 2:"},
		{[]string{"timetable", "itc2007", bad, "--time", "0"}, exitUsage, "need --time or --iterations"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), tt.args, &stdout, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr.String(), tt.code, tt.msg)
		}
	}
}
