package nseoi

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/eesim/eesim/pathway"
)

// Event is a dated step after an invitation to apply (ITA).
type Event string

// The events. Invited starts the first two deadlines; InterviewContact,
// Nominated and Landed start the others.
const (
	Invited          Event = "invited"           // the ITA
	ProviderNamed    Event = "provider-named"    // the assurance-service provider named
	ApplicationSent  Event = "application"       // the complete application with the audit report
	InterviewContact Event = "interview-contact" // contacted for the interview
	Interviewed      Event = "interview"         // the in-person interview
	Nominated        Event = "nominated"         // the provincial nomination
	PRApplied        Event = "pr-application"    // the PR application to IRCC
	Landed           Event = "pr-landed"         // became a permanent resident
	ConfirmationSent Event = "confirmation-sent" // the PR confirmation sent to Nova Scotia
)

// Events lists every event in the order of the steps.
var Events = []Event{Invited, ProviderNamed, ApplicationSent, InterviewContact, Interviewed, Nominated, PRApplied, Landed, ConfirmationSent}

// ParseEvent reads an event name.
func ParseEvent(s string) (Event, error) {
	for _, e := range Events {
		if string(e) == s {
			return e, nil
		}
	}
	names := make([]string, len(Events))
	for i, e := range Events {
		names[i] = string(e)
	}
	return "", fmt.Errorf("unknown step %q (want one of %s)", s, strings.Join(names, ", "))
}

// Unit is how a deadline is counted.
type Unit string

// Units of a deadline: calendar days, business days (Monday to Friday,
// less the holidays given) or calendar months (same day of the month, the
// month's last day when it has none).
const (
	Days         Unit = "days"
	BusinessDays Unit = "business days"
	Months       Unit = "months"
)

// rule is one deadline: Done must happen within N Units of From.
type rule struct {
	Step     string
	From     Event
	Done     Event
	N        int
	Unit     Unit
	Source   string
	Activity string // what is due, for messages
}

// The deadlines after an ITA. Source: Nova Scotia Office of Immigration
// and Population Growth, International Graduate Entrepreneur stream page,
// "After you're invited to apply" (checked 2026); docs/domain.md, "Nova
// Scotia EOI".
var rules = []rule{
	{"name the assurance-service provider", Invited, ProviderNamed, 20, Days, "20 days after the ITA", "naming the assurance-service provider"},
	{"complete application with the audit report", Invited, ApplicationSent, 90, Days, "90 days after the ITA", "the complete application with the audit report"},
	{"in-person interview", InterviewContact, Interviewed, 15, BusinessDays, "15 business days after being contacted", "the interview"},
	{"apply to IRCC for permanent residence", Nominated, PRApplied, 6, Months, "6 months after the nomination", "the PR application to IRCC"},
	{"send the PR confirmation", Landed, ConfirmationSent, 30, BusinessDays, "30 business days after becoming a PR", "the PR confirmation"},
}

// Step is one deadline after an ITA, as evaluated.
type Step struct {
	Step  string        `json:"step"`
	Rule  string        `json:"rule"` // e.g. "20 days after the ITA"
	N     int           `json:"n"`
	Unit  Unit          `json:"unit"`
	Start *pathway.Date `json:"start"` // the event that starts it; nil: not yet
	Due   *pathway.Date `json:"due"`
	Done  *pathway.Date `json:"done"`
	// Status: "met", "missed", "open" (due later), "overdue" (due date
	// passed, not done) or "waiting" (the starting event has not happened).
	Status   string `json:"status"`
	DaysLeft int    `json:"days_left"` // for "open": calendar days from the assessment day to Due
	// Reason says how a "missed" or "overdue" deadline was missed.
	Reason string `json:"reason,omitempty"`
}

// Deadlines evaluates each deadline after an ITA on asOf. events gives the
// dates known (Invited is required); holidays are the non-business days
// other than weekends (Nova Scotia's holidays: eesim has no calendar of
// them, so without them the business-day deadlines are the earliest
// possible). It returns the steps and the reasons the candidate missed a
// deadline. Events after asOf, or before the ITA, are errors, as is a step
// done before the event that starts it.
func Deadlines(events map[Event]pathway.Date, holidays []pathway.Date, asOf pathway.Date) ([]Step, []string, error) {
	inv, ok := events[Invited]
	if !ok {
		return nil, nil, fmt.Errorf("invited: the date of the invitation to apply is required")
	}
	for _, e := range Events {
		d, ok := events[e]
		switch {
		case !ok:
		case d > asOf:
			return nil, nil, fmt.Errorf("%s: %s is after the assessment date %s", e, d, asOf)
		case d < inv:
			return nil, nil, fmt.Errorf("%s: %s is before the invitation %s", e, d, inv)
		}
	}
	hol := map[pathway.Date]bool{}
	for _, h := range holidays {
		hol[h] = true
	}
	var steps []Step
	var reasons []string
	for _, r := range rules {
		st := Step{Step: r.Step, Rule: r.Source, N: r.N, Unit: r.Unit, Status: "waiting"}
		if d, ok := events[r.Done]; ok {
			st.Done = &d
		}
		start, ok := events[r.From]
		if !ok {
			if st.Done != nil {
				return nil, nil, fmt.Errorf("%s: given without %s, the event it follows", r.Done, r.From)
			}
			steps = append(steps, st)
			continue
		}
		if st.Done != nil && *st.Done < start {
			return nil, nil, fmt.Errorf("%s: %s is before %s %s", r.Done, *st.Done, r.From, start)
		}
		due := addUnits(start, r.N, r.Unit, hol)
		st.Start, st.Due = &start, &due
		switch {
		case st.Done != nil && *st.Done <= due:
			st.Status = "met"
		case st.Done != nil:
			st.Status = "missed"
			st.Reason = fmt.Sprintf("%s on %s, after the deadline %s (%s of %s)", r.Activity, *st.Done, due, r.Source, start)
			reasons = append(reasons, st.Reason)
		case asOf <= due:
			st.Status, st.DaysLeft = "open", int(due-asOf)
		default:
			st.Status = "overdue"
			st.Reason = fmt.Sprintf("%s not done by the deadline %s (%s of %s)", r.Activity, due, r.Source, start)
			reasons = append(reasons, st.Reason)
		}
		steps = append(steps, st)
	}
	sort.Strings(reasons)
	return steps, reasons, nil
}

// addUnits returns the day n units after d.
func addUnits(d pathway.Date, n int, u Unit, holidays map[pathway.Date]bool) pathway.Date {
	switch u {
	case BusinessDays:
		return AddBusinessDays(d, n, holidays)
	case Months:
		return AddMonths(d, n)
	}
	return d.AddDays(n)
}

// AddBusinessDays returns the n-th business day after d: Monday to
// Friday, not in holidays. d itself does not count.
func AddBusinessDays(d pathway.Date, n int, holidays map[pathway.Date]bool) pathway.Date {
	for n > 0 {
		d++
		if wd := d.Time().Weekday(); wd != time.Saturday && wd != time.Sunday && !holidays[d] {
			n--
		}
	}
	return d
}

// AddMonths returns the same day n months later, or the last day of that
// month when it is shorter (August 31 + 6 months is February 28, or 29).
func AddMonths(d pathway.Date, n int) pathway.Date {
	y, m, day := d.YMD()
	first := pathway.NewDate(y, m+time.Month(n), 1)
	fy, fm, _ := first.YMD()
	last := pathway.NewDate(fy, fm+1, 1) - 1
	_, _, lastDay := last.YMD()
	return pathway.NewDate(fy, fm, min(day, lastDay))
}
