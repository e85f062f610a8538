package opinion

import (
	"math"
	"slices"
)

// z90 is the one-sided 90% critical value Pol.is uses throughout.
const z90 = 1.2816

// propTest is Pol.is's one-proportion z-test with a +1 pseudocount.
func propTest(succ, n int) float64 {
	s, t := float64(succ+1), float64(n+1)
	return 2 * math.Sqrt(t) * (s/t - 0.5)
}

// twoPropTest compares a group with the rest, again with +1 pseudocounts.
func twoPropTest(succIn, succOut, popIn, popOut int) float64 {
	s1, s2 := float64(succIn+1), float64(succOut+1)
	n1, n2 := float64(popIn+1), float64(popOut+1)
	pi1, pi2 := s1/n1, s2/n2
	pi := (s1 + s2) / (n1 + n2)
	if pi == 1 {
		return 0
	}
	return (pi1 - pi2) / math.Sqrt(pi*(1-pi)*(1/n1+1/n2))
}

type repStats struct {
	na, nd, ns               int
	pa, pd, pat, pdt         float64
	ra, rd, rat, rdt         float64
	tid                      int
	repfulAgree              bool
	succ                     int
	pSucc, pTest, rep, rTest float64
}

func (s *repStats) finalise() {
	if s.rat > s.rdt {
		s.repfulAgree, s.succ, s.pSucc, s.pTest, s.rep, s.rTest = true, s.na, s.pa, s.pat, s.ra, s.rat
	} else {
		s.repfulAgree, s.succ, s.pSucc, s.pTest, s.rep, s.rTest = false, s.nd, s.pd, s.pdt, s.rd, s.rdt
	}
}

func (s *repStats) out(bestAgree bool) Repness {
	f := "disagree"
	if s.repfulAgree {
		f = "agree"
	}
	// Pol.is reports repness-test as a 32-bit float; keep full precision here.
	return Repness{Statement: s.tid, RepfulFor: f, NSuccess: s.succ, NTrials: s.ns, PSuccess: s.pSucc,
		PTest: s.pTest, Repness: s.rep, RepnessTest: s.rTest, BestAgree: bestAgree}
}

func (s *repStats) metric() float64 { return s.rep * s.rTest * s.pSucc * s.pTest }

// repness picks up to five statements per group that set it apart from the
// others (Pol.is's select-rep-comments): significant at 90% both in the group
// and against the rest, the best "agree" statement first, agrees before
// disagrees; a group with none gets its single best statement.
func repness(m *matrix, gv [][]GroupVotes) [][]Repness {
	k := len(gv)
	out := make([][]Repness, k)
	for g := range k {
		var sufficient []repStats
		var best, bestAgree *repStats
		for c, tid := range m.tids {
			if m.modOut[c] {
				continue
			}
			in := gv[g][c]
			var ra, rd, rs int
			for h := range k {
				if h != g {
					ra += gv[h][c].Agree
					rd += gv[h][c].Disagree
					rs += gv[h][c].Seen
				}
			}
			s := repStats{tid: tid, na: in.Agree, nd: in.Disagree, ns: in.Seen}
			s.pa = float64(s.na+1) / float64(s.ns+2)
			s.pd = float64(s.nd+1) / float64(s.ns+2)
			s.pat, s.pdt = propTest(s.na, s.ns), propTest(s.nd, s.ns)
			s.ra = s.pa / (float64(ra+1) / float64(rs+2))
			s.rd = s.pd / (float64(rd+1) / float64(rs+2))
			s.rat = twoPropTest(s.na, ra, s.ns, rs)
			s.rdt = twoPropTest(s.nd, rd, s.ns, rs)
			s.finalise()
			if (s.rat > z90 && s.pat > z90) || (s.rdt > z90 && s.pdt > z90) {
				sufficient = append(sufficient, s)
			}
			if len(sufficient) == 0 && (best == nil || max(s.rat, s.rdt) > best.rTest) {
				b := s
				best = &b
			}
			if beatsBestAgree(&s, bestAgree) {
				b := s
				bestAgree = &b
			}
		}
		var head []Repness
		if bestAgree != nil {
			head = []Repness{bestAgree.out(true)}
		} else if best != nil {
			head = []Repness{best.out(false)}
		}
		if len(sufficient) == 0 {
			out[g] = head
			continue
		}
		if bestAgree != nil {
			sufficient = slices.DeleteFunc(sufficient, func(s repStats) bool { return s.tid == bestAgree.tid })
		}
		slices.SortStableFunc(sufficient, func(a, b repStats) int {
			ma, mb := a.metric(), b.metric()
			switch {
			case ma > mb:
				return -1
			case ma < mb:
				return 1
			}
			return 0
		})
		list := head
		if bestAgree == nil {
			list = nil
		}
		for i := range sufficient {
			list = append(list, sufficient[i].out(false))
		}
		list = list[:min(5, len(list))]
		var agrees, disagrees []Repness
		for _, r := range list {
			if r.RepfulFor == "agree" {
				agrees = append(agrees, r)
			} else {
				disagrees = append(disagrees, r)
			}
		}
		out[g] = append(agrees, disagrees...)
	}
	return out
}

// beatsBestAgree keeps the statement the group most clearly agrees with, so
// every group shows something it is for, not only what it is against.
func beatsBestAgree(s, cur *repStats) bool {
	switch {
	case s.na == 0 && s.nd == 0:
		return false
	case cur != nil && cur.ra > 1:
		return s.ra*s.rat*s.pa*s.pat > cur.ra*cur.rat*cur.pa*cur.pat
	case cur != nil:
		return s.pa*s.pat > cur.pa*cur.pat
	default:
		return s.pat > z90 || (s.ra > 1 && s.pa > 0.5)
	}
}

// consensus lists statements with a significant majority over everyone who
// voted, top five by p × z each way (Pol.is's select-consensus-comments).
func consensus(m *matrix) Consensus {
	a, d, p := m.columnCounts()
	type st struct {
		c        int
		ns       int
		pa, pd   float64
		pat, pdt float64
	}
	var all []st
	for c := range m.tids {
		if m.modOut[c] {
			continue
		}
		ns := a[c] + d[c] + p[c]
		all = append(all, st{c: c, ns: ns,
			pa: float64(a[c]+1) / float64(ns+2), pd: float64(d[c]+1) / float64(ns+2),
			pat: propTest(a[c], ns), pdt: propTest(d[c], ns)})
	}
	top := func(agree bool) []ConsensusStatement {
		var sel []st
		for _, s := range all {
			pr, t := s.pd, s.pdt
			if agree {
				pr, t = s.pa, s.pat
			}
			if pr > 0.5 && t > z90 {
				sel = append(sel, s)
			}
		}
		metric := func(s st) float64 {
			if agree {
				return s.pa * s.pat
			}
			return s.pd * s.pdt
		}
		slices.SortStableFunc(sel, func(x, y st) int {
			mx, my := metric(x), metric(y)
			switch {
			case mx > my:
				return -1
			case mx < my:
				return 1
			}
			return 0
		})
		var out []ConsensusStatement
		for _, s := range sel[:min(5, len(sel))] {
			cs := ConsensusStatement{Statement: m.tids[s.c], NTrials: s.ns}
			if agree {
				cs.NSuccess, cs.PSuccess, cs.PTest = a[s.c], s.pa, s.pat
			} else {
				cs.NSuccess, cs.PSuccess, cs.PTest = d[s.c], s.pd, s.pdt
			}
			out = append(out, cs)
		}
		return out
	}
	return Consensus{Agree: top(true), Disagree: top(false)}
}

const metaPriority = 7

// statementStats fills per-statement counts, group-aware consensus, the
// statement's place on the map and Pol.is's priority for the next vote.
func (m *matrix) statementStats(gv [][]GroupVotes, p *pcaResult) []StatementStats {
	a, d, ps := m.columnCounts()
	out := make([]StatementStats, len(m.tids))
	sq := math.Sqrt(float64(len(m.tids)))
	for c, tid := range m.tids {
		s := StatementStats{ID: tid, Agree: a[c], Disagree: d[c], Pass: ps[c], ModeratedOut: m.rejected[c], Meta: m.meta[c]}
		// Where a participant who only agreed with this statement would sit.
		x := (1 - p.center[c]) * sq
		s.Projection = [2]float64{x * p.comps[0][c], x * p.comps[1][c]}
		s.Extremity = math.Hypot(s.Projection[0], s.Projection[1])
		s.GroupAwareConsensus = 1
		var A, D, S int
		s.GroupVotes = make([]GroupVotes, len(gv))
		for g := range gv {
			v := gv[g][c]
			s.GroupVotes[g] = v
			s.GroupAwareConsensus *= float64(v.Agree+1) / float64(v.Seen+2)
			A, D, S = A+v.Agree, D+v.Disagree, S+v.Seen
		}
		if len(gv) == 0 {
			s.GroupAwareConsensus = 0
		}
		s.Priority = priority(s.Meta, A, S-A-D, S, s.Extremity)
		out[c] = s
	}
	return out
}

// priority favours statements many agree with, few pass on and that
// separate people (extremity), and lets new statements bubble up.
func priority(meta bool, A, P, S int, E float64) float64 {
	if meta {
		return metaPriority * metaPriority
	}
	p := float64(P+1) / float64(S+2)
	a := float64(A+1) / float64(S+2)
	imp := (1 - p) * (E + 1) * a
	v := imp * (1 + 8*math.Pow(2, float64(S)/-5))
	return v * v
}
