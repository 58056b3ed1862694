package citizenship

import (
	"math/rand/v2"
	"testing"

	"github.com/eesim/eesim/pathway"
)

// naiveHalves counts the credit of the period of an application signed on
// sign (the 5 years ending the day before) day by day from the input: a
// second method for Calc's prefix sums.
func naiveHalves(in Input, sign pathway.Date) int {
	pr, pre := 0, 0
	inSentence := func(d pathway.Date) bool {
		for _, s := range in.Sentences {
			if d >= s.From && d <= s.To {
				return true
			}
		}
		return false
	}
	inPrePR := func(d pathway.Date) bool {
		for _, p := range in.PrePR {
			if d >= p.From && d <= p.To {
				return true
			}
		}
		return false
	}
	for d := (sign - 1).WindowStart(WindowYears); d < sign; d++ {
		abroad, crown := false, false
		for _, a := range in.Absences {
			if f, l, ok := a.AbsentDays(sign); ok && d >= f && d <= l {
				abroad, crown = true, Credits(a.Reason) && d >= in.PRDate
			}
		}
		switch {
		case crown:
			pr++
		case abroad, inSentence(d):
		case d >= in.PRDate:
			pr++
		case inPrePR(d):
			pre++
		}
	}
	return 2*pr + min(pre, 2*PrePRCap)
}

func TestCreditMatchesNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1095, 365))
	for trial := range 300 {
		pr := pathway.MustDate("2010-01-01").AddDays(rng.IntN(4000))
		sign := pr.AddDays(rng.IntN(2500))
		in := Input{PRDate: pr}
		if rng.IntN(3) > 0 {
			from := pr.AddDays(-1 - rng.IntN(2000))
			in.PrePR = []PrePRPeriod{{From: from, To: from.AddDays(rng.IntN(int(pr - from))), Kind: TemporaryResident}}
		}
		d := pr.AddDays(-rng.IntN(1500))
		for range rng.IntN(6) {
			d = d.AddDays(rng.IntN(300))
			r := d.AddDays(rng.IntN(200))
			if r > sign {
				break
			}
			a := pathway.Absence{Depart: d, Return: &r}
			if rng.IntN(4) == 0 {
				a.Reason = pathway.ArmedForces
			}
			in.Absences = append(in.Absences, a)
			d = r
		}
		if rng.IntN(4) == 0 {
			s := pr.AddDays(rng.IntN(int(sign-pr) + 1))
			in.Sentences = []pathway.Period{{From: s, To: pathway.Min(sign, s.AddDays(rng.IntN(100)))}}
		}
		c, err := New(in, sign)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if got, want := c.PeriodFor(sign).CreditHalves, naiveHalves(in, sign); got != want {
			t.Fatalf("trial %d: %d half days, naive %d (%+v, sign %s)", trial, got, want, in, sign)
		}
	}
}
