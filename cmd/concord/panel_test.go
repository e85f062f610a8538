package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"concord/internal/shareddata"
)

func runPanelCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPanelSelectJSON(t *testing.T) {
	people := shareddata.Path(t, "sortition", "example_small_20", "respondents.csv")
	quotas := shareddata.Path(t, "sortition", "example_small_20", "categories.csv")
	args := []string{"panel", "select", "--people", people, "--quotas", quotas, "--seats", "20", "--seed", "42", "--json"}
	code, stdout, stderr := runPanelCLI(args...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Panel          []string           `json:"panel"`
		Probabilities  map[string]float64 `json:"probabilities"`
		MinProbability float64            `json:"min_probability"`
		Seed           uint64             `json:"seed"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("stdout holds more than one JSON value")
	}
	if len(got.Panel) != 20 || len(got.Probabilities) != 200 || got.Seed != 42 {
		t.Errorf("panel %d ids, %d probabilities, seed %d", len(got.Panel), len(got.Probabilities), got.Seed)
	}
	if math.Abs(got.MinProbability-0.1) > 1e-6 {
		t.Errorf("min probability %v, want 0.1", got.MinProbability)
	}
	_, again, _ := runPanelCLI(args...)
	if again != stdout {
		t.Error("the same seed gave different output")
	}
}

func TestPanelSelectSortitionFoundationLayout(t *testing.T) {
	people := shareddata.Path(t, "sortition", "synthetic", "candidates.csv")
	quotas := shareddata.Path(t, "sortition", "synthetic", "features.csv")
	code, stdout, stderr := runPanelCLI("panel", "select", "--people", people, "--quotas", quotas, "--seats", "22", "--method", "optimal")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "panel: p") {
		t.Errorf("summary does not list nationbuilder ids:\n%s", stdout)
	}
}

func TestPanelSelectBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	people := write("people.csv", "id,gender\na,woman\nb,man\nc,woman\nd,man\n")
	quotas := write("quotas.csv", "category,feature,min,max\ngender,woman,1,2\ngender,man,1,2\n")
	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no seats", []string{"--people", people, "--quotas", quotas}, "--seats"},
		{"bad method", []string{"--people", people, "--quotas", quotas, "--seats", "2", "--method", "vote"}, "--method"},
		{"missing file", []string{"--people", filepath.Join(dir, "nope.csv"), "--quotas", quotas, "--seats", "2"}, "nope.csv"},
		{"bad min", []string{"--people", people, "--quotas", write("q1.csv", "category,feature,min,max\ngender,woman,x,2\n"), "--seats", "2"}, "q1.csv:2"},
		{"unknown feature", []string{"--people", write("p1.csv", "id,gender\na,woman\nb,robot\n"), "--quotas", quotas, "--seats", "2"}, `p1.csv:3: person 2 (id "b"): category "gender": feature "robot" has no quota`},
		{"duplicate id", []string{"--people", write("p2.csv", "id,gender\na,woman\na,man\n"), "--quotas", quotas, "--seats", "2"}, "p2.csv:3"},
		{"missing category", []string{"--people", write("p3.csv", "id,region\na,x\n"), "--quotas", quotas, "--seats", "1"}, `no column for category "gender"`},
		{"min above max", []string{"--people", people, "--quotas", write("q2.csv", "category,feature,min,max\ngender,woman,3,2\ngender,man,0,2\n"), "--seats", "2"}, "q2.csv:2"},
		{"minimums exceed seats", []string{"--people", people, "--quotas", write("q3.csv", "category,feature,min,max\ngender,woman,2,2\ngender,man,2,2\n"), "--seats", "3"}, "category gender: minimums sum to 4 > 3 seats"},
		{"too many seats", []string{"--people", people, "--quotas", quotas, "--seats", "9"}, "9 seats but only 4 people"},
		{"unknown forced", []string{"--people", people, "--quotas", quotas, "--seats", "2", "--forced", "zz"}, `"zz"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runPanelCLI(append([]string{"panel", "select"}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr %s", code, exitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %q", stdout)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tc.want)
			}
		})
	}
}

func TestPanelSelectForcedAndBalance(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,group\n")
	groups := []string{"gov", "civil", "tech", "private"}
	for i := range 24 {
		b.WriteString(string(rune('a'+i)) + "," + groups[i%4] + "\n")
	}
	people := filepath.Join(dir, "people.csv")
	quotas := filepath.Join(dir, "quotas.csv")
	if err := os.WriteFile(people, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(quotas, []byte("category,feature,min,max\ngroup,gov,0,4\ngroup,civil,0,10\ngroup,tech,0,10\ngroup,private,0,10\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runPanelCLI("panel", "select", "--people", people, "--quotas", quotas, "--seats", "10",
		"--forced", "a,b", "--balance", "group=civil,tech,private:1", "--seed", "3", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Panel         []string           `json:"panel"`
		Probabilities map[string]float64 `json:"probabilities"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(got.Panel, "a") || !slices.Contains(got.Panel, "b") {
		t.Errorf("forced members missing from %v", got.Panel)
	}
	if got.Probabilities["a"] < 1-1e-9 {
		t.Errorf("forced member probability %v", got.Probabilities["a"])
	}
	count := map[string]int{}
	for _, id := range got.Panel {
		count[groups[int(id[0]-'a')%4]]++
	}
	lo, hi := min(count["civil"], count["tech"], count["private"]), max(count["civil"], count["tech"], count["private"])
	if hi-lo > 1 || count["gov"] > 4 {
		t.Errorf("panel %v breaks the rules: %v", got.Panel, count)
	}
}
