package sponsor

import (
	"fmt"

	"github.com/eesim/eesim/pathway"
)

// Relationship rules for a spouse, common-law or conjugal partner.
// Sources: IRPR s. 117(9) (who is not a member of the family class), s.
// 130(3) (a sponsor once sponsored as a partner), s. 1(1) and 2 (the
// definitions of common-law and conjugal partner), s. 4(1) (bad faith);
// IRCC, "Sponsor your spouse, partner or children: who can apply"
// (canada.ca, checked 2026); docs/domain.md, "Sponsorship".
const (
	PartnerMinAge         = 18 // s. 117(9)(a): a partner under 18 is not in the family class
	PartnerUndertakingBar = 3  // s. 117(9)(b): years of an earlier partner's undertaking still running
	SponsoredAsPartnerBar = 5  // s. 130(3): years after becoming a PR as a sponsored partner
	TogetherMinMonths     = 12 // s. 1(1), 2: a year living together (common-law) or in the relationship (conjugal)
)

// Bar is one relationship bar for a spouse or partner, as evaluated.
type Bar struct {
	Rule   string `json:"rule"`
	Source string `json:"source"`
	// Known is false when the input does not say (the bar is then not
	// assessed); Bars is true when it stops the sponsorship.
	Known bool `json:"known"`
	Bars  bool `json:"bars"`
	// Until is the last day of a time bar that applies, or of one that
	// has ended (then before the application day).
	Until *pathway.Date `json:"until,omitempty"`
	Note  string        `json:"note,omitempty"`
}

// Reason is the bar as a reason the sponsorship is not allowed.
func (b Bar) Reason() string {
	if b.Note == "" {
		return fmt.Sprintf("%s (%s)", b.Rule, b.Source)
	}
	return fmt.Sprintf("%s (%s): %s", b.Rule, b.Source, b.Note)
}

// PartnerBars evaluates every relationship bar for sponsoring a spouse or
// partner with an application made on on. Time bars are computed from
// the dates when given, else taken from the flags.
func PartnerBars(s Sponsor, p Sponsored, on pathway.Date) []Bar {
	bars := []Bar{ageBar(p), undertakingBar(s, on), sponsoredAsPartnerBar(s, on), togetherBar(p)}
	for _, f := range []struct {
		bad          *bool
		rule, source string
	}{
		{p.MarriedToAnother, "neither partner may have been married to someone else at the time of the marriage", "IRPR s. 117(9)(c)(i)"},
		{p.SeparatedOther, "spouses living apart a year or more, one of them in a common-law or conjugal relationship with someone else, are barred", "IRPR s. 117(9)(c)(ii)"},
		{p.NotGenuine, "the relationship must be genuine and not entered into mainly to acquire status", "IRPR s. 4(1)"},
	} {
		b := Bar{Rule: f.rule, Source: f.source}
		if f.bad != nil {
			b.Known, b.Bars = true, *f.bad
		}
		bars = append(bars, b)
	}
	return bars
}

func ageBar(p Sponsored) Bar {
	b := Bar{Rule: fmt.Sprintf("the partner must be %d or older", PartnerMinAge), Source: "IRPR s. 117(9)(a)"}
	if p.Age != nil {
		b.Known, b.Bars = true, *p.Age < PartnerMinAge
		b.Note = fmt.Sprintf("age %d", *p.Age)
	}
	return b
}

// undertakingBar: an earlier partner's undertaking runs 3 years from the
// day they became a PR (IRPR s. 132); while it runs, another
// partner cannot be sponsored (s. 117(9)(b)).
func undertakingBar(s Sponsor, on pathway.Date) Bar {
	b := Bar{Rule: fmt.Sprintf("no undertaking for an earlier spouse or partner still running (%d years from their PR date)", PartnerUndertakingBar), Source: "IRPR s. 117(9)(b)"}
	switch {
	case s.PreviousPartnerPR != nil:
		end := s.PreviousPartnerPR.AddYears(PartnerUndertakingBar) - 1
		b.Known, b.Bars, b.Until = true, on <= end, &end
		b.Note = fmt.Sprintf("earlier partner a PR on %s: undertaking to %s", *s.PreviousPartnerPR, end)
	case s.SponsoredPartnerIn3:
		b.Known, b.Bars = true, true
		b.Note = "sponsored a spouse or partner in the last 3 years"
	}
	return b
}

// sponsoredAsPartnerBar: a sponsor who became a PR as a sponsored partner
// may not sponsor a partner until 5 years after (IRPR s. 130(3)).
func sponsoredAsPartnerBar(s Sponsor, on pathway.Date) Bar {
	b := Bar{Rule: fmt.Sprintf("a sponsor who became a PR as a sponsored partner waits %d years", SponsoredAsPartnerBar), Source: "IRPR s. 130(3)"}
	switch {
	case s.PRAsPartner != nil:
		end := s.PRAsPartner.AddYears(SponsoredAsPartnerBar) - 1
		b.Known, b.Bars, b.Until = true, on <= end, &end
		b.Note = fmt.Sprintf("a PR as a sponsored partner on %s: barred to %s", *s.PRAsPartner, end)
	case s.SponsoredAsPartnerIn5:
		b.Known, b.Bars = true, true
		b.Note = "sponsored as a spouse or partner in the last 5 years"
	}
	return b
}

// togetherBar: a common-law partner has lived with the sponsor for at
// least a year (IRPR s. 1(1)); a conjugal partner has been in the
// relationship for at least a year (s. 2).
func togetherBar(p Sponsored) Bar {
	b := Bar{Rule: fmt.Sprintf("a common-law partner has lived with the sponsor, or a conjugal partner been in the relationship, %d months or more", TogetherMinMonths), Source: "IRPR s. 1(1), 2"}
	switch {
	case p.Partner != "common-law" && p.Partner != "conjugal":
		b.Known = p.Partner == "spouse"
		b.Note = "applies to common-law and conjugal partners"
	case p.TogetherMonths != nil:
		b.Known, b.Bars = true, *p.TogetherMonths < TogetherMinMonths
		b.Note = fmt.Sprintf("%s partner, %d months", p.Partner, *p.TogetherMonths)
	}
	return b
}

// ApplyWithinDays is the time to submit a parents and grandparents
// application after the invitation (IRCC, "Sponsor your parents and
// grandparents": invited sponsors have 60 days; docs/domain.md,
// "Sponsorship").
const ApplyWithinDays = 60

// Deadline is the application deadline after a PGP invitation.
type Deadline struct {
	Invited pathway.Date  `json:"invited"`
	Due     pathway.Date  `json:"apply_by"`
	Applied *pathway.Date `json:"applied"`
	// Status: "applied on time", "applied late", "open" or "passed" (on
	// the assessment day, with no application given).
	Status   string `json:"status"`
	DaysLeft int    `json:"days_left"` // for "open": days from the assessment day to Due
	// Reason is set when the deadline was missed.
	Reason string `json:"reason,omitempty"`
}

// ApplicationDeadline returns the deadline to apply after an invitation
// of class c (parents and grandparents only) on invited, given the day of
// the application (nil: not yet) and the assessment day asOf.
func ApplicationDeadline(c Class, invited pathway.Date, applied *pathway.Date, asOf pathway.Date) (Deadline, error) {
	if !c.PGP() {
		return Deadline{}, fmt.Errorf("invited: only parents and grandparents are invited to apply, not %s", c)
	}
	d := Deadline{Invited: invited, Due: invited.AddDays(ApplyWithinDays), Applied: applied}
	switch {
	case applied != nil && *applied < invited:
		return d, fmt.Errorf("applied: %s is before the invitation %s", *applied, invited)
	case applied != nil && *applied <= d.Due:
		d.Status = "applied on time"
	case applied != nil:
		d.Status = "applied late"
		d.Reason = fmt.Sprintf("the application of %s is after the deadline %s (%d days after the invitation of %s)", *applied, d.Due, ApplyWithinDays, invited)
	case asOf <= d.Due:
		d.Status, d.DaysLeft = "open", int(d.Due-asOf)
	default:
		d.Status = "passed"
		d.Reason = fmt.Sprintf("no application by the deadline %s (%d days after the invitation of %s)", d.Due, ApplyWithinDays, invited)
	}
	return d, nil
}

// Validate checks the values a file may get wrong: the partner kind, and
// ages and months that cannot be negative.
func (p Sponsored) Validate() error {
	switch p.Partner {
	case "", "spouse", "common-law", "conjugal":
	default:
		return fmt.Errorf("sponsored.partner: %q, want spouse, common-law or conjugal", p.Partner)
	}
	if p.Partner != "" && p.Class != "" && p.Class != Spouse {
		return fmt.Errorf("sponsored.partner: given for class %s (it goes with class spouse)", p.Class)
	}
	if p.Age != nil && (*p.Age < 0 || *p.Age > 130) {
		return fmt.Errorf("sponsored.age: %d out of range 0-130", *p.Age)
	}
	if p.TogetherMonths != nil && *p.TogetherMonths < 0 {
		return fmt.Errorf("sponsored.together_months: %d is negative", *p.TogetherMonths)
	}
	return nil
}
