// Package opinion maps the opinion groups of a consultation and finds what has
// consensus across them, following Pol.is's published method: PCA of the vote
// matrix with sparsity-aware projection, k-means base clusters grouped again by
// a silhouette-chosen k, representative and consensus statements with Pol.is's
// significance tests, and statement priority for choosing the next vote. Beyond
// Pol.is it measures agreement per declared stakeholder group and a bridging
// score per statement from a one-factor matrix factorisation (as in Community
// Notes). Everything is pure and deterministic given the seed and prior State.
package opinion

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Vote values as Pol.is exports them (the math inside Pol.is flips the sign).
const (
	Agree    int8 = 1
	Pass     int8 = 0
	Disagree int8 = -1
)

// Vote is one participant's latest answer on one statement.
type Vote struct {
	Participant int
	Statement   int
	Value       int8 // Agree, Disagree or Pass
}

// Statement carries the moderation flags that change the analysis.
type Statement struct {
	ID           int
	ModeratedOut bool // hidden by moderators: kept in the matrix as Pol.is does, never selected
	Meta         bool // about the conversation itself: out of the math like moderated-out, top priority
}

// Input is one consultation's votes. When a (participant, statement) pair
// occurs several times the last one in Votes wins.
type Input struct {
	Votes      []Vote
	Statements []Statement // optional; statements only seen in Votes are plain
	// Stakeholders maps a participant to a declared stakeholder group (optional).
	Stakeholders map[int]string
}

// Options tune the analysis; the zero value means Pol.is's defaults.
type Options struct {
	Seed  uint64 // seeds random starts (PCA without prior, k-means++ without prior, bridging)
	Prior *State // the previous run's State, for stable axes, clusters and k

	K        int // force the number of groups (0: choose by silhouette, smoothed)
	BaseK    int // base clusters (100)
	MaxK     int // largest group count tried (5)
	MinVotes int // votes to be "in conversation" (7, or all statements if fewer)
	GreedyN  int // top up the in-conversation set to this many (15)
	KBuffer  int // runs a new best k must win in a row before it is used (4)

	// Stakeholder consensus: agreement share and votes needed in a group.
	StakeholderThreshold float64 // 0.6
	StakeholderMinVotes  int     // 5

	// Bridging model: regularisation of intercepts and factors, ALS sweeps.
	BridgingLambdaIntercept float64 // 0.15
	BridgingLambdaFactor    float64 // 0.03
	BridgingIters           int     // 50

	SkipBridging bool // the factorisation is the slowest step on huge inputs
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.BaseK, 100)
	def(&o.MaxK, 5)
	def(&o.MinVotes, 7)
	def(&o.GreedyN, 15)
	def(&o.KBuffer, 4)
	def(&o.StakeholderMinVotes, 5)
	def(&o.BridgingIters, 50)
	if o.StakeholderThreshold <= 0 {
		o.StakeholderThreshold = 0.6
	}
	if o.BridgingLambdaIntercept <= 0 {
		o.BridgingLambdaIntercept = 0.15
	}
	if o.BridgingLambdaFactor <= 0 {
		o.BridgingLambdaFactor = 0.03
	}
	return o
}

// Cluster is a base or group cluster: members are participant ids for base
// clusters and base-cluster ids for group clusters.
type Cluster struct {
	ID      int
	Members []int
	Center  [2]float64
}

// State is what a run hands to the next one (Options.Prior) so that axes,
// clusters and the number of groups stay put as votes trickle in.
type State struct {
	Statements       []int             // column order of Components
	Components       [2][]float64      // principal axes (agree = +1 encoding)
	InConv           []int             // participants once in conversation stay in
	BaseClusters     []Cluster         // members: participant ids
	GroupClusterings map[int][]Cluster // per k; members: base-cluster ids
	KSmoother        KSmoother         // Pol.is's k smoothing
}

// KSmoother remembers the last best k and how often it won in a row.
type KSmoother struct {
	LastK, LastKCount, SmoothedK int
}

// Point is a participant on the opinion map.
type Point struct {
	Participant int
	X, Y        float64
	Group       int // group index, -1 when not clustered (not in conversation)
}

// Group is one opinion group.
type Group struct {
	ID      int
	Center  [2]float64
	Members []int // participant ids, ascending
}

// Repness is a statement that represents a group (Pol.is's fields).
type Repness struct {
	Statement   int
	RepfulFor   string // "agree" or "disagree"
	NSuccess    int
	NTrials     int
	PSuccess    float64
	PTest       float64
	Repness     float64
	RepnessTest float64
	BestAgree   bool
}

// ConsensusStatement is a statement most participants agree (or disagree) on.
type ConsensusStatement struct {
	Statement int
	NSuccess  int
	NTrials   int
	PSuccess  float64
	PTest     float64
}

// Consensus lists Pol.is's overall consensus statements, at most 5 each way.
type Consensus struct {
	Agree    []ConsensusStatement
	Disagree []ConsensusStatement
}

// GroupVotes counts votes of one group on one statement.
type GroupVotes struct {
	Agree, Disagree, Seen int // Seen includes passes
}

// StatementStats is everything per statement.
type StatementStats struct {
	ID                  int
	Agree, Disagree     int // all participants
	Pass                int
	GroupVotes          []GroupVotes // by group index
	GroupAwareConsensus float64      // Pol.is: product over groups of (A+1)/(S+2)
	Priority            float64      // Pol.is: weight for choosing the next statement
	Extremity           float64      // distance of the statement from the centre of the map
	Projection          [2]float64   // where an agree vote on it alone would sit
	Stakeholders        map[string]StakeholderVotes
	Bridging            Bridging
	ModeratedOut, Meta  bool
}

// Result is one analysis.
type Result struct {
	Participants []Point // every participant who voted, ascending id
	// Statements: those voted on in ascending id (the order of Center and
	// Components), then listed statements nobody has voted on yet.
	Statements   []StatementStats
	Center       []float64 // column means, by Statements order (agree = +1)
	Components   [2][]float64
	K            int
	Groups       []Group
	BaseClusters []Cluster
	Repness      [][]Repness // by group index
	Consensus    Consensus
	// Beyond Pol.is: stakeholder groups and bridging.
	StakeholderConsensus []StakeholderConsensus // agreed (or rejected) in every stakeholder group
	StakeholderDivides   []StakeholderDivide    // statements that split stakeholder groups
	State                State
}

// GroupOf maps each clustered participant to its group index.
func (r *Result) GroupOf() map[int]int {
	m := make(map[int]int)
	for gi, g := range r.Groups {
		for _, p := range g.Members {
			m[p] = gi
		}
	}
	return m
}

// NextStatement draws the statement a participant should see next among
// those they have not voted on, with probability proportional to priority
// (as Pol.is does); moderated-out statements are never drawn.
func (r *Result) NextStatement(voted func(statement int) bool, rng *rand.Rand) (int, bool) {
	var total float64
	for _, s := range r.Statements {
		if !s.ModeratedOut && !voted(s.ID) {
			total += s.Priority
		}
	}
	if total <= 0 {
		// all left have zero priority: take the lowest id, if any
		for _, s := range r.Statements {
			if !s.ModeratedOut && !voted(s.ID) {
				return s.ID, true
			}
		}
		return 0, false
	}
	t := rng.Float64() * total
	last := -1
	for _, s := range r.Statements {
		if s.ModeratedOut || voted(s.ID) {
			continue
		}
		last = s.ID
		if t -= s.Priority; t < 0 {
			return s.ID, true
		}
	}
	return last, true
}

// ErrNoVotes is returned when there is nothing to analyse.
var ErrNoVotes = errors.New("opinion: no votes")

// Analyse runs the whole pipeline.
func Analyse(in Input, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if len(in.Votes) == 0 {
		return nil, ErrNoVotes
	}
	for i, v := range in.Votes {
		if v.Value < -1 || v.Value > 1 {
			return nil, fmt.Errorf("opinion: vote %d: value %d not in {-1,0,1}", i, v.Value)
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x636f6e636f7264))
	m := buildMatrix(in)

	res := &Result{}
	pca := m.pca(opt.Prior, rng)
	res.Center, res.Components = pca.center, pca.comps
	proj := m.project(pca)

	inConv := m.inConversation(opt)
	base := baseClusters(m, proj, inConv, opt, rng)
	groups, smoother, clusterings := groupClusters(base, opt, rng)
	res.BaseClusters = base
	res.K = len(groups)

	// participant row → group index
	rowGroup := make([]int, len(m.pids))
	for i := range rowGroup {
		rowGroup[i] = -1
	}
	baseIdx := make(map[int]int, len(base))
	for i, b := range base {
		baseIdx[b.ID] = i
	}
	res.Groups = make([]Group, len(groups))
	for gi, g := range groups {
		grp := Group{ID: g.ID, Center: g.Center}
		for _, bid := range g.Members {
			for _, pid := range base[baseIdx[bid]].Members {
				r, _ := m.row.get(pid)
				rowGroup[r] = gi
				grp.Members = append(grp.Members, pid)
			}
		}
		slices.Sort(grp.Members)
		res.Groups[gi] = grp
	}

	res.Participants = make([]Point, len(m.pids))
	for r, pid := range m.pids {
		res.Participants[r] = Point{Participant: pid, X: proj[r][0], Y: proj[r][1], Group: rowGroup[r]}
	}

	gv := m.groupVotes(rowGroup, len(groups))
	res.Statements = m.statementStats(gv, pca)
	res.Repness = repness(m, gv)
	res.Consensus = consensus(m)
	stakeholders(res, m, in.Stakeholders, opt)
	if !opt.SkipBridging {
		bridging(res, m, opt, rng)
	}

	// Statements nobody has voted on yet still need a priority to be shown.
	for _, st := range in.Statements {
		if _, ok := m.col.get(st.ID); !ok {
			res.Statements = append(res.Statements, StatementStats{ID: st.ID, ModeratedOut: st.ModeratedOut, Meta: st.Meta,
				GroupVotes: make([]GroupVotes, len(groups)), Priority: priority(st.Meta, 0, 0, 0, 0)})
		}
	}

	inConvIDs := make([]int, 0, len(inConv))
	for r, ok := range inConv {
		if ok {
			inConvIDs = append(inConvIDs, m.pids[r])
		}
	}
	res.State = State{
		Statements:       slices.Clone(m.tids),
		Components:       pca.comps,
		InConv:           inConvIDs,
		BaseClusters:     base,
		GroupClusterings: clusterings,
		KSmoother:        smoother,
	}
	return res, nil
}
