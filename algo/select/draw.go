package selection

import (
	"math"
	"math/rand/v2"
	"slices"
)

// NewRand returns the generator Draw expects for a published seed: PCG
// seeded with (seed, a fixed stream constant), the same on every machine.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x636f6e636f7264)) // "concord"
}

// drawScale is the resolution of panel weights in Draw. Weights are rounded
// to it so that floating-point noise in the last bits of a probability (a
// different CPU, a different compiler) cannot change which panel a seed picks.
const drawScale = 1 << 40

// Draw picks one panel from d using rng: first a composition, with its
// probability, then each group's seats uniformly among its members. It
// returns member IDs in pool order; the same d and seed give the same panel.
func Draw(d *Distribution, rng *rand.Rand) []string {
	if len(d.Panels) == 0 {
		return nil
	}
	weights := make([]uint64, len(d.Panels))
	var total uint64
	for i, c := range d.Panels {
		weights[i] = uint64(math.Round(c.Probability * drawScale))
		total += weights[i]
	}
	pick := len(d.Panels) - 1
	if total > 0 {
		r := rng.Uint64N(total)
		for i, w := range weights {
			if r < w {
				pick = i
				break
			}
			r -= w
		}
	}
	var chosen []int
	for g, seats := range d.Panels[pick].Seats {
		members := slices.Clone(d.Groups[g].Members)
		if seats == len(members) {
			chosen = append(chosen, members...)
			continue
		}
		// Partial Fisher–Yates: the first seats entries become a uniform sample.
		for i := 0; i < seats; i++ {
			j := i + rng.IntN(len(members)-i)
			members[i], members[j] = members[j], members[i]
		}
		chosen = append(chosen, members[:seats]...)
	}
	slices.Sort(chosen)
	ids := make([]string, len(chosen))
	for i, m := range chosen {
		ids[i] = d.People[m]
	}
	return ids
}
