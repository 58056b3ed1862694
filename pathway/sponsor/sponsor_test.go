package sponsor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/eesim/eesim/pathway"
)

func TestFamilySizeAndMNI(t *testing.T) {
	// Sponsor, spouse, 2 children, sponsoring both parents: 6.
	f := Family{SponsorSpouse: true, SponsorChildren: 2, Sponsored: 2}
	if f.Size() != 6 {
		t.Fatalf("size %d, want 6", f.Size())
	}
	// A sibling of the parents who is their dependant counts, even if not
	// coming; so does someone under an earlier undertaking: 8.
	f.SponsoredChildren, f.EarlierSponsored = 1, 1
	if f.Size() != 8 {
		t.Errorf("size %d, want 8", f.Size())
	}
	for _, tc := range []struct{ year, size, want int }{
		{2023, 2, 44530}, {2022, 6, 82259}, {2021, 7, 69934},
		{2023, 9, 94658 + 2*9636}, // 113,930: 7 plus 2 extra persons
		{2021, 8, 69934 + 7120},
	} {
		got, err := MNI(tc.year, tc.size)
		if err != nil || got != tc.want {
			t.Errorf("MNI(%d, %d) = %d, %v; want %d", tc.year, tc.size, got, err, tc.want)
		}
	}
	if _, err := MNI(2020, 3); err == nil {
		t.Error("MNI for 2020: no error, want one (no table)")
	}
	for _, tc := range []struct{ size, want int }{{1, 29380}, {4, 54594}, {7, 77750}, {8, 77750 + 7916}} {
		if got, _ := LICO(tc.size); got != tc.want {
			t.Errorf("LICO(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}

func TestIncomePGPEachYear(t *testing.T) {
	// Size 6: MNI 62,814 (2021), 82,259 (2022), 85,020 (2023). Exactly the
	// MNI meets it; one dollar short fails.
	inc := map[int]int{2021: 63000, 2022: 82259, 2023: 85019}
	r, err := Income(Parent, 6, inc, 2023, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, true, false}
	for i, y := range r.Years {
		if y.Year != 2021+i || y.Met != want[i] {
			t.Errorf("year %d met %v, want %d %v", y.Year, y.Met, 2021+i, want[i])
		}
	}
	if r.Met || r.Basis != "MNI" {
		t.Errorf("met %v basis %s, want false MNI", r.Met, r.Basis)
	}
	inc[2023] = 85020
	if r, _ := Income(Grandparent, 6, inc, 2023, false); !r.Met {
		t.Error("all three years met: test fails, want it met")
	}
	delete(inc, 2022)
	if _, err := Income(Parent, 6, inc, 2023, false); err == nil || !strings.Contains(err.Error(), "tax year 2022 missing") {
		t.Errorf("missing year: error %v", err)
	}
}

func TestIncomeOtherClasses(t *testing.T) {
	if r, err := Income(Spouse, 3, nil, 2023, false); err != nil || r.Basis != "none" || !r.Met {
		t.Errorf("spouse: %+v %v, want no test", r, err)
	}
	r, err := Income(Spouse, 4, map[int]int{2023: 54593}, 2023, true)
	if err != nil || r.Basis != "LICO" || r.Met || r.Years[0].Required != 54594 {
		t.Errorf("spouse with grandchild: %+v %v, want LICO 54,594 not met", r, err)
	}
	r, err = Income(OrphanedRelative, 3, map[int]int{2023: 44966}, 2023, false)
	if err != nil || !r.Met || len(r.Years) != 1 {
		t.Errorf("orphan: %+v %v, want LICO met on one year", r, err)
	}
}

func TestHasIncomeTestAgreesWithIncome(t *testing.T) {
	income := map[int]int{2021: 1e6, 2022: 1e6, 2023: 1e6}
	for _, c := range Classes {
		for _, cwc := range []bool{false, true} {
			it, err := Income(c, 4, income, 2023, cwc)
			if err != nil {
				t.Fatalf("Income(%s, childWithChild %v): %v", c, cwc, err)
			}
			if got, want := HasIncomeTest(c, cwc), it.Basis != "none"; got != want {
				t.Errorf("HasIncomeTest(%s, %v) = %v, want %v (Income basis %s)", c, cwc, got, want, it.Basis)
			}
		}
	}
}

func TestUndertaking(t *testing.T) {
	for _, tc := range []struct {
		c     Class
		age   int
		years int
	}{
		{Parent, 70, 20}, {Grandparent, 80, 20}, {Spouse, 30, 3},
		{DependentChild, 5, 10}, {DependentChild, 12, 10}, // whichever first: 10 < 13
		{DependentChild, 18, 7}, {DependentChild, 21, 4}, {DependentChild, 23, 3},
		{AdoptedChild, 17, 8}, {OrphanedRelative, 10, 10}, {OtherRelative, 40, 10},
	} {
		if got := Undertaking(tc.c, tc.age).Years; got != tc.years {
			t.Errorf("%s aged %d: %d years, want %d", tc.c, tc.age, got, tc.years)
		}
	}
	// Born 2010-06-15, PR on 2026-01-10 (aged 15): 10 years would end
	// 2036-01-09, the 25th birthday is 2035-06-15: ends 2035-06-14.
	birth := pathway.MustDate("2010-06-15")
	if end := Undertaking(DependentChild, 15).End(pathway.MustDate("2026-01-10"), &birth); end != pathway.MustDate("2035-06-14") {
		t.Errorf("end %s, want 2035-06-14", end)
	}
}

func TestCheck(t *testing.T) {
	ok := Sponsor{Age: 30, Status: "pr", LivesInCanada: true}
	if why := Check(ok, Sponsored{Class: Parent, Age: 60}); len(why) != 0 {
		t.Errorf("eligible sponsor: %q", why)
	}
	for _, tc := range []struct {
		name string
		s    Sponsor
		p    Sponsored
		want string
	}{
		{"minor sponsor", Sponsor{Age: 17, Status: "citizen", LivesInCanada: true}, Sponsored{Class: Parent}, "must be 18 or older"},
		{"pr abroad", Sponsor{Age: 30, Status: "pr", WillReturn: true}, Sponsored{Class: Spouse}, "must live in Canada"},
		{"bankrupt", Sponsor{Age: 30, Status: "pr", LivesInCanada: true, Bankrupt: true}, Sponsored{Class: Parent}, "undischarged bankrupt"},
		{"partner in 3 years", Sponsor{Age: 30, Status: "pr", LivesInCanada: true, SponsoredPartnerIn3: true}, Sponsored{Class: Spouse}, "in the last 3 years"},
		{"married child", ok, Sponsored{Class: DependentChild, Age: 20, Married: true}, "under 22 and not married"},
		{"adopted 18", ok, Sponsored{Class: AdoptedChild, Age: 18}, "under 18"},
		{"orphan with a parent", ok, Sponsored{Class: OrphanedRelative, Age: 10}, "both parents dead"},
		{"other relative", Sponsor{Age: 30, Status: "pr", LivesInCanada: true, HasSponsorableRelative: true}, Sponsored{Class: OtherRelative}, "no relative who could be sponsored"},
	} {
		why := Check(tc.s, tc.p)
		if len(why) == 0 || !strings.Contains(strings.Join(why, "; "), tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, why, tc.want)
		}
	}
	// A citizen abroad who will return may sponsor a spouse.
	if why := Check(Sponsor{Age: 30, Status: "citizen", WillReturn: true}, Sponsored{Class: Spouse}); len(why) != 0 {
		t.Errorf("returning citizen: %q", why)
	}
	if why := Check(Sponsor{Age: 40, Status: "citizen", WillReturn: true}, Sponsored{Class: DependentChild, Age: 23, DependentForCondition: true}); len(why) != 0 {
		t.Errorf("dependent for condition: %q", why)
	}
}

func TestLotteryAnalytic(t *testing.T) {
	l := Lottery{Interests: 100000, Quota: 10000, Model: Fixed}
	if l.PerYear() != 0.1 {
		t.Errorf("per year %v, want 0.1", l.PerYear())
	}
	// Fixed: k*Q/N = 0.1, 0.2, 0.3; conditional Q/(N-(k-1)Q) = 1/10, 1/9, 1/8.
	c, cond := l.Cumulative(3), l.Conditional(3)
	for k, w := range []float64{0.1, 0.2, 0.3} {
		if math.Abs(c[k]-w) > 1e-12 || math.Abs(cond[k]-1/float64(10-k)) > 1e-12 {
			t.Errorf("fixed year %d: %v %v, want %v %v", k+1, c[k], cond[k], w, 1/float64(10-k))
		}
	}
	// Consistency: 1 - prod(1 - conditional) equals the cumulative.
	if s := 1 - (1-cond[0])*(1-cond[1])*(1-cond[2]); math.Abs(s-c[2]) > 1e-12 {
		t.Errorf("product of conditionals %v, cumulative %v", s, c[2])
	}
	l.Model = Replenished
	if c := l.Cumulative(3); math.Abs(c[2]-0.271) > 1e-12 { // 1 - 0.9^3
		t.Errorf("replenished 3 years %v, want 0.271", c[2])
	}
	if c := (Lottery{Interests: 500, Quota: 800}).Cumulative(1); c[0] != 1 {
		t.Errorf("quota above interests: %v, want 1", c[0])
	}
}

func TestLotterySimulationMatchesAnalytic(t *testing.T) {
	for _, m := range []Model{Fixed, Replenished} {
		l := Lottery{Interests: 2000, Quota: 300, Model: m}
		rng := rand.New(rand.NewPCG(6, 2026))
		sim := l.Simulate(5, 4000, rng)
		want := l.Cumulative(5)
		for k := range want {
			// The focal sponsor's share is binomial: within 4 standard
			// errors (about 1 in 16,000 by chance per check, fixed seed).
			se := math.Sqrt(want[k] * (1 - want[k]) / 4000)
			if math.Abs(sim.Focal[k]-want[k]) > 4*se {
				t.Errorf("%s year %d: focal %.4f, analytic %.4f (se %.4f)", m, k+1, sim.Focal[k], want[k], se)
			}
			// The cohort share averages 2000 sponsors over 4000 trials:
			// sd about sqrt(p(1-p)/2000)/sqrt(4000) < 2e-4; allow 1e-3.
			if math.Abs(sim.Cohort[k]-want[k]) > 1e-3 {
				t.Errorf("%s year %d: cohort %.5f, analytic %.5f", m, k+1, sim.Cohort[k], want[k])
			}
		}
	}
}

func BenchmarkSimulate(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			l := Lottery{Interests: n, Quota: n / 10, Model: Replenished}
			rng := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				l.Simulate(5, 10, rng)
			}
		})
	}
}
