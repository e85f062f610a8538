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
	"slices"
	"strconv"
	"strings"

	"concord/algo/opinion"
	"concord/export/polis"
)

func init() {
	commands["opinion"] = command{
		summary: "map opinion groups and consensus of a Pol.is export (opinion analyse)",
		run:     runOpinion,
	}
}

const opinionUsage = "usage: concord opinion analyse DIR [--json] [--seed S] [--stakeholders FILE]"

func runOpinion(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "analyse" && args[0] != "analyze") {
		fmt.Fprintln(stderr, opinionUsage)
		return exitUsage
	}
	return runOpinionAnalyse(ctx, args[1:], stdout, stderr)
}

func runOpinionAnalyse(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opinion analyse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, opinionUsage+"\n\nDIR is a Pol.is export folder (comments.csv and votes.csv or participants-votes.csv).")
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "write one JSON object to stdout")
	seed := fs.Uint64("seed", 0, "seed for random starts; the same export and seed give the same result")
	shFile := fs.String("stakeholders", "", "CSV participant,stakeholder-group for agreement per stakeholder group")
	// Flags may come before or after DIR.
	var dirs []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		dirs = append(dirs, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(dirs) != 1 {
		fmt.Fprintln(stderr, opinionUsage)
		return exitUsage
	}
	exp, err := polis.ReadDir(dirs[0])
	if err != nil {
		fmt.Fprintf(stderr, "concord opinion analyse: %v\n", err)
		return exitUsage
	}
	in := exp.OpinionInput()
	if *shFile != "" {
		if in.Stakeholders, err = opinionReadStakeholders(*shFile); err != nil {
			fmt.Fprintf(stderr, "concord opinion analyse: %v\n", err)
			return exitUsage
		}
	}
	res, err := opinion.Analyse(in, opinion.Options{Seed: *seed})
	if err != nil {
		fmt.Fprintf(stderr, "concord opinion analyse: %v\n", err)
		return exitFailure
	}
	rep := opinionMakeReport(exp, in, res)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "concord opinion analyse: %v\n", err)
			return exitFailure
		}
		return exitOK
	}
	opinionPrint(stdout, rep)
	return exitOK
}

// opinionReadStakeholders reads "participant,stakeholder-group" lines; a
// header line is skipped when its first field is not a number.
func opinionReadStakeholders(path string) (map[int]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 2
	out := map[int]string{}
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		p, err := strconv.Atoi(strings.TrimSpace(rec[0]))
		if err != nil {
			if first {
				continue
			}
			return nil, fmt.Errorf("%s:%d: participant %q: not an integer", path, line, rec[0])
		}
		out[p] = strings.TrimSpace(rec[1])
	}
}

type opinionStatementJSON struct {
	Statement   int     `json:"statement"`
	Text        string  `json:"text,omitempty"`
	For         string  `json:"for,omitempty"`
	NSuccess    int     `json:"n_success"`
	NTrials     int     `json:"n_trials"`
	PSuccess    float64 `json:"p_success"`
	PTest       float64 `json:"p_test"`
	Repness     float64 `json:"repness,omitempty"`
	RepnessTest float64 `json:"repness_test,omitempty"`
	BestAgree   bool    `json:"best_agree,omitempty"`
}

type opinionGroupJSON struct {
	Index          int                    `json:"index"`
	ID             int                    `json:"id"`
	Size           int                    `json:"size"`
	Center         [2]float64             `json:"center"`
	Representative []opinionStatementJSON `json:"representative"`
}

type opinionScoredJSON struct {
	Statement int     `json:"statement"`
	Text      string  `json:"text,omitempty"`
	Score     float64 `json:"score"`
}

type opinionReportJSON struct {
	Topic        string             `json:"topic,omitempty"`
	Participants int                `json:"participants"`
	InConv       int                `json:"in_conversation"`
	Statements   int                `json:"statements"`
	Votes        int                `json:"votes"`
	K            int                `json:"k"`
	Groups       map[string]int     `json:"groups"`
	GroupInfo    []opinionGroupJSON `json:"group_info"`
	Consensus    struct {
		Agree    []opinionStatementJSON `json:"agree"`
		Disagree []opinionStatementJSON `json:"disagree"`
	} `json:"consensus"`
	GroupAware           []opinionScoredJSON            `json:"group_aware_consensus"`
	Bridging             []opinionScoredJSON            `json:"bridging"`
	StakeholderConsensus []opinion.StakeholderConsensus `json:"stakeholder_consensus,omitempty"`
	StakeholderDivides   []opinion.StakeholderDivide    `json:"stakeholder_divides,omitempty"`
	PolisARI             *float64                       `json:"polis_adjusted_rand_index,omitempty"`
}

const opinionTop = 10

func opinionMakeReport(exp *polis.Export, in opinion.Input, res *opinion.Result) *opinionReportJSON {
	text := map[int]string{}
	for _, c := range exp.Comments {
		text[c.CommentID] = c.Body
	}
	rep := &opinionReportJSON{
		Participants: len(res.Participants),
		InConv:       len(res.State.InConv),
		Statements:   len(res.Statements),
		Votes:        len(in.Votes),
		K:            res.K,
		Groups:       map[string]int{},
	}
	if exp.Summary != nil {
		rep.Topic = exp.Summary.Topic
	}
	groupOf := res.GroupOf()
	for p, g := range groupOf {
		rep.Groups[strconv.Itoa(p)] = g
	}
	for gi, g := range res.Groups {
		gj := opinionGroupJSON{Index: gi, ID: g.ID, Size: len(g.Members), Center: g.Center, Representative: []opinionStatementJSON{}}
		for _, r := range res.Repness[gi] {
			gj.Representative = append(gj.Representative, opinionStatementJSON{Statement: r.Statement, Text: text[r.Statement], For: r.RepfulFor,
				NSuccess: r.NSuccess, NTrials: r.NTrials, PSuccess: r.PSuccess, PTest: r.PTest, Repness: r.Repness, RepnessTest: r.RepnessTest, BestAgree: r.BestAgree})
		}
		rep.GroupInfo = append(rep.GroupInfo, gj)
	}
	conv := func(cs []opinion.ConsensusStatement, dir string) []opinionStatementJSON {
		out := []opinionStatementJSON{}
		for _, c := range cs {
			out = append(out, opinionStatementJSON{Statement: c.Statement, Text: text[c.Statement], For: dir, NSuccess: c.NSuccess, NTrials: c.NTrials, PSuccess: c.PSuccess, PTest: c.PTest})
		}
		return out
	}
	rep.Consensus.Agree = conv(res.Consensus.Agree, "agree")
	rep.Consensus.Disagree = conv(res.Consensus.Disagree, "disagree")
	top := func(score func(opinion.StatementStats) (float64, bool)) []opinionScoredJSON {
		var out []opinionScoredJSON
		for _, s := range res.Statements {
			if v, ok := score(s); ok && !s.ModeratedOut {
				out = append(out, opinionScoredJSON{Statement: s.ID, Text: text[s.ID], Score: v})
			}
		}
		slices.SortStableFunc(out, func(a, b opinionScoredJSON) int {
			switch {
			case a.Score > b.Score:
				return -1
			case a.Score < b.Score:
				return 1
			}
			return 0
		})
		return out[:min(opinionTop, len(out))]
	}
	rep.GroupAware = top(func(s opinion.StatementStats) (float64, bool) { return s.GroupAwareConsensus, true })
	rep.Bridging = top(func(s opinion.StatementStats) (float64, bool) { return s.Bridging.Score, s.Bridging.Ratings >= 5 })
	rep.StakeholderConsensus = res.StakeholderConsensus
	rep.StakeholderDivides = res.StakeholderDivides
	if pg := exp.Groups(); len(pg) > 0 {
		ari := opinion.AdjustedRandIndex(groupOf, pg)
		rep.PolisARI = &ari
	}
	return rep
}

func opinionPrint(w io.Writer, r *opinionReportJSON) {
	short := func(s string) string {
		s = strings.Join(strings.Fields(s), " ")
		if rs := []rune(s); len(rs) > 100 {
			return string(rs[:99]) + "…"
		}
		return s
	}
	if r.Topic != "" {
		fmt.Fprintln(w, r.Topic)
	}
	fmt.Fprintf(w, "%d participants (%d in conversation), %d statements, %d votes\n", r.Participants, r.InConv, r.Statements, r.Votes)
	fmt.Fprintf(w, "%d opinion groups", r.K)
	if r.PolisARI != nil {
		fmt.Fprintf(w, " (adjusted Rand index against Pol.is's groups: %.3f)", *r.PolisARI)
	}
	fmt.Fprintln(w)
	for _, g := range r.GroupInfo {
		fmt.Fprintf(w, "\nGroup %d: %d participants\n", g.Index, g.Size)
		for _, s := range g.Representative {
			fmt.Fprintf(w, "  %-8s %3.0f%%  #%-4d %s\n", s.For, 100*float64(s.NSuccess)/float64(max(s.NTrials, 1)), s.Statement, short(s.Text))
		}
	}
	fmt.Fprintln(w, "\nConsensus")
	for _, s := range append(slices.Clone(r.Consensus.Agree), r.Consensus.Disagree...) {
		fmt.Fprintf(w, "  %-8s %3.0f%%  #%-4d %s\n", s.For, 100*float64(s.NSuccess)/float64(max(s.NTrials, 1)), s.Statement, short(s.Text))
	}
	fmt.Fprintln(w, "\nAgreed across opinion groups (group-aware consensus)")
	for _, s := range r.GroupAware[:min(5, len(r.GroupAware))] {
		fmt.Fprintf(w, "  %.3f  #%-4d %s\n", s.Score, s.Statement, short(s.Text))
	}
	fmt.Fprintln(w, "\nBridging (support left once the main divide is factored out)")
	for _, s := range r.Bridging[:min(5, len(r.Bridging))] {
		fmt.Fprintf(w, "  %+.3f  #%-4d %s\n", s.Score, s.Statement, short(s.Text))
	}
	if len(r.StakeholderConsensus) > 0 || len(r.StakeholderDivides) > 0 {
		fmt.Fprintln(w, "\nStakeholder groups")
		for _, s := range r.StakeholderConsensus {
			fmt.Fprintf(w, "  consensus to %s in all %d groups (weakest %.0f%%): #%d\n", s.For, s.Groups, 100*s.MinShare, s.Statement)
		}
		for _, s := range r.StakeholderDivides {
			fmt.Fprintf(w, "  divides: #%d agreed by %s, rejected by %s\n", s.Statement, strings.Join(s.Agreeing, ", "), strings.Join(s.Rejecting, ", "))
		}
	}
}
