package concord

import (
	"strings"
	"testing"
	"time"
)

func TestConsultationStatus(t *testing.T) {
	opens := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := Consultation{Question: "Q?", OpensAt: opens, ClosesAt: opens.Add(48 * time.Hour)}
	for _, tc := range []struct {
		at   time.Time
		want ConsultationStatus
		code string
	}{
		{opens.Add(-time.Second), ConsultationUpcoming, ECONFLICT},
		{opens, ConsultationOpen, ""},
		{opens.Add(47 * time.Hour), ConsultationOpen, ""},
		{opens.Add(48 * time.Hour), ConsultationClosed, ECONFLICT},
	} {
		if got := c.Status(tc.at); got != tc.want {
			t.Errorf("Status(%v) = %s, want %s", tc.at, got, tc.want)
		}
		if got := ErrorCode(c.CheckOpen(tc.at)); got != tc.code {
			t.Errorf("CheckOpen(%v) = %q, want %q", tc.at, got, tc.code)
		}
	}
}

func TestConsultationValidate(t *testing.T) {
	opens := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		c      Consultation
		fields []string
	}{
		{"valid", Consultation{Question: " Q? ", OpensAt: opens, ClosesAt: opens.Add(time.Hour)}, nil},
		{"empty", Consultation{}, []string{"question", "opens_at", "closes_at"}},
		{"backwards", Consultation{Question: "Q", OpensAt: opens, ClosesAt: opens}, []string{"closes_at"}},
		{"long", Consultation{Question: strings.Repeat("q", 501), OpensAt: opens, ClosesAt: opens.Add(time.Hour)}, []string{"question"}},
	} {
		var got []string
		for _, p := range Problems(tc.c.Validate()) {
			got = append(got, p.Field)
		}
		if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("%s: problems in %v, want %v", tc.name, got, tc.fields)
		}
	}
}

func TestVotesAndStatements(t *testing.T) {
	for s, want := range map[string]VoteValue{"agree": Agree, "disagree": Disagree, "pass": Pass} {
		if got, err := ParseVote(s); err != nil || got != want || got.String() != s {
			t.Errorf("ParseVote(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Agree", "1", "yes"} {
		if _, err := ParseVote(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseVote(%q) accepted", s)
		}
	}
	if VoteValue(2).Valid() || !Pass.Valid() {
		t.Error("Valid is wrong")
	}
	if body, err := ValidateStatement("  Two\n  lines. "); err != nil || body != "Two lines." {
		t.Errorf("ValidateStatement = %q, %v", body, err)
	}
	for _, s := range []string{" ", strings.Repeat("é", MaxStatementLength+1)} {
		if _, err := ValidateStatement(s); ErrorCode(err) != EINVALID {
			t.Errorf("ValidateStatement(%d runes) accepted", len([]rune(s)))
		}
	}
	if _, err := ValidateStatement(strings.Repeat("é", MaxStatementLength)); err != nil {
		t.Errorf("280 characters refused: %v", err)
	}
}
