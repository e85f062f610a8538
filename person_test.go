package concord

import (
	"strings"
	"testing"
)

func TestParsePeopleCSV(t *testing.T) {
	for _, tc := range []struct {
		name, in, wantErr string
		rows, problems    int
	}{
		{"empty file", "", "is empty", 0, 0},
		{"unknown column", "name,country,stakeholder_group,shoe_size\n", `unknown column "shoe_size"`, 0, 0},
		{"missing column", "name,country\n", `the column "stakeholder_group" is missing`, 0, 0},
		{"repeated column", "name,name,country,stakeholder_group\n", `column "name" appears twice`, 0, 0},
		{"byte order mark and spaces", "\ufeffName , Country,stakeholder_group\nAmina,ke,government\n", "", 1, 0},
		{"short row", "name,country,stakeholder_group\nAmina,KE\nBen,NO,government\n", "", 1, 1},
		{"broken quoting", "name,country,stakeholder_group\n\"Amina,KE,government\n", "not valid CSV", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, problems, err := ParsePeopleCSV(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(rows) != tc.rows || len(problems) != tc.problems {
				t.Fatalf("rows %d, problems %v, err %v", len(rows), problems, err)
			}
		})
	}
	rows, problems, _ := ParsePeopleCSV(strings.NewReader("name,country,stakeholder_group\nAmina,KE\n"))
	if len(rows) != 0 || problems[0].String() != "line 2: has 2 fields, the header has 3" {
		t.Errorf("short row problem = %v", problems)
	}
}

func TestPersonValidate(t *testing.T) {
	p := &Person{Name: "  Amina ", Email: " Amina@Example.ORG ", Country: "ke", StakeholderGroup: "government"}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Name != "Amina" || p.Email != "amina@example.org" || p.Country != "KE" || p.Gender != NotStated || p.Region() != African {
		t.Errorf("normalised = %+v", p)
	}
	bad := &Person{Name: strings.Repeat("x", 201), Email: "amina@", Country: "XX", Gender: "robot", Languages: []string{"english"}}
	var fields []string
	for _, e := range Problems(bad.Validate()) {
		fields = append(fields, e.Field)
	}
	if got, want := strings.Join(fields, ","), "name,email,country,gender,stakeholder_group,languages"; got != want {
		t.Errorf("fields = %s, want %s", got, want)
	}
}

func TestWritePeopleCSVNeutralisesFormulas(t *testing.T) {
	var b strings.Builder
	WritePeopleCSV(&b, []*Person{{Name: "=HYPERLINK(\"http://x\")", Country: "KE", Organisation: "+1 Org"}})
	if !strings.Contains(b.String(), `"'=HYPERLINK(""http://x"")"`) || !strings.Contains(b.String(), "'+1 Org") {
		t.Errorf("formula cells not neutralised:\n%s", b.String())
	}
}

// FuzzParsePeopleCSV: no upload, however broken, panics the parser, and
// every row it returns names a line of the file.
func FuzzParsePeopleCSV(f *testing.F) {
	f.Add("name,country,stakeholder_group\nAmina,KE,government\n")
	f.Add("\"a\nb\",c")
	f.Add("name,email\n\"x\"\"y\",z\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, _, err := ParsePeopleCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Line < 2 || r.Person == nil {
				t.Fatalf("row %+v", r)
			}
		}
	})
}
