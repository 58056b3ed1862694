package citizenship

import (
	"encoding/json"
	"fmt"

	"github.com/eesim/eesim/pathway"
)

// Rule constants. Source: IRCC, "Citizenship: Who can apply" and
// "Physical presence calculator" (canada.ca, checked 2026); Citizenship Act
// s. 5(1)(c) and 5(1.001), in force 2017-10-11.
const (
	RequiredDays = 1095 // days of physical presence in the eligibility period
	WindowYears  = 5    // the eligibility period: the 5 years immediately before the date of application
	PrePRCap     = 365  // credited pre-PR days at most (730 days at half credit)
)

// Source names the rules this package applies, for the header of every
// output (docs/domain.md, "Citizenship").
const Source = "Citizenship Act s. 5(1)(c) (1,095 days in the 5 years immediately before the date of application), s. 5(1.001) (days before PR count half, at most 365), s. 5(1.01)-(1.02) (Crown service abroad); IRCC, \"Citizenship: Who can apply\", the physical presence calculator and the instruction guide CIT 0002 (canada.ca)"

// Credits reports whether days abroad for reason r count as days in Canada
// for the physical presence test: employment outside Canada in or with the
// Canadian Armed Forces, the federal public administration or the public
// service of a province (not as a locally engaged person), and living
// abroad with a spouse, partner or parent so employed (Citizenship Act s.
// 5(1.01) and (1.02)). eesim credits them from the PR date on (s.
// 5(1.02) speaks of a permanent resident); the residency obligation's
// other reasons do not count here.
func Credits(r pathway.Reason) bool {
	switch r {
	case pathway.PublicService, pathway.ArmedForces, pathway.AccompanyingCrownServant:
		return true
	}
	return false
}

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
	BirthDate *pathway.Date `json:"birth_date,omitempty"`
	PrePR     []PrePRPeriod `json:"pre_pr,omitempty"`
	// Absences are the stays outside Canada; a stay abroad before first
	// coming to Canada (the home country before landing) may be listed too,
	// for the police certificates.
	Absences []pathway.Absence `json:"absences,omitempty"`
	// Sentences are periods serving a sentence in Canada (prison, probation,
	// parole); they may overlap each other (concurrent terms).
	Sentences []pathway.Period `json:"sentences,omitempty"`
	// TaxYearsFiled lists the tax years for which a return was filed. Nil
	// means unknown; the checklist then lists the years that matter.
	TaxYearsFiled []int `json:"tax_years_filed,omitempty"`
	// PRPoliceCertificates lists the countries whose police certificate
	// was given with the application for permanent residence.
	PRPoliceCertificates []string `json:"pr_police_certificates,omitempty"`
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
	for i, c := range in.PRPoliceCertificates {
		if c == "" {
			return &pathway.InputError{List: "pr_police_certificates", Item: i + 1, Field: "country", Msg: "empty"}
		}
	}
	if err := pathway.ValidateAbsences("absences", in.Absences); err != nil {
		return err
	}
	return pathway.NotAfter("absences", in.Absences, sign)
}

// DayKind is how one day counts.
type DayKind int8

// The kinds of day, in the order of precedence: a day abroad is abroad
// even within a pre-PR period or a sentence.
const (
	None     DayKind = iota // before PR, outside a declared pre-PR period: 0
	PrePRDay                // in Canada before PR in a qualifying status: 1/2
	PRDay                   // in Canada as a PR: 1
	CrownDay                // abroad as a PR in Crown service (Credits): 1
	Abroad                  // outside Canada: 0
	Sentence                // serving a sentence in Canada: 0
)

var dayKindNames = [...]string{"none", "pre-pr", "pr", "crown-service", "abroad", "sentence"}

// String returns the kind's name as in citizenship_credit.csv.
func (k DayKind) String() string { return dayKindNames[k] }

// Calc holds one applicant's daily credits; build it with New.
type Calc struct {
	in          Input
	sign        pathway.Date
	start, end  pathway.Date // the eligibility period of the application signed on sign
	first, last pathway.Date // days tracked: history windows to the projection horizon
	kind        []DayKind
	// Prefix sums over days first..last of each kind.
	sums     [6][]int32
	warnings []string
}

// New validates in and counts the credits for an application signed on
// sign. The eligibility period is the 5 years immediately before sign: the
// 5-year window ending the day before (pathway's windows), so the signing
// day itself does not count (Citizenship Act s. 5(1)(c); CIT 0002: the
// applicant must be eligible on the day before signing).
func New(in Input, sign pathway.Date) (*Calc, error) {
	if err := in.Validate(sign); err != nil {
		return nil, err
	}
	c := &Calc{in: in, sign: sign, end: sign - 1}
	c.start = c.end.WindowStart(WindowYears)
	// Track 5 more years before the period, for the windows of the days in
	// it (Timeline), and 5 years after sign: by then the window holds only
	// PR days in Canada, 1,826 or more.
	c.first = c.start.AddYears(-WindowYears) - 2
	c.last = sign.AddYears(WindowYears) + 1
	n := int(c.last-c.first) + 1
	c.kind = make([]DayKind, n)
	c.mark()
	for k := range c.sums {
		c.sums[k] = make([]int32, n+1)
	}
	for i := range n {
		for k := range c.sums {
			c.sums[k][i+1] = c.sums[k][i]
		}
		c.sums[c.kind[i]][i+1]++
	}
	c.warnings = reasonWarnings(in)
	return c, nil
}

// mark sets the kind of each day tracked; later kinds win (DayKind).
func (c *Calc) mark() {
	set := func(from, to pathway.Date, k DayKind) {
		for d := pathway.Max(from, c.first); d <= pathway.Min(to, c.last); d++ {
			c.kind[d-c.first] = k
		}
	}
	for _, p := range c.in.PrePR {
		set(p.From, p.To, PrePRDay)
	}
	set(c.in.PRDate, c.last, PRDay)
	for _, s := range c.in.Sentences {
		set(s.From, s.To, Sentence)
	}
	for _, a := range c.in.Absences {
		f, l, ok := a.AbsentDays(c.sign)
		if !ok {
			continue
		}
		if Credits(a.Reason) && l >= c.in.PRDate {
			set(f, pathway.Min(l, c.in.PRDate-1), Abroad)
			set(pathway.Max(f, c.in.PRDate), l, CrownDay)
			continue
		}
		set(f, l, Abroad)
	}
}

// reasonWarnings notes the absences whose reason the test does not credit.
func reasonWarnings(in Input) []string {
	var w []string
	for i, a := range in.Absences {
		switch {
		case a.Reason == pathway.NoReason:
		case !Credits(a.Reason):
			msg := fmt.Sprintf("absences[%d]: reason %q applies to the PR residency obligation only (IRPA s. 28(2)(a)); the days count as absent for citizenship", i+1, a.Reason)
			if a.Reason == pathway.CanadianEmployer {
				msg += " (give public-service if the employer was the federal public administration or a provincial public service)"
			}
			w = append(w, msg)
		case a.Depart+1 < in.PRDate:
			w = append(w, fmt.Sprintf("absences[%d]: reason %q: the days before the PR date %s count as absent (eesim credits Crown service abroad from the PR date on)", i+1, a.Reason, in.PRDate))
		}
	}
	return w
}

// Presence is the count for an eligibility period.
type Presence struct {
	Start, End pathway.Date
	// PRDays are days in Canada as a PR; CrownDays days abroad as a PR in
	// Crown service, which count the same; PrePRDays days in Canada before
	// PR in a qualifying status (before halving and the cap).
	PRDays, CrownDays, PrePRDays int
	AbsentDays                   int
	SentenceDays                 int
	// CreditHalves is the credit in half days: 2*(PRDays+CrownDays) +
	// min(PrePRDays, 730).
	CreditHalves int
}

// Days returns the length of the period.
func (p Presence) Days() int { return int(p.End-p.Start) + 1 }

// PrePRHalves returns the credit of the pre-PR days in half days, after
// the cap.
func (p Presence) PrePRHalves() int { return min(p.PrePRDays, 2*PrePRCap) }

// Credit returns the credited days (a multiple of 0.5).
func (p Presence) Credit() float64 { return float64(p.CreditHalves) / 2 }

// Meets reports whether the credit reaches 1,095 days.
func (p Presence) Meets() bool { return p.CreditHalves >= 2*RequiredDays }

// MarshalJSON writes the counts and the credit in days.
func (p Presence) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start         pathway.Date `json:"start"`
		End           pathway.Date `json:"end"`
		Days          int          `json:"days"`
		PRDays        int          `json:"pr_days"`
		CrownDays     int          `json:"crown_service_days"`
		PrePRDays     int          `json:"pre_pr_days"`
		PrePRCredited float64      `json:"pre_pr_credited"`
		AbsentDays    int          `json:"absent_days"`
		SentenceDays  int          `json:"sentence_days"`
		Credited      float64      `json:"credited"`
	}{p.Start, p.End, p.Days(), p.PRDays, p.CrownDays, p.PrePRDays, float64(p.PrePRHalves()) / 2, p.AbsentDays, p.SentenceDays, p.Credit()})
}

// count returns the presence over days from..to, both tracked, with the
// pre-PR cap applied to the whole run.
func (c *Calc) count(from, to pathway.Date) Presence {
	i, j := int(from-c.first), int(to-c.first)+1
	n := func(k DayKind) int { return int(c.sums[k][j] - c.sums[k][i]) }
	p := Presence{Start: from, End: to, PRDays: n(PRDay), CrownDays: n(CrownDay), PrePRDays: n(PrePRDay), AbsentDays: n(Abroad), SentenceDays: n(Sentence)}
	p.CreditHalves = 2*(p.PRDays+p.CrownDays) + p.PrePRHalves()
	return p
}

// PeriodFor returns the count for an application signed on s: the 5
// years immediately before s. s must be between the first day of the
// assessed period and the projection horizon (5 years after the assessed
// signing date); it panics otherwise (programmer misuse). Days after the
// assessed signing date are taken as days in Canada as a PR.
func (c *Calc) PeriodFor(s pathway.Date) Presence {
	if s < c.start || s-1 > c.last {
		panic(fmt.Sprintf("citizenship: signing date %s outside %s..%s", s, c.start, c.last+1))
	}
	e := s - 1
	return c.count(e.WindowStart(WindowYears), e)
}

// Day is one day of the timeline of citizenship_credit.csv.
type Day struct {
	Date pathway.Date
	Kind DayKind // how the day itself counts (after Sign: assumed PR in Canada)
	// Running is the credit from the start of the assessed period to Date,
	// for the days of that period; nil otherwise.
	Running *Presence
	// Window is the period of an application signed on Date.
	Window    Presence
	Projected bool // Date is after the assessed signing date
}

// Timeline returns one Day per day from the start of the assessed period
// to to (at most the projection horizon).
func (c *Calc) Timeline(to pathway.Date) []Day {
	to = pathway.Min(to, c.last+1)
	out := make([]Day, 0, int(to-c.start)+1)
	for d := c.start; d <= to; d++ {
		day := Day{Date: d, Kind: c.kind[d-c.first], Window: c.PeriodFor(d), Projected: d > c.sign}
		if d <= c.end {
			r := c.count(c.start, d)
			day.Running = &r
		}
		out = append(out, day)
	}
	return out
}

// Result is the assessment of an application signed on a date. Its JSON
// form is the body of "eesim citizenship --json" (docs/json.md).
type Result struct {
	PRDate   pathway.Date `json:"pr_date"`
	Sign     pathway.Date `json:"sign"`
	Presence Presence     `json:"period"`
	Eligible bool         `json:"meets"`
	// Spare and Short are the days above and below 1,095 (multiples of
	// 0.5); one of them is 0.
	Spare float64 `json:"spare_days"`
	Short float64 `json:"short_days"`
	// EarliestEligible is the first signing date on which the test is met
	// if the person stays in Canada from Sign on; nil when already met.
	EarliestEligible *pathway.Date `json:"earliest_sign_date"`
	Checklist        Checklist     `json:"other_requirements"`
	// Warnings are notes on the input (e.g. a reason not credited here).
	Warnings []string `json:"warnings"`
}

// Assess computes the result for the Calc's application date.
func (c *Calc) Assess() Result {
	r := Result{PRDate: c.in.PRDate, Sign: c.sign, Presence: c.PeriodFor(c.sign), Warnings: append([]string{}, c.warnings...)}
	r.Eligible = r.Presence.Meets()
	diff := float64(r.Presence.CreditHalves-2*RequiredDays) / 2
	if r.Eligible {
		r.Spare = diff
	} else {
		r.Short = -diff
		// The credit never falls as the period rolls on (package doc,
		// step 5): the first signing date that meets is the answer.
		for s := c.sign + 1; s-1 <= c.last; s++ {
			if c.PeriodFor(s).Meets() {
				r.EarliestEligible = &s
				break
			}
		}
	}
	r.Checklist = c.checklist(r.Presence)
	return r
}
