package concord

// Region is one of the five UN regional groups.
type Region string

const (
	African         Region = "African"
	AsiaPacific     Region = "Asia-Pacific"
	EasternEuropean Region = "Eastern European"
	GRULAC          Region = "Latin American and Caribbean"
	WEOG            Region = "Western European and Others"
)

// Regions lists the regional groups in their customary order.
var Regions = []Region{African, AsiaPacific, EasternEuropean, GRULAC, WEOG}

// Country is an ISO 3166-1 country or territory.
type Country struct {
	Code   string // alpha-2
	Name   string
	Region Region
}
