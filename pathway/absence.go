package pathway

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reason is why days outside Canada may count as days in Canada. The
// vocabulary is shared by the calculators; each decides which reasons it
// credits, because the rules differ: the PR residency obligation (IRPA s.
// 28(2)(a)) credits accompanying a citizen and work abroad for a Canadian
// employer, the citizenship test (Citizenship Act s. 5(1.01) and (1.02))
// only Crown service abroad (docs/domain.md, "Residency obligation" and
// "Citizenship"). A reason a calculator does not credit counts as absent
// there, with a warning.
type Reason string

// The reasons. The child forms (accompanying a parent) use the same values
// as the spouse or partner forms.
const (
	NoReason Reason = ""
	// CitizenSpouse: accompanying a spouse or common-law partner (a child:
	// a parent) who is a Canadian citizen. IRPA s. 28(2)(a)(ii).
	CitizenSpouse Reason = "citizen-spouse"
	// CanadianEmployer: employed full time by a Canadian business or the
	// public service of Canada or a province, assigned outside Canada. IRPA
	// s. 28(2)(a)(iii), IRPR s. 61(3). Work for a foreign company does not
	// count.
	CanadianEmployer Reason = "canadian-employer"
	// AccompanyingEmployedPR: accompanying a spouse or partner (a child: a
	// parent) who is a PR employed full time as in CanadianEmployer. IRPA
	// s. 28(2)(a)(iv).
	AccompanyingEmployedPR Reason = "accompanying-employed-pr"
	// PublicService: employed outside Canada in or with the federal public
	// administration or the public service of a province, otherwise than
	// as a locally engaged person. Citizenship Act s. 5(1.02); also a
	// Canadian employer for IRPA s. 28(2)(a)(iii).
	PublicService Reason = "public-service"
	// ArmedForces: serving outside Canada in or with the Canadian Armed
	// Forces. Citizenship Act s. 5(1.02).
	ArmedForces Reason = "armed-forces"
	// AccompanyingCrownServant: living abroad with a spouse or partner (a
	// child: a parent) who is ArmedForces or PublicService. Citizenship Act
	// s. 5(1.01) (a citizen) and 5(1.02) (a permanent resident).
	AccompanyingCrownServant Reason = "accompanying-crown-servant"
)

// Reasons lists every reason, for messages and help.
var Reasons = []Reason{CitizenSpouse, CanadianEmployer, AccompanyingEmployedPR, PublicService, ArmedForces, AccompanyingCrownServant}

// Valid reports whether r is one of the defined reasons (or none).
func (r Reason) Valid() bool { return r == NoReason || r.known() }

func (r Reason) known() bool {
	for _, k := range Reasons {
		if r == k {
			return true
		}
	}
	return false
}

// reasonList is "a, b or c" of every reason.
func reasonList() string {
	names := make([]string, len(Reasons))
	for i, r := range Reasons {
		names[i] = string(r)
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Leg is one country of a trip abroad. Arrived is the day the person
// arrived there; it is nil for the first country (which starts with the
// departure) and may be nil for a later one when the day is not known.
type Leg struct {
	Country string
	Arrived *Date
}

// String writes the leg as in the travel inputs: "FR" or "DE@2019-07-01".
func (l Leg) String() string {
	if l.Arrived == nil {
		return l.Country
	}
	return l.Country + "@" + l.Arrived.String()
}

// ParseLeg reads "FR" or "DE@2019-07-01" (the country, then the day of
// arrival in it).
func ParseLeg(s string) (Leg, error) {
	c, at, hasAt := strings.Cut(strings.TrimSpace(s), "@")
	c = strings.TrimSpace(c)
	if c == "" || !utf8.ValidString(c) || strings.IndexFunc(c, unicode.IsControl) >= 0 {
		return Leg{}, fmt.Errorf("country %q: want a country, optionally with its arrival date (DE@2019-07-01)", s)
	}
	l := Leg{Country: c}
	if hasAt {
		d, err := ParseDate(at)
		if err != nil {
			return Leg{}, fmt.Errorf("country %q: arrival %w", s, err)
		}
		l.Arrived = &d
	}
	return l, nil
}

// ParseLegs reads one or more legs separated by semicolons:
// "FR;DE@2019-07-01".
func ParseLegs(s string) ([]Leg, error) {
	var out []Leg
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		l, err := ParseLeg(part)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// FormatLegs writes legs as ParseLegs reads them.
func FormatLegs(legs []Leg) string {
	parts := make([]string, len(legs))
	for i, l := range legs {
		parts[i] = l.String()
	}
	return strings.Join(parts, ";")
}

// Absence is a stay outside Canada. Depart and Return are the days the
// person left and came back; both count as days in Canada (see the package
// documentation). A nil Return means the person is still abroad. Legs are
// the countries of the trip in the order visited (none: not given).
type Absence struct {
	Depart Date
	Return *Date
	Legs   []Leg
	Reason Reason
}

// Countries returns the countries of the trip, in order.
func (a Absence) Countries() []string {
	out := make([]string, len(a.Legs))
	for i, l := range a.Legs {
		out[i] = l.Country
	}
	return out
}

// Span writes the absence's dates: "2019-01-01 to 2019-02-01", or "from
// 2019-01-01 (still abroad)".
func (a Absence) Span() string {
	if a.Return == nil {
		return fmt.Sprintf("from %s (still abroad)", a.Depart)
	}
	return fmt.Sprintf("%s to %s", a.Depart, *a.Return)
}

// AbsentDays returns the first and last day the person was absent, counting
// an absence still under way up to and including until. ok is false when no
// day is absent (a same-day trip, or a departure on until).
func (a Absence) AbsentDays(until Date) (first, last Date, ok bool) {
	first = a.Depart + 1
	if a.Return != nil {
		last = *a.Return - 1
	} else {
		last = until
	}
	return first, last, first <= last
}

// Stay is a run of absent days in one country.
type Stay struct {
	Country     string
	First, Last Date
}

// Days returns the number of days of the stay.
func (s Stay) Days() int { return int(s.Last-s.First) + 1 }

// Stays splits the absent days of a (up to until for a trip still under
// way) by country: a country's days run from the day of arrival (the first
// country: the first absent day) to the day before the next country's
// arrival, so the day of a move counts in the country arrived in. known is
// false when the split cannot be made: several countries and a later one
// without its arrival day. A trip with no country given is one stay with
// Country "". A leg whose days all fall outside the absent days is left
// out.
func (a Absence) Stays(until Date) (stays []Stay, known bool) {
	first, last, ok := a.AbsentDays(until)
	if !ok {
		return nil, true
	}
	if len(a.Legs) <= 1 {
		c := ""
		if len(a.Legs) == 1 {
			c = a.Legs[0].Country
		}
		return []Stay{{Country: c, First: first, Last: last}}, true
	}
	for _, l := range a.Legs[1:] {
		if l.Arrived == nil {
			return nil, false
		}
	}
	for i, l := range a.Legs {
		s := first
		if i > 0 {
			s = Max(first, *l.Arrived)
		}
		e := last
		if i+1 < len(a.Legs) {
			e = Min(last, *a.Legs[i+1].Arrived-1)
		}
		if s <= e {
			stays = append(stays, Stay{Country: l.Country, First: s, Last: e})
		}
	}
	return stays, true
}

// InputError is a problem with one item of the input: Item is its 1-based
// position in its list (0 for a top-level field), List and Field name it.
type InputError struct {
	List  string // e.g. "absences"
	Item  int
	Field string
	Msg   string
}

func (e *InputError) Error() string {
	switch {
	case e.List != "" && e.Item > 0 && e.Field == "":
		return fmt.Sprintf("%s[%d]: %s", e.List, e.Item, e.Msg)
	case e.List != "" && e.Item > 0:
		return fmt.Sprintf("%s[%d].%s: %s", e.List, e.Item, e.Field, e.Msg)
	case e.Field != "":
		return fmt.Sprintf("%s: %s", e.Field, e.Msg)
	}
	return e.Msg
}

// ErrInput is wrapped by every validation error, so that callers can tell
// bad input from other failures with errors.Is.
var ErrInput = errors.New("pathway: bad input")

// Is makes errors.Is(err, ErrInput) true for an *InputError.
func (e *InputError) Is(target error) bool { return target == ErrInput }

// ValidateAbsences checks a travel history: each reason is known, no
// return is before its departure, each country's arrival day falls inside
// its trip and after the previous one's, only the last absence may be open
// (no return), and no two absences overlap. Two absences may touch: a
// return and a new departure on the same day is allowed. list names the
// list in messages ("absences"). Positions in errors are 1-based, in input
// order. Dates after an assessment date are checked apart (NotAfter).
func ValidateAbsences(list string, abs []Absence) error {
	for i, a := range abs {
		n := i + 1
		if !a.Reason.Valid() {
			return &InputError{list, n, "reason", fmt.Sprintf("unknown reason %q (want %s)", a.Reason, reasonList())}
		}
		if a.Return != nil && *a.Return < a.Depart {
			return &InputError{list, n, "to", fmt.Sprintf("return %s is before departure %s", *a.Return, a.Depart)}
		}
		if err := validateLegs(list, n, a); err != nil {
			return err
		}
	}
	idx := make([]int, len(abs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool { return abs[idx[x]].Depart < abs[idx[y]].Depart })
	for k := 1; k < len(idx); k++ {
		p, q := abs[idx[k-1]], abs[idx[k]]
		if p.Return == nil {
			return &InputError{list, idx[k-1] + 1, "to", fmt.Sprintf("missing, but absence %d departs later (%s); only the last absence may be open", idx[k]+1, q.Depart)}
		}
		if q.Depart < *p.Return {
			return &InputError{list, idx[k] + 1, "from", fmt.Sprintf("%s overlaps absence %d (%s to %s)", q.Depart, idx[k-1]+1, p.Depart, *p.Return)}
		}
	}
	return nil
}

// validateLegs checks the countries of absence n (1-based).
func validateLegs(list string, n int, a Absence) error {
	prev := a.Depart
	for j, l := range a.Legs {
		if strings.TrimSpace(l.Country) == "" {
			return &InputError{list, n, "country", fmt.Sprintf("country %d is empty", j+1)}
		}
		if l.Arrived == nil {
			continue
		}
		d := *l.Arrived
		switch {
		case j == 0 && d < a.Depart:
			return &InputError{list, n, "country", fmt.Sprintf("%s: arrival %s is before the departure %s", l.Country, d, a.Depart)}
		case j > 0 && d <= prev:
			return &InputError{list, n, "country", fmt.Sprintf("%s: arrival %s is not after the departure or the previous country's arrival (%s)", l.Country, d, prev)}
		case a.Return != nil && d >= *a.Return:
			return &InputError{list, n, "country", fmt.Sprintf("%s: arrival %s is not before the return %s", l.Country, d, *a.Return)}
		}
		prev = d
	}
	return nil
}

// NotAfter checks that no date of the history is after notAfter (the
// assessment date, when the history must be a record, not a plan).
func NotAfter(list string, abs []Absence, notAfter Date) error {
	for i, a := range abs {
		n := i + 1
		if a.Depart > notAfter {
			return &InputError{list, n, "from", fmt.Sprintf("%s is after the assessment date %s", a.Depart, notAfter)}
		}
		if a.Return != nil && *a.Return > notAfter {
			return &InputError{list, n, "to", fmt.Sprintf("%s is after the assessment date %s (leave it out if the person is still abroad)", *a.Return, notAfter)}
		}
		for _, l := range a.Legs {
			if l.Arrived != nil && *l.Arrived > notAfter {
				return &InputError{list, n, "country", fmt.Sprintf("%s: arrival %s is after the assessment date %s", l.Country, *l.Arrived, notAfter)}
			}
		}
	}
	return nil
}

// Period is a run of days from From to To, both included.
type Period struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// Days returns the number of days in p.
func (p Period) Days() int { return int(p.To-p.From) + 1 }

// ValidatePeriods checks that each period ends on or after its start, that
// none ends after notAfter, and (if noOverlap) that no two overlap.
func ValidatePeriods(list string, ps []Period, notAfter Date, noOverlap bool) error {
	for i, p := range ps {
		if p.To < p.From {
			return &InputError{list, i + 1, "to", fmt.Sprintf("%s is before from %s", p.To, p.From)}
		}
		if p.To > notAfter {
			return &InputError{list, i + 1, "to", fmt.Sprintf("%s is after the assessment date %s", p.To, notAfter)}
		}
	}
	if !noOverlap {
		return nil
	}
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool { return ps[idx[x]].From < ps[idx[y]].From })
	for k := 1; k < len(idx); k++ {
		p, q := ps[idx[k-1]], ps[idx[k]]
		if q.From <= p.To {
			return &InputError{list, idx[k] + 1, "from", fmt.Sprintf("%s overlaps %s[%d] (%s to %s)", q.From, list, idx[k-1]+1, p.From, p.To)}
		}
	}
	return nil
}
