package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func assignRunCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"assign"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

const (
	assignTestProposals  = "../../testdata/assign/proposals.csv"
	assignTestEvaluators = "../../testdata/assign/evaluators.csv"
	assignTestConflicts  = "../../testdata/assign/conflicts.csv"
)

func TestAssignJSON(t *testing.T) {
	code, stdout, stderr := assignRunCLI("--proposals", assignTestProposals, "--evaluators", assignTestEvaluators,
		"--conflicts", assignTestConflicts, "--seed", "4", "--json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var got struct {
		Assignments []struct {
			Proposal, Evaluator string
			Affinity            float64
		}
		TotalAffinity float64 `json:"total_affinity"`
		Bound         float64
		Optimal       bool
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	if n := len(got.Assignments); n != 30 {
		t.Errorf("%d assignments, want 6 proposals × 5", n)
	}
	sum := 0.0
	for _, a := range got.Assignments {
		sum += a.Affinity
		if (a.Evaluator == "e-ola" && a.Proposal == "WS4") || (a.Evaluator == "e-kofi" && a.Proposal == "WS3") ||
			(a.Evaluator == "e-fatou" && a.Proposal == "WS1") {
			t.Errorf("conflicted pair %s–%s assigned", a.Proposal, a.Evaluator)
		}
	}
	if math.Abs(sum-got.TotalAffinity) > 1e-9 || got.Bound < got.TotalAffinity {
		t.Errorf("total %v, pairs sum %v, bound %v", got.TotalAffinity, sum, got.Bound)
	}
	if !got.Optimal {
		t.Errorf("small example not proven optimal: total %v bound %v", got.TotalAffinity, got.Bound)
	}
	// Same seed, same bytes.
	if _, again, _ := assignRunCLI("--proposals", assignTestProposals, "--evaluators", assignTestEvaluators,
		"--conflicts", assignTestConflicts, "--seed", "4", "--json"); again != stdout {
		t.Error("same seed gave different output")
	}
}

func TestAssignCSVOutput(t *testing.T) {
	code, stdout, stderr := assignRunCLI("--proposals", assignTestProposals, "--evaluators", assignTestEvaluators,
		"--per-proposal", "3", "--min-groups", "2")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if lines[0] != "proposal,evaluator,affinity" || len(lines) != 1+18 {
		t.Errorf("stdout starts %q with %d lines, want a header and 18 rows", lines[0], len(lines))
	}
	if !strings.Contains(stderr, "total affinity") {
		t.Errorf("stderr %q has no summary", stderr)
	}
}

func assignWrite(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAssignBadInput(t *testing.T) {
	props := assignWrite(t, "p.csv", "id,title\nP1,a\n,b\n")
	noID := assignWrite(t, "noid.csv", "title\na\n")
	dupProps := assignWrite(t, "dup.csv", "id,title\nP1,a\nP2,b\nP1,c\n")
	evsNoGroup := assignWrite(t, "e.csv", "id,group\na,Government\nb,\n")
	conflicts := assignWrite(t, "c.csv", "evaluator,proposal\ne-kofi,WS9\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing flags", nil, "--proposals and --evaluators are required"},
		{"bad number", []string{"--proposals", assignTestProposals, "--evaluators", assignTestEvaluators, "--per-proposal", "0"}, "--per-proposal must be at least 1"},
		{"empty id", []string{"--proposals", props, "--evaluators", assignTestEvaluators}, `p.csv: row 3, field "id": empty`},
		{"no id column", []string{"--proposals", noID, "--evaluators", assignTestEvaluators}, `noid.csv: row 1: header has no "id" column`},
		{"duplicate id", []string{"--proposals", dupProps, "--evaluators", assignTestEvaluators}, `dup.csv: row 4, field "id": duplicate id "P1" (first on row 2)`},
		{"empty group", []string{"--proposals", assignTestProposals, "--evaluators", evsNoGroup}, `e.csv: row 3, field "group": empty`},
		{"unknown proposal", []string{"--proposals", assignTestProposals, "--evaluators", assignTestEvaluators, "--conflicts", conflicts}, `c.csv: row 2, field "proposal": unknown proposal "WS9"`},
		{"missing file", []string{"--proposals", "nope.csv", "--evaluators", assignTestEvaluators}, "nope.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := assignRunCLI(tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q, want %q", stderr, tt.want)
			}
		})
	}
}

func TestAssignInfeasible(t *testing.T) {
	code, stdout, stderr := assignRunCLI("--proposals", assignTestProposals, "--evaluators", assignTestEvaluators,
		"--conflicts", assignTestConflicts, "--per-proposal", "7", "--json")
	if code != exitFailure || stdout != "" {
		t.Fatalf("exit %d stdout %q, want %d and nothing", code, stdout, exitFailure)
	}
	if !strings.Contains(stderr, "proposal WS3: only 6 non-conflicted evaluators, needs 7") {
		t.Errorf("stderr %q does not explain", stderr)
	}
}

func TestAssignHelp(t *testing.T) {
	code, _, stderr := assignRunCLI("-h")
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{"--proposals", "id,title,description,organisers,speakers,organisations", "evaluator,proposal"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("help lacks %q", want)
		}
	}
}
