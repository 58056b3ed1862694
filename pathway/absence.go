package pathway

import (
	"errors"
	"fmt"
	"sort"
)

// Exception is a reason why days outside Canada count as days in Canada for
// the PR residency obligation (IRPA s. 28(2)(a)(ii)-(v); IRPR s. 61). It has
// no effect on the citizenship physical presence test, which has no such
// exceptions.
type Exception string

// The exceptions of IRPA s. 28(2)(a). The child forms (accompanying a
// citizen parent; accompanying a PR parent employed as below) use the same
// values as the spouse forms.
const (
	NoException Exception = ""
	// CitizenSpouse: accompanying a spouse or common-law partner (a child: a
	// parent) who is a Canadian citizen. IRPA s. 28(2)(a)(ii).
	CitizenSpouse Exception = "citizen-spouse"
	// CanadianEmployer: employed full time by a Canadian business or the
	// public service of Canada or a province, assigned outside Canada. IRPA
	// s. 28(2)(a)(iii), IRPR s. 61(3). Work for a foreign company does not
	// count.
	CanadianEmployer Exception = "canadian-employer"
	// AccompanyingEmployedPR: accompanying a spouse or partner (a child: a
	// parent) who is a PR employed full time as in CanadianEmployer. IRPA
	// s. 28(2)(a)(iv).
	AccompanyingEmployedPR Exception = "accompanying-employed-pr"
)

// Valid reports whether e is one of the defined exceptions (or none).
func (e Exception) Valid() bool {
	switch e {
	case NoException, CitizenSpouse, CanadianEmployer, AccompanyingEmployedPR:
		return true
	}
	return false
}

// Absence is a stay outside Canada. Depart and Return are the days the
// person left and came back; both count as days in Canada (see the package
// documentation). A nil Return means the person is still abroad.
type Absence struct {
	Depart    Date      `json:"depart"`
	Return    *Date     `json:"return,omitempty"`
	Country   string    `json:"country,omitempty"`
	Exception Exception `json:"exception,omitempty"`
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

// ValidateAbsences checks a travel history: each exception is known, no
// return is before its departure, no date is after notAfter (the assessment
// date: the history is a record, not a plan), only the last absence may be
// open (no return), and no two absences overlap. Two absences may touch: a
// return and a new departure on the same day is allowed. list names the list
// in messages ("absences"). Positions in errors are 1-based, in input order.
func ValidateAbsences(list string, abs []Absence, notAfter Date) error {
	for i, a := range abs {
		n := i + 1
		if !a.Exception.Valid() {
			return &InputError{list, n, "exception", fmt.Sprintf("unknown exception %q (want %q, %q or %q)", a.Exception, CitizenSpouse, CanadianEmployer, AccompanyingEmployedPR)}
		}
		if a.Depart > notAfter {
			return &InputError{list, n, "depart", fmt.Sprintf("%s is after the assessment date %s", a.Depart, notAfter)}
		}
		if a.Return != nil {
			if *a.Return < a.Depart {
				return &InputError{list, n, "return", fmt.Sprintf("return %s is before departure %s", *a.Return, a.Depart)}
			}
			if *a.Return > notAfter {
				return &InputError{list, n, "return", fmt.Sprintf("%s is after the assessment date %s (leave it out if the person is still abroad)", *a.Return, notAfter)}
			}
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
			return &InputError{list, idx[k-1] + 1, "return", fmt.Sprintf("missing, but absence %d departs later (%s); only the last absence may be open", idx[k]+1, q.Depart)}
		}
		if q.Depart < *p.Return {
			return &InputError{list, idx[k] + 1, "depart", fmt.Sprintf("%s overlaps absence %d (%s to %s)", q.Depart, idx[k-1]+1, p.Depart, *p.Return)}
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
