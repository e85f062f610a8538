package opinion

import (
	"math"
	"math/rand/v2"
	"slices"
)

const (
	kmeansMaxIter = 100
	groupRestarts = 10   // k-means++ starts per k when there is no prior clustering
	sseEps        = 1e-9 // a restart must beat the best by more than rounding
)

// kmeans runs weighted Lloyd iterations from the given centres until the
// assignment stops changing. Empty clusters are dropped, as Pol.is does.
// Hamerly's bounds skip most distance computations once clusters settle
// (100,000 participants × 100 base clusters); the result is Lloyd's.
func kmeans(pts [][2]float64, w []float64, centres [][2]float64, ids []int) ([][2]float64, []int, []int) {
	n := len(pts)
	assign := make([]int, n)
	upper := make([]float64, n)
	lower := make([]float64, n)
	centres = slices.Clone(centres)
	ids = slices.Clone(ids)
	scan := func(i int) {
		b1, b2 := math.Inf(1), math.Inf(1)
		best := 0
		for j, c := range centres {
			d := dist2(pts[i], c)
			if d < b1 {
				b2, b1, best = b1, d, j
			} else if d < b2 {
				b2 = d
			}
		}
		assign[i], upper[i], lower[i] = best, math.Sqrt(b1), math.Sqrt(b2)
	}
	for i := range pts {
		scan(i)
	}
	half := make([]float64, 0, len(centres))
	for it := 0; it < kmeansMaxIter; it++ {
		changed := it == 0
		if it > 0 {
			// half the distance from each centre to its nearest other centre
			half = half[:len(centres)]
			for j := range centres {
				h := math.Inf(1)
				for l := range centres {
					if l != j {
						h = min(h, dist2(centres[j], centres[l]))
					}
				}
				half[j] = math.Sqrt(h) / 2
			}
			for i := range pts {
				a := assign[i]
				bound := max(half[a], lower[i])
				if upper[i] <= bound {
					continue
				}
				upper[i] = math.Sqrt(dist2(pts[i], centres[a]))
				if upper[i] <= bound {
					continue
				}
				scan(i)
				if assign[i] != a {
					changed = true
				}
			}
		}
		if !changed {
			break
		}
		sum := make([][2]float64, len(centres))
		wt := make([]float64, len(centres))
		for i, p := range pts {
			a := assign[i]
			sum[a][0] += w[i] * p[0]
			sum[a][1] += w[i] * p[1]
			wt[a] += w[i]
		}
		// new centres; empty clusters are dropped and the rest renumbered
		keep := make([]int, len(centres))
		var nc [][2]float64
		var nid []int
		var move []float64
		for j := range centres {
			if wt[j] == 0 {
				keep[j] = -1
				continue
			}
			keep[j] = len(nc)
			c := [2]float64{sum[j][0] / wt[j], sum[j][1] / wt[j]}
			move = append(move, math.Sqrt(dist2(c, centres[j])))
			nc = append(nc, c)
			nid = append(nid, ids[j])
		}
		centres, ids = nc, nid
		// Bounds stay valid: the assigned centre moved by at most move[a],
		// every other one by at most the largest move.
		m1, m2, arg := 0.0, 0.0, -1
		for j, d := range move {
			if d > m1 {
				m2, m1, arg = m1, d, j
			} else if d > m2 {
				m2 = d
			}
		}
		for i := range assign {
			a := keep[assign[i]]
			assign[i] = a
			upper[i] += move[a]
			if a == arg {
				lower[i] -= m2
			} else {
				lower[i] -= m1
			}
		}
		if len(centres) == 1 {
			break
		}
	}
	return centres, ids, assign
}

func dist2(a, b [2]float64) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// kmeansPlusPlus picks k starting centres, weighted by distance², seeded.
func kmeansPlusPlus(pts [][2]float64, w []float64, k int, rng *rand.Rand) [][2]float64 {
	var total float64
	for _, x := range w {
		total += x
	}
	pick := func(score []float64, sum float64) int {
		t := rng.Float64() * sum
		for i, s := range score {
			t -= s
			if t < 0 {
				return i
			}
		}
		return len(score) - 1
	}
	centres := [][2]float64{pts[pick(w, total)]}
	near := make([]float64, len(pts)) // squared distance to the nearest centre
	for i := range near {
		near[i] = math.Inf(1)
	}
	d := make([]float64, len(pts))
	for len(centres) < k {
		var sum float64
		last := centres[len(centres)-1]
		for i, p := range pts {
			near[i] = min(near[i], dist2(p, last))
			d[i] = near[i] * w[i]
			sum += d[i]
		}
		if sum == 0 {
			break // fewer distinct points than k
		}
		centres = append(centres, pts[pick(d, sum)])
	}
	return centres
}

func weightedSSE(pts [][2]float64, w []float64, centres [][2]float64, assign []int) float64 {
	var s float64
	for i, p := range pts {
		s += w[i] * dist2(p, centres[assign[i]])
	}
	return s
}

// baseClusters groups in-conversation participants into about BaseK small
// clusters. With a prior clustering it restarts from the prior members'
// current positions and splits off the most distant points as Pol.is does.
func baseClusters(m *matrix, proj [][2]float64, inConv []bool, opt Options, rng *rand.Rand) []Cluster {
	var rows []int
	for r, ok := range inConv {
		if ok {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	pts := make([][2]float64, len(rows))
	w := make([]float64, len(rows))
	for i, r := range rows {
		pts[i], w[i] = proj[r], 1
	}
	distinct := countDistinct(pts)
	k := min(opt.BaseK, distinct)

	var centres [][2]float64
	var ids []int
	if opt.Prior != nil && len(opt.Prior.BaseClusters) > 0 {
		rowIdx := make(map[int]int, len(rows))
		for i, r := range rows {
			rowIdx[m.pids[r]] = i
		}
		for _, c := range opt.Prior.BaseClusters {
			var s [2]float64
			n := 0
			for _, pid := range c.Members {
				if i, ok := rowIdx[pid]; ok {
					s[0] += pts[i][0]
					s[1] += pts[i][1]
					n++
				}
			}
			if n == 0 {
				continue
			}
			ctr := [2]float64{s[0] / float64(n), s[1] / float64(n)}
			if slices.Contains(centres, ctr) {
				continue // identical centres would never separate
			}
			centres = append(centres, ctr)
			ids = append(ids, c.ID)
		}
		// Add clusters at the points farthest from any centre.
		for len(centres) < k {
			far, fd := -1, 0.0
			for i, p := range pts {
				best := math.Inf(1)
				for _, c := range centres {
					best = min(best, dist2(p, c))
				}
				if best > fd {
					far, fd = i, best
				}
			}
			if far < 0 {
				break
			}
			centres = append(centres, pts[far])
			ids = append(ids, slices.Max(ids)+1)
		}
	} else {
		centres = kmeansPlusPlus(pts, w, k, rng)
		ids = make([]int, len(centres))
		for i := range ids {
			ids[i] = i
		}
	}
	centres, ids, assign := kmeans(pts, w, centres, ids)
	out := make([]Cluster, len(centres))
	for j := range centres {
		out[j] = Cluster{ID: ids[j], Center: centres[j]}
	}
	for i, a := range assign {
		out[a].Members = append(out[a].Members, m.pids[rows[i]])
	}
	slices.SortFunc(out, func(a, b Cluster) int { return a.ID - b.ID })
	return out
}

func countDistinct(pts [][2]float64) int {
	s := make(map[[2]float64]struct{}, len(pts))
	for _, p := range pts {
		s[p] = struct{}{}
	}
	return len(s)
}

// groupClusters clusters the base clusters (weighted by size) for every k
// from 2 to MaxK, picks k by silhouette and smooths k across runs.
func groupClusters(base []Cluster, opt Options, rng *rand.Rand) ([]Cluster, KSmoother, map[int][]Cluster) {
	clusterings := map[int][]Cluster{}
	if len(base) == 0 {
		return nil, KSmoother{}, clusterings
	}
	pts := make([][2]float64, len(base))
	w := make([]float64, len(base))
	for i, b := range base {
		pts[i], w[i] = b.Center, float64(len(b.Members))
	}
	if len(base) == 1 {
		g := []Cluster{{ID: 0, Members: []int{base[0].ID}, Center: base[0].Center}}
		return g, KSmoother{LastK: 1, LastKCount: 1, SmoothedK: 1}, map[int][]Cluster{1: g}
	}
	maxK := min(opt.MaxK, 2+len(base)/12, countDistinct(pts))
	ks := []int{}
	if opt.K > 0 {
		ks = append(ks, min(opt.K, countDistinct(pts)))
	} else {
		for k := 2; k <= max(maxK, 2); k++ {
			ks = append(ks, k)
		}
		// The smoothed k stays a candidate while the points allow it, so
		// fewer base clusters alone (an emptied one) do not force k down.
		if opt.Prior != nil {
			if pk := opt.Prior.KSmoother.SmoothedK; pk > ks[len(ks)-1] && pk <= countDistinct(pts) {
				ks = append(ks, pk)
			}
		}
	}
	sil := map[int]float64{}
	for _, k := range ks {
		var prior []Cluster
		if opt.Prior != nil {
			prior = opt.Prior.GroupClusterings[k]
		}
		var centres [][2]float64
		var ids []int
		var assign []int
		if len(prior) > 0 {
			for _, c := range prior {
				centres = append(centres, c.Center)
				ids = append(ids, c.ID)
			}
			centres, ids, assign = kmeans(pts, w, centres, ids)
		} else {
			best := math.Inf(1)
			for range groupRestarts {
				c0 := kmeansPlusPlus(pts, w, k, rng)
				id0 := make([]int, len(c0))
				for i := range id0 {
					id0[i] = i
				}
				c1, id1, a1 := kmeans(pts, w, c0, id0)
				if s := weightedSSE(pts, w, c1, a1); s < best-sseEps {
					best, centres, ids, assign = s, c1, id1, a1
				}
			}
			// canonical order: groups numbered by size, largest first
			centres, ids, assign = renumberBySize(centres, assign, w)
		}
		cl := make([]Cluster, len(centres))
		for j := range centres {
			cl[j] = Cluster{ID: ids[j], Center: centres[j]}
		}
		for i, a := range assign {
			cl[a].Members = append(cl[a].Members, base[i].ID)
		}
		slices.SortFunc(cl, func(a, b Cluster) int { return a.ID - b.ID })
		clusterings[k] = cl
		sil[k] = silhouette(pts, assign)
	}

	var sm KSmoother
	if opt.Prior != nil {
		sm = opt.Prior.KSmoother
	}
	thisK := ks[0]
	for _, k := range ks[1:] {
		if sil[k] > sil[thisK] {
			thisK = k
		}
	}
	if sm.LastK == thisK {
		sm.LastKCount++
	} else {
		sm.LastKCount = 1
	}
	sm.LastK = thisK
	if sm.LastKCount >= opt.KBuffer || sm.SmoothedK == 0 || clusterings[sm.SmoothedK] == nil {
		sm.SmoothedK = thisK
	}
	if opt.K > 0 {
		sm.SmoothedK = ks[0]
	}
	return clusterings[sm.SmoothedK], sm, clusterings
}

func renumberBySize(centres [][2]float64, assign []int, w []float64) ([][2]float64, []int, []int) {
	size := make([]float64, len(centres))
	for i, a := range assign {
		size[a] += w[i]
	}
	order := make([]int, len(centres))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case size[a] > size[b]:
			return -1
		case size[a] < size[b]:
			return 1
		}
		return 0
	})
	newOf := make([]int, len(centres))
	nc := make([][2]float64, len(centres))
	ids := make([]int, len(centres))
	for n, o := range order {
		newOf[o] = n
		nc[n] = centres[o]
		ids[n] = n
	}
	na := make([]int, len(assign))
	for i, a := range assign {
		na[i] = newOf[a]
	}
	return nc, ids, na
}

// silhouette is the mean silhouette over points (unweighted, as Pol.is
// computes it over base clusters); a point alone in its cluster scores 0.
func silhouette(pts [][2]float64, assign []int) float64 {
	k := 0
	for _, a := range assign {
		k = max(k, a+1)
	}
	if k < 2 {
		return -1
	}
	var total float64
	sum := make([]float64, k)
	cnt := make([]int, k)
	for _, a := range assign {
		cnt[a]++
	}
	for i, p := range pts {
		clear(sum)
		for j, q := range pts {
			if i != j {
				sum[assign[j]] += math.Sqrt(dist2(p, q))
			}
		}
		own := assign[i]
		if cnt[own] == 1 {
			continue
		}
		a := sum[own] / float64(cnt[own]-1)
		b := math.Inf(1)
		for c := range k {
			if c != own && cnt[c] > 0 {
				b = min(b, sum[c]/float64(cnt[c]))
			}
		}
		if mx := max(a, b); mx > 0 {
			total += (b - a) / mx
		}
	}
	return total / float64(len(pts))
}
