package opinion

import (
	"math"
	"slices"
)

// matrix is the sparse participant × statement vote matrix, rows and columns
// in ascending id order. Missing votes stay missing: the PCA imputes column
// means implicitly, which after centring is zero, so the work stays sparse.
type matrix struct {
	pids, tids []int
	row, col   idIndex
	rowPtr     []int
	cols       []int32
	vals       []int8
	modOut     []bool // out of the math: moderated out or meta
	meta       []bool
	rejected   []bool // moderated out
	nModOut    int
}

// idIndex maps ids to dense indices: a slice when ids are small and dense
// (the usual case, and much faster than a map on ten million votes).
type idIndex struct {
	min   int
	dense []int32
	m     map[int]int32
}

func newIDIndex(ids []int) idIndex {
	if len(ids) == 0 {
		return idIndex{}
	}
	lo, hi := ids[0], ids[len(ids)-1]
	if hi-lo < 8*len(ids)+1024 {
		d := make([]int32, hi-lo+1)
		for i := range d {
			d[i] = -1
		}
		for i, id := range ids {
			d[id-lo] = int32(i)
		}
		return idIndex{min: lo, dense: d}
	}
	m := make(map[int]int32, len(ids))
	for i, id := range ids {
		m[id] = int32(i)
	}
	return idIndex{m: m}
}

func (x idIndex) get(id int) (int, bool) {
	if x.m != nil {
		i, ok := x.m[id]
		return int(i), ok
	}
	j := id - x.min
	if j < 0 || j >= len(x.dense) || x.dense[j] < 0 {
		return -1, false
	}
	return int(x.dense[j]), true
}

// distinctSorted returns the distinct values of get(i), i < n, ascending.
func distinctSorted(n int, get func(int) int) []int {
	if n == 0 {
		return nil
	}
	lo, hi := get(0), get(0)
	for i := 1; i < n; i++ {
		v := get(i)
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo < 8*n+1024 {
		seen := make([]bool, hi-lo+1)
		for i := 0; i < n; i++ {
			seen[get(i)-lo] = true
		}
		var out []int
		for j, s := range seen {
			if s {
				out = append(out, j+lo)
			}
		}
		return out
	}
	set := make(map[int]struct{})
	for i := 0; i < n; i++ {
		set[get(i)] = struct{}{}
	}
	out := make([]int, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func buildMatrix(in Input) *matrix {
	votes := in.Votes
	m := &matrix{}
	m.pids = distinctSorted(len(votes), func(i int) int { return votes[i].Participant })
	m.tids = distinctSorted(len(votes), func(i int) int { return votes[i].Statement })
	m.row, m.col = newIDIndex(m.pids), newIDIndex(m.tids)

	m.rowPtr = make([]int, len(m.pids)+1)
	for _, v := range votes {
		r, _ := m.row.get(v.Participant)
		m.rowPtr[r+1]++
	}
	for r := range m.pids {
		m.rowPtr[r+1] += m.rowPtr[r]
	}
	m.cols = make([]int32, len(votes))
	m.vals = make([]int8, len(votes))
	next := slices.Clone(m.rowPtr[:len(m.pids)])
	for _, v := range votes {
		r, _ := m.row.get(v.Participant)
		c, _ := m.col.get(v.Statement)
		m.cols[next[r]] = int32(c)
		m.vals[next[r]] = v.Value
		next[r]++
	}
	// Keep the last vote per cell (rows stay in input order: no sort needed).
	stamp := make([]int32, len(m.tids))
	for i := range stamp {
		stamp[i] = -1
	}
	out := 0
	newPtr := make([]int, len(m.pids)+1)
	type cell struct {
		c int32
		v int8
	}
	var buf []cell
	for r := range m.pids {
		buf = buf[:0]
		for i := m.rowPtr[r+1] - 1; i >= m.rowPtr[r]; i-- {
			c := m.cols[i]
			if stamp[c] == int32(r) {
				continue
			}
			stamp[c] = int32(r)
			buf = append(buf, cell{c, m.vals[i]})
		}
		// buf holds the row newest first; store it oldest first.
		for j := len(buf) - 1; j >= 0; j-- {
			x := buf[j]
			m.cols[out], m.vals[out] = x.c, x.v
			out++
		}
		newPtr[r+1] = out
	}
	m.rowPtr = newPtr
	m.cols, m.vals = m.cols[:out:out], m.vals[:out:out]

	m.modOut = make([]bool, len(m.tids))
	m.meta = make([]bool, len(m.tids))
	m.rejected = make([]bool, len(m.tids))
	for _, s := range in.Statements {
		if c, ok := m.col.get(s.ID); ok {
			// Pol.is keeps meta statements out of the math like rejected ones.
			m.modOut[c], m.meta[c], m.rejected[c] = s.ModeratedOut || s.Meta, s.Meta, s.ModeratedOut
		}
	}
	for _, b := range m.modOut {
		if b {
			m.nModOut++
		}
	}
	return m
}

// inConversation marks participants who voted enough (Pol.is: min(7, number
// of statements)), those in the prior state, and tops up to GreedyN with the
// most active voters so that small conversations still get a map.
func (m *matrix) inConversation(opt Options) []bool {
	in := make([]bool, len(m.pids))
	n := 0
	if opt.Prior != nil {
		for _, pid := range opt.Prior.InConv {
			if r, ok := m.row.get(pid); ok && !in[r] {
				in[r] = true
				n++
			}
		}
	}
	need := min(opt.MinVotes, len(m.tids))
	for r := range m.pids {
		if !in[r] && m.rowPtr[r+1]-m.rowPtr[r] >= need {
			in[r] = true
			n++
		}
	}
	if n < opt.GreedyN {
		var rest []int
		for r := range m.pids {
			if !in[r] {
				rest = append(rest, r)
			}
		}
		// most votes first, ties by id for determinism
		slices.SortStableFunc(rest, func(a, b int) int {
			return (m.rowPtr[b+1] - m.rowPtr[b]) - (m.rowPtr[a+1] - m.rowPtr[a])
		})
		for _, r := range rest[:min(len(rest), opt.GreedyN-n)] {
			in[r] = true
		}
	}
	return in
}

// project places every participant on the map. Pol.is scales by
// sqrt(statements / votes) so people who voted little are not pulled to the
// centre; moderated-out columns are zeroed, not missing, so they count as voted.
func (m *matrix) project(p *pcaResult) [][2]float64 {
	out := make([][2]float64, len(m.pids))
	nCols := float64(len(m.tids))
	for r := range m.pids {
		var x, y float64
		n := m.nModOut
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			c := m.cols[i]
			if m.modOut[c] {
				continue
			}
			d := float64(m.vals[i]) - p.center[c]
			x += d * p.comps[0][c]
			y += d * p.comps[1][c]
			n++
		}
		s := math.Sqrt(nCols / float64(max(n, 1)))
		out[r] = [2]float64{x * s, y * s}
	}
	return out
}

// groupVotes counts agree/disagree/seen per group and statement.
func (m *matrix) groupVotes(rowGroup []int, k int) [][]GroupVotes {
	gv := make([][]GroupVotes, k)
	for g := range gv {
		gv[g] = make([]GroupVotes, len(m.tids))
	}
	for r, g := range rowGroup {
		if g < 0 {
			continue
		}
		row := gv[g]
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			c := m.cols[i]
			switch m.vals[i] {
			case Agree:
				row[c].Agree++
			case Disagree:
				row[c].Disagree++
			}
			row[c].Seen++
		}
	}
	return gv
}

// columnCounts counts agree/disagree/pass per statement over everyone.
func (m *matrix) columnCounts() (a, d, p []int) {
	a, d, p = make([]int, len(m.tids)), make([]int, len(m.tids)), make([]int, len(m.tids))
	for i, c := range m.cols {
		switch m.vals[i] {
		case Agree:
			a[c]++
		case Disagree:
			d[c]++
		default:
			p[c]++
		}
	}
	return a, d, p
}
