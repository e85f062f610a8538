package concord

// countries is replaced by the full ISO 3166-1 list.
var countries = []Country{
	{"KE", "Kenya", African},
	{"JP", "Japan", AsiaPacific},
	{"PL", "Poland", EasternEuropean},
	{"BR", "Brazil", GRULAC},
	{"NO", "Norway", WEOG},
}

var countryIndex = func() map[string]int {
	m := make(map[string]int, len(countries))
	for i, c := range countries {
		m[c.Code] = i
	}
	return m
}()

// Countries returns every ISO 3166-1 country, in code order.
func Countries() []Country { return countries }

// CountryByCode finds a country by its alpha-2 code.
func CountryByCode(code string) (Country, bool) {
	i, ok := countryIndex[code]
	if !ok {
		return Country{}, false
	}
	return countries[i], true
}

// RegionOf returns the UN regional group of a country code, "" if unknown.
func RegionOf(code string) Region {
	c, _ := CountryByCode(code)
	return c.Region
}
