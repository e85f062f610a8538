package concord

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ProposalTypes are the session types a call may take proposals for, in
// the slugs of the meeting's SessionTypes (plus Best Practice Forum sessions).
var ProposalTypes = []string{"workshop", "open-forum", "town-hall", "lightning-talk", "dynamic-coalition", "bpf-session", "nri-session", "main-session"}

// defaultProposalType is the type of a proposal that names none.
const defaultProposalType = "workshop"

// SessionFormats are the room layouts a proposal may ask for.
var SessionFormats = []string{"round_table", "panel", "break_out", "birds_of_a_feather", "classroom", "other"}

// ScreeningRules are a forum's rules for session proposals. The IGF applies
// them to workshops; other session types come from bodies with their own
// mandate and pass unscreened unless listed in Types.
type ScreeningRules struct {
	Types                  []string `json:"types"`
	WordLimit              int      `json:"word_limit"`
	MinSpeakers            int      `json:"min_speakers"`
	MixedGender            bool     `json:"mixed_gender"`
	MinGroups              int      `json:"min_groups"`
	MinRegions             int      `json:"min_regions"`
	OnsiteModerator        bool     `json:"onsite_moderator"`
	OnlineModerator        bool     `json:"online_moderator"`
	Rapporteur             bool     `json:"rapporteur"`
	MinPolicyQuestions     int      `json:"min_policy_questions"`
	MaxSessionsPerSpeaker  int      `json:"max_sessions_per_speaker"`
	ExcludeAdvisoryMembers bool     `json:"exclude_advisory_members"`
	ExcludeOwingReport     bool     `json:"exclude_owing_report"`
}

// DefaultScreeningRules follow IGF practice for workshop proposals.
func DefaultScreeningRules() ScreeningRules {
	return ScreeningRules{
		Types:                  []string{"workshop"},
		WordLimit:              500,
		MinSpeakers:            3,
		MixedGender:            true,
		MinGroups:              2,
		MinRegions:             2,
		OnsiteModerator:        true,
		OnlineModerator:        true,
		Rapporteur:             true,
		MinPolicyQuestions:     1,
		MaxSessionsPerSpeaker:  3,
		ExcludeAdvisoryMembers: true,
		ExcludeOwingReport:     true,
	}
}

// Validate checks the rules' figures.
func (r *ScreeningRules) Validate() error {
	var ps []*Error
	for _, t := range r.Types {
		if !slices.Contains(ProposalTypes, t) {
			ps = append(ps, FieldError("types", "%q is not a session type", t))
		}
	}
	if r.WordLimit < 0 || r.WordLimit > 10000 {
		ps = append(ps, FieldError("word_limit", "%d is not between 0 (no limit) and 10000 words", r.WordLimit))
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"min_speakers", r.MinSpeakers}, {"min_groups", r.MinGroups}, {"min_regions", r.MinRegions},
		{"min_policy_questions", r.MinPolicyQuestions}, {"max_sessions_per_speaker", r.MaxSessionsPerSpeaker}} {
		if f.v < 0 || f.v > 100 {
			ps = append(ps, FieldError(f.name, "%d is not between 0 and 100", f.v))
		}
	}
	return Invalid(ps)
}

// ProposalCall is the window in which session proposals for one cycle are
// taken, with the rules they are screened by.
type ProposalCall struct {
	ID          int64
	ForumID     int64
	Year        int
	Opens       time.Time
	Closes      time.Time
	Types       []string // the session types proposals may take
	Rules       ScreeningRules
	Description string
	CreatedAt   time.Time
	// Published is when the accepted list was published, zero before;
	// PublishedDecision is its decision-log index, -1 before.
	Published         time.Time
	PublishedDecision int64
}

// Validate checks the call and fills in the default types.
func (c *ProposalCall) Validate() error {
	var ps []*Error
	c.Description = strings.TrimSpace(c.Description)
	if c.Year < 2000 || c.Year > 2200 {
		ps = append(ps, FieldError("year", "%d is not a year between 2000 and 2200", c.Year))
	}
	if c.Opens.IsZero() {
		ps = append(ps, FieldError("opens", "is required"))
	}
	if c.Closes.IsZero() {
		ps = append(ps, FieldError("closes", "is required"))
	} else if !c.Closes.After(c.Opens) {
		ps = append(ps, FieldError("closes", "must be after the opening time"))
	}
	if len(c.Types) == 0 {
		c.Types = slices.Clone(ProposalTypes)
	}
	for _, t := range c.Types {
		if !slices.Contains(ProposalTypes, t) {
			ps = append(ps, FieldError("types", "%q is not a session type", t))
		}
	}
	if utf8.RuneCountInString(c.Description) > 5000 {
		ps = append(ps, FieldError("description", "is longer than 5000 characters"))
	}
	if err := c.Rules.Validate(); err != nil {
		ps = append(ps, Problems(err)...)
	}
	return Invalid(ps)
}

// IsOpen reports whether proposals are taken at now: from Opens
// (inclusive) to Closes (exclusive).
func (c *ProposalCall) IsOpen(now time.Time) bool {
	return !now.Before(c.Opens) && now.Before(c.Closes)
}

// CheckOpen refuses a proposal or an edit outside the window, with the time.
func (c *ProposalCall) CheckOpen(now time.Time) error {
	if now.Before(c.Opens) {
		return Errorf(ECONFLICT, "The call opens at %s; proposals are not accepted yet.", c.Opens.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if !now.Before(c.Closes) {
		return Errorf(ECONFLICT, "The call closed at %s; proposals can no longer be submitted or changed.", c.Closes.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// ProposalRole is what a person does in a proposed session.
type ProposalRole string

const (
	Organiser       ProposalRole = "organiser"
	Speaker         ProposalRole = "speaker"
	OnsiteModerator ProposalRole = "onsite_moderator"
	OnlineModerator ProposalRole = "online_moderator"
	Rapporteur      ProposalRole = "rapporteur"
)

// ProposalRoles lists the roles in form order.
var ProposalRoles = []ProposalRole{Organiser, Speaker, OnsiteModerator, OnlineModerator, Rapporteur}

// SessionPerson is a registry person in a role of a proposal, with the
// registry fields the rules look at.
type SessionPerson struct {
	PersonID     int64
	Role         ProposalRole
	Name         string
	Email        string
	Organisation string
	Group        string
	Country      string
	Gender       Gender
	// Confirmed is when the person confirmed by the emailed link; speakers
	// count for the rules only once confirmed.
	Confirmed time.Time
	Invited   time.Time
}

// Region is the participant's UN regional group.
func (p SessionPerson) Region() Region { return RegionOf(p.Country) }

// ProposalStatus is where a proposal stands for its proposer.
type ProposalStatus string

const (
	ProposalDraft     ProposalStatus = "draft"
	ProposalSubmitted ProposalStatus = "submitted"
)

// Proposal is a session proposed in answer to a call.
type Proposal struct {
	ID              int64
	CallID          int64
	ForumID         int64
	AccountID       int64 // the proposer's account
	ProposerID      int64 // the proposer's registry person, 0 if none
	Type            string
	Title           string
	Description     string
	PolicyQuestions []string
	Subtheme        string
	Format          string
	Languages       []string
	People          []SessionPerson
	Status          ProposalStatus
	Submitted       time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// Screening override by the secretariat: "pass" or "fail" with a reason,
	// "" when the rules decide.
	Override       string
	OverrideReason string
	OverrideBy     string
	// The secretariat's decision: "" (none yet), accept, reject or
	// accept_if_merged (with MergeInto), and its decision-log index.
	Decision       string
	DecisionReason string
	MergeInto      int64
	DecisionIndex  int64
}

// Decisions on proposals.
const (
	DecisionAccept         = "accept"
	DecisionReject         = "reject"
	DecisionAcceptIfMerged = "accept_if_merged"
)

// ProposalDecisions lists the decisions the secretariat may take.
var ProposalDecisions = []string{DecisionAccept, DecisionReject, DecisionAcceptIfMerged}

// In returns the participants in role.
func (p *Proposal) In(role ProposalRole) []SessionPerson {
	var out []SessionPerson
	for _, x := range p.People {
		if x.Role == role {
			out = append(out, x)
		}
	}
	return out
}

// Words counts the words of s as the word limit does: runs of letters,
// digits and joining punctuation separated by space.
func Words(s string) int {
	return len(strings.FieldsFunc(s, unicode.IsSpace))
}

// Validate checks what a proposal needs to be saved, even as a draft,
// against its call and cycle: the title, the lengths, the choices offered.
// What it needs to be selected is for Screen.
func (p *Proposal) Validate(c *ProposalCall, cy *Cycle) error {
	var ps []*Error
	p.Title = strings.TrimSpace(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	if p.Type == "" {
		p.Type = defaultProposalType
	}
	if p.Status == "" {
		p.Status = ProposalDraft
	}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		ps = append(ps, FieldError("title", "is required"))
	case n > 200:
		ps = append(ps, FieldError("title", "is longer than 200 characters"))
	}
	if !slices.Contains(c.Types, p.Type) {
		ps = append(ps, FieldError("type", "%q is not a session type this call takes", p.Type))
	}
	if n := Words(p.Description); c.Rules.WordLimit > 0 && n > c.Rules.WordLimit {
		ps = append(ps, FieldError("description", "has %d words, over the limit of %d", n, c.Rules.WordLimit))
	}
	if utf8.RuneCountInString(p.Description) > 20000 {
		ps = append(ps, FieldError("description", "is longer than 20000 characters"))
	}
	if p.Subtheme != "" && cy != nil && !slices.Contains(cy.Subthemes, p.Subtheme) {
		ps = append(ps, FieldError("subtheme", "%q is not one of the cycle's subthemes", p.Subtheme))
	}
	for _, q := range p.PolicyQuestions {
		if cy != nil && !slices.Contains(cy.PolicyQuestions, q) {
			ps = append(ps, FieldError("policy_questions", "%q is not one of the cycle's policy questions", q))
			break
		}
	}
	if p.Format != "" && !slices.Contains(SessionFormats, p.Format) {
		ps = append(ps, FieldError("format", "%q is not a session format", p.Format))
	}
	for _, l := range p.Languages {
		if !validLanguageTag(l) {
			ps = append(ps, FieldError("languages", "%q is not a language code such as en or ar", l))
			break
		}
	}
	seen := map[string]bool{}
	for _, x := range p.People {
		if !slices.Contains(ProposalRoles, x.Role) {
			ps = append(ps, FieldError("people", "%q is not a role in a session", x.Role))
			continue
		}
		k := fmt.Sprint(x.PersonID, x.Role)
		if seen[k] {
			ps = append(ps, FieldError(string(x.Role), "%s is listed twice", x.Name))
		}
		seen[k] = true
	}
	if p.Override != "" && p.Override != "pass" && p.Override != "fail" {
		ps = append(ps, FieldError("override", "%q is not pass or fail", p.Override))
	}
	return Invalid(ps)
}

// ScreeningFacts are what the rules need beyond the proposal itself.
type ScreeningFacts struct {
	// Sessions counts, per person, the submitted proposals of the call in
	// which they are a speaker, this one included.
	Sessions map[int64]int
	// Advisory holds the people sitting on the advisory group in the cycle.
	Advisory map[int64]bool
	// OwesReport holds the people who owe a report from an earlier cycle.
	OwesReport map[int64]bool
}

// ScreeningFailure is one rule a proposal breaks, with the reason.
type ScreeningFailure struct {
	Rule    string // speakers, gender, groups, regions, onsite_moderator, online_moderator, rapporteur, policy_questions, speaker_sessions, advisory, report, words, subtheme
	Message string
}

// Screen checks a proposal against the rules and returns every failure,
// none for a proposal that passes or a session type the rules skip. Only
// confirmed speakers count.
func (r *ScreeningRules) Screen(p *Proposal, facts ScreeningFacts) []ScreeningFailure {
	if !slices.Contains(r.Types, p.Type) {
		return nil
	}
	var out []ScreeningFailure
	fail := func(rule, format string, args ...any) {
		out = append(out, ScreeningFailure{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	var speakers []SessionPerson
	unconfirmed := 0
	for _, s := range p.In(Speaker) {
		if s.Confirmed.IsZero() {
			unconfirmed++
		} else {
			speakers = append(speakers, s)
		}
	}
	note := ""
	if unconfirmed > 0 {
		note = fmt.Sprintf(" (%d more not confirmed yet)", unconfirmed)
	}
	if len(speakers) < r.MinSpeakers {
		fail("speakers", "%d confirmed speakers%s; at least %d are needed", len(speakers), note, r.MinSpeakers)
	}
	genders, groups, regions := map[Gender]bool{}, map[string]bool{}, map[Region]bool{}
	for _, s := range speakers {
		genders[s.Gender] = true
		if s.Group != "" {
			groups[s.Group] = true
		}
		if reg := s.Region(); reg != "" {
			regions[reg] = true
		}
	}
	if r.MixedGender && len(speakers) > 0 && len(genders) == 1 {
		for g := range genders {
			fail("gender", "all %d confirmed speakers are of one gender (%s)", len(speakers), g)
		}
	}
	if len(groups) < r.MinGroups {
		fail("groups", "confirmed speakers come from %d stakeholder groups; at least %d are needed", len(groups), r.MinGroups)
	}
	if len(regions) < r.MinRegions {
		fail("regions", "confirmed speakers come from %d UN regional groups; at least %d are needed", len(regions), r.MinRegions)
	}
	if r.OnsiteModerator && len(p.In(OnsiteModerator)) == 0 {
		fail("onsite_moderator", "no onsite moderator is named")
	}
	if r.OnlineModerator && len(p.In(OnlineModerator)) == 0 {
		fail("online_moderator", "no online moderator is named")
	}
	if r.Rapporteur && len(p.In(Rapporteur)) == 0 {
		fail("rapporteur", "no rapporteur is named")
	}
	if len(p.PolicyQuestions) < r.MinPolicyQuestions {
		fail("policy_questions", "%d policy questions chosen; at least %d are needed", len(p.PolicyQuestions), r.MinPolicyQuestions)
	}
	if p.Subtheme == "" {
		fail("subtheme", "no subtheme is chosen")
	}
	if n := Words(p.Description); r.WordLimit > 0 && n > r.WordLimit {
		fail("words", "the description has %d words, over the limit of %d", n, r.WordLimit)
	}
	if r.MaxSessionsPerSpeaker > 0 {
		for _, s := range p.In(Speaker) {
			if n := facts.Sessions[s.PersonID]; n > r.MaxSessionsPerSpeaker {
				fail("speaker_sessions", "%s speaks in %d proposed sessions, more than %d", s.Name, n, r.MaxSessionsPerSpeaker)
			}
		}
	}
	proposers := []int64{p.ProposerID}
	for _, o := range p.In(Organiser) {
		if o.PersonID != p.ProposerID {
			proposers = append(proposers, o.PersonID)
		}
	}
	names := map[int64]string{}
	for _, x := range p.People {
		names[x.PersonID] = x.Name
	}
	for _, id := range proposers {
		if id == 0 {
			continue
		}
		who := names[id]
		if who == "" {
			who = "the proposer"
		}
		if r.ExcludeAdvisoryMembers && facts.Advisory[id] {
			fail("advisory", "%s sits on the advisory group, whose members may not propose workshops", who)
		}
		if r.ExcludeOwingReport && facts.OwesReport[id] {
			fail("report", "%s owes the report of a session from an earlier cycle", who)
		}
	}
	return out
}

// Screened says whether a proposal goes on to evaluation: the rules decide
// unless the secretariat overrode them.
func (p *Proposal) Screened(failures []ScreeningFailure) bool {
	switch p.Override {
	case "pass":
		return true
	case "fail":
		return false
	}
	return len(failures) == 0
}

// developed lists the countries of the UN M49 "developed regions" (Europe,
// Northern America, Australia, New Zealand and Japan), with Cyprus, an EU
// member; every other country counts as developing.
var developed = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE
		LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK CA US BM GL PM AU NZ JP`) {
		developed[c] = true
	}
}

// Developing reports whether a country code names a developing country, as
// the flag evaluators see on a proposal. Unknown codes are not flagged.
func Developing(code string) bool {
	_, ok := CountryByCode(code)
	return ok && !developed[code]
}

// ScoreAnchors are the labelled points of the 1–5 scale.
var ScoreAnchors = []int{1, 2, 3, 4, 5}

// Evaluation is an evaluator's score of a proposal.
type Evaluation struct {
	ProposalID int64
	PersonID   int64 // the evaluator
	Score      int
	Comment    string
	Reason     string // required for a score of 3 or less
	MergeWith  int64  // another proposal this one could merge with, 0 if none
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Validate checks the score and what it requires.
func (e *Evaluation) Validate() error {
	var ps []*Error
	e.Comment = strings.TrimSpace(e.Comment)
	e.Reason = strings.TrimSpace(e.Reason)
	if e.Score < 1 || e.Score > 5 {
		ps = append(ps, FieldError("score", "%d is not a score from 1 to 5", e.Score))
	} else if e.Score <= 3 && e.Reason == "" {
		ps = append(ps, FieldError("reason", "is required for a score of 3 or less"))
	}
	if utf8.RuneCountInString(e.Comment) > 3000 {
		ps = append(ps, FieldError("comment", "is longer than 3000 characters"))
	}
	if utf8.RuneCountInString(e.Reason) > 3000 {
		ps = append(ps, FieldError("reason", "is longer than 3000 characters"))
	}
	if e.MergeWith < 0 || (e.MergeWith != 0 && e.MergeWith == e.ProposalID) {
		ps = append(ps, FieldError("merge_with", "name another proposal's number"))
	}
	return Invalid(ps)
}

// ScoreStats sums up a proposal's scores.
type ScoreStats struct {
	N      int
	Mean   float64
	Median float64
	SD     float64 // population standard deviation
	// Polarised: evaluators disagree sharply, a score of 2 or less beside
	// a score of 4 or more, so the mean hides a split worth reading.
	Polarised bool
}

// Aggregate computes the statistics of a list of scores.
func Aggregate(scores []float64) ScoreStats {
	s := ScoreStats{N: len(scores)}
	if s.N == 0 {
		return s
	}
	sorted := slices.Clone(scores)
	slices.Sort(sorted)
	sum := 0.0
	for _, x := range sorted {
		sum += x
	}
	s.Mean = sum / float64(s.N)
	if s.N%2 == 1 {
		s.Median = sorted[s.N/2]
	} else {
		s.Median = (sorted[s.N/2-1] + sorted[s.N/2]) / 2
	}
	ss := 0.0
	for _, x := range sorted {
		ss += (x - s.Mean) * (x - s.Mean)
	}
	s.SD = math.Sqrt(ss / float64(s.N))
	s.Polarised = sorted[0] <= 2 && sorted[s.N-1] >= 4
	return s
}

// Normalise turns each evaluator's scores into z-scores against their own
// mean and standard deviation, so a lenient and a severe evaluator weigh
// alike. An evaluator whose scores are all equal gives zeros. The result
// maps proposal id to its evaluators' normalised scores.
func Normalise(es []*Evaluation) map[int64][]float64 {
	by := map[int64][]*Evaluation{}
	for _, e := range es {
		by[e.PersonID] = append(by[e.PersonID], e)
	}
	out := map[int64][]float64{}
	for _, mine := range by {
		xs := make([]float64, len(mine))
		for i, e := range mine {
			xs[i] = float64(e.Score)
		}
		st := Aggregate(xs)
		for _, e := range mine {
			z := 0.0
			if st.SD > 0 {
				z = (float64(e.Score) - st.Mean) / st.SD
			}
			out[e.ProposalID] = append(out[e.ProposalID], z)
		}
	}
	return out
}

// Ranked is a proposal's place in the ranking.
type Ranked struct {
	ProposalID int64
	Raw        ScoreStats // of the scores as given
	Stats      ScoreStats // of the scores ranked on: raw or normalised
	Rank       int        // 1 is best; tied proposals share a rank
	Tie        string     // how a tie with the proposal above was broken, or that it stands
}

// RankProposals orders proposals by mean score (of z-scores when
// normalise), then by median, then by number of scores; proposals equal on
// all three share a rank. Unscored proposals come last. Each tie says how it
// was broken.
func RankProposals(ids []int64, es []*Evaluation, normalise bool) []Ranked {
	raw := map[int64][]float64{}
	for _, e := range es {
		raw[e.ProposalID] = append(raw[e.ProposalID], float64(e.Score))
	}
	used := raw
	if normalise {
		used = Normalise(es)
	}
	out := make([]Ranked, len(ids))
	for i, id := range ids {
		out[i] = Ranked{ProposalID: id, Raw: Aggregate(raw[id]), Stats: Aggregate(used[id])}
	}
	const eps = 1e-9
	cmpf := func(a, b float64) int {
		switch {
		case a > b+eps:
			return -1
		case a < b-eps:
			return 1
		}
		return 0
	}
	key := func(r Ranked) (bool, float64, float64, int) {
		return r.Stats.N > 0, r.Stats.Mean, r.Stats.Median, r.Stats.N
	}
	slices.SortStableFunc(out, func(a, b Ranked) int {
		ha, ma, da, na := key(a)
		hb, mb, db, nb := key(b)
		if ha != hb {
			if ha {
				return -1
			}
			return 1
		}
		if c := cmpf(ma, mb); c != 0 {
			return c
		}
		if c := cmpf(da, db); c != 0 {
			return c
		}
		return nb - na
	})
	for i := range out {
		out[i].Rank = i + 1
		if i == 0 {
			continue
		}
		a, b := out[i-1], out[i]
		if b.Stats.N == 0 || cmpf(a.Stats.Mean, b.Stats.Mean) != 0 {
			continue
		}
		switch {
		case cmpf(a.Stats.Median, b.Stats.Median) != 0:
			b.Tie = fmt.Sprintf("same mean as proposal %d (%.2f); placed below on median %.1f < %.1f", a.ProposalID, b.Stats.Mean, b.Stats.Median, a.Stats.Median)
		case a.Stats.N != b.Stats.N:
			b.Tie = fmt.Sprintf("same mean and median as proposal %d; placed below on fewer scores (%d < %d)", a.ProposalID, b.Stats.N, a.Stats.N)
		default:
			b.Rank = a.Rank
			b.Tie = fmt.Sprintf("tied with proposal %d on mean, median and number of scores", a.ProposalID)
		}
		out[i] = b
	}
	return out
}
