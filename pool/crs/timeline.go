package crs

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Step is the score of a profile from Date until the next step.
type Step struct {
	Date      time.Time // 00:00 UTC
	Breakdown Breakdown
	// Reasons says what happened on Date ("birthday: age 30", "rules of
	// 2025-03-25: ..."); empty for the first step.
	Reasons []string
}

// Change is a date on which a profile's score or eligibility may change.
type Change struct {
	Date   time.Time
	Reason string
}

// Changes returns the dates in (from, to] on which the score or
// eligibility of p may change, sorted, each with its reason: birthdays (when
// p has a birth date), a language result becoming available or turning two
// years old, and the start of a rule era.
func Changes(p *Profile, from, to time.Time) []Change {
	from, to = dateOf(from), dateOf(to)
	var out []Change
	in := func(t time.Time) bool { return t.After(from) && !t.After(to) }
	for i := range eras {
		if in(eras[i].Effective) {
			out = append(out, Change{eras[i].Effective, "rules of " + eras[i].Effective.Format(time.DateOnly) + ": " + eras[i].Name})
		}
	}
	if !p.BirthDate.IsZero() {
		b := p.BirthDate.Time
		for y := from.Year(); y <= to.Year()+1; y++ {
			// AddDate normalises 29 February to 1 March in other years,
			// the day AgeOn counts the birthday.
			d := b.AddDate(y-b.Year(), 0, 0)
			if in(d) {
				out = append(out, Change{d, "birthday: age " + strconv.Itoa(AgeOn(b, d))})
			}
		}
	}
	langs := []struct {
		l    *Language
		name string
	}{{p.FirstLanguage, "first_language"}, {p.SecondLanguage, "second_language"}}
	if p.Spouse != nil {
		langs = append(langs, struct {
			l    *Language
			name string
		}{p.Spouse.FirstLanguage, "spouse.first_language"})
	}
	for _, l := range langs {
		if l.l == nil || l.l.TestDate.IsZero() {
			continue
		}
		if d := l.l.TestDate.Time; in(d) {
			out = append(out, Change{d, l.name + ": results dated " + d.Format(time.DateOnly) + " start to count"})
		}
		// Expiry matters only where an era expires results; checking the
		// era on the date keeps pre-2016-11-19 expiries out.
		if d := l.l.ExpiresOn(); in(d) {
			if e, err := EraOn(d); err == nil && e.LanguageExpiry {
				out = append(out, Change{d, l.name + ": results dated " + l.l.TestDate.Format(time.DateOnly) + " are two years old"})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int { return a.Date.Compare(b.Date) })
	return out
}

// Timeline returns the score of p on from, then a step for every date in
// (from, to] on which the total changes (birthdays, language results turning
// two years old, rule eras). Eligibility can change on the dates Changes
// lists even when the total does not.
func Timeline(p *Profile, from, to time.Time) ([]Step, error) {
	from, to = dateOf(from), dateOf(to)
	if to.Before(from) {
		return nil, fmt.Errorf("crs: timeline: end %s is before start %s", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	b, err := Score(p, from)
	if err != nil {
		return nil, fmt.Errorf("crs: timeline: %w", err)
	}
	steps := []Step{{Date: from, Breakdown: b}}
	changes := Changes(p, from, to)
	for i := 0; i < len(changes); {
		d := changes[i].Date
		var reasons []string
		for ; i < len(changes) && changes[i].Date.Equal(d); i++ {
			reasons = append(reasons, changes[i].Reason)
		}
		b, err := Score(p, d)
		if err != nil {
			return nil, fmt.Errorf("crs: timeline: %w", err)
		}
		if b.Total != steps[len(steps)-1].Breakdown.Total {
			steps = append(steps, Step{Date: d, Breakdown: b, Reasons: reasons})
		}
	}
	return steps, nil
}
