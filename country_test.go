package concord

import (
	"strings"
	"testing"
)

// unGroups is the UN regional group membership of the 193 member states,
// with Kiribati (in no group) in Asia-Pacific and the United States (an
// observer) in WEOG.
var unGroups = map[Region]string{
	African:         "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG ER ET GA GH GM GN GQ GW KE KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TN TZ UG ZA ZM ZW",
	AsiaPacific:     "AE AF BD BH BN BT CN CY FJ FM ID IN IQ IR JO JP KG KH KI KP KR KW KZ LA LB LK MH MM MN MV MY NP NR OM PG PH PK PW QA SA SB SG SY TH TJ TL TM TO TV UZ VN VU WS YE",
	EasternEuropean: "AL AM AZ BA BG BY CZ EE GE HR HU LT LV MD ME MK PL RO RS RU SI SK UA",
	GRULAC:          "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY SR SV TT UY VC VE",
	WEOG:            "AD AT AU BE CA CH DE DK ES FI FR GB GR IE IL IS IT LI LU MC MT NL NO NZ PT SE SM TR US",
}

func TestCountriesCount(t *testing.T) {
	// 249 ISO 3166-1 codes plus Kosovo.
	if got, want := len(Countries()), 250; got != want {
		t.Errorf("len(Countries()) = %d, want %d", got, want)
	}
	members := 0
	for _, codes := range unGroups {
		members += len(strings.Fields(codes))
	}
	if got, want := members, 193; got != want {
		t.Errorf("UN members in test table = %d, want %d", got, want)
	}
}

func TestCountriesSortedUnique(t *testing.T) {
	cs := Countries()
	for i, c := range cs {
		if len(c.Code) != 2 || strings.ToUpper(c.Code) != c.Code {
			t.Errorf("code %q is not two capital letters", c.Code)
		}
		if c.Name == "" {
			t.Errorf("%s has no name", c.Code)
		}
		if i > 0 && cs[i-1].Code >= c.Code {
			t.Errorf("%s comes after %s: not sorted or duplicated", c.Code, cs[i-1].Code)
		}
	}
}

func TestUNMemberRegions(t *testing.T) {
	for _, r := range Regions {
		for _, code := range strings.Fields(unGroups[r]) {
			if got := RegionOf(code); got != r {
				t.Errorf("RegionOf(%s) = %q, want %q", code, got, r)
			}
		}
	}
}

func TestRegionOf(t *testing.T) {
	tests := []struct {
		code string
		want Region
	}{
		// Members whose group surprises people.
		{"TR", WEOG}, {"IL", WEOG}, {"CY", AsiaPacific}, {"KZ", AsiaPacific},
		{"KI", AsiaPacific}, {"US", WEOG}, {"EG", African}, {"SA", AsiaPacific},
		// Non-members and territories.
		{"PS", AsiaPacific}, {"TW", AsiaPacific}, {"HK", AsiaPacific},
		{"VA", WEOG}, {"GL", WEOG}, {"FO", WEOG}, {"GI", WEOG}, {"XK", EasternEuropean},
		{"PR", GRULAC}, {"CW", GRULAC}, {"VG", GRULAC}, {"GU", AsiaPacific},
		{"NC", AsiaPacific}, {"RE", African}, {"EH", African},
		{"AQ", WEOG}, {"BV", WEOG}, {"HM", WEOG},
		{"ZZ", ""}, {"", ""},
	}
	for _, tt := range tests {
		if got := RegionOf(tt.code); got != tt.want {
			t.Errorf("RegionOf(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestEveryRegionUsed(t *testing.T) {
	n := map[Region]int{}
	for _, c := range Countries() {
		n[c.Region]++
	}
	for _, r := range Regions {
		if n[r] == 0 {
			t.Errorf("no country in %q", r)
		}
	}
	if got, want := len(n), len(Regions); got != want {
		t.Errorf("countries use %d regions, want %d", got, want)
	}
}

func TestCountryByCode(t *testing.T) {
	c, ok := CountryByCode("KE")
	if !ok || c.Name != "Kenya" || c.Region != African {
		t.Errorf(`CountryByCode("KE") = %+v, %v`, c, ok)
	}
	if _, ok := CountryByCode("ke"); ok {
		t.Error(`CountryByCode("ke") found a country; codes are upper case`)
	}
}
