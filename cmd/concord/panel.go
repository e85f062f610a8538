package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/schollz/progressbar/v3"

	selection "concord/algo/select"
)

func init() {
	commands["panel"] = command{
		summary: "select a panel by lottery under quotas (panel select)",
		run:     runPanel,
	}
}

func runPanel(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "select" {
		fmt.Fprintln(stderr, "usage: concord panel select --people FILE --quotas FILE --seats N [--method leximin|optimal] [--seed S] [--json]")
		return exitUsage
	}
	return runPanelSelect(ctx, args[1:], stdout, stderr)
}

// panelBalanceFlags collects repeated --balance "category=f1,f2,f3:D" rules.
type panelBalanceFlags []selection.Balance

func (b *panelBalanceFlags) String() string { return fmt.Sprint(*b) }

func (b *panelBalanceFlags) Set(s string) error {
	cat, rest, ok := strings.Cut(s, "=")
	i := strings.LastIndex(rest, ":")
	if !ok || i < 0 {
		return errors.New(`want "category=feature1,feature2:maxdiff"`)
	}
	d, err := strconv.Atoi(rest[i+1:])
	if err != nil {
		return fmt.Errorf("max difference %q is not a number", rest[i+1:])
	}
	var fs []string
	for _, f := range strings.Split(rest[:i], ",") {
		fs = append(fs, strings.TrimSpace(f))
	}
	*b = append(*b, selection.Balance{Category: strings.TrimSpace(cat), Features: fs, MaxDiff: d})
	return nil
}

func runPanelSelect(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("panel select", flag.ContinueOnError)
	fs.SetOutput(stderr)
	peopleFile := fs.String("people", "", "CSV of the pool: one column per category, optional id and score columns")
	quotaFile := fs.String("quotas", "", "CSV of quotas: category,feature,min,max (or feature,value,min,max)")
	seats := fs.Int("seats", 0, "panel size")
	method := fs.String("method", "leximin", "leximin (fairest lottery) or optimal (highest total score)")
	seed := fs.Uint64("seed", 0, "seed for the draw; the same inputs and seed give the same panel")
	asJSON := fs.Bool("json", false, "write one JSON object to stdout")
	forced := fs.String("forced", "", "comma-separated ids of sitting members who keep their seats")
	var balances panelBalanceFlags
	fs.Var(&balances, "balance", `seat counts that must stay close: "category=f1,f2,f3:maxdiff" (repeatable)`)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "concord panel select: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected argument %q", fs.Arg(0))
	case *peopleFile == "" || *quotaFile == "":
		return bad("--people and --quotas are required")
	case *seats <= 0:
		return bad("--seats must be a positive number")
	case *method != "leximin" && *method != "optimal":
		return bad("--method must be leximin or optimal, not %q", *method)
	}
	quotas, quotaLines, err := readPanelQuotas(*quotaFile)
	if err != nil {
		return bad("%v", err)
	}
	people, peopleLines, err := readPanelPeople(*peopleFile, quotas)
	if err != nil {
		return bad("%v", err)
	}
	in := &selection.Instance{People: people, Quotas: quotas, Seats: *seats, Balances: balances}
	if *forced != "" {
		for _, id := range strings.Split(*forced, ",") {
			in.Forced = append(in.Forced, strings.TrimSpace(id))
		}
	}
	if err := in.Validate(); err != nil {
		var ie *selection.InvalidError
		switch {
		case errors.As(err, &ie) && ie.Person >= 0:
			return bad("%s:%d: %v", *peopleFile, peopleLines[ie.Person], err)
		case errors.As(err, &ie) && ie.Quota >= 0:
			return bad("%s:%d: %v", *quotaFile, quotaLines[ie.Quota], err)
		}
		return bad("%v", err)
	}

	var out panelOutput
	out.Method, out.Seed, out.Seats = *method, *seed, *seats
	probs := map[string]float64{}
	switch *method {
	case "leximin":
		d, err := selection.Leximin(ctx, in, selection.Options{Progress: panelProgress(stderr)})
		if err != nil {
			return panelFailed(stderr, err)
		}
		out.Panel = selection.Draw(d, selection.NewRand(*seed))
		for i, id := range d.People {
			probs[id] = d.Probabilities[i]
		}
		out.MinProbability = d.MinProbability
		out.Compositions = len(d.Panels)
	case "optimal":
		s, err := selection.Optimal(ctx, in)
		if err != nil {
			return panelFailed(stderr, err)
		}
		out.Panel = s.Members
		for _, p := range people {
			probs[p.ID] = 0
		}
		for _, id := range s.Members {
			probs[id] = 1
		}
		out.MinProbability = 1
		for _, p := range probs {
			out.MinProbability = min(out.MinProbability, p)
		}
		out.Score = &s.Score
		out.Compositions = 1
	}
	out.Probabilities = probs
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "concord panel select:", err)
			return exitFailure
		}
		return exitOK
	}
	writePanelSummary(stdout, &out, people)
	return exitOK
}

type panelOutput struct {
	Method         string             `json:"method"`
	Seed           uint64             `json:"seed"`
	Seats          int                `json:"seats"`
	Panel          []string           `json:"panel"`
	Probabilities  map[string]float64 `json:"probabilities"`
	MinProbability float64            `json:"min_probability"`
	Compositions   int                `json:"compositions"`
	Score          *float64           `json:"score,omitempty"`
}

// panelFailed reports an error from the solver: quotas that conflict are bad
// input (exit 2), anything else a failure (exit 1).
func panelFailed(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "concord panel select:", err)
	var inf *selection.InfeasibleError
	var ie *selection.InvalidError
	if errors.As(err, &inf) || errors.As(err, &ie) {
		return exitUsage
	}
	return exitFailure
}

// panelProgress returns a callback drawing a bar on stderr, or nil when stderr
// is not a terminal (logs and pipes get no bar).
func panelProgress(stderr io.Writer) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
				progressbar.OptionSetDescription("leximin: groups settled"), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
}

func writePanelSummary(w io.Writer, out *panelOutput, people []selection.Person) {
	fmt.Fprintf(w, "method %s, %d seats from a pool of %d, seed %d\n", out.Method, out.Seats, len(people), out.Seed)
	fmt.Fprintf(w, "panel: %s\n", strings.Join(out.Panel, " "))
	if out.Score != nil {
		fmt.Fprintf(w, "total score: %g\n", *out.Score)
	}
	ps := make([]float64, 0, len(out.Probabilities))
	for _, p := range out.Probabilities {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	at := func(q float64) float64 { return ps[int(math.Round(q*float64(len(ps)-1)))] }
	fmt.Fprintf(w, "minimum selection probability: %.2f%%\n", 100*out.MinProbability)
	fmt.Fprintf(w, "probability curve: min %.2f%%, 10th pct %.2f%%, median %.2f%%, 90th pct %.2f%%, max %.2f%%\n",
		100*ps[0], 100*at(0.1), 100*at(0.5), 100*at(0.9), 100*ps[len(ps)-1])
	fmt.Fprintf(w, "lottery over %d panel compositions\n", out.Compositions)
}

// readPanelQuotas reads category,feature,min,max; the Sortition Foundation layout
// feature,value,min,max (with extra columns) is read the same way.
func readPanelQuotas(path string) ([]selection.Quota, []int, error) {
	rows, lines, err := panelReadCSV(path)
	if err != nil {
		return nil, nil, err
	}
	col := panelColumns(rows[0])
	catCol, featCol := col["category"], col["feature"]
	if _, ok := col["category"]; !ok {
		catCol, featCol = col["feature"], col["value"]
		if _, ok := col["value"]; !ok {
			return nil, nil, fmt.Errorf("%s: header needs category,feature,min,max (or feature,value,min,max)", path)
		}
	}
	if _, ok := col["feature"]; !ok {
		return nil, nil, fmt.Errorf("%s: header needs a feature column", path)
	}
	minCol, ok1 := col["min"]
	maxCol, ok2 := col["max"]
	if !ok1 || !ok2 {
		return nil, nil, fmt.Errorf("%s: header needs min and max columns", path)
	}
	var qs []selection.Quota
	for i, r := range rows[1:] {
		lo, err := strconv.Atoi(strings.TrimSpace(r[minCol]))
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: min %q is not a whole number", path, lines[i+1], r[minCol])
		}
		hi, err := strconv.Atoi(strings.TrimSpace(r[maxCol]))
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: max %q is not a whole number", path, lines[i+1], r[maxCol])
		}
		qs = append(qs, selection.Quota{Category: strings.TrimSpace(r[catCol]), Feature: strings.TrimSpace(r[featCol]), Min: lo, Max: hi})
	}
	if len(qs) == 0 {
		return nil, nil, fmt.Errorf("%s: no quotas", path)
	}
	return qs, lines[1:], nil
}

// readPanelPeople reads the pool: one column per quota category, an id column
// ("id", or a single column named *_id) else the 1-based data row number,
// and an optional score column. It returns each person's line number too.
func readPanelPeople(path string, quotas []selection.Quota) ([]selection.Person, []int, error) {
	rows, lines, err := panelReadCSV(path)
	if err != nil {
		return nil, nil, err
	}
	col := panelColumns(rows[0])
	idCol, ok := col["id"]
	if !ok {
		idCol = -1
		for h, c := range col {
			if strings.HasSuffix(h, "_id") {
				if idCol >= 0 {
					return nil, nil, fmt.Errorf("%s: several *_id columns; name the id column \"id\"", path)
				}
				idCol = c
			}
		}
	}
	scoreCol, hasScore := col["score"]
	catCol := map[string]int{}
	for _, q := range quotas {
		if _, done := catCol[q.Category]; done {
			continue
		}
		c, ok := col[strings.ToLower(q.Category)]
		if !ok {
			return nil, nil, fmt.Errorf("%s: no column for category %q", path, q.Category)
		}
		catCol[q.Category] = c
	}
	var people []selection.Person
	for i, r := range rows[1:] {
		p := selection.Person{ID: strconv.Itoa(i + 1), Features: map[string]string{}}
		if idCol >= 0 {
			p.ID = strings.TrimSpace(r[idCol])
		}
		if hasScore {
			s, err := strconv.ParseFloat(strings.TrimSpace(r[scoreCol]), 64)
			if err != nil || math.IsNaN(s) || math.IsInf(s, 0) {
				return nil, nil, fmt.Errorf("%s:%d: score %q is not a number", path, lines[i+1], r[scoreCol])
			}
			p.Score = s
		}
		for cat, c := range catCol {
			p.Features[cat] = strings.TrimSpace(r[c])
		}
		people = append(people, p)
	}
	if len(people) == 0 {
		return nil, nil, fmt.Errorf("%s: no people", path)
	}
	return people, lines[1:], nil
}

// panelColumns maps lower-cased header names to their index.
func panelColumns(header []string) map[string]int {
	m := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := m[h]; !dup {
			m[h] = i
		}
	}
	return m
}

// panelReadCSV reads a whole CSV file with its header and returns each
// record's line number for error messages.
func panelReadCSV(path string) ([][]string, []int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("%s: empty file", path)
	}
	return rows, lines, nil
}
