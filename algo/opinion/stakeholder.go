package opinion

import (
	"slices"
	"strings"
)

// StakeholderVotes counts one stakeholder group's votes on a statement.
type StakeholderVotes struct {
	Agree, Disagree, Pass int
	// AgreeShare and DisagreeShare are over all votes including passes,
	// as Pol.is counts passes as trials.
	AgreeShare, DisagreeShare float64
}

// StakeholderConsensus is a statement agreed (or rejected) by at least
// StakeholderThreshold of every stakeholder group with enough votes.
type StakeholderConsensus struct {
	Statement int     `json:"statement"`
	For       string  `json:"for"`       // "agree" or "disagree"
	MinShare  float64 `json:"min_share"` // the weakest group's share
	Groups    int     `json:"groups"`    // stakeholder groups with enough votes (at least 2)
}

// StakeholderDivide is a statement one stakeholder group agrees with and
// another rejects, each at StakeholderThreshold or more.
type StakeholderDivide struct {
	Statement int      `json:"statement"`
	Agreeing  []string `json:"agreeing"`  // groups at or above the threshold for agree
	Rejecting []string `json:"rejecting"` // groups at or above the threshold for disagree
	Spread    float64  `json:"spread"`    // highest minus lowest agree share
}

// stakeholders measures agreement per declared stakeholder group.
func stakeholders(res *Result, m *matrix, of map[int]string, opt Options) {
	if len(of) == 0 {
		return
	}
	names := map[string]int{}
	var list []string
	rowGroup := make([]int, len(m.pids))
	for r, pid := range m.pids {
		rowGroup[r] = -1
		g, ok := of[pid]
		if !ok || strings.TrimSpace(g) == "" {
			continue
		}
		if _, ok := names[g]; !ok {
			names[g] = len(list)
			list = append(list, g)
		}
		rowGroup[r] = names[g]
	}
	k := len(list)
	counts := make([]StakeholderVotes, k*len(m.tids))
	for r, g := range rowGroup {
		if g < 0 {
			continue
		}
		for i := m.rowPtr[r]; i < m.rowPtr[r+1]; i++ {
			v := &counts[int(m.cols[i])*k+g]
			switch m.vals[i] {
			case Agree:
				v.Agree++
			case Disagree:
				v.Disagree++
			default:
				v.Pass++
			}
		}
	}
	for c := range m.tids {
		st := &res.Statements[c]
		st.Stakeholders = make(map[string]StakeholderVotes, k)
		var ok []string
		minA, minD, maxA := 2.0, 2.0, -1.0
		var agreeing, rejecting []string
		for g, name := range list {
			v := counts[c*k+g]
			n := v.Agree + v.Disagree + v.Pass
			if n > 0 {
				v.AgreeShare = float64(v.Agree) / float64(n)
				v.DisagreeShare = float64(v.Disagree) / float64(n)
			}
			st.Stakeholders[name] = v
			if n < opt.StakeholderMinVotes {
				continue
			}
			ok = append(ok, name)
			minA, minD, maxA = min(minA, v.AgreeShare), min(minD, v.DisagreeShare), max(maxA, v.AgreeShare)
			if v.AgreeShare >= opt.StakeholderThreshold {
				agreeing = append(agreeing, name)
			}
			if v.DisagreeShare >= opt.StakeholderThreshold {
				rejecting = append(rejecting, name)
			}
		}
		if m.modOut[c] || len(ok) < 2 {
			continue
		}
		switch {
		case minA >= opt.StakeholderThreshold:
			res.StakeholderConsensus = append(res.StakeholderConsensus, StakeholderConsensus{Statement: m.tids[c], For: "agree", MinShare: minA, Groups: len(ok)})
		case minD >= opt.StakeholderThreshold:
			res.StakeholderConsensus = append(res.StakeholderConsensus, StakeholderConsensus{Statement: m.tids[c], For: "disagree", MinShare: minD, Groups: len(ok)})
		}
		if len(agreeing) > 0 && len(rejecting) > 0 {
			slices.Sort(agreeing)
			slices.Sort(rejecting)
			res.StakeholderDivides = append(res.StakeholderDivides, StakeholderDivide{Statement: m.tids[c], Agreeing: agreeing, Rejecting: rejecting, Spread: maxA - minA})
		}
	}
	slices.SortStableFunc(res.StakeholderConsensus, func(a, b StakeholderConsensus) int { return cmpDesc(a.MinShare, b.MinShare) })
	slices.SortStableFunc(res.StakeholderDivides, func(a, b StakeholderDivide) int { return cmpDesc(a.Spread, b.Spread) })
}

func cmpDesc(a, b float64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
