package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"concord"
	selection "concord/algo/select"
)

// advisoryPool registers 30 people cycling through the five groups, five
// regions and two genders, and returns them.
func advisoryPool(t *testing.T, db *DB, f *concord.Forum) []*concord.Person {
	t.Helper()
	countries := []string{"KE", "IN", "PL", "BR", "NO"}
	var out []*concord.Person
	for i := 0; i < 30; i++ {
		g := concord.Woman
		if i%2 == 1 {
			g = concord.Man
		}
		p := &concord.Person{Name: fmt.Sprintf("Nominee %02d", i), Country: countries[(i/5)%5], Gender: g,
			StakeholderGroup: concord.DefaultGroups[i%5].Slug, Email: fmt.Sprintf("n%d@example.org", i)}
		if err := db.CreatePerson(context.Background(), f, p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func smallRules() concord.CompositionRules {
	r := concord.DefaultCompositionRules()
	r.Size = 10
	return r
}

func TestAdvisoryNominationsAndSelection(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		f := mustForum(t, db, "igf")
		people := advisoryPool(t, db, f)

		if r, err := db.AdvisoryRules(ctx, f.ID); err != nil || r.Size != 40 {
			t.Fatalf("default rules: %+v, %v", r, err)
		}
		bad := smallRules()
		bad.BalancedGroups = []string{"civil-society", "nope"}
		if err := db.SetAdvisoryRules(ctx, f, bad); concord.ErrorCode(err) != concord.EINVALID || concord.Problems(err)[0].Field != "balanced_groups" {
			t.Fatalf("bad rules: %v", err)
		}
		if err := db.SetAdvisoryRules(ctx, f, smallRules()); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.AdvisoryRules(ctx, f.ID); !cmp.Equal(r, smallRules()) {
			t.Fatalf("rules read back: %s", cmp.Diff(smallRules(), r))
		}

		// Person 0 served 2023-2025; person 3 sits until 2027 and continues.
		for _, tm := range []concord.Term{
			{ForumID: f.ID, PersonID: people[0].ID, FirstYear: 2023, LastYear: 2023, Role: concord.AdvisoryMember},
			{ForumID: f.ID, PersonID: people[0].ID, FirstYear: 2024, LastYear: 2024, Role: concord.AdvisoryMember},
			{ForumID: f.ID, PersonID: people[0].ID, FirstYear: 2025, LastYear: 2025, Role: concord.AdvisoryMember},
			{ForumID: f.ID, PersonID: people[3].ID, FirstYear: 2025, LastYear: 2027, Role: concord.AdvisoryMember},
			{ForumID: f.ID, PersonID: people[2].ID, FirstYear: 2025, LastYear: 2025, Role: concord.AdvisoryMember},
		} {
			if err := db.AddTerm(ctx, &tm); err != nil {
				t.Fatal(err)
			}
		}

		call := &concord.NominationCall{ForumID: f.ID, Year: 2026, Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour), Description: "MAG 2026"}
		if err := db.CreateNominationCall(ctx, call); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateNominationCall(ctx, &concord.NominationCall{ForumID: f.ID, Year: 2026, Opens: now, Closes: now.Add(time.Hour)}); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("second call for 2026: %v", err)
		}
		for i, p := range people {
			n := &concord.Nomination{CallID: call.ID, PersonID: p.ID, Self: i%3 == 0, Statement: "I will serve.", NominatedBy: 0}
			if err := db.Nominate(ctx, n); err != nil {
				t.Fatalf("nominate %d: %v", i, err)
			}
			if n.Group != p.StakeholderGroup || n.Region != p.Region() || n.Status != concord.NominationSubmitted {
				t.Fatalf("nomination did not copy the registry: %+v", n)
			}
		}
		err := db.Nominate(ctx, &concord.Nomination{CallID: call.ID, PersonID: people[5].ID, Statement: "again"})
		if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "already nominated") {
			t.Errorf("duplicate nomination: %v", err)
		}
		late := *people[0]
		late.Email, late.Name = "late@example.org", "Late Comer"
		late.ID = 0
		if err := db.CreatePerson(ctx, f, &late); err != nil {
			t.Fatal(err)
		}
		now = call.Closes
		err = db.Nominate(ctx, &concord.Nomination{CallID: call.ID, PersonID: late.ID, Statement: "late"})
		if err == nil || !strings.Contains(err.Error(), "closed at 2026-03-11 12:00 UTC") {
			t.Errorf("late nomination: %v", err)
		}
		mine, err := db.AccountNominations(ctx, f.ID, &concord.Account{ID: 999, Email: "n4@example.org"})
		if err != nil || len(mine) != 1 || mine[0].PersonID != people[4].ID {
			t.Errorf("account's nominations: %v %v", mine, err)
		}

		k, err := db.CheckEligibility(ctx, f, call.ID)
		if err != nil || k != 30 {
			t.Fatalf("eligibility decided %d: %v", k, err)
		}
		ns, _ := db.Nominations(ctx, call.ID)
		reasons := map[int64]string{}
		for _, n := range ns {
			if n.Status == concord.NominationIneligible {
				reasons[n.PersonID] = n.Reason
			}
		}
		want := map[int64]string{people[0].ID: "has served 3 consecutive terms, the most allowed", people[3].ID: "already sits on the group until 2027"}
		if diff := cmp.Diff(want, reasons); diff != "" {
			t.Errorf("ineligible (-want +got):\n%s", diff)
		}

		// An infeasible rule names the conflict.
		tight := smallRules()
		tight.GenderMaxPercent = 30
		db.SetAdvisoryRules(ctx, f, tight)
		_, err = db.RunAdvisorySelection(ctx, f, call.ID, MethodOptimal, 0, "test")
		if concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "gender") {
			t.Fatalf("infeasible: %v", err)
		}
		db.SetAdvisoryRules(ctx, f, smallRules())

		sel, err := db.RunAdvisorySelection(ctx, f, call.ID, MethodLeximin, 42, "Secretariat")
		if err != nil {
			t.Fatal(err)
		}
		if len(sel.Result.Panel) != 10 || !slices.Contains(sel.Result.Panel, strconv.FormatInt(people[3].ID, 10)) {
			t.Fatalf("panel %v lacks the continuing member or has the wrong size", sel.Result.Panel)
		}
		if p := sel.Result.Probabilities[strconv.FormatInt(people[3].ID, 10)]; p != 1 {
			t.Errorf("continuing member's probability = %g", p)
		}
		for _, id := range []int64{people[0].ID, people[1].ID} { // ineligible; observer group
			if _, in := sel.Result.Probabilities[strconv.FormatInt(id, 10)]; in {
				t.Errorf("person %d is in the pool", id)
			}
		}
		sum := sha256.Sum256(sel.InputsJSON)
		if hex.EncodeToString(sum[:]) != sel.InputsHash {
			t.Errorf("inputs hash does not cover the published inputs")
		}
		e, err := db.Decision(ctx, sel.Decision)
		if err != nil || e.Kind != "advisory.selection" || e.Seed != "42" || e.InputsHash != sel.InputsHash {
			t.Fatalf("decision entry: %+v %v", e, err)
		}
		// The stored inputs replay to the same panel.
		again, err := db.AdvisorySelectionByID(ctx, f.ID, sel.ID)
		if err != nil {
			t.Fatal(err)
		}
		d, err := selection.Leximin(ctx, again.Inputs.Instance(), selection.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := selection.Draw(d, selection.NewRand(42)); !slices.Equal(got, sel.Result.Panel) {
			t.Errorf("replay gives %v, want %v", got, sel.Result.Panel)
		}

		proposed, err := db.ProposedGroup(ctx, f, sel)
		if err != nil {
			t.Fatal(err)
		}
		rules := smallRules()
		if failed := concord.Failed(rules.Check(f, proposed)); len(failed) > 0 {
			t.Errorf("the selected group breaks rules: %v", failed)
		}
		if _, err := db.PublishAdvisorySelection(ctx, f, sel.ID, "Secretariat"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishAdvisorySelection(ctx, f, sel.ID, "Secretariat"); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("second publication: %v", err)
		}
		if _, err := db.RunAdvisorySelection(ctx, f, call.ID, MethodLeximin, 1, "Secretariat"); concord.ErrorCode(err) != concord.ECONFLICT {
			t.Errorf("selection after publication: %v", err)
		}
		members, comp, err := db.AdvisoryGroup(ctx, f.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(comp.Voting()); got != 10 {
			t.Errorf("%d voting members, want 10", got)
		}
		observers := len(members) - 10
		if observers != 6 { // the igo nominees: every fifth of 30, from the second
			t.Errorf("%d observers, want 6", observers)
		}
		pub, err := db.PublishedSelection(ctx, f.ID, 2026)
		if err != nil || pub == nil || pub.PublishedDecision < 0 {
			t.Fatalf("published selection: %+v %v", pub, err)
		}
		if e, _ := db.Decision(ctx, pub.PublishedDecision); e == nil || e.Kind != "advisory.composition" {
			t.Errorf("composition entry: %+v", e)
		}
		ns, _ = db.Nominations(ctx, call.ID)
		count := map[concord.NominationStatus]int{}
		for _, n := range ns {
			count[n.Status]++
		}
		if diff := cmp.Diff(map[concord.NominationStatus]int{"selected": 15, "not_selected": 13, "ineligible": 2}, count); diff != "" {
			t.Errorf("statuses (-want +got):\n%s", diff)
		}
	})
}

func TestAdvisoryInputsCSV(t *testing.T) {
	f := &concord.Forum{Slug: "igf", Groups: concord.DefaultGroups}
	r := concord.DefaultCompositionRules()
	r.Size, r.Reserved = 5, []concord.ReservedSeat{{Country: "CL", Seats: 1}}
	ns := []*concord.Nomination{
		{PersonID: 7, Group: "government", Country: "CL", Region: concord.GRULAC, Gender: concord.Woman, Status: concord.NominationEligible, Score: 2.5},
		{PersonID: 8, Group: "igo", Country: "CH", Region: concord.WEOG, Gender: concord.Man, Status: concord.NominationEligible},
		{PersonID: 9, Group: "technical", Country: "KE", Region: concord.African, Gender: concord.Man, Status: concord.NominationIneligible},
	}
	in := BuildAdvisoryInputs(f, 2026, MethodOptimal, r, ns, []concord.Seat{{PersonID: 3, Group: "civil-society", Country: "NO", Region: concord.WEOG, Gender: concord.Another}}, nil)
	wantPeople := "id,group,region,gender,renewal,reserved,score\n3,civil-society,Western European and Others,another,returning,other,0\n7,government,Latin American and Caribbean,woman,new,CL,2.5\n"
	if got := string(in.PeopleCSV()); got != wantPeople {
		t.Errorf("people.csv:\n%s\nwant\n%s", got, wantPeople)
	}
	cats := string(in.CategoriesCSV())
	for _, line := range []string{"category,feature,min,max\n", "group,government,0,2\n", "region,African,1,1\n", "renewal,new,2,5\n", "renewal,returning,0,3\n", "reserved,CL,1,5\n"} {
		if !strings.Contains(cats, line) {
			t.Errorf("categories.csv lacks %q:\n%s", line, cats)
		}
	}
	if got, want := in.Command("7"), `concord panel select --people people.csv --quotas categories.csv --seats 5 --method optimal --seed 7 --forced 3 --balance "group=civil-society,technical,private-sector:1" --json`; got != want {
		t.Errorf("command:\n%s\nwant\n%s", got, want)
	}
}

// TestTermEdits adds, ends and re-roles terms by hand on both engines: an
// overlap or a stranger is refused with the field named, a change that
// breaks the rules is refused until confirmed, and every saved change is an
// "advisory.term" decision-log entry with its reason.
func TestTermEdits(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC) }
		f := mustForum(t, db, "igf")
		other := mustForum(t, db, "youth")
		stranger := &concord.Person{Name: "Elsewhere", Country: "FR", StakeholderGroup: "technical"}
		if err := db.CreatePerson(ctx, other, stranger); err != nil {
			t.Fatal(err)
		}
		people := advisoryPool(t, db, f)
		if err := db.SetAdvisoryRules(ctx, f, smallRules()); err != nil {
			t.Fatal(err)
		}
		// Ten sitting members for 2026, four of them government (40%, the limit).
		for _, i := range []int{0, 5, 10, 15, 2, 3, 4, 7, 8, 9} {
			if err := db.AddTerm(ctx, &concord.Term{ForumID: f.ID, PersonID: people[i].ID, FirstYear: 2026, LastYear: 2027,
				Role: concord.AdvisoryMember, Decision: -1}); err != nil {
				t.Fatal(err)
			}
		}
		field := func(err error) string {
			if ps := concord.Problems(err); len(ps) > 0 {
				return ps[0].Field
			}
			return ""
		}
		edit := func(pid int64, first, last int, role concord.AdvisoryRole) concord.TermEdit {
			return concord.TermEdit{Term: concord.Term{PersonID: pid, FirstYear: first, LastYear: last, Role: role}, Reason: "Appointed by the Secretary-General"}
		}

		refused := []struct {
			name  string
			e     concord.TermEdit
			field string
		}{
			{"overlap", edit(people[0].ID, 2027, 2028, concord.AdvisoryChair), "first_year"},
			{"overlap from before", edit(people[0].ID, 2025, 2026, concord.AdvisoryChair), "last_year"},
			{"years reversed", edit(people[1].ID, 2027, 2026, concord.AdvisoryChair), "last_year"},
			{"too long", edit(people[1].ID, 2026, 2040, concord.AdvisoryChair), "last_year"},
			{"no such role", edit(people[1].ID, 2026, 2026, "president"), "role"},
			{"not in the registry", edit(stranger.ID, 2026, 2026, concord.AdvisoryChair), "person"},
			{"no reason", concord.TermEdit{Term: concord.Term{PersonID: people[1].ID, FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryChair}}, "reason"},
		}
		for _, c := range refused {
			if _, err := db.SaveTermEdit(ctx, f, c.e, "sec"); concord.ErrorCode(err) != concord.EINVALID || field(err) != c.field {
				t.Errorf("%s: err = %v, want a problem with %s", c.name, err, c.field)
			}
		}

		// A chair sits outside the seats: no rule breaks, saved at once.
		res, err := db.SaveTermEdit(ctx, f, edit(people[1].ID, 2026, 2026, concord.AdvisoryChair), "Sec (account 1)")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) != 0 || res.Term.Decision != res.Decision || res.Before != nil {
			t.Errorf("chair: %+v", res)
		}
		e, err := db.Decision(ctx, res.Decision)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != "advisory.term" || e.Forum != "igf" || !strings.Contains(e.Subject, "Nominee 01 appointed chair for 2026") ||
			!strings.Contains(string(e.Result), `"reason":"Appointed by the Secretary-General"`) {
			t.Errorf("log entry = %+v %s", e, e.Result)
		}

		// A fifth government member breaks the 40% limit: refused, then saved with override.
		gov := edit(people[20].ID, 2026, 2026, concord.AdvisoryMember)
		ws, err := db.PreviewTermEdit(ctx, f, gov)
		if err != nil {
			t.Fatal(err)
		}
		var govWarning string
		for _, w := range ws {
			if w.Result.Rule == "government" {
				govWarning = w.Message()
			}
		}
		if want := "In 2026: Government 5 of 11 = 45.5% > 40%"; !strings.HasPrefix(govWarning, want) {
			t.Errorf("government warning = %q, want %q…; all: %+v", govWarning, want, ws)
		}
		if _, err := db.SaveTermEdit(ctx, f, gov, "sec"); concord.ErrorCode(err) != concord.EINVALID || field(err) != "override" {
			t.Fatalf("unconfirmed: %v", err)
		}
		if _, comp, _ := db.AdvisoryGroup(ctx, f.ID, 2026); len(comp.Voting()) != 10 {
			t.Fatalf("a refused edit was saved: %d voting", len(comp.Voting()))
		}
		gov.Override, gov.Reason = true, "Host government replaces a seat left vacant"
		res, err = db.SaveTermEdit(ctx, f, gov, "sec")
		if err != nil {
			t.Fatal(err)
		}
		if e, _ := db.Decision(ctx, res.Decision); !strings.Contains(string(e.Result), "Government 5 of 11") ||
			!strings.Contains(string(e.Result), "Host government") {
			t.Errorf("override entry lacks the warning or reason: %s", e.Result)
		}

		// End a term early, then change a role; both logged with before and after.
		var ended concord.Term
		terms, _ := db.Terms(ctx, f.ID)
		for _, tm := range terms {
			if tm.PersonID == people[0].ID {
				ended = tm
			}
		}
		end := concord.TermEdit{Term: ended, Reason: "Resigned in December 2026", Override: true}
		end.Term.LastYear = 2026
		if res, err = db.SaveTermEdit(ctx, f, end, "sec"); err != nil {
			t.Fatal(err)
		}
		if e, _ := db.Decision(ctx, res.Decision); !strings.Contains(e.Subject, "Nominee 00: term 2026–2027 ended early: last year 2026") ||
			!strings.Contains(string(e.Result), `"before":{"first_year":2026,"last_year":2027,"role":"member"}`) {
			t.Errorf("end entry = %q %s", e.Subject, e.Result)
		}
		if got, _ := db.Term(ctx, f.ID, ended.ID); got.LastYear != 2026 || got.Decision != -1 {
			t.Errorf("ended term = %+v", got)
		}
		// The year after now has one fewer voting member: the seats rule warns.
		if ws, _ := db.PreviewTermEdit(ctx, f, concord.TermEdit{Term: concord.Term{ID: ended.ID, PersonID: ended.PersonID,
			FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryChair}, Reason: "x"}); len(ws) == 0 {
			t.Errorf("moving a member to chair broke no rule")
		}
		if _, err := db.SaveTermEdit(ctx, f, concord.TermEdit{Term: concord.Term{ID: ended.ID, PersonID: people[2].ID,
			FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember}, Reason: "x"}, "sec"); field(err) != "person" {
			t.Errorf("moving a term to another person: %v", err)
		}
		if _, err := db.SaveTermEdit(ctx, other, concord.TermEdit{Term: concord.Term{ID: ended.ID, PersonID: ended.PersonID,
			FirstYear: 2026, LastYear: 2026, Role: concord.AdvisoryMember}, Reason: "x"}, "sec"); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("editing another forum's term: %v", err)
		}
	})
}
