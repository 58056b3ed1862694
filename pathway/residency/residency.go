package residency

import (
	"fmt"

	"github.com/eesim/eesim/pathway"
)

// Rule constants: IRPA s. 28(2)(a) and (b), "Understand permanent resident
// status" (IRCC, canada.ca, checked 2026).
const (
	RequiredDays = 730 // days of physical presence in every 5-year period
	WindowYears  = 5
)

// Input is a permanent resident's landing date and travel history.
type Input struct {
	Landing  pathway.Date      `json:"landing"`
	Absences []pathway.Absence `json:"absences"`
}

// Validate checks the input for an assessment on asOf: no date after asOf,
// no absence before landing, no return before its departure, no overlap.
func (in Input) Validate(asOf pathway.Date) error {
	if in.Landing > asOf {
		return &pathway.InputError{Field: "landing", Msg: fmt.Sprintf("%s is after the assessment date %s", in.Landing, asOf)}
	}
	for i, a := range in.Absences {
		if a.Depart < in.Landing {
			return &pathway.InputError{List: "absences", Item: i + 1, Field: "depart", Msg: fmt.Sprintf("%s is before landing %s (list only absences as a permanent resident)", a.Depart, in.Landing)}
		}
	}
	return pathway.ValidateAbsences("absences", in.Absences, asOf)
}

// Window is the count of credited days in a window.
type Window struct {
	Start, End pathway.Date
	Credited   int // days in Canada or abroad under an exception
	Excepted   int // of which days abroad under an exception
	Full       bool
}

// Days returns the number of days in the window.
func (w Window) Days() int { return int(w.End-w.Start) + 1 }

// Calc holds the credited days of one person; build it with New.
type Calc struct {
	landing, asOf pathway.Date
	deadline      pathway.Date // day before the 5th anniversary of landing
	// credit and excepted are indexed by day - landing, up to horizon; the
	// days after asOf are abroad (the leave-for-good projection).
	credit, prefix, excPrefix []int32
	horizon                   pathway.Date
}

// New validates the input and counts the credited days up to asOf.
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
	for _, a := range in.Absences {
		first, last, ok := a.AbsentDays(asOf)
		if !ok {
			continue
		}
		for d := first; d <= last; d++ {
			i := int(d - c.landing)
			if a.Exception != pathway.NoException {
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

// Assessment is the result on the assessment date.
type Assessment struct {
	AsOf     pathway.Date
	Window   Window // the window ending on AsOf
	Deadline pathway.Date
	// Remaining is the number of days left before the deadline (0 once the
	// first 5-year period is over).
	Remaining int
	Complies  bool
	// Shortfall is the number of days missing (0 when complying).
	Shortfall int
	// Worst is the full 5-year window with the fewest credited days among
	// those ending between the deadline and AsOf (the earliest if tied);
	// nil before the deadline.
	Worst *Window
	// FirstBreach is the first day on which the person did not comply, if
	// any, between landing and AsOf.
	FirstBreach *pathway.Date
	// ComplyThrough is the last day the person still complies if they leave
	// on AsOf (or are abroad then) and never return; nil if they do not
	// comply on AsOf.
	ComplyThrough *pathway.Date
}

// Assess computes the assessment on the Calc's assessment date.
func (c *Calc) Assess() Assessment {
	a := Assessment{AsOf: c.asOf, Window: c.WindowEnding(c.asOf), Deadline: c.deadline, Remaining: c.Remaining(c.asOf)}
	a.Complies = a.Window.Credited+a.Remaining >= RequiredDays
	if !a.Complies {
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
	// Excepted is true for a day abroad under an exception.
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
