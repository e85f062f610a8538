package opinion_test

import (
	"testing"

	"concord/algo/opinion"
	"concord/export/polis"
	"concord/internal/shareddata"
)

// TestOpenDataFreeRun clusters Pol.is's open data without any prior state
// and compares with the group Pol.is had at export time. Pol.is's groups
// depend on its history (prior centres, k smoothing), so agreement is
// partial; the red-dwarf re-implementation reaches 0.47–0.90.
func TestOpenDataFreeRun(t *testing.T) {
	for _, name := range []string{
		"15-per-hour-seattle",
		"american-assembly.bowling-green",
		"brexit-consensus",
		"canadian-electoral-reform",
		"vtaiwan.uberx",
	} {
		t.Run(name, func(t *testing.T) {
			e, err := polis.ReadDir(shareddata.Path(t, "polis", "opendata", name))
			if err != nil {
				t.Fatal(err)
			}
			res, err := opinion.Analyse(e.OpinionInput(), opinion.Options{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			want := e.Groups()
			wantK := map[int]bool{}
			for _, g := range want {
				wantK[g] = true
			}
			got := res.GroupOf()
			ari := opinion.AdjustedRandIndex(got, want)
			both := 0
			for p := range got {
				if _, ok := want[p]; ok {
					both++
				}
			}
			t.Logf("k = %d (Pol.is %d), clustered %d (Pol.is %d, both %d), ARI = %.3f", res.K, len(wantK), len(got), len(want), both, ari)
			if ari < 0.3 {
				t.Errorf("ARI = %.3f, want ≥ 0.3", ari)
			}
		})
	}
}
