package concord

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// PeopleCSVHeader is the column order of people CSV files, for import and export.
var PeopleCSVHeader = []string{"name", "email", "country", "gender", "organisation", "stakeholder_group", "languages"}

// PersonRow is a person read from line Line of a CSV file.
type PersonRow struct {
	Line   int
	Person *Person
}

// RowProblem is why one row of an import was rejected.
type RowProblem struct {
	Line    int
	Field   string
	Message string
}

func (p RowProblem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Message)
	}
	return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Message)
}

// MaxImportRows bounds one import so a mistaken upload cannot exhaust memory.
const MaxImportRows = 50000

// ParsePeopleCSV reads people from CSV with a header naming at least name,
// country and stakeholder_group (any order; unknown columns are an error).
// Languages are separated by spaces or semicolons. Row problems found while
// parsing are returned beside the rows; a file that is not CSV is an error.
func ParsePeopleCSV(r io.Reader) ([]PersonRow, []RowProblem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, FieldError("file", "is empty: the first line must name the columns (%s)", strings.Join(PeopleCSVHeader, ","))
	} else if err != nil {
		return nil, nil, FieldError("file", "is not valid CSV: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, k := range PeopleCSVHeader {
			known = known || h == k
		}
		if !known {
			return nil, nil, FieldError("file", "line 1: unknown column %q (known: %s)", h, strings.Join(PeopleCSVHeader, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, nil, FieldError("file", "line 1: column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"name", "country", "stakeholder_group"} {
		if _, ok := col[need]; !ok {
			return nil, nil, FieldError("file", "line 1: the column %q is missing", need)
		}
	}
	var rows []PersonRow
	var problems []RowProblem
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, FieldError("file", "is not valid CSV: %v", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows) >= MaxImportRows {
			return nil, nil, FieldError("file", "has more than %d rows; split it", MaxImportRows)
		}
		if len(rec) != len(header) {
			problems = append(problems, RowProblem{Line: line, Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(header))})
			continue
		}
		get := func(k string) string {
			if i, ok := col[k]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		p := &Person{
			Name: get("name"), Email: get("email"), Country: get("country"),
			Gender:       Gender(strings.ToLower(strings.ReplaceAll(get("gender"), " ", "_"))),
			Organisation: get("organisation"), StakeholderGroup: get("stakeholder_group"),
			Languages: strings.FieldsFunc(strings.ToLower(get("languages")), func(r rune) bool { return r == ' ' || r == ';' || r == ',' }),
		}
		rows = append(rows, PersonRow{Line: line, Person: p})
	}
	return rows, problems, nil
}

// WritePeopleCSV writes people in the PeopleCSVHeader layout. Cells that a
// spreadsheet would run as a formula are prefixed with a quote.
func WritePeopleCSV(w io.Writer, people []*Person) error {
	cw := csv.NewWriter(w)
	cw.Write(PeopleCSVHeader)
	for _, p := range people {
		cw.Write([]string{SafeCell(p.Name), p.Email, p.Country, string(p.Gender), SafeCell(p.Organisation),
			p.StakeholderGroup, strings.Join(p.Languages, " ")})
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell prefixes a quote to text a spreadsheet would run as a formula,
// for every CSV cell that holds what people typed.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
