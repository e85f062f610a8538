package demo

import "concord"

// Organisation names per stakeholder group: %[1]s is the country's common
// name, %[2]s its city, %[3]s the local company suffix. Companies and NGOs
// are invented; the earlier templates are the more common ones.
var orgTemplates = map[string][]string{
	"government": {
		"Ministry of ICT of %[1]s",
		"Communications Regulatory Authority of %[1]s",
		"Ministry of Foreign Affairs of %[1]s",
		"National Cybersecurity Agency of %[1]s",
		"Data Protection Commission of %[1]s",
		"Parliament of %[1]s",
		"Ministry of Education of %[1]s",
		"Permanent Mission of %[1]s to the United Nations",
	},
	"civil-society": {
		"Digital Rights %[1]s",
		"%[2]s Centre for Digital Futures",
		"Women in Digital %[1]s",
		"%[1]s Youth Internet Governance Network",
		"%[2]s Community Networks Alliance",
		"Open Data Collective %[1]s",
		"Accessible Web %[1]s",
		"%[2]s Media Freedom Foundation",
		"Consumers' Digital Council of %[1]s",
	},
	"technical": {
		"%[2]s Institute for Network Research",
		"%[1]s Network Operators Group",
		"%[2]s Polytechnic School of Computing",
		"%[1]s Research and Education Network",
		"%[2]s Internet Exchange",
		"%[1]s Open Source Software Association",
		"%[2]s University Faculty of Informatics",
	},
	"private-sector": {
		"%[2]s Cloud %[3]s",
		"%[2]s Telecom %[3]s",
		"%[2]s Digital Solutions %[3]s",
		"%[2]s Fibre Networks %[3]s",
		"%[2]s Payments %[3]s",
		"Chamber of Digital Commerce of %[1]s",
		"%[2]s AI Labs %[3]s",
		"%[2]s Satellite Services %[3]s",
		"%[2]s Data Centres %[3]s",
	},
}

// igo is an intergovernmental organisation; region "" means global reach.
type igo struct {
	name    string
	country string // headquarters
	region  concord.Region
}

// igos are real public bodies, listed with their headquarters.
var igos = []igo{
	{"International Telecommunication Union", "CH", ""},
	{"UNESCO", "FR", ""},
	{"OECD", "FR", ""},
	{"United Nations Department of Economic and Social Affairs", "US", ""},
	{"United Nations Development Programme", "US", ""},
	{"UNCTAD", "CH", ""},
	{"World Intellectual Property Organization", "CH", ""},
	{"Office of the United Nations High Commissioner for Human Rights", "CH", ""},
	{"UNICEF", "US", ""},
	{"World Bank Group", "US", ""},
	{"United Nations Office for Digital and Emerging Technologies", "US", ""},
	{"African Union Commission", "ET", concord.African},
	{"United Nations Economic Commission for Africa", "ET", concord.African},
	{"Smart Africa Secretariat", "RW", concord.African},
	{"ECOWAS Commission", "NG", concord.African},
	{"East African Community Secretariat", "TZ", concord.African},
	{"League of Arab States", "EG", concord.African},
	{"ESCAP", "TH", concord.AsiaPacific},
	{"ESCWA", "LB", concord.AsiaPacific},
	{"ASEAN Secretariat", "ID", concord.AsiaPacific},
	{"Pacific Islands Forum Secretariat", "FJ", concord.AsiaPacific},
	{"Asia-Pacific Telecommunity", "TH", concord.AsiaPacific},
	{"United Nations Economic Commission for Europe", "CH", concord.EasternEuropean},
	{"Regional Commonwealth in the Field of Communications", "RU", concord.EasternEuropean},
	{"Council of Europe", "FR", concord.EasternEuropean},
	{"ECLAC", "CL", concord.GRULAC},
	{"Organization of American States", "US", concord.GRULAC},
	{"Inter-American Telecommunication Commission", "US", concord.GRULAC},
	{"Caribbean Telecommunications Union", "TT", concord.GRULAC},
	{"European Commission", "BE", concord.WEOG},
	{"Council of Europe", "FR", concord.WEOG},
	{"Commonwealth Telecommunications Organisation", "GB", concord.WEOG},
}
