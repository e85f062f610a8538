package opinion

import (
	"math"
	"math/rand/v2"
)

// Bridging is a statement's place in the one-factor model
// vote ≈ μ + i_participant + i_statement + f_participant·f_statement.
// The factor soaks up the main divide; the intercept is what is left: support
// shared across the divide, as Community Notes rates notes.
type Bridging struct {
	Score   float64 // the statement intercept
	Factor  float64 // the statement's position on the divide
	Ratings int     // agree and disagree votes used (passes are left out)
}

const bridgingTol = 1e-4 // stop when no statement intercept moves more

// rating maps agree to 1 and disagree to 0, as helpful / not helpful.
func rating(v int8) float64 {
	if v == Agree {
		return 1
	}
	return 0
}

// bridging fits the model by alternating least squares: with one side fixed,
// each participant's (and each statement's) intercept and factor is a 2×2
// ridge regression. Agree counts 1 and disagree 0; intercepts are penalised
// more than factors so that polarised support goes to the factor.
func bridging(res *Result, m *matrix, opt Options, rng *rand.Rand) {
	nr, nc := len(m.pids), len(m.tids)
	// Passes carry no rating. Ratings are copied out twice, by participant
	// and by statement (9 bytes a vote), so both half-steps read
	// sequentially and split into chunks without shared sums.
	rptr := make([]int, nr+1)
	cptr := make([]int, nc+1)
	for r := range nr {
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			if m.vals[i] != Pass {
				rptr[r+1]++
				cptr[m.cols[i]+1]++
			}
		}
	}
	for r := range nr {
		rptr[r+1] += rptr[r]
	}
	for c := range nc {
		cptr[c+1] += cptr[c]
	}
	n := rptr[nr]
	if n == 0 {
		return
	}
	rcol := make([]int32, n)
	crow := make([]int32, n)
	ry := make([]float32, n)
	cy := make([]float32, n)
	next := append([]int(nil), cptr[:nc]...)
	k := 0
	var mu float64
	for r := range nr {
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			v := m.vals[i]
			if v == Pass {
				continue
			}
			c := m.cols[i]
			y := float32(rating(v))
			rcol[k], ry[k] = c, y
			k++
			crow[next[c]], cy[next[c]] = int32(r), y
			next[c]++
			mu += float64(y)
		}
	}
	mu /= float64(n)

	iu, fu := make([]float64, nr), make([]float64, nr)
	is, fs := make([]float64, nc), make([]float64, nc)
	// Start the statement factors on the first principal axis, which is
	// close to where they end up: far fewer sweeps than a random start.
	sq := math.Sqrt(float64(nc))
	for c := range fs {
		fs[c] = res.Components[0][c]*sq + rng.NormFloat64()*1e-3
	}
	li, lf := opt.BridgingLambdaIntercept, opt.BridgingLambdaFactor
	// solve2 minimises Σ(y - a - b·x)² + li·a² + lf·b².
	solve2 := func(sxx, sx, n, sy, sxy float64) (float64, float64) {
		a11, a12, a22 := n+li, sx, sxx+lf
		det := a11*a22 - a12*a12
		if det == 0 {
			return 0, 0
		}
		return (a22*sy - a12*sxy) / det, (a11*sxy - a12*sy) / det
	}
	var resid, moved [workChunks]float64
	for range opt.BridgingIters {
		inChunks(nr, func(_, lo, hi int) {
			for r := lo; r < hi; r++ {
				var sxx, sx, sy, sxy float64
				for i := rptr[r]; i < rptr[r+1]; i++ {
					c := rcol[i]
					y := float64(ry[i]) - mu - is[c]
					x := fs[c]
					sxx, sx, sy, sxy = sxx+x*x, sx+x, sy+y, sxy+x*y
				}
				iu[r], fu[r] = solve2(sxx, sx, float64(rptr[r+1]-rptr[r]), sy, sxy)
			}
		})
		// μ takes the mean residual under the old statement values (one
		// step behind, same fixed point), summed per chunk in fixed order.
		inChunks(nc, func(ch, lo, hi int) {
			var rs, mv float64
			for c := lo; c < hi; c++ {
				var sxx, sx, sy, sxy float64
				for i := cptr[c]; i < cptr[c+1]; i++ {
					r := crow[i]
					y := float64(cy[i]) - mu - iu[r]
					x := fu[r]
					sxx, sx, sy, sxy = sxx+x*x, sx+x, sy+y, sxy+x*y
				}
				cnt := float64(cptr[c+1] - cptr[c])
				rs += sy - cnt*is[c] - fs[c]*sx
				ni, nf := solve2(sxx, sx, cnt, sy, sxy)
				mv = max(mv, math.Abs(ni-is[c]))
				is[c], fs[c] = ni, nf
			}
			resid[ch], moved[ch] = rs, mv
		})
		var rs, mv float64
		for ch := range workChunks {
			rs += resid[ch]
			mv = max(mv, moved[ch])
		}
		mu += rs / float64(n)
		// The fit is unchanged if a constant moves from all participant (or
		// statement) intercepts into μ, while the penalty is lowest with
		// both means at zero: jump there instead of crawling.
		for _, v := range [][]float64{iu, is} {
			var a float64
			for _, x := range v {
				a += x
			}
			a /= float64(len(v))
			for i := range v {
				v[i] -= a
			}
			mu += a
		}
		// Likewise a constant added to every statement factor (or every
		// participant factor) can be absorbed by the other side's
		// intercepts without changing the fit; take the cheapest such move.
		gauge := func(ia, fa, fb []float64) {
			var num, den float64
			for i := range ia {
				num += li * ia[i] * fa[i]
				den += li * fa[i] * fa[i]
			}
			for _, f := range fb {
				num -= lf * f
			}
			den += lf * float64(len(fb))
			if den == 0 {
				return
			}
			c := num / den
			for i := range ia {
				ia[i] -= fa[i] * c
			}
			for i := range fb {
				fb[i] += c
			}
		}
		gauge(iu, fu, fs)
		gauge(is, fs, fu)
		if mv < bridgingTol {
			break
		}
	}
	for c := range nc {
		res.Statements[c].Bridging = Bridging{Score: is[c], Factor: fs[c], Ratings: cptr[c+1] - cptr[c]}
	}
}
