package citizenship

import (
	"fmt"
	"sort"
	"strings"

	"github.com/eesim/eesim/pathway"
)

// Rule constants. Source: IRCC, "Citizenship: Who can apply" and
// "Physical presence calculator" (canada.ca, checked 2026); Citizenship Act
// s. 5(1)(c) and 5(1.001), in force 2017-10-11.
const (
	RequiredDays = 1095 // days of physical presence in the eligibility period
	WindowYears  = 5    // the eligibility period: 5 years before signing
	PrePRCap     = 365  // credited pre-PR days at most (730 days at half credit)
)

// PrePRKind is the status held in Canada before permanent residence.
type PrePRKind string

// The statuses whose days count at half credit (Citizenship Act s.
// 5(1.001)). Time under a permit issued while a refugee claim or PRRA was
// pending is not temporary-resident time: leave it out. Protected-person
// time counts from the positive decision to the day before PR.
const (
	TemporaryResident PrePRKind = "temporary"
	ProtectedPerson   PrePRKind = "protected"
)

// PrePRPeriod is a run of days in Canada before PR, both ends included.
type PrePRPeriod struct {
	From pathway.Date `json:"from"`
	To   pathway.Date `json:"to"`
	Kind PrePRKind    `json:"kind"`
}

// Input is a citizenship applicant's history.
type Input struct {
	PRDate pathway.Date `json:"pr_date"`
	// BirthDate is needed for the age-dependent requirements (language and
	// knowledge, fees, police certificates since age 18).
	BirthDate *pathway.Date     `json:"birth_date,omitempty"`
	PrePR     []PrePRPeriod     `json:"pre_pr,omitempty"`
	Absences  []pathway.Absence `json:"absences,omitempty"`
	// Sentences are periods serving a sentence in Canada (prison, probation,
	// parole); they may overlap each other (concurrent terms).
	Sentences []pathway.Period `json:"sentences,omitempty"`
	// TaxYearsFiled lists the tax years for which a return was filed. Nil
	// means unknown; the checklist then lists the years that matter.
	TaxYearsFiled []int `json:"tax_years_filed,omitempty"`
}

// Validate checks the input for an application signed on sign.
func (in Input) Validate(sign pathway.Date) error {
	if in.PRDate > sign {
		return &pathway.InputError{Field: "pr_date", Msg: fmt.Sprintf("%s is after the application date %s: the applicant must already be a permanent resident", in.PRDate, sign)}
	}
	if in.BirthDate != nil && *in.BirthDate > in.PRDate {
		return &pathway.InputError{Field: "birth_date", Msg: fmt.Sprintf("%s is after the PR date %s", *in.BirthDate, in.PRDate)}
	}
	ps := make([]pathway.Period, len(in.PrePR))
	for i, p := range in.PrePR {
		if p.Kind != TemporaryResident && p.Kind != ProtectedPerson {
			return &pathway.InputError{List: "pre_pr", Item: i + 1, Field: "kind", Msg: fmt.Sprintf("%q: want %q or %q", p.Kind, TemporaryResident, ProtectedPerson)}
		}
		if p.To >= in.PRDate {
			return &pathway.InputError{List: "pre_pr", Item: i + 1, Field: "to", Msg: fmt.Sprintf("%s is not before the PR date %s", p.To, in.PRDate)}
		}
		ps[i] = pathway.Period{From: p.From, To: p.To}
	}
	if err := pathway.ValidatePeriods("pre_pr", ps, sign, true); err != nil {
		return err
	}
	if err := pathway.ValidatePeriods("sentences", in.Sentences, sign, false); err != nil {
		return err
	}
	for i, y := range in.TaxYearsFiled {
		if y > sign.Year() {
			return &pathway.InputError{List: "tax_years_filed", Item: i + 1, Field: "year", Msg: fmt.Sprintf("%d is after the application year %d", y, sign.Year())}
		}
	}
	return pathway.ValidateAbsences("absences", in.Absences, sign)
}

// Calc holds one applicant's daily credits; build it with New.
type Calc struct {
	in    Input
	sign  pathway.Date
	first pathway.Date // first day tracked
	last  pathway.Date // last day tracked (projection horizon)
	// Prefix sums over days first..last of pre-PR half days and PR days
	// credited, of absent days and of sentence days.
	prePR, pr, absent, sentence []int32
}

// New validates in and counts the credits for an application on sign.
func New(in Input, sign pathway.Date) (*Calc, error) {
	if err := in.Validate(sign); err != nil {
		return nil, err
	}
	c := &Calc{in: in, sign: sign}
	c.first = sign.WindowStart(WindowYears)
	// Roll up to 5 years past sign: by then the window holds only PR days
	// in Canada, 1,826 or more.
	c.last = sign.AddYears(WindowYears) + 1
	n := int(c.last-c.first) + 1
	status := make([]int8, n) // 0 none, 1 pre-PR, 2 PR
	away := make([]bool, n)
	jail := make([]bool, n)
	idx := func(d pathway.Date) (int, bool) {
		i := int(d - c.first)
		return i, i >= 0 && i < n
	}
	for _, p := range in.PrePR {
		for d := pathway.Max(p.From, c.first); d <= p.To; d++ {
			if i, ok := idx(d); ok {
				status[i] = 1
			}
		}
	}
	for d := pathway.Max(in.PRDate, c.first); d <= c.last; d++ {
		i, _ := idx(d)
		status[i] = 2
	}
	for _, a := range in.Absences {
		f, l, ok := a.AbsentDays(sign)
		if !ok {
			continue
		}
		for d := pathway.Max(f, c.first); d <= l; d++ {
			if i, ok := idx(d); ok {
				away[i] = true
			}
		}
	}
	for _, s := range in.Sentences {
		for d := pathway.Max(s.From, c.first); d <= s.To; d++ {
			if i, ok := idx(d); ok {
				jail[i] = true
			}
		}
	}
	c.prePR = make([]int32, n+1)
	c.pr = make([]int32, n+1)
	c.absent = make([]int32, n+1)
	c.sentence = make([]int32, n+1)
	for i := range n {
		var h, p, a, s int32
		switch {
		case away[i]:
			a = 1
		case jail[i]:
			s = 1
		case status[i] == 1:
			h = 1
		case status[i] == 2:
			p = 1
		}
		c.prePR[i+1] = c.prePR[i] + h
		c.pr[i+1] = c.pr[i] + p
		c.absent[i+1] = c.absent[i] + a
		c.sentence[i+1] = c.sentence[i] + s
	}
	return c, nil
}

// Presence is the count for the eligibility period ending on a date.
type Presence struct {
	Start, End pathway.Date
	// PRDays are days in Canada as a PR; PrePRDays days in Canada before PR
	// in a qualifying status (before halving and the cap).
	PRDays, PrePRDays int
	AbsentDays        int
	SentenceDays      int
	// CreditHalves is the credit in half days: 2*PRDays + min(PrePRDays,
	// 730).
	CreditHalves int
}

// Credit returns the credited days (a multiple of 0.5).
func (p Presence) Credit() float64 { return float64(p.CreditHalves) / 2 }

// Meets reports whether the credit reaches 1,095 days.
func (p Presence) Meets() bool { return p.CreditHalves >= 2*RequiredDays }

// PeriodEnding returns the count for the eligibility period ending on e,
// which must be between sign and the projection horizon (5 years after
// sign); it panics otherwise (programmer misuse). Days after sign are taken
// as days in Canada as a PR.
func (c *Calc) PeriodEnding(e pathway.Date) Presence {
	if e < c.sign || e > c.last {
		panic(fmt.Sprintf("citizenship: period end %s outside %s..%s", e, c.sign, c.last))
	}
	s := e.WindowStart(WindowYears)
	i, j := int(s-c.first), int(e-c.first)+1
	p := Presence{Start: s, End: e,
		PRDays:       int(c.pr[j] - c.pr[i]),
		PrePRDays:    int(c.prePR[j] - c.prePR[i]),
		AbsentDays:   int(c.absent[j] - c.absent[i]),
		SentenceDays: int(c.sentence[j] - c.sentence[i]),
	}
	p.CreditHalves = 2*p.PRDays + min(p.PrePRDays, 2*PrePRCap)
	return p
}

// Series returns the credit of the period ending on each day from sign to
// to (included, at most the horizon), for charts: a projection assuming the
// person stays in Canada.
func (c *Calc) Series(to pathway.Date) []Presence {
	to = pathway.Min(to, c.last)
	out := make([]Presence, 0, int(to-c.sign)+1)
	for e := c.sign; e <= to; e++ {
		out = append(out, c.PeriodEnding(e))
	}
	return out
}

// HistorySeries returns the credit accumulated day by day inside the
// eligibility period ending on sign: for each day of the period, the credit
// from the period's start to that day (the cumulative-credit chart).
func (c *Calc) HistorySeries() []Presence {
	s := c.sign.WindowStart(WindowYears)
	out := make([]Presence, 0, int(c.sign-s)+1)
	i := int(s - c.first)
	for e := s; e <= c.sign; e++ {
		j := int(e-c.first) + 1
		p := Presence{Start: s, End: e,
			PRDays:       int(c.pr[j] - c.pr[i]),
			PrePRDays:    int(c.prePR[j] - c.prePR[i]),
			AbsentDays:   int(c.absent[j] - c.absent[i]),
			SentenceDays: int(c.sentence[j] - c.sentence[i]),
		}
		p.CreditHalves = 2*p.PRDays + min(p.PrePRDays, 2*PrePRCap)
		out = append(out, p)
	}
	return out
}

// Result is the assessment of an application signed on a date.
type Result struct {
	Sign     pathway.Date
	Presence Presence
	Eligible bool
	// EarliestEligible is the first day the test is met if the person stays
	// in Canada from Sign on; nil when already eligible.
	EarliestEligible *pathway.Date
	Checklist        Checklist
	// Warnings are notes on the input (e.g. residency exceptions ignored).
	Warnings []string
}

// Assess computes the result for the Calc's application date.
func (c *Calc) Assess() Result {
	r := Result{Sign: c.sign, Presence: c.PeriodEnding(c.sign)}
	r.Eligible = r.Presence.Meets()
	if !r.Eligible {
		for e := c.sign + 1; e <= c.last; e++ {
			if c.PeriodEnding(e).Meets() {
				r.EarliestEligible = &e
				break
			}
		}
	}
	for i, a := range c.in.Absences {
		if a.Exception != pathway.NoException {
			r.Warnings = append(r.Warnings, fmt.Sprintf("absences[%d]: exception %q applies to the PR residency obligation only; the days count as absent for citizenship", i+1, a.Exception))
		}
	}
	r.Checklist = c.checklist(r.Presence)
	return r
}

// Checklist holds the other requirements with their thresholds.
type Checklist struct {
	// TaxYears are the completed tax years that overlap the eligibility
	// period; TaxFiled those of them declared filed (nil if unknown).
	TaxYears       []int
	TaxFiled       []int
	TaxKnown       bool
	TaxMet         bool
	Age            *int // age on the signing date, if the birth date is known
	LanguageNeeded *bool
	FeeCAD         int // 0 if the age is unknown
	Police         []PoliceCheck
}

// Other requirements. Source: IRCC, "Citizenship: Who can apply" and the
// instruction guide CIT 0002 (canada.ca, checked 2026); fees from
// "Citizenship fees" (adult: 530 processing + 100 right of citizenship).
const (
	TaxYearsRequired   = 3  // of the 5 years, if required to file under the Income Tax Act
	LanguageMinAge     = 18 // language (CLB/NCLC 4 speaking and listening) and
	LanguageMaxAge     = 54 // knowledge test (20 questions, 15 to pass) at ages 18-54 on signing
	LanguageCLB        = 4
	KnowledgeQuestions = 20
	KnowledgePass      = 15
	FeeAdultProcessing = 530
	FeeRightOfCitizen  = 100
	FeeAdult           = FeeAdultProcessing + FeeRightOfCitizen // 630
	FeeMinor           = 100
	PoliceYears        = 4   // police certificates: stays in the 4 years before signing,
	PoliceDays         = 183 // of 183 or more consecutive days, since age 18
	AdultAge           = 18
)

// PoliceCheck is one stay abroad examined under the 183-day rule.
type PoliceCheck struct {
	Absence int // 1-based position in Input.Absences
	Country string
	// Days counts the consecutive days abroad of the stay that fall in the
	// 4 years before signing and on or after the 18th birthday; Total the
	// whole stay.
	Days, Total int
	Needed      bool
	Note        string
}

func (c *Calc) checklist(p Presence) Checklist {
	var ck Checklist
	for y := p.Start.Year(); y < c.sign.Year(); y++ {
		ck.TaxYears = append(ck.TaxYears, y)
	}
	if c.in.TaxYearsFiled != nil {
		ck.TaxKnown = true
		filed := map[int]bool{}
		for _, y := range c.in.TaxYearsFiled {
			filed[y] = true
		}
		for _, y := range ck.TaxYears {
			if filed[y] {
				ck.TaxFiled = append(ck.TaxFiled, y)
			}
		}
		ck.TaxMet = len(ck.TaxFiled) >= TaxYearsRequired
	}
	if c.in.BirthDate != nil {
		age := c.in.BirthDate.AgeOn(c.sign)
		ck.Age = &age
		need := age >= LanguageMinAge && age <= LanguageMaxAge
		ck.LanguageNeeded = &need
		ck.FeeCAD = FeeMinor
		if age >= AdultAge {
			ck.FeeCAD = FeeAdult
		}
	}
	ck.Police = PoliceChecks(c.in.Absences, c.in.BirthDate, c.sign)
	return ck
}

// PoliceChecks applies the 183-day rule to each absence: a police
// certificate is needed from each country, other than Canada, where the
// person spent 183 or more consecutive days, since age 18, in the 4 years
// before signing (IRCC, CIT 0002 instruction guide, "Police certificates").
//
// Convention: the days of a stay are its days absent from Canada
// (pathway's convention: departure and return days are in Canada), and only
// the days inside the 4-year window ending on the signing date and on or
// after the 18th birthday count. A 183-day stay that began before the window
// or before age 18 is thus not enough on its own; the check says so in its
// Note, since IRCC may still ask for a certificate. A nil birth date counts
// every day (as if an adult throughout).
func PoliceChecks(abs []pathway.Absence, birth *pathway.Date, sign pathway.Date) []PoliceCheck {
	from := sign.WindowStart(PoliceYears)
	if birth != nil {
		from = pathway.Max(from, birth.AddYears(AdultAge))
	}
	var out []PoliceCheck
	for i, a := range abs {
		f, l, ok := a.AbsentDays(sign)
		if !ok || l < sign.WindowStart(PoliceYears) {
			continue
		}
		total := int(l-f) + 1
		inside := 0
		if l >= from {
			inside = int(l-pathway.Max(f, from)) + 1
		}
		pc := PoliceCheck{Absence: i + 1, Country: a.Country, Days: inside, Total: total, Needed: inside >= PoliceDays}
		if !pc.Needed && total >= PoliceDays {
			var why []string
			if f < sign.WindowStart(PoliceYears) {
				why = append(why, "began before the 4-year window")
			}
			if birth != nil && f < birth.AddYears(AdultAge) {
				why = append(why, "began before age 18")
			}
			pc.Note = fmt.Sprintf("stay of %d days %s; %d days count; IRCC may still ask for a certificate", total, strings.Join(why, " and "), inside)
		}
		if pc.Total >= PoliceDays || pc.Needed {
			out = append(out, pc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Absence < out[j].Absence })
	return out
}
