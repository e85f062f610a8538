package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"concord"
)

func mustForum(t *testing.T, db *DB, slug string) *concord.Forum {
	t.Helper()
	f := &concord.Forum{Slug: slug, Name: strings.ToUpper(slug)}
	if err := db.CreateForum(context.Background(), f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestForumsAndCycles(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := mustForum(t, db, "igf")
		if got, want := len(f.Groups), 5; got != want {
			t.Fatalf("default groups = %d, want %d", got, want)
		}
		if err := db.CreateForum(ctx, &concord.Forum{Slug: "igf", Name: "Again"}); concord.ErrorCode(err) != concord.EINVALID {
			t.Fatalf("duplicate slug: err = %v, want invalid", err)
		}
		if err := db.CreateForum(ctx, &concord.Forum{Slug: "Bad Slug", Name: "X"}); concord.ErrorCode(err) != concord.EINVALID {
			t.Fatalf("bad slug: err = %v", err)
		}
		got, err := db.Forum(ctx, "igf")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(f, got); diff != "" {
			t.Errorf("forum round trip (-want +got):\n%s", diff)
		}
		if _, err := db.Forum(ctx, "nope"); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("missing forum: err = %v", err)
		}
		c := &concord.Cycle{ForumID: f.ID, Year: 2025, Timezone: "Europe/Oslo", Subthemes: []string{"Trust"}, PolicyQuestions: []string{"How?"}}
		if err := db.CreateCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCycle(ctx, &concord.Cycle{ForumID: f.ID, Year: 2025}); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("duplicate year: err = %v", err)
		}
		cs, err := db.Cycles(ctx, f.ID)
		if err != nil || len(cs) != 1 || cs[0].Subthemes[0] != "Trust" || cs[0].Timezone != "Europe/Oslo" {
			t.Fatalf("cycles = %+v, %v", cs, err)
		}
	})
}

func TestPeopleDirectory(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := mustForum(t, db, "igf")
		other := mustForum(t, db, "kenya-igf")
		people := []*concord.Person{
			{Name: "Amina Odhiambo", Email: "amina@example.org", Country: "KE", Gender: concord.Woman, Organisation: "Digital Rights Kenya", StakeholderGroup: "civil-society", Languages: []string{"en", "sw"}},
			{Name: "Kenji Sato", Email: "kenji@example.org", Country: "JP", Gender: concord.Man, Organisation: "Tokyo Net", StakeholderGroup: "private-sector"},
			{Name: "Ana Souza", Country: "BR", Gender: concord.Woman, StakeholderGroup: "government"},
			{Name: "Amir Haddad", Email: "amir@example.org", Country: "NO", StakeholderGroup: "civil-society", Organisation: "Digital Rights Kenya"},
		}
		for _, p := range people {
			if err := db.CreatePerson(ctx, f, p); err != nil {
				t.Fatal(err)
			}
		}
		if people[0].OrganisationID == 0 || people[0].OrganisationID != people[3].OrganisationID {
			t.Errorf("organisation not shared: %d, %d", people[0].OrganisationID, people[3].OrganisationID)
		}
		dup := &concord.Person{Name: "X", Email: "amina@example.org", Country: "KE", StakeholderGroup: "government"}
		if err := db.CreatePerson(ctx, f, dup); concord.ErrorCode(err) != concord.EINVALID || !strings.Contains(err.Error(), "email") {
			t.Errorf("duplicate email: err = %v", err)
		}
		// The same email in another forum is another person.
		if err := db.CreatePerson(ctx, other, dup); err != nil {
			t.Errorf("same email, other forum: %v", err)
		}
		bad := &concord.Person{Name: "Y", Country: "XX", StakeholderGroup: "aliens", Gender: "robot"}
		err := db.CreatePerson(ctx, f, bad)
		var fields []string
		for _, p := range concord.Problems(err) {
			fields = append(fields, p.Field)
		}
		if diff := cmp.Diff([]string{"country", "gender", "stakeholder_group"}, fields); diff != "" {
			t.Errorf("invalid person fields (-want +got):\n%s", diff)
		}

		for _, tc := range []struct {
			flt  PersonFilter
			want []string
		}{
			{PersonFilter{}, []string{"Amina Odhiambo", "Amir Haddad", "Ana Souza", "Kenji Sato"}},
			{PersonFilter{Group: "civil-society"}, []string{"Amina Odhiambo", "Amir Haddad"}},
			{PersonFilter{Region: concord.African}, []string{"Amina Odhiambo"}},
			{PersonFilter{Country: "JP"}, []string{"Kenji Sato"}},
			{PersonFilter{OrganisationID: people[0].OrganisationID}, []string{"Amina Odhiambo", "Amir Haddad"}},
			{PersonFilter{Query: "am"}, []string{"Amina Odhiambo", "Amir Haddad"}},
			{PersonFilter{Query: "%"}, nil},
			{PersonFilter{Limit: 2, Offset: 1}, []string{"Amir Haddad", "Ana Souza"}},
		} {
			got, total, err := db.People(ctx, f.ID, tc.flt)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range got {
				names = append(names, p.Name)
			}
			if diff := cmp.Diff(tc.want, names); diff != "" {
				t.Errorf("People(%+v) (-want +got):\n%s", tc.flt, diff)
			}
			if tc.flt.Limit == 0 && total != len(tc.want) {
				t.Errorf("People(%+v) total = %d", tc.flt, total)
			}
		}
		st, err := db.PeopleStats(ctx, f.ID, PersonFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Total != 4 || st.Countries != 4 || st.ByGroup[0] != (Count{"civil-society", 2}) {
			t.Errorf("stats = %+v", st)
		}
		p, err := db.Person(ctx, f.ID, people[1].ID)
		if err != nil || p.Organisation != "Tokyo Net" || p.Region() != concord.AsiaPacific {
			t.Errorf("Person = %+v, %v", p, err)
		}
		if _, err := db.Person(ctx, other.ID, people[1].ID); concord.ErrorCode(err) != concord.ENOTFOUND {
			t.Errorf("person seen through another forum: %v", err)
		}
		p.Name = "Kenji Satō"
		p.Organisation = ""
		if err := db.UpdatePerson(ctx, f, p); err != nil {
			t.Fatal(err)
		}
		p, _ = db.Person(ctx, f.ID, p.ID)
		if p.Name != "Kenji Satō" || p.OrganisationID != 0 {
			t.Errorf("after update: %+v", p)
		}
	})
}

func TestImportPeopleIsAllOrNothing(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := mustForum(t, db, "igf")
		if err := db.CreatePerson(ctx, f, &concord.Person{Name: "Existing", Email: "taken@example.org", Country: "KE", StakeholderGroup: "government"}); err != nil {
			t.Fatal(err)
		}
		csv := "name,email,country,gender,organisation,stakeholder_group,languages\n" +
			"Fatima Zahra,fatima@example.org,MA,woman,Maghreb Net,technical,ar fr\n" +
			"No Country,nc@example.org,,man,,government,\n" +
			"Taken,taken@example.org,KE,,,government,\n" +
			"Twice,fatima@example.org,MA,,,technical,\n" +
			"Alien,a@example.org,KE,,,aliens,\n"
		rows, problems, err := concord.ParsePeopleCSV(strings.NewReader(csv))
		if err != nil || len(problems) != 0 {
			t.Fatal(err, problems)
		}
		problems, err = db.ImportPeople(ctx, f, rows)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range problems {
			got = append(got, p.String())
		}
		want := []string{
			"line 3: country: is required",
			`line 5: email: "fatima@example.org" repeats line 2`,
			`line 6: stakeholder_group: "aliens" is not one of this forum's stakeholder groups`,
			`line 4: email: "taken@example.org" is already registered in this forum`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if _, total, _ := db.People(ctx, f.ID, PersonFilter{}); total != 1 {
			t.Fatalf("a rejected import wrote %d people", total-1)
		}
		rows, _, _ = concord.ParsePeopleCSV(strings.NewReader("name,country,stakeholder_group,languages\nFatima Zahra,MA,technical,ar;fr\n"))
		if problems, err := db.ImportPeople(ctx, f, rows); err != nil || len(problems) != 0 {
			t.Fatal(problems, err)
		}
		ps, _, _ := db.People(ctx, f.ID, PersonFilter{Country: "MA"})
		if len(ps) != 1 || cmp.Diff([]string{"ar", "fr"}, ps[0].Languages) != "" {
			t.Errorf("imported = %+v", ps)
		}
	})
}

func TestAccountsTokensAndRoles(t *testing.T) {
	ForEachStore(t, func(t *testing.T, db *DB) {
		ctx := context.Background()
		f := mustForum(t, db, "igf")
		g := mustForum(t, db, "youth")
		a, err := db.CreateAccount(ctx, "Ama", "Ama@Example.org", "hash")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAccount(ctx, "Ama", "ama@example.org", "hash"); concord.ErrorCode(err) != concord.EINVALID {
			t.Errorf("duplicate account: %v", err)
		}
		tok, err := db.CreateToken(ctx, a.ID, TokenConfirm, "", 1e12)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := db.UseToken(ctx, tok, TokenReset); err == nil {
			t.Errorf("token used for another purpose: %d", id)
		}
		if id, err := db.UseToken(ctx, tok, TokenConfirm); err != nil || id != a.ID {
			t.Errorf("UseToken = %d, %v", id, err)
		}
		if _, err := db.UseToken(ctx, tok, TokenConfirm); err == nil {
			t.Errorf("token used twice")
		}
		if err := db.SetRole(ctx, a.ID, f.ID, concord.RoleSecretariat); err != nil {
			t.Fatal(err)
		}
		if r, _ := db.Role(ctx, a.ID, f.ID); r != concord.RoleSecretariat {
			t.Errorf("role in f = %s", r)
		}
		if r, _ := db.Role(ctx, a.ID, g.ID); r != concord.RolePublic {
			t.Errorf("role leaked into another forum: %s", r)
		}
		for i := 0; i < 3; i++ {
			db.RecordSigninFailure(ctx, "k")
		}
		if n, _ := db.SigninFailures(ctx, "k", 1e12); n != 3 {
			t.Errorf("failures = %d", n)
		}
	})
}
