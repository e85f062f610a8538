package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"

	"concord/algo/assign"
)

func init() {
	commands["assign"] = command{
		summary: "assign evaluators to session proposals (assign)",
		run:     assignRun,
	}
}

// assignCSVHelp documents the input files; it is part of -h.
//
// proposals CSV: id,title,description,organisers,speakers,organisations
//
//	id is required; organisers and speakers are person ids separated by ";"
//	(an evaluator whose id is among them has a conflict); organisations are
//	separated by ";" (an evaluator from one of them has a conflict).
//
// evaluators CSV: id,name,group,organisation,expertise
//
//	id and group (stakeholder group) are required; expertise is free text
//	matched against the proposals' title and description.
//
// conflicts CSV: evaluator,proposal — one declared conflict per row.
//
// Columns are found by header name in any order; unknown columns are ignored.
const assignCSVHelp = `
Input files (CSV with a header row; columns in any order, others ignored):
  --proposals   id,title,description,organisers,speakers,organisations
                id required; organisers and speakers are person ids and
                organisations are names, each list separated by ";".
  --evaluators  id,name,group,organisation,expertise
                id and group (stakeholder group) required; expertise is text.
  --conflicts   evaluator,proposal (optional file; one declared conflict a row)
An evaluator has a conflict with a proposal if declared, if their id is an
organiser or speaker, or if their organisation is one of its organisations.

Output: CSV proposal,evaluator,affinity on stdout and a summary on stderr, or
with --json one object {"assignments":[{"proposal","evaluator","affinity"}],
"total_affinity","bound","gap","optimal"}. bound is a proven upper bound on
the best total affinity; optimal is true when the total reaches it.
Exit codes: 0 done, 1 no assignment meets the rules or none was found
(reasons on stderr), 2 bad flags or input (file, row and field on stderr).
`

type assignJSONPair struct {
	Proposal  string  `json:"proposal"`
	Evaluator string  `json:"evaluator"`
	Affinity  float64 `json:"affinity"`
}

type assignJSON struct {
	Assignments   []assignJSONPair `json:"assignments"`
	TotalAffinity float64          `json:"total_affinity"`
	Bound         float64          `json:"bound"`
	Gap           float64          `json:"gap"`
	Optimal       bool             `json:"optimal"`
}

func assignRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("assign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: concord assign --proposals FILE --evaluators FILE [--conflicts FILE] [--per-proposal 5] [--min-groups 3] [--seed S] [--json]")
		fs.PrintDefaults()
		fmt.Fprint(stderr, assignCSVHelp)
	}
	proposalFile := fs.String("proposals", "", "CSV of session proposals (required)")
	evaluatorFile := fs.String("evaluators", "", "CSV of evaluators (required)")
	conflictFile := fs.String("conflicts", "", "CSV of declared conflicts")
	perProposal := fs.Int("per-proposal", assign.DefaultPerProposal, "evaluators per proposal")
	minGroups := fs.Int("min-groups", assign.DefaultMinGroups, "minimum distinct stakeholder groups per proposal")
	seed := fs.Uint64("seed", 0, "seed for breaking ties; the same inputs and seed give the same assignment")
	asJSON := fs.Bool("json", false, "write one JSON object to stdout")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "concord assign: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected argument %q", fs.Arg(0))
	case *proposalFile == "" || *evaluatorFile == "":
		return bad("--proposals and --evaluators are required; see -h")
	case *perProposal < 1:
		return bad("--per-proposal must be at least 1, got %d", *perProposal)
	case *minGroups < 1:
		return bad("--min-groups must be at least 1, got %d", *minGroups)
	}
	proposals, err := assignReadProposals(*proposalFile)
	if err != nil {
		return bad("%v", err)
	}
	evaluators, err := assignReadEvaluators(*evaluatorFile)
	if err != nil {
		return bad("%v", err)
	}
	if *conflictFile != "" {
		if err := assignReadConflicts(*conflictFile, proposals, evaluators); err != nil {
			return bad("%v", err)
		}
	}
	opt := assign.Options{PerProposal: *perProposal, MinGroups: *minGroups, Seed: *seed}
	var finish func()
	opt.Progress, finish = assignProgress(stderr)
	res, err := assign.Assign(proposals, evaluators, opt)
	finish()
	if err != nil {
		var inf *assign.InfeasibleError
		if errors.As(err, &inf) {
			for _, r := range inf.Reasons {
				fmt.Fprintf(stderr, "concord assign: infeasible: %s\n", r)
			}
			return exitFailure
		}
		if errors.Is(err, assign.ErrNotFound) {
			fmt.Fprintf(stderr, "concord assign: %v\n", err)
			return exitFailure
		}
		return bad("%v", err)
	}
	out := assignJSON{
		Assignments:   make([]assignJSONPair, len(res.Pairs)),
		TotalAffinity: res.TotalAffinity,
		Bound:         res.Bound,
		Gap:           res.Bound - res.TotalAffinity,
		Optimal:       res.Bound == res.TotalAffinity,
	}
	for i, p := range res.Pairs {
		out.Assignments[i] = assignJSONPair(p)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "concord assign: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	w := csv.NewWriter(stdout)
	w.Write([]string{"proposal", "evaluator", "affinity"})
	for _, p := range res.Pairs {
		w.Write([]string{p.Proposal, p.Evaluator, strconv.FormatFloat(p.Affinity, 'f', 6, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintf(stderr, "concord assign: %v\n", err)
		return exitFailure
	}
	status := "proven optimal"
	if !out.Optimal {
		status = fmt.Sprintf("upper bound %.6f (gap %.6f)", out.Bound, out.Gap)
	}
	fmt.Fprintf(stderr, "concord assign: %d evaluations of %d proposals by %d evaluators; total affinity %.6f, %s\n",
		len(res.Pairs), len(proposals), len(evaluators), res.TotalAffinity, status)
	return exitOK
}

// assignProgress draws a bar on stderr when it is a terminal (else the
// callback is nil); finish clears it.
func assignProgress(stderr io.Writer) (progress func(done, total int), finish func()) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(1, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("assigning"), progressbar.OptionClearOnFinish())
	progress = func(done, total int) {
		if total > 0 && bar.GetMax() != total {
			bar.ChangeMax(total)
		}
		bar.Set(done)
	}
	return progress, func() { bar.Finish() }
}

// assignTable is a CSV file read with its header.
type assignTable struct {
	path string
	cols map[string]int
	rows [][]string
	line []int // file line of each row
}

func assignReadTable(path string, required ...string) (*assignTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	t := &assignTable{path: path, cols: map[string]int{}}
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, want a header row", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := t.cols[h]; !dup {
			t.cols[h] = i
		}
	}
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			return nil, fmt.Errorf("%s: row 1: header has no %q column", path, c)
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		t.rows = append(t.rows, rec)
		t.line = append(t.line, line)
	}
	return t, nil
}

// get returns a row's field by column name, trimmed; "" if absent.
func (t *assignTable) get(row int, col string) string {
	i, ok := t.cols[col]
	if !ok || i >= len(t.rows[row]) {
		return ""
	}
	return strings.TrimSpace(t.rows[row][i])
}

func (t *assignTable) errorf(row int, field, format string, a ...any) error {
	return fmt.Errorf("%s: row %d, field %q: %s", t.path, t.line[row], field, fmt.Sprintf(format, a...))
}

func assignList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func assignReadProposals(path string) ([]assign.Proposal, error) {
	t, err := assignReadTable(path, "id")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	ps := make([]assign.Proposal, 0, len(t.rows))
	for i := range t.rows {
		id := t.get(i, "id")
		if id == "" {
			return nil, t.errorf(i, "id", "empty")
		}
		if first, dup := seen[id]; dup {
			return nil, t.errorf(i, "id", "duplicate id %q (first on row %d)", id, first)
		}
		seen[id] = t.line[i]
		ps = append(ps, assign.Proposal{
			ID:            id,
			Text:          strings.TrimSpace(t.get(i, "title") + "\n" + t.get(i, "description")),
			People:        append(assignList(t.get(i, "organisers")), assignList(t.get(i, "speakers"))...),
			Organisations: assignList(t.get(i, "organisations")),
		})
	}
	return ps, nil
}

func assignReadEvaluators(path string) ([]assign.Evaluator, error) {
	t, err := assignReadTable(path, "id", "group")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	evs := make([]assign.Evaluator, 0, len(t.rows))
	for i := range t.rows {
		id := t.get(i, "id")
		if id == "" {
			return nil, t.errorf(i, "id", "empty")
		}
		if first, dup := seen[id]; dup {
			return nil, t.errorf(i, "id", "duplicate id %q (first on row %d)", id, first)
		}
		seen[id] = t.line[i]
		group := t.get(i, "group")
		if group == "" {
			return nil, t.errorf(i, "group", "empty; every evaluator needs a stakeholder group")
		}
		evs = append(evs, assign.Evaluator{
			ID:           id,
			Group:        group,
			Organisation: t.get(i, "organisation"),
			Expertise:    t.get(i, "expertise"),
		})
	}
	return evs, nil
}

// assignReadConflicts adds declared conflicts to evs.
func assignReadConflicts(path string, ps []assign.Proposal, evs []assign.Evaluator) error {
	t, err := assignReadTable(path, "evaluator", "proposal")
	if err != nil {
		return err
	}
	pIDs := map[string]bool{}
	for _, p := range ps {
		pIDs[p.ID] = true
	}
	eIdx := map[string]int{}
	for i, e := range evs {
		eIdx[e.ID] = i
	}
	for i := range t.rows {
		e, p := t.get(i, "evaluator"), t.get(i, "proposal")
		j, ok := eIdx[e]
		if !ok {
			return t.errorf(i, "evaluator", "unknown evaluator %q", e)
		}
		if !pIDs[p] {
			return t.errorf(i, "proposal", "unknown proposal %q", p)
		}
		evs[j].Conflicts = append(evs[j].Conflicts, p)
	}
	return nil
}
