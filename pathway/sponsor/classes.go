package sponsor

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eesim/eesim/pathway"
)

// Source names the rules this package applies, for the header of every
// output (docs/domain.md, "Sponsorship").
const Source = "IRPR s. 117 (family class; s. 117(9) partner bars), s. 130 (sponsors), s. 132 (undertakings), s. 133-134 (income); IRCC, \"Sponsor your parents and grandparents\" and \"Sponsor your spouse, partner or children\" (canada.ca); MNI and LICO tables of the sponsorship guide (IMM 5768)"

// Class is the relationship of the sponsored person to the sponsor.
type Class string

// Sponsorship classes (IRPR s. 117).
const (
	Parent           Class = "parent"
	Grandparent      Class = "grandparent"
	Spouse           Class = "spouse" // spouse, common-law or conjugal partner
	DependentChild   Class = "dependent-child"
	AdoptedChild     Class = "adopted-child"
	OrphanedRelative Class = "orphaned-relative" // brother, sister, nephew, niece or grandchild
	OtherRelative    Class = "other-relative"
)

// Classes lists every class, for messages and help.
var Classes = []Class{Parent, Grandparent, Spouse, DependentChild, AdoptedChild, OrphanedRelative, OtherRelative}

// ParseClass reads a class name.
func ParseClass(s string) (Class, error) {
	for _, c := range Classes {
		if string(c) == s {
			return c, nil
		}
	}
	names := make([]string, len(Classes))
	for i, c := range Classes {
		names[i] = string(c)
	}
	return "", fmt.Errorf("unknown class %q (want one of %s)", s, strings.Join(names, ", "))
}

// PGP reports whether c is the parents and grandparents program.
func (c Class) PGP() bool { return c == Parent || c == Grandparent }

// HasIncomeTest reports whether class c has an income test, and so needs
// the family size: parents and grandparents (the MNI), orphaned and other
// relatives (the LICO), and the other classes only when childWithChild,
// the application including a dependent child who has a dependent child of
// their own (IRPR s. 133(4)). It agrees with the basis Income picks.
func HasIncomeTest(c Class, childWithChild bool) bool {
	return c.PGP() || c == OrphanedRelative || c == OtherRelative || childWithChild
}

// Income runs the income test for class c, a family size and the sponsor's
// income by tax year. childWithChild is true when the application includes
// a dependent child who has a dependent child of their own.
//
//   - PGP: the MNI in each of the 3 tax years ending in lastYear
//     (IRPR s. 133(1)(j)(i); docs/domain.md, "Sponsorship").
//   - Spouse, dependent or adopted child: no test unless childWithChild,
//     then LICO on lastYear (IRPR s. 133(4); IRCC, "Sponsor your spouse,
//     partner or children").
//   - Orphaned or other relative: LICO on lastYear, the most recent year.
//
// Each year names the table it applied. A missing income for a year the
// test needs, or a year with no table, is an error (ErrNoTable lists the
// known years).
func Income(c Class, size int, income map[int]int, lastYear int, childWithChild bool) (IncomeTest, error) {
	t := IncomeTest{Size: size, Years: []YearCheck{}}
	var years []int
	switch {
	case c.PGP():
		t.Basis = "MNI"
		t.Source = fmt.Sprintf("IRPR s. 133(1)(j)(i): the Minimum Necessary Income (LICO + 30%%) in each of the %d tax years before the application", PGPTaxYears)
		for y := lastYear - PGPTaxYears + 1; y <= lastYear; y++ {
			years = append(years, y)
		}
	case (c == Spouse || c == DependentChild || c == AdoptedChild) && !childWithChild:
		t.Basis, t.Met = "none", true
		t.Source = "IRPR s. 133(4): no income test for a spouse, partner or child"
		t.Note = "no income test: no dependent child with a dependent child of their own"
		return t, nil
	case c == Spouse || c == DependentChild || c == AdoptedChild:
		t.Basis = "LICO"
		t.Source = "IRPR s. 133(4): the LICO, most recent tax year, when a dependent child has a dependent child of their own"
		years = []int{lastYear}
	default:
		t.Basis = "LICO"
		t.Source = "IRPR s. 133(1)(j)(i): the LICO, most recent tax year"
		years = []int{lastYear}
	}
	t.Met = true
	for _, y := range years {
		yc, err := incomeYear(t.Basis, y, size, income, years)
		if err != nil {
			return t, err
		}
		t.Met = t.Met && yc.Met
		t.Years = append(t.Years, yc)
	}
	return t, nil
}

// incomeYear tests the income of tax year y against the basis's table.
func incomeYear(basis string, y, size int, income map[int]int, years []int) (YearCheck, error) {
	yc := YearCheck{Year: y}
	var err error
	if basis == "MNI" {
		yc.Table = MNITable(y)
		yc.Required, err = MNI(y, size)
	} else {
		yc.Table = LICOTable(y)
		yc.Required, err = LICO(y, size)
	}
	if err != nil {
		return yc, err
	}
	inc, ok := income[y]
	if !ok {
		return yc, fmt.Errorf("income: tax year %d missing (the %s test needs %v)", y, basis, years)
	}
	if inc < 0 {
		return yc, fmt.Errorf("income: tax year %d: %d is negative", y, inc)
	}
	yc.Income, yc.Met = inc, inc >= yc.Required
	if !yc.Met {
		yc.Short = yc.Required - inc
	}
	return yc, nil
}

// Term is the length of an undertaking: Years, or until the sponsored
// person reaches ToAge if that comes first (ToAge 0: no age limit).
type Term struct {
	Years int    `json:"years"`
	ToAge int    `json:"to_age,omitempty"`
	Rule  string `json:"rule"`
}

// End returns the last day of the undertaking, which starts on start (the
// day the person becomes a PR): start + Years, or the day before the ToAge
// birthday if earlier. birth is needed when ToAge > 0.
func (t Term) End(start pathway.Date, birth *pathway.Date) pathway.Date {
	end := start.AddYears(t.Years) - 1
	if t.ToAge > 0 && birth != nil {
		end = pathway.Min(end, birth.AddYears(t.ToAge)-1)
	}
	return end
}

// Undertaking returns the length of the undertaking for class c and the
// sponsored person's age, in whole years, when they become a PR. Sources:
// IRPR s. 132 and IRCC, "Sponsor your spouse, partner or children" and
// "Sponsor your parents and grandparents" (outside Quebec).
func Undertaking(c Class, age int) Term {
	switch c {
	case Parent, Grandparent:
		return Term{Years: 20, Rule: "parents and grandparents, IRPR s. 132"}
	case Spouse:
		return Term{Years: 3, Rule: "spouse or partner, IRPR s. 132"}
	case DependentChild:
		if age < 22 {
			// IRCC: "10 years, or until the child turns 25, whichever
			// comes first". The shorter summary "10 years if under 10, to
			// age 25 if 10-22" agrees except for ages 10-14, where IRCC's
			// "whichever comes first" caps it at 10 years. We follow IRCC
			// (docs/domain.md, "Sponsorship").
			return Term{Years: min(10, 25-age), ToAge: 25, Rule: "10 years or until age 25, whichever comes first, IRPR s. 132"}
		}
		return Term{Years: 3, Rule: "a dependent child 22 or older, IRPR s. 132"}
	case AdoptedChild:
		return Term{Years: min(10, 25-age), ToAge: 25, Rule: "10 years or until age 25, whichever comes first"}
	case OrphanedRelative, OtherRelative:
		return Term{Years: 10, Rule: "other relatives, IRPR s. 132"}
	}
	panic(fmt.Sprintf("sponsor: unknown class %q", c))
}

// Sponsor describes the sponsor for the eligibility checks (IRPR s. 130
// and 133; docs/domain.md, "Sponsorship").
type Sponsor struct {
	Age    int    `json:"age"`
	Status string `json:"status"` // "citizen" or "pr"
	// LivesInCanada; a citizen abroad may sponsor a spouse or child if they
	// will return to Canada when the sponsored person becomes a PR.
	LivesInCanada    bool `json:"lives_in_canada"`
	WillReturn       bool `json:"will_return"`
	RemovalOrder     bool `json:"removal_order"`
	InPrison         bool `json:"in_prison"`
	ViolentOffence   bool `json:"violent_offence"` // violent or sexual offence, or one against a relative
	Bankrupt         bool `json:"undischarged_bankruptcy"`
	SocialAssistance bool `json:"social_assistance"` // other than for a disability
	Defaults         bool `json:"defaults"`          // unpaid support, immigration loan or defaulted undertaking
	// The partner time bars, as flags (the dates below are better: they
	// give the day the bar ends).
	SponsoredPartnerIn3   bool `json:"sponsored_partner_last_3_years"`
	SponsoredAsPartnerIn5 bool `json:"sponsored_as_partner_last_5_years"`
	// PreviousPartnerPR is the day a spouse or partner the sponsor
	// sponsored earlier became a PR; PRAsPartner the day the sponsor
	// became a PR after being sponsored as a spouse or partner.
	PreviousPartnerPR *pathway.Date `json:"previous_partner_pr_date,omitempty"`
	PRAsPartner       *pathway.Date `json:"pr_as_partner_date,omitempty"`
	// HasSponsorableRelative: for "other relative", the sponsor has a living
	// relative who could be sponsored, or one who is a citizen or PR.
	HasSponsorableRelative bool `json:"has_sponsorable_relative"`
}

// Sponsored describes the person sponsored.
type Sponsored struct {
	Class Class `json:"class"`
	// Age at the application (for a child's undertaking: at landing); nil
	// when not given.
	Age                   *int `json:"age,omitempty"`
	Married               bool `json:"married"`
	DependentForCondition bool `json:"dependent_for_condition"` // physical or mental condition
	BothParentsDead       bool `json:"both_parents_dead"`
	HasDependentChild     bool `json:"has_dependent_child"` // a dependent child of their own
	// NotExamined: a non-accompanying family member of the sponsor who was
	// not examined when the sponsor immigrated (IRPR s. 117(9)(d)).
	NotExamined bool `json:"not_examined_when_sponsor_immigrated"`
	// Spouse class: the kind of partner ("spouse", "common-law",
	// "conjugal"), the months of the relationship (common-law: living
	// together without a break; conjugal: in the relationship), and the
	// facts behind the bars of IRPR s. 117(9)(c) and s. 4(1) (nil: not
	// given, and not assessed).
	Partner          string `json:"partner,omitempty"`
	TogetherMonths   *int   `json:"together_months,omitempty"`
	MarriedToAnother *bool  `json:"married_to_another_at_marriage,omitempty"`
	SeparatedOther   *bool  `json:"separated_with_other_partner,omitempty"`
	NotGenuine       *bool  `json:"relationship_not_genuine,omitempty"`
}

// Check returns the reasons the sponsorship is not allowed, sorted; none
// means every check passed. on is the day of the application, for the
// partner time bars (PartnerBars).
func Check(s Sponsor, p Sponsored, on pathway.Date) []string {
	var why []string
	add := func(f string, a ...any) { why = append(why, fmt.Sprintf(f, a...)) }
	if s.Age < 18 {
		add("sponsor is %d: must be 18 or older", s.Age)
	}
	switch s.Status {
	case "citizen", "pr":
	default:
		add("sponsor status %q: must be a citizen or a permanent resident", s.Status)
	}
	if !s.LivesInCanada {
		if s.Status == "citizen" && (p.Class == Spouse || p.Class == DependentChild || p.Class == AdoptedChild) && s.WillReturn {
			// allowed: a citizen returning with a sponsored spouse or child
		} else {
			add("sponsor must live in Canada (a citizen abroad may sponsor only a spouse, partner or child, and must return)")
		}
	}
	for _, c := range []struct {
		bad bool
		msg string
	}{
		{s.RemovalOrder, "sponsor is under a removal order"},
		{s.InPrison, "sponsor is in prison"},
		{s.ViolentOffence, "sponsor was convicted of a violent or sexual offence, or one against a relative"},
		{s.Bankrupt, "sponsor is an undischarged bankrupt"},
		{s.SocialAssistance, "sponsor receives social assistance other than for a disability"},
		{s.Defaults, "sponsor has unpaid support, an unpaid immigration loan or a defaulted undertaking"},
		{p.NotExamined, "the sponsored person was a non-accompanying family member not examined when the sponsor immigrated (IRPR s. 117(9)(d))"},
	} {
		if c.bad {
			add("%s", c.msg)
		}
	}
	why = append(why, classChecks(s, p, on)...)
	sort.Strings(why)
	return why
}

// classChecks returns the reasons that depend on the class.
func classChecks(s Sponsor, p Sponsored, on pathway.Date) []string {
	var why []string
	age := -1
	if p.Age != nil {
		age = *p.Age
	}
	switch p.Class {
	case Spouse:
		for _, b := range PartnerBars(s, p, on) {
			if b.Bars {
				why = append(why, b.Reason())
			}
		}
	case DependentChild:
		if (age >= 22 || p.Married) && !p.DependentForCondition {
			why = append(why, "a dependent child must be under 22 and not married, unless dependent for a physical or mental condition")
		}
	case AdoptedChild:
		if age >= 18 {
			why = append(why, "an adopted child must be under 18")
		}
	case OrphanedRelative:
		if age >= 18 || p.Married || !p.BothParentsDead {
			why = append(why, "an orphaned brother, sister, nephew, niece or grandchild must be under 18, unmarried, with both parents dead")
		}
	case OtherRelative:
		if s.HasSponsorableRelative {
			why = append(why, "another relative may be sponsored only if the sponsor has no relative who could be sponsored and none who is a citizen or PR")
		}
	}
	return why
}
