package nseoi

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pool/crs"
)

// Education is the highest Nova Scotia credential, as the matrix names it.
type Education string

// Education levels and points (matrix, "Education").
const (
	Diploma2Year    Education = "ns-diploma-2y"      // 2-year NS diploma: 12
	Degree3Year     Education = "ns-degree-3y"       // 3-year or longer NS degree: 15
	TwoCredentials  Education = "ns-two-credentials" // 2+ credentials, one a 3-year NS degree: 17
	MastersOrProfes Education = "ns-masters"         // NS master's or entry-to-practice professional degree: 22
	PhD             Education = "ns-phd"             // NS PhD: 25
)

var educationPoints = map[Education]int{Diploma2Year: 12, Degree3Year: 15, TwoCredentials: 17, MastersOrProfes: 22, PhD: 25}

// EducationLevels lists the levels in ascending order.
var EducationLevels = []Education{Diploma2Year, Degree3Year, TwoCredentials, MastersOrProfes, PhD}

// Business kinds that are not eligible (stream page, "Ineligible
// businesses"). Home-based, construction and brokerage businesses are
// eligible only with a compelling benefit to Nova Scotia.
var ineligibleBusiness = map[string]string{
	"remote":             "businesses run remotely",
	"property-rental":    "property rental, investment or leasing",
	"real-estate":        "real-estate agents and brokers",
	"payday-lending":     "payday lenders",
	"cheque-cashing":     "cheque cashing",
	"mortgage-broker":    "mortgage brokers",
	"credit-union":       "credit unions",
	"co-operative":       "co-operatives",
	"passive-investment": "passive investment",
	"sex-trade":          "the sex trade",
	// Also named by the stream page: licensed professional services,
	// money changing and automated cash machines, joint ventures with the
	// province's nominee program, and businesses that would bring the
	// province or its program into disrepute.
	"licensed-professional-services": "licensed professional services",
	"money-changing":                 "money changing and automated cash machines",
	"cash-machines":                  "money changing and automated cash machines",
	"nominee-joint-venture":          "joint ventures with the province's nominee program",
	"disrepute":                      "businesses that would bring the province or its nominee program into disrepute",
}

var compellingOnly = map[string]string{
	"home-based":   "home-based businesses",
	"construction": "construction businesses",
	"brokerage":    "brokerage businesses",
}

// Profile is an EOI profile. Languages are CLB levels or test results
// (Language).
type Profile struct {
	FirstLanguage  Language `json:"first_language"`
	SecondLanguage Language `json:"second_language"` // not given: none
	// LanguageTestDate is the date of the first-language test, when not in
	// the test result itself; it must be under 2 years old on the EOI
	// date.
	LanguageTestDate *pathway.Date `json:"language_test_date,omitempty"`
	Education        Education     `json:"education"`
	// StudiedFullTimeInNS: the credential (at least 2 years) was studied
	// full time in Nova Scotia.
	StudiedFullTimeInNS bool `json:"studied_full_time_in_ns"`
	WorkMonths          int  `json:"work_months"` // NOC 0, A or B (TEER 0-3) in the last 10 years
	Age                 int  `json:"age"`

	SpouseCLB4      bool `json:"spouse_clb4"`
	SpouseStudyNS   bool `json:"spouse_study_ns"` // 2 years of full-time study in NS
	SpouseWorkNS    bool `json:"spouse_work_ns"`  // 1 year of full-time work in NS
	CloseRelativeNS bool `json:"close_relative_ns"`

	Export         bool `json:"export"`
	OutsideHalifax bool `json:"outside_halifax"`
	Succession     bool `json:"succession"`

	// The stream's minimums beyond the points factors.
	BusinessMonths    int    `json:"business_months"` // owned and actively managed, continuously, before the EOI
	OwnershipPercent  int    `json:"ownership_percent"`
	ValidPGWP         bool   `json:"valid_pgwp"`
	IncomeAtLeastLICO bool   `json:"income_at_least_lico"`
	Started           bool   `json:"started"`              // started the business (else bought it)
	CreatedJob        bool   `json:"created_job"`          // started: 1+ full-time job for a non-relative citizen or PR
	OneOwnerFiveYears bool   `json:"one_owner_five_years"` // bought: one owner for the last 5 years
	KeptStaff         bool   `json:"kept_staff"`           // bought: staff kept on the same terms
	BusinessKind      string `json:"business_kind"`        // "" or a kind from the ineligible lists
	CompellingBenefit bool   `json:"compelling_benefit"`   // for home-based, construction, brokerage
	RefugeeClaimant   bool   `json:"refugee_claimant"`
	Illegal           bool   `json:"illegal"`      // living illegally where they are
	Inadmissible      bool   `json:"inadmissible"` // removal order or inadmissible to Canada
	PassiveInvestor   bool   `json:"passive_investor"`
	NoSettledStatus   bool   `json:"no_settled_status"`
}

// Rule constants (stream page and points matrix; docs/domain.md, "Nova
// Scotia EOI").
const (
	MaxPoints            = 105
	MinCLB               = 7 // first official language, each ability
	SecondLanguageCLB    = 5 // second official language, all four
	MinAge               = 21
	MinBusinessMonths    = 12 // 1 continuous year before the EOI
	LanguageTestMaxYears = 2
	AdaptabilityCap      = 10
	PrioritiesCap        = 10
	// EOIValidityYears: an EOI stays in the pool at most 1 year from the
	// date it is received: a calendar year (Expires).
	EOIValidityYears = 1
)

// Source names the rules this package applies, for the header of every
// output (docs/domain.md, "Nova Scotia EOI").
const Source = "Nova Scotia Office of Immigration and Population Growth, International Graduate Entrepreneur stream page and its EOI points matrix (novascotiaimmigration.com); language results converted with IRCC's language test equivalency charts"

// Factor is the score of one factor of the matrix.
type Factor struct {
	Name        string `json:"factor"`
	Points      int    `json:"points"`
	Min         int    `json:"minimum"` // the factor's minimum points to be eligible (0: none)
	Max         int    `json:"max"`
	MinimumMet  bool   `json:"minimum_met"`
	Explanation string `json:"detail"`
}

// Score is a scored profile. Its JSON form is the body of "eesim ns-eoi
// --profile --json" (docs/json.md).
type Score struct {
	Factors  []Factor `json:"factors"`
	Total    int      `json:"total"`
	Eligible bool     `json:"eligible"`
	// Reasons lists why the profile is ineligible (empty if eligible).
	Reasons []string `json:"reasons"`
	// Warnings are notes that do not make the profile ineligible.
	Warnings []string `json:"warnings"`
}

func clbPoints(clb int) int {
	switch {
	case clb >= 9:
		return 7
	case clb == 8:
		return 6
	case clb == 7:
		return 5
	}
	return 0
}

func agePoints(age int) int {
	switch {
	case age < 21:
		return 0
	case age <= 24:
		return 5
	case age <= 32:
		return 7
	case age <= 39:
		return 10
	case age <= 44:
		return 7
	case age <= 55:
		return 5
	}
	return 0
}

// Validate checks the ranges of a profile (not its eligibility).
func (p Profile) Validate() error {
	if err := validateLanguages(p.FirstLanguage, p.SecondLanguage); err != nil {
		return err
	}
	if td, own := p.LanguageTestDate, p.FirstLanguage.TestDate(); td != nil && own != nil && *td != *own {
		return fmt.Errorf("language_test_date: %s differs from first_language.test_date %s (give one)", *td, *own)
	}
	if _, ok := educationPoints[p.Education]; !ok && p.Education != "" {
		names := make([]string, len(EducationLevels))
		for i, e := range EducationLevels {
			names[i] = string(e)
		}
		return fmt.Errorf("education: %q, want one of %s", p.Education, strings.Join(names, ", "))
	}
	if p.WorkMonths < 0 || p.WorkMonths > 120 {
		return fmt.Errorf("work_months: %d out of range 0-120 (the last 10 years)", p.WorkMonths)
	}
	if p.Age < 0 || p.Age > 120 {
		return fmt.Errorf("age: %d out of range", p.Age)
	}
	if p.OwnershipPercent < 0 || p.OwnershipPercent > 100 {
		return fmt.Errorf("ownership_percent: %d out of range 0-100", p.OwnershipPercent)
	}
	if p.BusinessMonths < 0 {
		return fmt.Errorf("business_months: %d is negative", p.BusinessMonths)
	}
	if _, bad := ineligibleBusiness[p.BusinessKind]; !bad && p.BusinessKind != "" {
		if _, ok := compellingOnly[p.BusinessKind]; !ok && p.BusinessKind != "other" {
			return fmt.Errorf("business_kind: unknown %q (want \"other\", one of %s)", p.BusinessKind, strings.Join(BusinessKinds(), ", "))
		}
	}
	return nil
}

// BusinessKinds lists the business kinds the profile may name.
func BusinessKinds() []string {
	var ks []string
	for k := range ineligibleBusiness {
		ks = append(ks, k)
	}
	for k := range compellingOnly {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Points scores p for an EOI submitted on eoi (used for the age of the
// language test). Points are computed even when the profile is ineligible.
func Points(p Profile, eoi pathway.Date) Score {
	s := Score{Reasons: []string{}, Warnings: []string{}}
	fl, why := firstLanguage(p.FirstLanguage)
	s.Factors, s.Reasons = append(s.Factors, fl), append(s.Reasons, why...)

	sl := Factor{Name: "second official language", Max: 7, MinimumMet: true, Explanation: "CLB 5+ in all four: 7"}
	all5 := p.SecondLanguage.Given()
	for _, c := range p.SecondLanguage.CLB() {
		all5 = all5 && c >= SecondLanguageCLB
	}
	if all5 {
		sl.Points = 7
	} else if p.SecondLanguage.Given() {
		sl.Explanation = fmt.Sprintf("CLB %v, not CLB 5 in all four: 0", p.SecondLanguage.CLB())
	} else {
		sl.Explanation = "none: 0"
	}
	s.Factors = append(s.Factors, sl)

	ed := Factor{Name: "education", Min: 12, Max: 25, Points: educationPoints[p.Education], MinimumMet: p.Education != "", Explanation: string(p.Education)}
	if p.Education == "" {
		ed.Explanation = "no Nova Scotia credential"
		s.Reasons = append(s.Reasons, "education: a degree or diploma of at least 2 years from a Nova Scotia institution is required")
	}
	s.Factors = append(s.Factors, ed)

	wk := Factor{Name: "work experience (NOC 0, A, B; last 10 years)", Max: 15, MinimumMet: true}
	switch {
	case p.WorkMonths > 60:
		wk.Points = 15
	case p.WorkMonths >= 36:
		wk.Points = 10
	}
	wk.Explanation = fmt.Sprintf("%d months", p.WorkMonths)
	s.Factors = append(s.Factors, wk)

	ag := Factor{Name: "age", Min: 0, Max: 10, Points: agePoints(p.Age), MinimumMet: p.Age >= MinAge, Explanation: fmt.Sprintf("%d years", p.Age)}
	if !ag.MinimumMet {
		s.Reasons = append(s.Reasons, fmt.Sprintf("age: %d, must be %d or older", p.Age, MinAge))
	}
	s.Factors = append(s.Factors, ag)

	ad := Factor{Name: "adaptability", Max: AdaptabilityCap, MinimumMet: true}
	var adp []string
	for _, x := range []struct {
		on   bool
		name string
	}{{p.SpouseCLB4, "spouse CLB 4+"}, {p.SpouseStudyNS, "spouse studied 2 years in NS"}, {p.SpouseWorkNS, "spouse worked 1 year in NS"}, {p.CloseRelativeNS, "close relative in NS"}} {
		if x.on {
			ad.Points += 5
			adp = append(adp, x.name)
		}
	}
	if ad.Points > AdaptabilityCap {
		ad.Explanation = fmt.Sprintf("%s: %d, capped at %d", strings.Join(adp, ", "), ad.Points, AdaptabilityCap)
		ad.Points = AdaptabilityCap
	} else {
		ad.Explanation = strings.Join(adp, ", ")
	}
	s.Factors = append(s.Factors, ad)

	ep := Factor{Name: "economic priorities", Max: PrioritiesCap, MinimumMet: true}
	var epp []string
	for _, x := range []struct {
		on   bool
		name string
	}{{p.Export, "export business"}, {p.OutsideHalifax, "outside the Halifax region"}, {p.Succession, "business succession"}} {
		if x.on {
			ep.Points += 5
			epp = append(epp, x.name)
		}
	}
	if ep.Points > PrioritiesCap {
		ep.Explanation = fmt.Sprintf("%s: %d, capped at %d", strings.Join(epp, ", "), ep.Points, PrioritiesCap)
		ep.Points = PrioritiesCap
	} else {
		ep.Explanation = strings.Join(epp, ", ")
	}
	s.Factors = append(s.Factors, ep)

	for _, f := range s.Factors {
		s.Total += f.Points
	}
	s.Reasons = append(s.Reasons, minimums(p, eoi)...)
	s.Eligible = len(s.Reasons) == 0
	s.Warnings = testWarnings(p)
	return s
}

// firstLanguage scores the first official language: 7/6/5 per ability
// at CLB 9+/8/7, each ability at CLB 7 at least.
func firstLanguage(l Language) (Factor, []string) {
	abilities := [4]string{"listening", "reading", "writing", "speaking"}
	fl := Factor{Name: "first official language", Min: 4 * clbPoints(MinCLB), Max: 4 * 7, MinimumMet: true}
	var parts, why []string
	for i, c := range l.CLB() {
		fl.Points += clbPoints(c)
		raw := l.Raw(i)
		if raw != "" {
			raw += " = "
		}
		parts = append(parts, fmt.Sprintf("%s %sCLB %d: %d", abilities[i], raw, c, clbPoints(c)))
		if c < MinCLB {
			fl.MinimumMet = false
			why = append(why, fmt.Sprintf("first official language: %s %sCLB %d is below CLB %d", abilities[i], raw, c, MinCLB))
		}
	}
	fl.Explanation = strings.Join(parts, ", ")
	return fl, why
}

// testWarnings notes results from a test the stream does not name.
func testWarnings(p Profile) []string {
	w := []string{}
	for _, x := range []struct {
		name string
		l    Language
	}{{"first_language", p.FirstLanguage}, {"second_language", p.SecondLanguage}} {
		if x.l.Test != nil && x.l.Test.Test == crs.TCF {
			w = append(w, fmt.Sprintf("%s: TCF Canada is not among the tests the stream names (CELPIP-G, IELTS General Training, TEF Canada); its result is converted with IRCC's chart, but check that Nova Scotia accepts it", x.name))
		}
	}
	return w
}

// minimums returns the reasons outside the points factors.
func minimums(p Profile, eoi pathway.Date) []string {
	var why []string
	add := func(f string, a ...any) { why = append(why, fmt.Sprintf(f, a...)) }
	if p.Education != "" && !p.StudiedFullTimeInNS {
		add("education: the credential must have been studied full time in Nova Scotia")
	}
	td := p.LanguageTestDate
	if own := p.FirstLanguage.TestDate(); own != nil {
		td = own
	}
	switch {
	case td == nil:
		add("language test date not given: the first-language result must be under %d years old on the EOI date", LanguageTestMaxYears)
	case td.AddYears(LanguageTestMaxYears) <= eoi:
		add("language test of %s is %d or more years old on the EOI date %s", *td, LanguageTestMaxYears, eoi)
	case *td > eoi:
		add("language test date %s is after the EOI date %s", *td, eoi)
	}
	if p.BusinessMonths < MinBusinessMonths {
		add("business: owned and actively managed %d months, need %d continuous months before the EOI", p.BusinessMonths, MinBusinessMonths)
	}
	if p.OwnershipPercent != 100 {
		add("business: %d%% ownership, need 100%%", p.OwnershipPercent)
	}
	if !p.ValidPGWP {
		add("a valid post-graduation work permit is required")
	}
	if !p.IncomeAtLeastLICO {
		add("income from the business must be at least the LICO")
	}
	if p.Started && !p.CreatedJob {
		add("a started business must have created at least one full-time job for a citizen or PR who is not a relative")
	}
	if !p.Started {
		if !p.OneOwnerFiveYears {
			add("a bought business must have had one owner for the last 5 years")
		}
		if !p.KeptStaff {
			add("a bought business must keep its staff on the same terms")
		}
	}
	if what, bad := ineligibleBusiness[p.BusinessKind]; bad {
		add("ineligible business: %s", what)
	}
	if what, ok := compellingOnly[p.BusinessKind]; ok && !p.CompellingBenefit {
		add("ineligible business: %s, unless they bring a compelling benefit to Nova Scotia", what)
	}
	for _, x := range []struct {
		on  bool
		msg string
	}{
		{p.RefugeeClaimant, "refugee claimants are not eligible"},
		{p.Illegal, "people living illegally in their country of residence are not eligible"},
		{p.Inadmissible, "people with a removal order or inadmissible to Canada are not eligible"},
		{p.PassiveInvestor, "passive investors are not eligible"},
		{p.NoSettledStatus, "people with no settled status are not eligible"},
	} {
		if x.on {
			add("%s", x.msg)
		}
	}
	return why
}

// Expires returns the instant an EOI received at submitted leaves the pool:
// one calendar year later, at the same time on the same month and day
// ("at most one year from the date received", so a year holding February
// 29 has 366 days). An EOI received on February 29 expires on February 28
// of the next year: a year without that day ends a day early rather than
// spill into March, as pathway.Date.AddYears does (docs/domain.md, "Nova
// Scotia EOI").
func Expires(submitted time.Time) time.Time {
	y, m, d := submitted.Date()
	if m == time.February && d == 29 {
		d = 28
	}
	h, mi, sec := submitted.Clock()
	return time.Date(y+EOIValidityYears, m, d, h, mi, sec, submitted.Nanosecond(), submitted.Location())
}
