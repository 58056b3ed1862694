package residency

import (
	"encoding/json"
	"fmt"

	"github.com/eesim/eesim/pathway"
)

// Rule constants: IRPA s. 28(2)(a) and (b), "Understand permanent resident
// status" (IRCC, canada.ca, checked 2026).
const (
	RequiredDays = 730 // days of physical presence in every 5-year period
	WindowYears  = 5
)

// Source names the rules this package applies, for the header of every
// output (docs/domain.md, "Residency obligation").
const Source = "IRPA s. 28(1)-(2) (730 days in every 5 years; days abroad that count: s. 28(2)(a)(ii)-(iv)), IRPR s. 61; IRCC, \"Understand permanent resident status\" (canada.ca); day counting as IRCC's physical presence calculator"

// Credits reports whether days abroad for reason r count as days in Canada
// for the residency obligation: accompanying a citizen spouse, partner or
// parent (IRPA s. 28(2)(a)(ii)); full-time work abroad for a Canadian
// business or the federal or a provincial public service (s.
// 28(2)(a)(iii), IRPR s. 61(3)); accompanying a PR so employed (s.
// 28(2)(a)(iv)). Service with the Canadian Armed Forces, and accompanying
// a Crown servant, are citizenship reasons (Citizenship Act s. 5(1.01),
// (1.02)) that s. 28 does not name: they count as absent here.
func Credits(r pathway.Reason) bool {
	switch r {
	case pathway.CitizenSpouse, pathway.CanadianEmployer, pathway.AccompanyingEmployedPR, pathway.PublicService:
		return true
	}
	return false
}

// Input is a permanent resident's landing date and travel history.
type Input struct {
	Landing  pathway.Date      `json:"landing"`
	Absences []pathway.Absence `json:"absences"`
}

// Validate checks the input for an assessment on asOf: landing not after
// asOf, no absence before landing, no return before its departure, no
// overlap. Travel after asOf is allowed: the history may be a record kept
// up to a later day (see Clip).
func (in Input) Validate(asOf pathway.Date) error {
	if in.Landing > asOf {
		return &pathway.InputError{Field: "landing", Msg: fmt.Sprintf("%s is after the assessment date %s", in.Landing, asOf)}
	}
	for i, a := range in.Absences {
		if a.Depart < in.Landing {
			return &pathway.InputError{List: "absences", Item: i + 1, Field: "from", Msg: fmt.Sprintf("%s is before landing %s (list only absences as a permanent resident)", a.Depart, in.Landing)}
		}
	}
	return pathway.ValidateAbsences("absences", in.Absences)
}

// Clipped is an absence the assessment date cuts.
type Clipped struct {
	Absence int `json:"absence"` // 1-based position in Input.Absences
	// Ignored: it departs after the assessment date and is not counted;
	// otherwise it returns after it, and the person counts as still abroad
	// on the assessment date.
	Ignored bool   `json:"ignored"`
	Note    string `json:"note"`
}

// Clip returns the travel history as known on asOf: absences that depart
// after asOf are left out, and one that returns after asOf is still under
// way (no return). The list says which absences were cut.
func Clip(abs []pathway.Absence, asOf pathway.Date) ([]pathway.Absence, []Clipped) {
	var out []pathway.Absence
	var cut []Clipped
	for i, a := range abs {
		switch {
		case a.Depart > asOf:
			cut = append(cut, Clipped{Absence: i + 1, Ignored: true, Note: fmt.Sprintf("absence %d (%s) departs after %s: not counted", i+1, a.Span(), asOf)})
		case a.Return != nil && *a.Return > asOf:
			cut = append(cut, Clipped{Absence: i + 1, Note: fmt.Sprintf("absence %d (%s) returns after %s: still abroad that day", i+1, a.Span(), asOf)})
			a.Return = nil
			out = append(out, a)
		default:
			out = append(out, a)
		}
	}
	return out, cut
}

// Window is the count of credited days in a window.
type Window struct {
	Start, End pathway.Date
	Credited   int // days in Canada or abroad for a credited reason
	Excepted   int // of which days abroad for a credited reason
	Full       bool
}

// Days returns the number of days in the window.
func (w Window) Days() int { return int(w.End-w.Start) + 1 }

// MarshalJSON writes the window with its length: {"start", "end", "days",
// "credited", "excepted", "full"} ("full": a whole 5-year window, not the
// time since landing).
func (w Window) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start    pathway.Date `json:"start"`
		End      pathway.Date `json:"end"`
		Days     int          `json:"days"`
		Credited int          `json:"credited"`
		Excepted int          `json:"excepted"`
		Full     bool         `json:"full"`
	}{w.Start, w.End, w.Days(), w.Credited, w.Excepted, w.Full})
}

// Calc holds the credited days of one person; build it with New.
type Calc struct {
	landing, asOf pathway.Date
	deadline      pathway.Date // day before the 5th anniversary of landing
	// credit and excepted are indexed by day - landing, up to horizon; the
	// days after asOf are abroad (the leave-for-good projection).
	credit, prefix, excPrefix []int32
	horizon                   pathway.Date
	clipped                   []Clipped
	warnings                  []string
}

// New validates the input and counts the credited days up to asOf, with
// the travel history as known on asOf (Clip).
func New(in Input, asOf pathway.Date) (*Calc, error) {
	if err := in.Validate(asOf); err != nil {
		return nil, err
	}
	c := &Calc{landing: in.Landing, asOf: asOf, deadline: in.Landing.AddYears(WindowYears) - 1}
	// Project far enough that any windows containing a present day have
	// rolled past: 5 years and a few days after the later of asOf and the
	// deadline.
	c.horizon = pathway.Max(asOf, c.deadline).AddYears(WindowYears) + 2
	n := int(c.horizon-c.landing) + 1
	credit := make([]int32, n)
	exc := make([]int32, n)
	for i := 0; i <= int(asOf-c.landing); i++ {
		credit[i] = 1
	}
	var abs []pathway.Absence
	abs, c.clipped = Clip(in.Absences, asOf)
	for i, a := range in.Absences {
		if a.Reason != pathway.NoReason && !Credits(a.Reason) {
			c.warnings = append(c.warnings, fmt.Sprintf("absences[%d]: reason %q is a citizenship rule (Citizenship Act s. 5(1.01)-(1.02)) that IRPA s. 28(2)(a) does not name: the days count as absent (give citizen-spouse when accompanying a citizen, canadian-employer or public-service for a Canadian employer, accompanying-employed-pr when accompanying a PR so employed)", i+1, a.Reason))
		}
	}
	for _, a := range abs {
		first, last, ok := a.AbsentDays(asOf)
		if !ok {
			continue
		}
		for d := first; d <= last; d++ {
			i := int(d - c.landing)
			if Credits(a.Reason) {
				exc[i] = 1
			} else {
				credit[i] = 0
			}
		}
	}
	c.credit = credit
	c.prefix = make([]int32, n+1)
	c.excPrefix = make([]int32, n+1)
	for i := range n {
		c.prefix[i+1] = c.prefix[i] + credit[i]
		c.excPrefix[i+1] = c.excPrefix[i] + exc[i]
	}
	return c, nil
}

// Landing returns the landing date.
func (c *Calc) Landing() pathway.Date { return c.landing }

// AsOf returns the assessment date.
func (c *Calc) AsOf() pathway.Date { return c.asOf }

// Deadline returns the day before the 5th anniversary of landing: the end of
// the first 5-year period, by which 730 days must have been reached.
func (c *Calc) Deadline() pathway.Date { return c.deadline }

// WindowEnding returns the window ending on e, which must be between landing
// and the projection horizon (asOf plus a little over 5 years); it panics
// otherwise (programmer misuse).
func (c *Calc) WindowEnding(e pathway.Date) Window {
	if e < c.landing || e > c.horizon {
		panic(fmt.Sprintf("residency: window end %s outside %s..%s", e, c.landing, c.horizon))
	}
	s := e.WindowStart(WindowYears)
	full := e >= c.deadline
	s = pathway.Max(s, c.landing)
	i, j := int(s-c.landing), int(e-c.landing)+1
	return Window{Start: s, End: e, Credited: int(c.prefix[j] - c.prefix[i]), Excepted: int(c.excPrefix[j] - c.excPrefix[i]), Full: full}
}

// Remaining returns the days left after e up to the deadline (0 from the
// deadline on): the days the person could still add before the first 5-year
// period closes.
func (c *Calc) Remaining(e pathway.Date) int {
	if e >= c.deadline {
		return 0
	}
	return int(c.deadline - e)
}

// Complies reports whether the person complies on e (package doc, step 2).
func (c *Calc) Complies(e pathway.Date) bool {
	return c.WindowEnding(e).Credited+c.Remaining(e) >= RequiredDays
}

// Assessment is the result on the assessment date. Its JSON form is the
// document of "eesim residency --json" (docs/json.md).
type Assessment struct {
	Landing pathway.Date `json:"landing"`
	AsOf    pathway.Date `json:"as_of"`
	Window  Window       `json:"window"` // the window ending on AsOf
	// Deadline is the last day of the first 5-year period.
	Deadline pathway.Date `json:"first_period_end"`
	// Remaining is the number of days left before the deadline (0 once the
	// first 5-year period is over).
	Remaining int  `json:"days_left_in_first_period"`
	Complies  bool `json:"complies"`
	// Spare is the number of days above 730 (credited plus remaining), 0
	// when not complying; Shortfall the number missing, 0 when complying.
	Spare     int `json:"spare_days"`
	Shortfall int `json:"shortfall_days"`
	// Worst is the full 5-year window with the fewest credited days among
	// those ending between the deadline and AsOf (the earliest if tied);
	// nil before the deadline.
	Worst *Window `json:"worst_window"`
	// EveryWindow is true when the person complied on every day from
	// landing to AsOf (no FirstBreach).
	EveryWindow bool `json:"every_window_complies"`
	// FirstBreach is the first day on which the person did not comply, if
	// any, between landing and AsOf.
	FirstBreach *pathway.Date `json:"first_day_not_complying"`
	// ComplyThrough is the last day the person still complies if they leave
	// on AsOf (or are abroad then) and never return; nil if they do not
	// comply on AsOf.
	ComplyThrough *pathway.Date `json:"complies_through_if_abroad_from_as_of"`
	// Clipped lists the absences cut at AsOf; Warnings notes on the input.
	Clipped  []Clipped `json:"clipped_absences"`
	Warnings []string  `json:"warnings"`
}

// Assess computes the assessment on the Calc's assessment date.
func (c *Calc) Assess() Assessment {
	a := Assessment{Landing: c.landing, AsOf: c.asOf, Window: c.WindowEnding(c.asOf), Deadline: c.deadline, Remaining: c.Remaining(c.asOf),
		Clipped: append([]Clipped{}, c.clipped...), Warnings: append([]string{}, c.warnings...)}
	a.Complies = a.Window.Credited+a.Remaining >= RequiredDays
	if a.Complies {
		a.Spare = a.Window.Credited + a.Remaining - RequiredDays
	} else {
		a.Shortfall = RequiredDays - a.Window.Credited - a.Remaining
	}
	var worst Window
	hasWorst := false
	for e := c.landing; e <= c.asOf; e++ {
		w := c.WindowEnding(e)
		if e >= c.deadline && (!hasWorst || w.Credited < worst.Credited) {
			worst, hasWorst = w, true
		}
		if a.FirstBreach == nil && w.Credited+c.Remaining(e) < RequiredDays {
			d := e
			a.FirstBreach = &d
		}
	}
	if hasWorst {
		a.Worst = &worst
	}
	a.EveryWindow = a.FirstBreach == nil
	if a.Complies {
		// Compliance only falls after the departure: the window gains
		// absent days and loses old ones, and the remaining days shrink.
		e := c.asOf
		for e < c.horizon && c.Complies(e+1) {
			e++
		}
		a.ComplyThrough = &e
	}
	return a
}

// Day is one day of the timeline.
type Day struct {
	Date pathway.Date
	// Credit is 1 if the day counts as a day in Canada.
	Credit int
	// Excepted is true for a day abroad for a credited reason.
	Excepted bool
	Window   Window
	Complies bool
}

// Timeline returns one Day per day from landing to the assessment date.
func (c *Calc) Timeline() []Day {
	out := make([]Day, 0, int(c.asOf-c.landing)+1)
	for e := c.landing; e <= c.asOf; e++ {
		i := int(e - c.landing)
		w := c.WindowEnding(e)
		out = append(out, Day{Date: e, Credit: int(c.credit[i]), Excepted: c.excPrefix[i+1] > c.excPrefix[i], Window: w, Complies: w.Credited+c.Remaining(e) >= RequiredDays})
	}
	return out
}
