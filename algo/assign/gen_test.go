package assign

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// genForum makes a forum-like instance: texts drawn from a few topics, so
// affinities have structure; groups sized by weights (skew allowed); each
// evaluator-proposal pair conflicted with probability conflict.
func genForum(seed uint64, P, E int, groupWeights []float64, conflict float64) ([]Proposal, []Evaluator) {
	rng := rand.New(rand.NewPCG(seed, 1))
	const topics, perTopic = 12, 25
	word := func(t, i int) string { return fmt.Sprintf("t%dw%d", t, i) }
	text := func(n int) string {
		var b strings.Builder
		main := rng.IntN(topics)
		for i := 0; i < n; i++ {
			t := main
			if rng.Float64() < 0.4 {
				t = rng.IntN(topics)
			}
			b.WriteString(word(t, int(rng.ExpFloat64()*6)%perTopic))
			b.WriteByte(' ')
			if rng.Float64() < 0.3 {
				b.WriteString("the internet and ")
			}
		}
		return b.String()
	}
	total := 0.0
	for _, w := range groupWeights {
		total += w
	}
	evs := make([]Evaluator, E)
	for j := range evs {
		x, g := rng.Float64()*total, 0
		for g < len(groupWeights)-1 && x >= groupWeights[g] {
			x -= groupWeights[g]
			g++
		}
		evs[j] = Evaluator{
			ID:           fmt.Sprintf("E%d", j+1),
			Group:        fmt.Sprintf("G%d", g+1),
			Organisation: fmt.Sprintf("org%d", rng.IntN(E*3)),
			Expertise:    text(15),
		}
	}
	// Make sure each group is present in order, so small tests stay feasible.
	for g := range groupWeights {
		if g < E {
			evs[g].Group = fmt.Sprintf("G%d", g+1)
		}
	}
	ps := make([]Proposal, P)
	for i := range ps {
		ps[i] = Proposal{ID: fmt.Sprintf("P%d", i+1), Text: text(40), People: []string{fmt.Sprintf("person%d", rng.IntN(1000))}}
		for j := range evs {
			if rng.Float64() < conflict {
				evs[j].Conflicts = append(evs[j].Conflicts, ps[i].ID)
			}
		}
	}
	return ps, evs
}
