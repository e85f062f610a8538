package opinion

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

type pcaResult struct {
	center []float64
	comps  [2][]float64
}

const (
	pcaBlock   = 4     // vectors iterated together: 2 wanted + 2 to speed convergence
	pcaMaxIter = 100   // passes over the votes at most, as Pol.is
	pcaTol     = 1e-13 // 1-|cos| between successive Ritz vectors
	pcaResTol  = 1e-6  // or ‖A u − θ u‖ relative to the top eigenvalue
	pcaValTol  = 1e-6  // or Ritz values stop moving, relative to the top one
)

// pca finds the two principal axes of the mean-imputed vote matrix by block
// power iteration with Rayleigh-Ritz. Centred, an imputed cell is zero, so
// each pass touches only the votes: no dense participants × statements matrix.
// Start vectors come from the prior axes, which keeps axes (and signs) stable.
func (m *matrix) pca(prior *State, rng *rand.Rand) *pcaResult {
	n := len(m.tids)
	res := &pcaResult{center: make([]float64, n)}
	res.comps[0], res.comps[1] = make([]float64, n), make([]float64, n)
	cnt := make([]int, n)
	for i, c := range m.cols {
		res.center[c] += float64(m.vals[i])
		cnt[c]++
	}
	for c := range res.center {
		if m.modOut[c] || cnt[c] == 0 {
			res.center[c] = 0 // Pol.is zeroes moderated-out columns
			continue
		}
		res.center[c] /= float64(cnt[c])
	}
	if n == 0 || len(m.pids) < 2 {
		return res
	}
	b := min(pcaBlock, n)

	var priorComps [2][]float64
	if prior != nil && len(prior.Statements) == len(prior.Components[0]) {
		for k := range 2 {
			if len(prior.Components[k]) == 0 {
				continue
			}
			v := make([]float64, n)
			any := false
			for j, tid := range prior.Statements {
				if c, ok := m.col.get(tid); ok && j < len(prior.Components[k]) {
					v[c] = prior.Components[k][j]
					any = any || v[c] != 0
				}
			}
			if any {
				priorComps[k] = v
			}
		}
	}

	// V is stored interleaved: V[c*b+k] is entry c of vector k.
	V := make([]float64, n*b)
	for k := range b {
		if k < 2 && priorComps[k] != nil {
			for c := range n {
				// new statements get a small start weight, as Pol.is pads with ones
				V[c*b+k] = priorComps[k][c]
				if V[c*b+k] == 0 {
					V[c*b+k] = 1e-3
				}
			}
			continue
		}
		for c := range n {
			V[c*b+k] = rng.Float64() - 0.5
		}
	}
	orthonormalise(V, n, b, rng)

	// Centred votes, zero in moderated-out columns (Pol.is zeroes them).
	xs := make([]float32, len(m.vals))
	for i, c := range m.cols {
		if !m.modOut[c] {
			xs[i] = float32(float64(m.vals[i]) - res.center[c])
		}
	}
	W := make([]float64, n*b)
	part := make([][]float64, workChunks)
	for i := range part {
		part[i] = make([]float64, n*b)
	}
	U := make([]float64, n*b)
	prevU := make([]float64, n*b)
	H := mat.NewSymDense(b, nil)
	var eig mat.EigenSym
	var Q mat.Dense
	ritz := make([]float64, b)
	prevRitz := make([]float64, b)
	for it := range pcaMaxIter {
		// W = Xᵀ X V, one pass over the votes.
		applyXtX(W, V, xs, m, b, part)
		// H = Vᵀ W, and its eigenvectors rotate V and W onto Ritz vectors.
		for i := range b {
			for j := i; j < b; j++ {
				var h float64
				for c := range n {
					h += V[c*b+i] * W[c*b+j]
				}
				var h2 float64
				for c := range n {
					h2 += V[c*b+j] * W[c*b+i]
				}
				H.SetSym(i, j, (h+h2)/2)
			}
		}
		if !eig.Factorize(H, true) {
			break
		}
		vals := eig.Values(nil)
		eig.VectorsTo(&Q)
		order := make([]int, b)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(i, j int) bool { return vals[order[i]] > vals[order[j]] })
		for k, o := range order {
			ritz[k] = vals[o]
		}
		copy(prevU, U)
		rotate(U, V, &Q, order, n, b)
		rotate(V, W, &Q, order, n, b) // V ← W Q = A U, re-orthonormalised below
		// Ritz values settle long before vectors in a near-tie; once the
		// variance the two axes capture stops growing the map is as good as
		// it gets.
		settled := it > 0 && ritz[0]-prevRitz[0] <= pcaValTol*ritz[0] && math.Abs(ritz[min(1, b-1)]-prevRitz[min(1, b-1)]) <= pcaValTol*ritz[0]
		if it > 0 && (settled || converged(U, prevU, n, b) || smallResidual(V, U, ritz, n, b)) {
			break
		}
		copy(prevRitz, ritz)
		orthonormalise(V, n, b, rng)
	}
	alignTies(U, ritz, priorComps, n, b)
	for k := range 2 {
		if k >= b {
			break
		}
		for c := range n {
			res.comps[k][c] = U[c*b+k]
		}
		alignSign(res.comps[k], priorComps[k])
	}
	return res
}

// alignTies handles equal eigenvalues, where any basis of the tied subspace
// is a valid answer: it picks the one nearest the prior axes, so the map
// does not swap or spin between runs.
func alignTies(U, ritz []float64, prior [2][]float64, n, b int) {
	for k := range min(2, b) {
		if prior[k] == nil {
			continue
		}
		tied := []int{k}
		for j := k + 1; j < b && ritz[k]-ritz[j] <= 1e-9*max(math.Abs(ritz[k]), 1e-300); j++ {
			tied = append(tied, j)
		}
		if len(tied) == 1 {
			continue
		}
		// v = projection of the prior axis onto the tied subspace
		v := make([]float64, n)
		for _, j := range tied {
			var d float64
			for c := range n {
				d += U[c*b+j] * prior[k][c]
			}
			for c := range n {
				v[c] += d * U[c*b+j]
			}
		}
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		if norm < 1e-18 {
			continue
		}
		norm = math.Sqrt(norm)
		// Put v first; re-orthonormalise the rest of the tied block after it.
		old := make([][]float64, len(tied))
		for i, j := range tied {
			old[i] = make([]float64, n)
			for c := range n {
				old[i][c] = U[c*b+j]
			}
		}
		basis := [][]float64{}
		for c := range n {
			v[c] /= norm
		}
		basis = append(basis, v)
		for _, o := range old {
			if len(basis) == len(tied) {
				break
			}
			w := append([]float64(nil), o...)
			for _, q := range basis {
				var d float64
				for c := range n {
					d += w[c] * q[c]
				}
				for c := range n {
					w[c] -= d * q[c]
				}
			}
			var wn float64
			for _, x := range w {
				wn += x * x
			}
			if wn < 1e-18 {
				continue
			}
			wn = math.Sqrt(wn)
			for c := range n {
				w[c] /= wn
			}
			basis = append(basis, w)
		}
		for i, j := range tied[:len(basis)] {
			for c := range n {
				U[c*b+j] = basis[i][c]
			}
		}
	}
}

// rotate sets dst = src Q with Q's columns taken in order.
func rotate(dst, src []float64, Q *mat.Dense, order []int, n, b int) {
	row := make([]float64, b)
	for c := range n {
		for k := range b {
			var x float64
			for j := range b {
				x += src[c*b+j] * Q.At(j, order[k])
			}
			row[k] = x
		}
		copy(dst[c*b:c*b+b], row)
	}
}

// smallResidual reports whether both wanted Ritz pairs satisfy A u ≈ θ u.
// When the second eigenvalue sits in a near-tie (noise), the vector itself
// never settles but any vector of the tied space is an equally good axis.
func smallResidual(AU, U, ritz []float64, n, b int) bool {
	if ritz[0] <= 0 {
		return true
	}
	for k := range min(2, b) {
		var r float64
		for c := range n {
			d := AU[c*b+k] - ritz[k]*U[c*b+k]
			r += d * d
		}
		if math.Sqrt(r) > pcaResTol*ritz[0] {
			return false
		}
	}
	return true
}

func converged(U, prev []float64, n, b int) bool {
	for k := range min(2, b) {
		var d float64
		for c := range n {
			d += U[c*b+k] * prev[c*b+k]
		}
		if 1-math.Abs(d) > pcaTol {
			return false
		}
	}
	return true
}

// orthonormalise runs modified Gram-Schmidt; a vector that collapses (rank
// deficiency) is replaced by a random one so the block keeps its size.
func orthonormalise(V []float64, n, b int, rng *rand.Rand) {
	for k := range b {
		for attempt := 0; ; attempt++ {
			for j := range k {
				var d float64
				for c := range n {
					d += V[c*b+k] * V[c*b+j]
				}
				for c := range n {
					V[c*b+k] -= d * V[c*b+j]
				}
			}
			var norm float64
			for c := range n {
				norm += V[c*b+k] * V[c*b+k]
			}
			norm = math.Sqrt(norm)
			if norm > 1e-12 || attempt > 3 {
				if norm == 0 {
					norm = 1
				}
				for c := range n {
					V[c*b+k] /= norm
				}
				break
			}
			for c := range n {
				V[c*b+k] = rng.Float64() - 0.5
			}
		}
	}
}

// alignSign points an axis the same way as the prior one, or else makes its
// largest entry positive, so the map does not flip between runs.
func alignSign(v, prior []float64) {
	var d float64
	if prior != nil {
		for i := range v {
			d += v[i] * prior[i]
		}
	}
	if d == 0 {
		best := 0.0
		for _, x := range v {
			if math.Abs(x) > math.Abs(best) {
				best = x
			}
		}
		d = best
	}
	if d < 0 {
		for i := range v {
			v[i] = -v[i]
		}
	}
}

// applyXtX sets W = Xᵀ X V for the sparse centred matrix, rows split into
// chunks with their own partial W; the four lanes are written out because
// this loop is where the time goes on large inputs.
func applyXtX(W, V []float64, xs []float32, m *matrix, b int, part [][]float64) {
	inChunks(len(m.pids), func(ch, rlo, rhi int) {
		P := part[ch]
		clear(P)
		if b != pcaBlock {
			s := make([]float64, b)
			for r := rlo; r < rhi; r++ {
				lo, hi := m.rowPtr[r], m.rowPtr[r+1]
				clear(s)
				for i := lo; i < hi; i++ {
					c := int(m.cols[i])
					for k := range b {
						s[k] += float64(xs[i]) * V[c*b+k]
					}
				}
				for i := lo; i < hi; i++ {
					c := int(m.cols[i])
					for k := range b {
						P[c*b+k] += float64(xs[i]) * s[k]
					}
				}
			}
			return
		}
		for r := rlo; r < rhi; r++ {
			lo, hi := m.rowPtr[r], m.rowPtr[r+1]
			cols, x := m.cols[lo:hi], xs[lo:hi]
			var s0, s1, s2, s3 float64
			for i, c := range cols {
				v := V[4*int(c) : 4*int(c)+4 : 4*int(c)+4]
				xi := float64(x[i])
				s0 += xi * v[0]
				s1 += xi * v[1]
				s2 += xi * v[2]
				s3 += xi * v[3]
			}
			for i, c := range cols {
				w := P[4*int(c) : 4*int(c)+4 : 4*int(c)+4]
				xi := float64(x[i])
				w[0] += xi * s0
				w[1] += xi * s1
				w[2] += xi * s2
				w[3] += xi * s3
			}
		}
	})
	copy(W, part[0])
	for _, P := range part[1:] {
		for i, x := range P {
			W[i] += x
		}
	}
}
