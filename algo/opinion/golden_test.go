package opinion

import (
	"cmp"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"concord/internal/shareddata"
)

// polisMath is the part of Pol.is's math-pca2.json the tests compare with.
type polisMath struct {
	TIDs   []int `json:"tids"`
	InConv []int `json:"in-conv"`
	ModOut []int `json:"mod-out"`
	Meta   []int `json:"meta-tids"`
	PCA    struct {
		Center    []float64   `json:"center"`
		Comps     [][]float64 `json:"comps"`
		Extremity []float64   `json:"comment-extremity"`
		CmtProj   [][]float64 `json:"comment-projection"`
	} `json:"pca"`
	Base struct {
		ID      []int     `json:"id"`
		Members [][]int   `json:"members"`
		X       []float64 `json:"x"`
		Y       []float64 `json:"y"`
	} `json:"base-clusters"`
	Groups []struct {
		ID      int       `json:"id"`
		Members []int     `json:"members"`
		Center  []float64 `json:"center"`
	} `json:"group-clusters"`
	Repness map[string][]struct {
		TID       int     `json:"tid"`
		RepfulFor string  `json:"repful-for"`
		NSuccess  int     `json:"n-success"`
		NTrials   int     `json:"n-trials"`
		PSuccess  float64 `json:"p-success"`
		Repness   float64 `json:"repness"`
		BestAgree bool    `json:"best-agree"`
	} `json:"repness"`
	Consensus struct {
		Agree []struct {
			TID      int `json:"tid"`
			NSuccess int `json:"n-success"`
			NTrials  int `json:"n-trials"`
		} `json:"agree"`
		Disagree []struct {
			TID      int `json:"tid"`
			NSuccess int `json:"n-success"`
			NTrials  int `json:"n-trials"`
		} `json:"disagree"`
	} `json:"consensus"`
	GAC        map[string]float64 `json:"group-aware-consensus"`
	Priorities map[string]float64 `json:"comment-priorities"`
}

type polisVoteJSON struct {
	PID      *int            `json:"pid"`
	TID      *int            `json:"tid"`
	PID2     *int            `json:"participant_id"`
	TID2     *int            `json:"statement_id"`
	Vote     int8            `json:"vote"`
	Modified json.RawMessage `json:"modified"` // a number or a string
}

func (v polisVoteJSON) time() int64 {
	s := strings.Trim(string(v.Modified), `"`)
	f, _ := strconv.ParseFloat(s, 64)
	return int64(f)
}

var goldenFixtures = []string{
	"below-100-ptpts",
	"25ptpt-3gp-no-strict-with-meta",
	"50ptpt-3gp-strict-no-meta",
	"above-100-ptpts",
	"150ptpt-3gp-no-strict-no-meta",
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// loadGolden returns the votes (oldest first), Pol.is's output and a prior
// State built from it (Pol.is's axes, clusters and k).
func loadGolden(t testing.TB, name string) (Input, *polisMath, *State) {
	t.Helper()
	var raw []polisVoteJSON
	readJSON(t, shareddata.Path(t, "polis", "golden", name, "votes.json"), &raw)
	var pm polisMath
	readJSON(t, shareddata.Path(t, "polis", "golden", name, "math-pca2.json"), &pm)
	slices.SortStableFunc(raw, func(a, b polisVoteJSON) int {
		return cmp.Compare(a.time(), b.time())
	})
	var in Input
	for _, v := range raw {
		p, s := v.PID, v.TID
		if p == nil {
			p, s = v.PID2, v.TID2
		}
		in.Votes = append(in.Votes, Vote{Participant: *p, Statement: *s, Value: v.Vote})
	}
	// Pol.is's math moderates out rejected (-1) and meta statements.
	var comments []struct {
		TID       *int `json:"tid"`
		SID       *int `json:"statement_id"`
		Mod       *int `json:"mod"`
		Moderated *int `json:"moderated"`
		Meta      bool `json:"is_meta"`
	}
	readJSON(t, shareddata.Path(t, "polis", "golden", name, "comments.json"), &comments)
	var modOut, meta []int
	for _, c := range comments {
		id, mod := c.TID, c.Mod
		if id == nil {
			id = c.SID
		}
		if mod == nil {
			mod = c.Moderated
		}
		in.Statements = append(in.Statements, Statement{ID: *id, ModeratedOut: *mod < 0, Meta: c.Meta})
		if *mod < 0 || c.Meta {
			modOut = append(modOut, *id)
		}
		if c.Meta {
			meta = append(meta, *id)
		}
	}
	slices.Sort(modOut)
	slices.Sort(meta)
	if want := slices.Sorted(slices.Values(pm.ModOut)); !slices.Equal(modOut, want) {
		t.Fatalf("moderated out from comments.json %v, Pol.is %v", modOut, want)
	}
	if want := slices.Sorted(slices.Values(pm.Meta)); !slices.Equal(meta, want) {
		t.Fatalf("meta from comments.json %v, Pol.is %v", meta, want)
	}
	prior := &State{Statements: pm.TIDs, InConv: pm.InConv, GroupClusterings: map[int][]Cluster{}}
	for k := range 2 {
		// Pol.is encodes agree as -1: flip its axes into ours.
		prior.Components[k] = make([]float64, len(pm.PCA.Comps[k]))
		for j, x := range pm.PCA.Comps[k] {
			prior.Components[k][j] = -x
		}
	}
	for i, id := range pm.Base.ID {
		prior.BaseClusters = append(prior.BaseClusters, Cluster{ID: id, Members: pm.Base.Members[i], Center: [2]float64{pm.Base.X[i], pm.Base.Y[i]}})
	}
	k := len(pm.Groups)
	for _, g := range pm.Groups {
		prior.GroupClusterings[k] = append(prior.GroupClusterings[k], Cluster{ID: g.ID, Members: g.Members, Center: [2]float64{g.Center[0], g.Center[1]}})
	}
	prior.KSmoother = KSmoother{LastK: k, LastKCount: 1, SmoothedK: k}
	return in, &pm, prior
}

// polisGroupOf maps participants to Pol.is's group ids through base clusters.
func polisGroupOf(pm *polisMath) map[int]int {
	baseMembers := map[int][]int{}
	for i, id := range pm.Base.ID {
		baseMembers[id] = pm.Base.Members[i]
	}
	out := map[int]int{}
	for _, g := range pm.Groups {
		for _, b := range g.Members {
			for _, p := range baseMembers[b] {
				out[p] = g.ID
			}
		}
	}
	return out
}

func absCos(a, b []float64) float64 {
	var d, na, nb float64
	for i := range a {
		d += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return math.Abs(d) / math.Sqrt(na*nb)
}

func TestGoldenPolis(t *testing.T) {
	perfect := 0
	for _, name := range goldenFixtures {
		t.Run(name, func(t *testing.T) {
			in, pm, prior := loadGolden(t, name)
			res, err := Analyse(in, Options{Prior: prior, K: len(pm.Groups), Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := res.State.Statements, pm.TIDs; !slices.Equal(got, want) {
				t.Fatalf("statements %v, want %v", got, want)
			}
			for k := range 2 {
				c := absCos(res.Components[k], pm.PCA.Comps[k])
				t.Logf("component %d: |cos| = %.7f", k+1, c)
				if c < 0.999 {
					t.Errorf("component %d: |cos| = %.6f, want ≥ 0.999", k+1, c)
				}
			}
			// The 50-participant export lacks participant 50's 4 votes that
			// Pol.is had: allow a few columns off by one vote.
			off := 0
			skip := map[int]bool{}
			for j := range pm.PCA.Center {
				if d := math.Abs(res.Center[j] + pm.PCA.Center[j]); d > 1e-9 {
					off++
					skip[j] = true
					t.Logf("centre of statement %d = %v, Pol.is %v", pm.TIDs[j], res.Center[j], -pm.PCA.Center[j])
					if d > 0.05 {
						t.Errorf("centre of statement %d = %v, want %v", pm.TIDs[j], res.Center[j], -pm.PCA.Center[j])
					}
				}
			}
			if off > 4 {
				t.Errorf("%d column means differ from Pol.is's", off)
			}
			ari := AdjustedRandIndex(res.GroupOf(), polisGroupOf(pm))
			t.Logf("k = %d, ARI = %.4f", res.K, ari)
			if ari < 0.95 {
				t.Errorf("ARI = %.4f, want ≥ 0.95", ari)
			}
			if ari == 1 {
				perfect++
			}
			// For the record: a run from scratch, without Pol.is's history.
			if free, err := Analyse(in, Options{Seed: 1}); err == nil {
				t.Logf("from scratch: k = %d, ARI = %.4f", free.K, AdjustedRandIndex(free.GroupOf(), polisGroupOf(pm)))
			}
			if got, want := len(res.GroupOf()), len(polisGroupOf(pm)); got != want {
				t.Errorf("%d clustered participants, want %d", got, want)
			}
			if ari < 1 {
				return // repness depends on exact membership
			}
			// Groups keep Pol.is's ids (from the prior), so compare by id.
			for gi, g := range res.Groups {
				want := pm.Repness[strconv.Itoa(g.ID)]
				var got, wantT []int
				for _, r := range res.Repness[gi] {
					got = append(got, r.Statement)
				}
				for _, r := range want {
					wantT = append(wantT, r.TID)
				}
				if !slices.Equal(got, wantT) {
					t.Errorf("group %d repness %v, want %v", g.ID, got, wantT)
					continue
				}
				for i, r := range res.Repness[gi] {
					w := want[i]
					if r.RepfulFor != w.RepfulFor || r.NSuccess != w.NSuccess || r.NTrials != w.NTrials || math.Abs(r.Repness-w.Repness) > 1e-9 || r.BestAgree != w.BestAgree {
						t.Errorf("group %d repness[%d] = %+v, want %+v", g.ID, i, r, w)
					}
				}
			}
			var ga, gd, wa, wd []int
			for _, c := range res.Consensus.Agree {
				ga = append(ga, c.Statement)
			}
			for _, c := range res.Consensus.Disagree {
				gd = append(gd, c.Statement)
			}
			for _, c := range pm.Consensus.Agree {
				wa = append(wa, c.TID)
			}
			for _, c := range pm.Consensus.Disagree {
				wd = append(wd, c.TID)
			}
			if !slices.Equal(ga, wa) || !slices.Equal(gd, wd) {
				t.Errorf("consensus agree %v disagree %v, want %v and %v", ga, gd, wa, wd)
			}
			for _, s := range res.Statements {
				if w, ok := pm.GAC[strconv.Itoa(s.ID)]; ok && math.Abs(s.GroupAwareConsensus-w) > 1e-9 {
					t.Errorf("group-aware consensus of %d = %v, want %v", s.ID, s.GroupAwareConsensus, w)
					break
				}
			}
			// Priorities: the 50-participant fixture reports 49 (Pol.is's
			// meta priority) for every statement, which its formula cannot
			// give for non-meta statements; the others match exactly.
			if name != "50ptpt-3gp-strict-no-meta" {
				for _, s := range res.Statements {
					if w, ok := pm.Priorities[strconv.Itoa(s.ID)]; ok && math.Abs(s.Priority-w) > 1e-6*max(1, w) {
						t.Errorf("priority of %d = %v, want %v", s.ID, s.Priority, w)
						break
					}
				}
			}
			tol := 1e-6
			if off > 0 {
				tol = 0.03 // the missing votes move the axes a little
			}
			for j, e := range pm.PCA.Extremity {
				if !skip[j] && math.Abs(res.Statements[j].Extremity-e) > tol*max(1, e) {
					t.Errorf("extremity of %d = %v, want %v", pm.TIDs[j], res.Statements[j].Extremity, e)
					break
				}
			}
		})
	}
	if perfect < 4 {
		t.Errorf("ARI 1.0 on %d of %d fixtures, want at least 4", perfect, len(goldenFixtures))
	}
}
