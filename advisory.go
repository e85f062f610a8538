package concord

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AdvisoryRole is how a person sits on a forum's advisory group.
type AdvisoryRole string

const (
	AdvisoryMember   AdvisoryRole = "member"
	AdvisoryReserved AdvisoryRole = "reserved" // a voting member in a reserved seat
	AdvisoryObserver AdvisoryRole = "observer" // non-voting, not counted in the seats
)

// Voting reports whether the role takes one of the group's seats.
func (r AdvisoryRole) Voting() bool { return r == AdvisoryMember || r == AdvisoryReserved }

// Term is a person's appointment to the advisory group for the cycles
// FirstYear to LastYear.
type Term struct {
	ID        int64
	ForumID   int64
	PersonID  int64
	FirstYear int
	LastYear  int
	Role      AdvisoryRole
	Start     time.Time
	End       time.Time
	// Decision is the decision-log index of the published composition, -1 if none.
	Decision int64
}

// Validate checks the term's fields.
func (t *Term) Validate() error {
	var ps []*Error
	if t.PersonID <= 0 {
		ps = append(ps, FieldError("person", "is required"))
	}
	if t.FirstYear < 2000 || t.FirstYear > 2200 {
		ps = append(ps, FieldError("first_year", "%d is not a year between 2000 and 2200", t.FirstYear))
	}
	if t.LastYear < t.FirstYear {
		ps = append(ps, FieldError("last_year", "%d is before the first year %d", t.LastYear, t.FirstYear))
	}
	if !slices.Contains(AdvisoryRoles, t.Role) {
		ps = append(ps, FieldError("role", "%q is not one of member, reserved, observer, chair", t.Role))
	}
	if !t.End.IsZero() && t.End.Before(t.Start) {
		ps = append(ps, FieldError("end", "is before the start"))
	}
	return Invalid(ps)
}

// Sits reports whether the term covers the cycle year.
func (t *Term) Sits(year int) bool { return t.FirstYear <= year && year <= t.LastYear }

// ConsecutiveTerms counts the terms a person has served back to back up to
// the year before year, from their terms in any order.
func ConsecutiveTerms(terms []Term, year int) int {
	n, end := 0, year-1
	for {
		i := slices.IndexFunc(terms, func(t Term) bool { return t.LastYear == end && t.FirstYear <= end })
		if i < 0 {
			return n
		}
		n++
		end = terms[i].FirstYear - 1
	}
}

// NominationCall is the window in which people can be nominated to the
// advisory group for one cycle.
type NominationCall struct {
	ID                int64
	ForumID           int64
	Year              int
	Opens             time.Time
	Closes            time.Time
	FormerMembersOnly bool // only people who sat on the group before may be nominated
	Description       string
	CreatedAt         time.Time
}

// Validate checks the call's fields.
func (c *NominationCall) Validate() error {
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
	if utf8.RuneCountInString(c.Description) > 5000 {
		ps = append(ps, FieldError("description", "is longer than 5000 characters"))
	}
	return Invalid(ps)
}

// IsOpen reports whether nominations are accepted at now.
func (c *NominationCall) IsOpen(now time.Time) bool {
	return !now.Before(c.Opens) && now.Before(c.Closes)
}

// NominationStatus is where a nomination stands.
type NominationStatus string

const (
	NominationSubmitted   NominationStatus = "submitted"
	NominationEligible    NominationStatus = "eligible"
	NominationIneligible  NominationStatus = "ineligible"
	NominationSelected    NominationStatus = "selected"
	NominationNotSelected NominationStatus = "not_selected"
)

// NominationStatuses lists the statuses in the order a nomination goes through them.
var NominationStatuses = []NominationStatus{NominationSubmitted, NominationEligible, NominationIneligible, NominationSelected, NominationNotSelected}

// Nomination puts a person forward for the advisory group. The nominee's
// group, country, region and gender are copied from the registry when it is
// submitted, so a later registry edit does not change a selection's inputs.
type Nomination struct {
	ID          int64
	CallID      int64
	ForumID     int64
	PersonID    int64
	NominatedBy int64 // account id
	Self        bool
	Statement   string
	Name        string
	Group       string
	Country     string
	Region      Region
	Gender      Gender
	Status      NominationStatus
	Reason      string  // why the nomination is ineligible
	Score       float64 // the secretariat's ranking, used by optimal selection
	CreatedAt   time.Time
}

// MaxStatementRunes keeps statements to about one page.
const MaxStatementRunes = 3000

// Validate checks the nomination's own fields.
func (n *Nomination) Validate() error {
	var ps []*Error
	n.Statement = strings.TrimSpace(n.Statement)
	if n.PersonID <= 0 {
		ps = append(ps, FieldError("person", "choose the person to nominate"))
	}
	switch c := utf8.RuneCountInString(n.Statement); {
	case c == 0:
		ps = append(ps, FieldError("statement", "is required: say why the nominee should serve"))
	case c > MaxStatementRunes:
		ps = append(ps, FieldError("statement", "is %d characters long, over %d", c, MaxStatementRunes))
	}
	if n.Status == "" {
		n.Status = NominationSubmitted
	}
	if !slices.Contains(NominationStatuses, n.Status) {
		ps = append(ps, FieldError("status", "%q is not a nomination status", n.Status))
	}
	if n.Status == NominationIneligible && strings.TrimSpace(n.Reason) == "" {
		ps = append(ps, FieldError("reason", "say why the nomination is ineligible"))
	}
	if math.IsNaN(n.Score) || math.IsInf(n.Score, 0) {
		ps = append(ps, FieldError("score", "is not a number"))
	}
	return Invalid(ps)
}

// FillFromPerson copies the registry fields the rules look at.
func (n *Nomination) FillFromPerson(p *Person) {
	n.PersonID, n.ForumID = p.ID, p.ForumID
	n.Name, n.Group, n.Country, n.Region, n.Gender = p.Name, p.StakeholderGroup, p.Country, p.Region(), p.Gender
}

// ReservedSeat sets seats aside for nominees from one country, such as the
// host country of the year's meeting.
type ReservedSeat struct {
	Country string `json:"country"`
	Seats   int    `json:"seats"`
}

// CompositionRules are a forum's rules for the make-up of its advisory group.
// Percentages are of the voting seats; observers are not counted.
type CompositionRules struct {
	Size                 int            `json:"size"`
	GovernmentGroup      string         `json:"government_group"`
	GovernmentMaxPercent float64        `json:"government_max_percent"`
	BalancedGroups       []string       `json:"balanced_groups"`
	BalanceWithin        int            `json:"balance_within"`
	RegionMin            int            `json:"region_min"`
	RegionMaxPercent     float64        `json:"region_max_percent"`
	GenderMaxPercent     float64        `json:"gender_max_percent"`
	TermYears            int            `json:"term_years"`
	MaxConsecutiveTerms  int            `json:"max_consecutive_terms"`
	RenewalMinPercent    float64        `json:"renewal_min_percent"`
	Reserved             []ReservedSeat `json:"reserved"`
	ObserverGroups       []string       `json:"observer_groups"`
}

// DefaultCompositionRules follow IGF practice for the MAG.
func DefaultCompositionRules() CompositionRules {
	return CompositionRules{
		Size:                 40,
		GovernmentGroup:      "government",
		GovernmentMaxPercent: 40,
		BalancedGroups:       []string{"civil-society", "technical", "private-sector"},
		BalanceWithin:        1,
		RegionMin:            1,
		RegionMaxPercent:     30,
		GenderMaxPercent:     60,
		TermYears:            1,
		MaxConsecutiveTerms:  3,
		RenewalMinPercent:    100.0 / 3,
		ObserverGroups:       []string{"igo"},
	}
}

// Validate checks the rules against the forum's stakeholder groups.
func (r *CompositionRules) Validate(f *Forum) error {
	var ps []*Error
	if r.Size < 1 || r.Size > 500 {
		ps = append(ps, FieldError("size", "%d is not between 1 and 500 seats", r.Size))
	}
	pct := func(field string, v float64) {
		if math.IsNaN(v) || v < 0 || v > 100 {
			ps = append(ps, FieldError(field, "%s is not a percentage between 0 and 100", formatFloat(v)))
		}
	}
	pct("government_max_percent", r.GovernmentMaxPercent)
	pct("region_max_percent", r.RegionMaxPercent)
	pct("gender_max_percent", r.GenderMaxPercent)
	pct("renewal_min_percent", r.RenewalMinPercent)
	if r.GovernmentGroup != "" && !f.HasGroup(r.GovernmentGroup) {
		ps = append(ps, FieldError("government_group", "%q is not one of this forum's stakeholder groups", r.GovernmentGroup))
	}
	for _, g := range r.BalancedGroups {
		switch {
		case !f.HasGroup(g):
			ps = append(ps, FieldError("balanced_groups", "%q is not one of this forum's stakeholder groups", g))
		case g == r.GovernmentGroup || slices.Contains(r.ObserverGroups, g):
			ps = append(ps, FieldError("balanced_groups", "%s cannot be balanced: it is the government group or sits as observers", f.GroupName(g)))
		}
	}
	for _, g := range r.ObserverGroups {
		if !f.HasGroup(g) {
			ps = append(ps, FieldError("observer_groups", "%q is not one of this forum's stakeholder groups", g))
		} else if g == r.GovernmentGroup {
			ps = append(ps, FieldError("observer_groups", "the government group cannot sit as observers"))
		}
	}
	if r.BalanceWithin < 0 {
		ps = append(ps, FieldError("balance_within", "must not be negative"))
	}
	if r.RegionMin < 0 || r.RegionMin*len(Regions) > r.Size {
		ps = append(ps, FieldError("region_min", "%d seats per region for %d regions do not fit in %d seats", r.RegionMin, len(Regions), r.Size))
	}
	if r.RegionMaxPercent*float64(len(Regions)) < 100 {
		ps = append(ps, FieldError("region_max_percent", "%s%% per region leaves seats that no region may take", formatFloat(r.RegionMaxPercent)))
	}
	if r.TermYears < 1 || r.TermYears > 10 {
		ps = append(ps, FieldError("term_years", "%d is not between 1 and 10 years", r.TermYears))
	}
	if r.MaxConsecutiveTerms < 1 || r.MaxConsecutiveTerms > 20 {
		ps = append(ps, FieldError("max_consecutive_terms", "%d is not between 1 and 20", r.MaxConsecutiveTerms))
	}
	reserved := 0
	seen := map[string]bool{}
	for _, s := range r.Reserved {
		if _, ok := CountryByCode(s.Country); !ok {
			ps = append(ps, FieldError("reserved", "%q is not an ISO 3166-1 alpha-2 country code", s.Country))
		} else if seen[s.Country] {
			ps = append(ps, FieldError("reserved", "%s is listed twice", s.Country))
		}
		seen[s.Country] = true
		if s.Seats < 1 {
			ps = append(ps, FieldError("reserved", "%s: %d is not a number of seats", s.Country, s.Seats))
		}
		reserved += s.Seats
	}
	if reserved > r.Size {
		ps = append(ps, FieldError("reserved", "%d reserved seats are more than the %d seats", reserved, r.Size))
	}
	return Invalid(ps)
}

// MaxSeats is the most seats a share of pct percent of n allows.
func MaxSeats(n int, pct float64) int { return int(math.Floor(float64(n)*pct/100 + 1e-9)) }

// MinSeats is the fewest seats a share of pct percent of n requires.
func MinSeats(n int, pct float64) int { return int(math.Ceil(float64(n)*pct/100 - 1e-9)) }

// Seat is one person in a composition, with what the rules look at.
type Seat struct {
	PersonID int64
	Name     string
	Group    string
	Country  string
	Region   Region
	Gender   Gender
	Role     AdvisoryRole
	// Returning is true for a person who sat on the group the year before.
	Returning bool
	// Consecutive is the number of back-to-back terms including this one.
	Consecutive int
}

// Composition is a current or proposed advisory group for one cycle.
type Composition struct {
	Year  int
	Seats []Seat
}

// Voting returns the seats that count: members, not observers.
func (c Composition) Voting() []Seat {
	var out []Seat
	for _, s := range c.Seats {
		if s.Role.Voting() {
			out = append(out, s)
		}
	}
	return out
}

// RuleResult is one rule checked against a composition, with its figures.
type RuleResult struct {
	Rule    string // seats, government, balance, region, gender, terms, renewal, reserved, observers
	Subject string // the group, region, gender or country concerned, if any
	Pass    bool
	Message string // e.g. "Government 18 of 40 = 45% > 40%"
}

// Failed lists the results that did not pass.
func Failed(rs []RuleResult) []RuleResult {
	var out []RuleResult
	for _, r := range rs {
		if !r.Pass {
			out = append(out, r)
		}
	}
	return out
}

// Check tests a composition against every rule and reports each, passing or not.
func (r *CompositionRules) Check(f *Forum, c Composition) []RuleResult {
	voting := c.Voting()
	n := len(voting)
	var out []RuleResult
	add := func(rule, subject string, pass bool, format string, args ...any) {
		out = append(out, RuleResult{Rule: rule, Subject: subject, Pass: pass, Message: fmt.Sprintf(format, args...)})
	}
	share := func(k int) string {
		if n == 0 {
			return "0%"
		}
		return formatFloat(100*float64(k)/float64(n)) + "%"
	}
	count := func(key func(Seat) string) map[string]int {
		m := map[string]int{}
		for _, s := range voting {
			m[key(s)]++
		}
		return m
	}

	add("seats", "", n == r.Size, "Voting seats filled: %d of %d", n, r.Size)

	byGroup := count(func(s Seat) string { return s.Group })
	if r.GovernmentGroup != "" {
		g, limit := byGroup[r.GovernmentGroup], MaxSeats(n, r.GovernmentMaxPercent)
		op := "≤"
		if g > limit {
			op = ">"
		}
		add("government", r.GovernmentGroup, g <= limit, "%s %d of %d = %s %s %s%%", f.GroupName(r.GovernmentGroup), g, n, share(g), op, formatFloat(r.GovernmentMaxPercent))
	}
	if len(r.BalancedGroups) > 1 {
		lo, hi := math.MaxInt, 0
		var parts []string
		for _, g := range r.BalancedGroups {
			k := byGroup[g]
			lo, hi = min(lo, k), max(hi, k)
			parts = append(parts, fmt.Sprintf("%s %d", f.GroupName(g), k))
		}
		op := "≤"
		if hi-lo > r.BalanceWithin {
			op = ">"
		}
		add("balance", "", hi-lo <= r.BalanceWithin, "%s: %d apart %s %d", strings.Join(parts, ", "), hi-lo, op, r.BalanceWithin)
	}

	byRegion := count(func(s Seat) string { return string(s.Region) })
	regionMax := MaxSeats(n, r.RegionMaxPercent)
	for _, reg := range Regions {
		k := byRegion[string(reg)]
		switch {
		case k < r.RegionMin:
			add("region", string(reg), false, "%s %d of %d: fewer than %d", reg, k, n, r.RegionMin)
		case k > regionMax:
			add("region", string(reg), false, "%s %d of %d = %s > %s%%", reg, k, n, share(k), formatFloat(r.RegionMaxPercent))
		default:
			add("region", string(reg), true, "%s %d of %d = %s (at least %d, at most %s%%)", reg, k, n, share(k), r.RegionMin, formatFloat(r.RegionMaxPercent))
		}
	}

	byGender := count(func(s Seat) string { return string(s.Gender) })
	genderMax := MaxSeats(n, r.GenderMaxPercent)
	for _, g := range Genders {
		k, ok := byGender[string(g)]
		if !ok && g != Woman && g != Man {
			continue
		}
		op := "≤"
		if k > genderMax {
			op = ">"
		}
		add("gender", string(g), k <= genderMax, "%s %d of %d = %s %s %s%%", genderLabel[g], k, n, share(k), op, formatFloat(r.GenderMaxPercent))
	}

	var over []string
	for _, s := range voting {
		if s.Consecutive > r.MaxConsecutiveTerms {
			over = append(over, fmt.Sprintf("%s (%d)", s.Name, s.Consecutive))
		}
	}
	if len(over) == 0 {
		add("terms", "", true, "No member serves more than %d consecutive terms", r.MaxConsecutiveTerms)
	} else {
		add("terms", "", false, "%d over %d consecutive terms: %s", len(over), r.MaxConsecutiveTerms, strings.Join(over, ", "))
	}

	fresh := 0
	for _, s := range voting {
		if !s.Returning {
			fresh++
		}
	}
	need := MinSeats(n, r.RenewalMinPercent)
	op := "≥"
	if fresh < need {
		op = "<"
	}
	add("renewal", "", fresh >= need, "New members %d of %d = %s %s %s%%", fresh, n, share(fresh), op, formatFloat(r.RenewalMinPercent))

	byCountry := count(func(s Seat) string { return s.Country })
	for _, rs := range r.Reserved {
		k := byCountry[rs.Country]
		name := rs.Country
		if c, ok := CountryByCode(rs.Country); ok {
			name = c.Name
		}
		add("reserved", rs.Country, k >= rs.Seats, "Reserved for %s: %d of %d seats filled", name, min(k, rs.Seats), rs.Seats)
	}

	for _, g := range r.ObserverGroups {
		obs := 0
		for _, s := range c.Seats {
			if s.Group == g && s.Role == AdvisoryObserver {
				obs++
			}
		}
		k := byGroup[g]
		add("observers", g, k == 0, "%s: %d observers, %d in voting seats", f.GroupName(g), obs, k)
	}
	return out
}

var genderLabel = map[Gender]string{Woman: "Women", Man: "Men", Another: "Another gender", NotStated: "Gender not stated"}

// formatFloat writes v with at most one decimal: 45, 22.5, 33.3.
func formatFloat(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// Eligibility decides whether a nominee may be selected for the call's cycle,
// given the person's terms; reason says why not.
func (r *CompositionRules) Eligibility(call *NominationCall, n *Nomination, terms []Term) (ok bool, reason string) {
	for _, t := range terms {
		if t.Sits(call.Year) {
			return false, fmt.Sprintf("already sits on the group until %d", t.LastYear)
		}
	}
	if call.FormerMembersOnly && len(terms) == 0 {
		return false, "the call is open to former members only"
	}
	if k := ConsecutiveTerms(terms, call.Year); k >= r.MaxConsecutiveTerms {
		return false, fmt.Sprintf("has served %d consecutive terms, the most allowed", k)
	}
	if n.Group == "" || n.Country == "" {
		return false, "the registry lacks the nominee's stakeholder group or country"
	}
	return true, ""
}

// AdvisoryChair chairs the group. The chair is appointed outside the
// selection and, as at the IGF, does not take one of the voting seats.
const AdvisoryChair AdvisoryRole = "chair"

// AdvisoryRoles lists the roles a term can have, in the order forms offer them.
var AdvisoryRoles = []AdvisoryRole{AdvisoryMember, AdvisoryReserved, AdvisoryObserver, AdvisoryChair}

// MaxTermSpan bounds a term entered by hand: a longer one is a typing slip.
const MaxTermSpan = 10

// TermEdit is a change the secretariat makes to the group by hand: a new
// term (Term.ID 0), or an existing term with new years or a new role.
// Every edit needs a reason, which the decision log publishes.
type TermEdit struct {
	Term   Term
	Reason string
	// Override saves the edit even though it breaks the composition rules.
	Override bool
}

// MaxReasonRunes keeps a reason to a paragraph.
const MaxReasonRunes = 1000

// Validate checks the edit's own fields; overlaps and the registry are the
// store's to check.
func (e *TermEdit) Validate() error {
	e.Reason = strings.TrimSpace(e.Reason)
	ps := Problems(e.Term.Validate())
	if e.Term.LastYear-e.Term.FirstYear >= MaxTermSpan {
		ps = append(ps, FieldError("last_year", "a term from %d to %d is longer than %d years", e.Term.FirstYear, e.Term.LastYear, MaxTermSpan))
	}
	switch c := utf8.RuneCountInString(e.Reason); {
	case c == 0:
		ps = append(ps, FieldError("reason", "is required: the decision log tells the public why the group changed"))
	case c > MaxReasonRunes:
		ps = append(ps, FieldError("reason", "is %d characters long, over %d", c, MaxReasonRunes))
	}
	return Invalid(ps)
}

// Overlapping returns a term of terms, other than t itself, that shares a
// year with t: one person cannot hold two seats at once.
func Overlapping(terms []Term, t Term) (Term, bool) {
	for _, o := range terms {
		if o.PersonID == t.PersonID && (t.ID == 0 || o.ID != t.ID) && o.FirstYear <= t.LastYear && t.FirstYear <= o.LastYear {
			return o, true
		}
	}
	return Term{}, false
}

// Years spells a term's cycles: "2026" or "2026–2028".
func (t *Term) Years() string {
	if t.FirstYear == t.LastYear {
		return strconv.Itoa(t.FirstYear)
	}
	return fmt.Sprintf("%d–%d", t.FirstYear, t.LastYear)
}

// DescribeEdit says in one line what an edit does to the named person's
// term, before being nil for a new term.
func DescribeEdit(name string, before *Term, after Term) string {
	if before == nil {
		return fmt.Sprintf("%s appointed %s for %s", name, after.Role, after.Years())
	}
	var parts []string
	switch {
	case after.FirstYear == before.FirstYear && after.LastYear < before.LastYear:
		parts = append(parts, fmt.Sprintf("term %s ended early: last year %d", before.Years(), after.LastYear))
	case after.FirstYear != before.FirstYear || after.LastYear != before.LastYear:
		parts = append(parts, fmt.Sprintf("term %s changed to %s", before.Years(), after.Years()))
	}
	if after.Role != before.Role {
		parts = append(parts, fmt.Sprintf("role changed from %s to %s", before.Role, after.Role))
	}
	if len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("term %s confirmed unchanged", before.Years()))
	}
	return name + ": " + strings.Join(parts, "; ")
}

// Warning is a rule a change would break in one cycle year, with how the
// rule stood before, so the secretariat sees what the change does.
type Warning struct {
	Year   int
	Result RuleResult
	Before string // the rule's figures without the change
}

// Message spells the warning out for a page, the API and the decision log.
func (w Warning) Message() string {
	return fmt.Sprintf("In %d: %s (without this change: %s)", w.Year, w.Result.Message, w.Before)
}

// CompositionWarnings lists the rules that after breaks and that before
// either kept or broke with other figures: what a change newly breaks or
// moves while still broken. Rules broken alike before and after are the
// group's standing state, not the change's doing.
func (r *CompositionRules) CompositionWarnings(f *Forum, before, after Composition) []Warning {
	was := map[string]RuleResult{}
	for _, res := range r.Check(f, before) {
		was[res.Rule+"\x00"+res.Subject] = res
	}
	var out []Warning
	for _, res := range Failed(r.Check(f, after)) {
		old := was[res.Rule+"\x00"+res.Subject]
		if !old.Pass && old.Message == res.Message {
			continue
		}
		out = append(out, Warning{Year: after.Year, Result: res, Before: old.Message})
	}
	return out
}
