package opinion

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/gonum/mat"
	"pgregory.net/rapid"
)

func TestAdjustedRandIndex(t *testing.T) {
	lab := func(xs ...int) map[int]int {
		m := map[int]int{}
		for i, x := range xs {
			m[i] = x
		}
		return m
	}
	tests := []struct {
		a, b map[int]int
		want float64
	}{
		{lab(0, 0, 1, 1), lab(5, 5, 7, 7), 1},
		{lab(0, 0, 0, 1, 1, 1), lab(0, 0, 1, 1, 2, 2), 0.8 / 3.3}, // by hand
		{lab(0, 0, 1, 1), lab(0, 1, 0, 1), -0.5},
	}
	for _, tt := range tests {
		if got := AdjustedRandIndex(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("ARI(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestTests(t *testing.T) {
	if got, want := propTest(6, 6), math.Sqrt(7); math.Abs(got-want) > 1e-12 {
		t.Errorf("propTest(6,6) = %v, want %v", got, want)
	}
	if got := twoPropTest(3, 3, 3, 3); got != 0 {
		t.Errorf("equal proportions: z = %v", got)
	}
	if twoPropTest(9, 1, 10, 10) <= z90 {
		t.Error("9/10 against 1/10 is not significant")
	}
}

// plantedInput has nP participants in g groups that agree on "their"
// statements and disagree on the others', with some noise and passes.
func plantedInput(nP, nS, g int, seed uint64) (Input, map[int]int) {
	rng := rand.New(rand.NewPCG(seed, 2))
	truth := map[int]int{}
	var in Input
	for p := range nP {
		grp := p % g
		truth[p] = grp
		for s := range nS {
			if rng.Float64() < 0.3 {
				continue // not seen
			}
			v := Disagree
			if s%g == grp || s%7 == 0 { // every seventh statement pleases all
				v = Agree
			}
			if rng.Float64() < 0.1 {
				v = Pass
			}
			in.Votes = append(in.Votes, Vote{Participant: p, Statement: s, Value: v})
		}
	}
	return in, truth
}

func TestPlantedGroups(t *testing.T) {
	in, truth := plantedInput(300, 40, 3, 1)
	res, err := Analyse(in, Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if res.K != 3 {
		t.Errorf("k = %d, want 3", res.K)
	}
	if ari := AdjustedRandIndex(res.GroupOf(), truth); ari < 0.95 {
		t.Errorf("ARI against planted groups = %.3f", ari)
	}
	// Statements everyone agrees with top group-aware consensus and bridging.
	byGAC := slices.Clone(res.Statements)
	slices.SortFunc(byGAC, func(a, b StatementStats) int { return cmpDesc(a.GroupAwareConsensus, b.GroupAwareConsensus) })
	byBridge := slices.Clone(res.Statements)
	slices.SortFunc(byBridge, func(a, b StatementStats) int { return cmpDesc(a.Bridging.Score, b.Bridging.Score) })
	for i := range 3 {
		if byGAC[i].ID%7 != 0 {
			t.Errorf("group-aware consensus #%d is statement %d", i+1, byGAC[i].ID)
		}
		if byBridge[i].ID%7 != 0 {
			t.Errorf("bridging #%d is statement %d", i+1, byBridge[i].ID)
		}
	}
	for _, c := range res.Consensus.Agree {
		if c.Statement%7 != 0 {
			t.Errorf("consensus statement %d is divisive", c.Statement)
		}
	}
	for g, reps := range res.Repness {
		if len(reps) == 0 {
			t.Errorf("group %d has no representative statement", g)
		}
	}
}

// TestPCAMatchesDenseSVD checks the sparse power iteration against a dense
// SVD of the explicitly mean-imputed, centred matrix.
func TestPCAMatchesDenseSVD(t *testing.T) {
	in, _ := plantedInput(80, 25, 4, 3)
	m := buildMatrix(in)
	p := m.pca(nil, rand.New(rand.NewPCG(1, 1)))
	dense := mat.NewDense(len(m.pids), len(m.tids), nil)
	for r := range m.pids {
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			c := int(m.cols[i])
			dense.Set(r, c, float64(m.vals[i])-p.center[c])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(dense, mat.SVDThin) {
		t.Fatal("SVD failed")
	}
	var v mat.Dense
	svd.VTo(&v)
	for k := range 2 {
		if c := absCos(p.comps[k], mat.Col(nil, k, &v)); c < 0.999999 {
			t.Errorf("component %d: |cos| with SVD = %v", k+1, c)
		}
	}
}

func TestLastVoteWins(t *testing.T) {
	in := Input{Votes: []Vote{{1, 1, Agree}, {2, 1, Agree}, {1, 1, Disagree}, {1, 2, Pass}}}
	m := buildMatrix(in)
	a, d, p := m.columnCounts()
	if !slices.Equal(a, []int{1, 0}) || !slices.Equal(d, []int{1, 0}) || !slices.Equal(p, []int{0, 1}) {
		t.Errorf("counts a=%v d=%v p=%v", a, d, p)
	}
}

func TestRejectsBadVotes(t *testing.T) {
	if _, err := Analyse(Input{}, Options{}); err == nil {
		t.Error("no error without votes")
	}
	if _, err := Analyse(Input{Votes: []Vote{{1, 1, 2}}}, Options{}); err == nil {
		t.Error("no error for vote 2")
	}
}

func TestModeratedOutNeverShown(t *testing.T) {
	in, _ := plantedInput(120, 21, 3, 5)
	in.Statements = []Statement{{ID: 0, ModeratedOut: true}, {ID: 1, ModeratedOut: true}, {ID: 7, ModeratedOut: true}}
	res, err := Analyse(in, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	hidden := func(id int) bool { return id == 0 || id == 1 || id == 7 }
	for _, reps := range res.Repness {
		for _, r := range reps {
			if hidden(r.Statement) {
				t.Errorf("moderated-out statement %d is representative", r.Statement)
			}
		}
	}
	for _, c := range append(res.Consensus.Agree, res.Consensus.Disagree...) {
		if hidden(c.Statement) {
			t.Errorf("moderated-out statement %d in consensus", c.Statement)
		}
	}
}

func TestStakeholders(t *testing.T) {
	// Statement 1: everyone agrees. Statement 2: governments agree, civil
	// society disagrees. Statement 3: too few civil-society votes to count.
	var in Input
	in.Stakeholders = map[int]string{}
	for p := range 12 {
		g := "Government"
		if p >= 6 {
			g = "Civil Society"
		}
		in.Stakeholders[p] = g
		in.Votes = append(in.Votes, Vote{p, 1, Agree})
		if g == "Government" {
			in.Votes = append(in.Votes, Vote{p, 2, Agree}, Vote{p, 3, Agree})
		} else {
			in.Votes = append(in.Votes, Vote{p, 2, Disagree})
			if p < 9 {
				in.Votes = append(in.Votes, Vote{p, 3, Disagree})
			}
		}
	}
	res, err := Analyse(in, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []StakeholderConsensus{{Statement: 1, For: "agree", MinShare: 1, Groups: 2}}
	if diff := cmp.Diff(want, res.StakeholderConsensus); diff != "" {
		t.Errorf("stakeholder consensus (-want +got):\n%s", diff)
	}
	wantD := []StakeholderDivide{{Statement: 2, Agreeing: []string{"Government"}, Rejecting: []string{"Civil Society"}, Spread: 1}}
	if diff := cmp.Diff(wantD, res.StakeholderDivides); diff != "" {
		t.Errorf("stakeholder divides (-want +got):\n%s", diff)
	}
	if got := res.Statements[2].Stakeholders["Civil Society"]; got.Disagree != 3 || got.DisagreeShare != 1 {
		t.Errorf("statement 3, civil society: %+v", got)
	}
}

// TestReplay: the same input, seed and prior give the same result, and
// feeding a result's State back in keeps the groups.
func TestReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nP := rapid.IntRange(2, 60).Draw(t, "participants")
		nS := rapid.IntRange(1, 15).Draw(t, "statements")
		seed := rapid.Uint64().Draw(t, "seed")
		var in Input
		n := rapid.IntRange(1, nP*nS).Draw(t, "votes")
		for range n {
			in.Votes = append(in.Votes, Vote{
				Participant: rapid.IntRange(0, nP-1).Draw(t, "p"),
				Statement:   rapid.IntRange(0, nS-1).Draw(t, "s"),
				Value:       int8(rapid.IntRange(-1, 1).Draw(t, "v")),
			})
		}
		a, err := Analyse(in, Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Analyse(in, Options{Seed: seed})
		if diff := cmp.Diff(a, b, cmpopts.EquateNaNs()); diff != "" {
			t.Fatalf("two runs differ:\n%s", diff)
		}
		for _, p := range a.Participants {
			if math.IsNaN(p.X) || math.IsNaN(p.Y) {
				t.Fatalf("participant %d at NaN", p.Participant)
			}
		}
		clustered := 0
		for _, g := range a.Groups {
			clustered += len(g.Members)
		}
		if clustered != len(a.State.InConv) {
			t.Fatalf("%d clustered, %d in conversation", clustered, len(a.State.InConv))
		}
		c, err := Analyse(in, Options{Seed: seed + 1, Prior: &a.State})
		if err != nil {
			t.Fatal(err)
		}
		if c.K != a.K {
			t.Fatalf("k moved from %d to %d with no new votes", a.K, c.K)
		}
		if ari := AdjustedRandIndex(a.GroupOf(), c.GroupOf()); ari < 1 {
			t.Fatalf("groups moved with no new votes: ARI %v", ari)
		}
	})
}

func TestGroupsStableAsVotesArrive(t *testing.T) {
	in, _ := plantedInput(300, 40, 3, 9)
	cut := len(in.Votes) * 9 / 10
	first, err := Analyse(Input{Votes: in.Votes[:cut]}, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	next, err := Analyse(in, Options{Seed: 2, Prior: &first.State})
	if err != nil {
		t.Fatal(err)
	}
	if ari := AdjustedRandIndex(first.GroupOf(), next.GroupOf()); ari < 0.95 {
		t.Errorf("groups moved: ARI %v", ari)
	}
	for k := range 2 {
		var d float64
		for j := range first.Components[k] {
			d += first.Components[k][j] * next.Components[k][j]
		}
		if d < 0.99 {
			t.Errorf("axis %d turned: cos %v", k+1, d)
		}
	}
}

func TestNextStatement(t *testing.T) {
	in, _ := plantedInput(60, 12, 3, 4)
	in.Statements = []Statement{{ID: 100}, {ID: 3, ModeratedOut: true}}
	res, err := Analyse(in, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := res.Statements[len(res.Statements)-1]
	if last.ID != 100 || last.Priority <= 0 {
		t.Errorf("unvoted statement: %+v", last)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[int]bool{}
	for range 200 {
		id, ok := res.NextStatement(func(s int) bool { return s < 5 }, rng)
		if !ok || id < 5 || id == 3 {
			t.Fatalf("drew %d, %v", id, ok)
		}
		seen[id] = true
	}
	if !seen[100] {
		t.Error("the new statement never came up")
	}
	if _, ok := res.NextStatement(func(int) bool { return true }, rng); ok {
		t.Error("drew a statement when all were voted on")
	}
}

// TestParallelReplays covers the chunked (concurrent) passes, which start
// above 4096 participants: results are the same run after run.
func TestParallelReplays(t *testing.T) {
	in, truth := plantedInput(5000, 30, 3, 11)
	a, err := Analyse(in, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Analyse(in, Options{Seed: 3})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two runs differ:\n%s", diff)
	}
	if ari := AdjustedRandIndex(a.GroupOf(), truth); ari < 0.95 {
		t.Errorf("ARI against planted groups = %.3f", ari)
	}
}

// A run that finds fewer base clusters than the last (one emptied) keeps
// the smoothed k although the base count alone would no longer allow it.
func TestSmoothedKOutlivesFewerBaseClusters(t *testing.T) {
	cluster := func(id int, x, y float64) Cluster {
		return Cluster{ID: id, Members: []int{id}, Center: [2]float64{x, y}}
	}
	var base []Cluster
	for i := range 12 {
		// three well separated clumps of four
		base = append(base, cluster(i, float64(i/4)*10+float64(i%4)*0.1, float64(i%2)*0.1))
	}
	opt := Options{}.withDefaults()
	rng := rand.New(rand.NewPCG(1, 2))
	first, sm, all := groupClusters(base, opt, rng)
	if len(first) != 3 || sm.SmoothedK != 3 {
		t.Fatalf("twelve base clusters in three clumps: %d groups, smoothed k %d", len(first), sm.SmoothedK)
	}
	opt.Prior = &State{KSmoother: sm, GroupClusterings: all}
	next, sm2, _ := groupClusters(base[:10], opt, rng)
	if len(next) != 3 || sm2.SmoothedK != 3 {
		t.Errorf("ten base clusters after a run with k 3: %d groups, smoothed k %d", len(next), sm2.SmoothedK)
	}
}
