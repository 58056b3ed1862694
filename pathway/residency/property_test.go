package residency

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/eesim/eesim/pathway"
)

// randomHistory draws a landing date and up to 12 non-overlapping absences
// (some open-ended at the end, some with exceptions).
func randomHistory(rng *rand.Rand) (Input, pathway.Date) {
	landing := pathway.MustDate("2000-01-01").AddDays(rng.IntN(7000))
	asOf := landing.AddDays(rng.IntN(4000))
	in := Input{Landing: landing}
	d := landing
	for range rng.IntN(12) {
		d = d.AddDays(rng.IntN(400))
		if d > asOf {
			break
		}
		ret := d.AddDays(rng.IntN(500))
		a := pathway.Absence{Depart: d}
		if rng.IntN(5) == 0 {
			a.Reason = pathway.CitizenSpouse
		}
		if ret > asOf {
			in.Absences = append(in.Absences, a) // still abroad
			break
		}
		a.Return = &ret
		in.Absences = append(in.Absences, a)
		d = ret
	}
	return in, asOf
}

// naiveCredited counts a window day by day straight from the absences: a
// second method for the prefix sums of Calc.
func naiveCredited(in Input, asOf, from, to pathway.Date) int {
	n := 0
	for d := from; d <= to; d++ {
		present := d <= asOf
		for _, a := range in.Absences {
			f, l, ok := a.AbsentDays(asOf)
			if d > asOf {
				// The projection: abroad after asOf.
				break
			}
			if ok && d >= f && d <= l && a.Reason == pathway.NoReason {
				present = false
			}
		}
		if present {
			n++
		}
	}
	return n
}

func TestWindowMatchesNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 730))
	for trial := range 200 {
		in, asOf := randomHistory(rng)
		c, err := New(in, asOf)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		for range 20 {
			e := in.Landing.AddDays(rng.IntN(int(asOf-in.Landing) + 400))
			w := c.WindowEnding(e)
			from := pathway.Max(in.Landing, e.WindowStart(WindowYears))
			if want := naiveCredited(in, asOf, from, e); w.Credited != want || w.Start != from {
				t.Fatalf("trial %d, window ending %s: %d from %s, naive %d from %s", trial, e, w.Credited, w.Start, want, from)
			}
		}
	}
}

// ExampleCalc_Assess is the first worked example of the residency
// obligation: landed 2010-01-01, abroad from 2013-01-01.
func ExampleCalc_Assess() {
	in := Input{Landing: pathway.MustDate("2010-01-01"), Absences: []pathway.Absence{{Depart: pathway.MustDate("2013-01-01")}}}
	c, err := New(in, pathway.MustDate("2015-06-01"))
	if err != nil {
		fmt.Println(err)
		return
	}
	a := c.Assess()
	fmt.Println(a.Window.Start, a.Window.Credited, a.Complies, *a.ComplyThrough)
	// Output: 2010-06-02 945 true 2016-01-02
}

func BenchmarkAssess(b *testing.B) {
	for _, years := range []int{5, 20, 40} {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			landing := pathway.MustDate("1980-01-01")
			asOf := landing.AddYears(years)
			var abs []pathway.Absence
			for d := landing.AddDays(30); d.AddDays(40) < asOf; d = d.AddDays(200) {
				r := d.AddDays(40)
				abs = append(abs, pathway.Absence{Depart: d, Return: &r})
			}
			in := Input{Landing: landing, Absences: abs}
			for b.Loop() {
				c, _ := New(in, asOf)
				c.Assess()
			}
		})
	}
}

func FuzzNew(f *testing.F) {
	f.Add(int32(14610), int32(16000), int32(15000), int32(15100), int32(15050), int32(15200), "")
	f.Add(int32(14610), int32(16000), int32(15100), int32(15000), int32(0), int32(0), "citizen-spouse")
	f.Fuzz(func(t *testing.T, landing, asOf, d1, r1, d2, r2 int32, exc string) {
		// Keep dates within 1900-2200 so the day loops stay short.
		for _, v := range []int32{landing, asOf, d1, r1, d2, r2} {
			if v < -25567 || v > 84000 {
				t.Skip()
			}
		}
		if asOf-landing > 30000 {
			t.Skip()
		}
		R1, R2 := pathway.Date(r1), pathway.Date(r2)
		in := Input{Landing: pathway.Date(landing), Absences: []pathway.Absence{
			{Depart: pathway.Date(d1), Return: &R1, Reason: pathway.Reason(exc)},
			{Depart: pathway.Date(d2), Return: &R2},
		}}
		c, err := New(in, pathway.Date(asOf))
		if err != nil {
			return // rejected cleanly
		}
		a := c.Assess()
		if a.Window.Credited < 0 || a.Window.Credited > a.Window.Days() {
			t.Fatalf("credited %d of %d days", a.Window.Credited, a.Window.Days())
		}
	})
}
