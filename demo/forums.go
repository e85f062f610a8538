package demo

import (
	"time"

	"concord"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// IGF returns the global Internet Governance Forum with its 2025 and 2026
// cycles. 2025 is the real Lillestrøm meeting; 2026's host and dates are
// invented for the demo.
func IGF() (concord.Forum, []concord.Cycle) {
	f := concord.Forum{
		Slug:        "igf",
		Name:        "Internet Governance Forum",
		Description: "The United Nations' multistakeholder forum for policy dialogue on issues of Internet governance.",
		Groups:      append([]concord.StakeholderGroup(nil), concord.DefaultGroups...),
	}
	cycles := []concord.Cycle{
		{
			Year:      2025,
			Theme:     "Building Digital Governance Together",
			StartDate: date(2025, time.June, 23),
			EndDate:   date(2025, time.June, 27),
			Timezone:  "Europe/Oslo",
			Subthemes: []string{
				"Building Digital Trust and Resilience",
				"Sustainable and Responsible Innovation",
				"Universal Access and Digital Rights",
				"Digital Cooperation",
			},
			PolicyQuestions: []string{
				"How can states, platforms and users together build resilience against disinformation without restricting freedom of expression?",
				"What would make cybersecurity capacity building reach the least connected countries?",
				"How can artificial intelligence be governed so that its benefits are shared and its risks are borne fairly?",
				"What does a sustainable digital economy ask of data centres, devices and supply chains?",
				"Which policies connect the remaining 2.6 billion people offline in a meaningful, affordable way?",
				"How should human rights law apply to online content moderation and surveillance?",
				"How can the Global Digital Compact be implemented through existing multistakeholder processes rather than new ones?",
			},
		},
		{
			Year:      2026,
			Theme:     "Internet Governance for an Inclusive Digital Future",
			StartDate: date(2026, time.November, 16),
			EndDate:   date(2026, time.November, 20),
			Timezone:  "America/Santiago",
			Subthemes: []string{
				"Harnessing Innovation and Balancing Risks in the Digital Space",
				"Advancing Human Rights and Inclusion in the Digital Age",
				"Improving Digital Governance for the Internet We Want",
				"Enhancing the Digital Contribution to Peace, Development and Sustainability",
			},
			PolicyQuestions: []string{
				"How can open standards and open source keep AI innovation within reach of developing countries?",
				"What safeguards should accompany the use of digital identity and digital public infrastructure?",
				"How can online spaces be made safe for children and young people while respecting their rights?",
				"How can multilingual content and accessibility be advanced so that everyone can use the Internet in their own language?",
				"How should the renewed IGF mandate strengthen the links between national, regional and global forums?",
				"What role should the multistakeholder community play in preventing Internet shutdowns and fragmentation?",
				"How can digital technologies reduce, rather than add to, environmental harm?",
			},
		},
	}
	return f, cycles
}

// KenyaIGF returns a national initiative with its 2025 and 2026 cycles;
// themes and dates are invented for the demo.
func KenyaIGF() (concord.Forum, []concord.Cycle) {
	f := concord.Forum{
		Slug:        "kenya-igf",
		Name:        "Kenya IGF",
		Description: "Kenya's national Internet Governance Forum, with its youth track.",
		Groups:      append([]concord.StakeholderGroup(nil), concord.DefaultGroups...),
	}
	cycles := []concord.Cycle{
		{
			Year:      2025,
			Theme:     "Trust, Inclusion and Innovation in Kenya's Digital Economy",
			StartDate: date(2025, time.July, 24),
			EndDate:   date(2025, time.July, 25),
			Timezone:  "Africa/Nairobi",
			Subthemes: []string{
				"Affordable Connectivity for Every County",
				"Data Protection and Digital Identity",
				"Youth, Skills and Digital Jobs",
			},
			PolicyQuestions: []string{
				"How can last-mile connectivity reach rural counties at prices households can afford?",
				"How should the Data Protection Act be applied to digital identity and public services?",
				"What would help young people turn digital skills into decent online work?",
			},
		},
		{
			Year:      2026,
			Theme:     "Shaping Kenya's Digital Future Together",
			StartDate: date(2026, time.August, 20),
			EndDate:   date(2026, time.August, 21),
			Timezone:  "Africa/Nairobi",
			Subthemes: []string{
				"Artificial Intelligence for Public Good",
				"Online Safety and Digital Rights",
				"Local Content and Kiswahili Online",
			},
			PolicyQuestions: []string{
				"How can Kenya govern artificial intelligence in public services transparently?",
				"What should platforms, government and civil society each do to curb online harassment, especially of women?",
				"How can more content be created and found in Kiswahili and other Kenyan languages?",
			},
		},
	}
	return f, cycles
}
