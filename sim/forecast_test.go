package sim

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
)

// TestPNPForecastLine checks the regression against a least-squares line
// worked by hand. Sizes 100, 200, 300, 400 with cutoffs 800, 760, 780, 700:
// mean size 250, mean cutoff 760; Sxx = 150²+50²+50²+150² = 50000;
// Sxy = (-150)(40)+(-50)(0)+(50)(20)+(150)(-60) = -14000; slope -0.28;
// at size 500: 760 - 0.28·250 = 690.
func TestPNPForecastLine(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 14, 0, 0, 0, time.UTC) }
	pnp := func(d, size, cut int) data.Round {
		return data.Round{Number: "x", Instant: day(d), Type: data.Program, Programs: data.PNP, Invitations: size, Cutoff: cut}
	}
	rounds := []data.Round{
		pnp(1, 100, 800),
		{Number: "c", Instant: day(2), Type: data.Program, Programs: data.CEC, Invitations: 9000, Cutoff: 400},
		pnp(3, 200, 760), pnp(4, 300, 780), pnp(5, 400, 700),
		pnp(9, 10, 100), // after the forecast: must not count
	}
	got, ok := PNPForecast(rounds, day(6), 500)
	if !ok || math.Abs(got-690) > 1e-9 {
		t.Errorf("PNPForecast = %v, %v; want 690", got, ok)
	}
	// Two PNP rounds before day 4: too few for a line.
	if _, ok := PNPForecast(rounds, day(4), 500); ok {
		t.Error("PNPForecast with 2 rounds: want false")
	}
	// Errors of its own walk-forward forecasts: round 4 (day 4) from the
	// first two... two rounds, none; day 5 from 800@100, 760@200, 780@300:
	// mean 200, 780; Sxy = (-100)(20)+0+(100)(0) = -2000; Sxx = 20000;
	// slope -0.1; at 400: 760; error 760-700 = 60.
	errs := PNPErrors(rounds, day(6), 10)
	if len(errs) != 1 || math.Abs(errs[0]-60) > 1e-9 {
		t.Errorf("PNPErrors = %v, want [60]", errs)
	}
	// The window: with PNPWindow rounds of slope -1 and older ones far
	// off, only the window counts.
	var many []data.Round
	for i := 0; i < 10; i++ {
		many = append(many, pnp(1, 100+i, 0))
	}
	for i := 0; i < PNPWindow; i++ {
		many = append(many, data.Round{Number: "y", Instant: time.Date(2025, 2, 1, 0, i, 0, 0, time.UTC),
			Type: data.Program, Programs: data.PNP, Invitations: 100 + i, Cutoff: 900 - i})
	}
	if got, ok := PNPForecast(many, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 200); !ok || math.Abs(got-800) > 1e-9 {
		t.Errorf("PNPForecast over the window = %v, %v; want 800", got, ok)
	}
}

// TestPNPLogFit checks the line on the log of the round size by hand:
// sizes 100, 200 and 400 with cutoffs 800, 780 and 760 lie on a line of
// -20 points per doubling, so a round of 800 forecasts 740, and one of 50
// forecasts 820. Another family's round does not count.
func TestPNPLogFit(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 14, 0, 0, 0, time.UTC) }
	pnp := func(d, size, cut int) data.Round {
		return data.Round{Number: "x", Instant: day(d), Type: data.Program, Programs: data.PNP, Invitations: size, Cutoff: cut}
	}
	rounds := []data.Round{
		pnp(1, 100, 800),
		{Number: "c", Instant: day(2), Type: data.Program, Programs: data.CEC, Invitations: 9000, Cutoff: 400},
		pnp(3, 200, 780), pnp(4, 400, 760),
	}
	for _, tc := range []struct {
		size int
		want float64
	}{{800, 740}, {50, 820}, {400, 760}} {
		got, ok := pnpLogFit(rounds, tc.size)
		if !ok || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("pnpLogFit(size %d) = %v, %v; want %v", tc.size, got, ok, tc.want)
		}
	}
	if _, ok := pnpLogFit(rounds[:3], 800); ok {
		t.Error("pnpLogFit with 2 PNP rounds: want false")
	}
	if _, ok := pnpLogFit(rounds, 0); ok {
		t.Error("pnpLogFit of a round of 0: want false")
	}
}

// TestSelectorPicksLeastPastError runs the selection on a hand-made
// family: the model is off by 10 on each round, the last cutoff by 2, so
// from the second round on "last" wins; before that, with no round where
// both existed, the model is the default.
func TestSelectorPicksLeastPastError(t *testing.T) {
	s := newSelector()
	real := []float64{500, 502, 504, 506}
	var chosen []string
	for i, r := range real {
		c := noCandidates()
		c[0] = r + 10
		if i > 0 {
			c[1] = real[i-1]
		}
		best, errs := s.choose("cec", c)
		chosen = append(chosen, methods[best])
		if i == 3 && !slices.Equal(errs, []float64{-2, -2}) {
			t.Errorf("round %d: past errors of %s = %v, want [-2 -2]", i, methods[best], errs)
		}
		s.observe("cec", c, r, best, c[best])
	}
	want := []string{MethodModel, MethodModel, MethodLast, MethodLast}
	if !slices.Equal(chosen, want) {
		t.Errorf("chosen %v, want %v", chosen, want)
	}
}

// TestMedianCandidate: the median of model, last and mean3 ignores one
// far-off forecaster.
func TestMedianCandidate(t *testing.T) {
	c := noCandidates()
	c[0], c[1], c[2] = 838, 486, 486.5
	if got := c.withMedian()[nMethods-1]; got != 486.5 {
		t.Errorf("median candidate %v, want 486.5", got)
	}
	c[2] = math.NaN()
	if got := c.withMedian()[nMethods-1]; !math.IsNaN(got) {
		t.Errorf("median of 2 candidates %v, want NaN", got)
	}
}

// TestConformalRadius: with errors 1..9 (n=9) the ⌈0.8·10⌉ = 8th smallest
// absolute error is 8, the ⌈0.5·10⌉ = 5th is 5, and a level whose rank is
// past the end (0.95: rank 10) takes the largest, 9; with 3 errors there
// are too few.
func TestConformalRadius(t *testing.T) {
	errs := []float64{-1, 2, -3, 4, 5, -6, 7, 8, -9}
	for _, c := range []struct{ level, want float64 }{{0.8, 8}, {0.5, 5}, {0.95, 9}, {0.01, 1}} {
		if r, ok := conformalRadius(errs, c.level); !ok || r != c.want {
			t.Errorf("level %v: radius %v, %v; want %v", c.level, r, ok, c.want)
		}
	}
	if _, ok := conformalRadius(errs[:3], 0.8); ok {
		t.Error("radius of 3 errors: want false")
	}
}

// TestAdaptiveLevel works adaptive conformal inference by hand: from
// alpha 0.2, a miss moves it by 0.2 × (0.2 - 1) = -0.16 (level 0.96), a
// cover by 0.2 × 0.2 = +0.04; other families keep 0.8.
func TestAdaptiveLevel(t *testing.T) {
	s := newSelector()
	s.adapt("cec", false)
	if got := s.level("cec"); math.Abs(got-0.96) > 1e-12 {
		t.Errorf("after a miss: level %v, want 0.96", got)
	}
	s.adapt("cec", true)
	s.adapt("cec", true)
	if got := s.level("cec"); math.Abs(got-0.88) > 1e-12 {
		t.Errorf("after a miss and two covers: level %v, want 0.88", got)
	}
	if got := s.level("french"); got != 0.8 {
		t.Errorf("untouched family: level %v, want 0.8", got)
	}
}

// TestNewFamilyPriorLOO is the leave-one-out of the new-family prior over
// the first rounds of the seven categories of the embedded feed: each is
// forecast from the other six (later ones included, by the definition of
// the check). The prior's 80% interval must hold at least 5 and its MAE
// must be no worse than the rule "median of the other first cutoffs",
// computed here from the raw rounds.
func TestNewFamilyPriorLOO(t *testing.T) {
	f, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	end := f.Rounds[len(f.Rounds)-1].Instant.Add(time.Second)
	firsts := FirstRounds(f.Rounds, end)
	var fams []string
	for _, fr := range firsts {
		fams = append(fams, fr.Family)
	}
	want := []string{"healthcare", "stem", "french", "trades", "transport", "agriculture", "education"}
	if !slices.Equal(fams, want) {
		t.Fatalf("first rounds of %v, want %v", fams, want)
	}
	// The rule, from the rounds themselves: the first cutoff of each
	// category family.
	first := map[string]float64{}
	for _, r := range f.Rounds {
		if r.Type == data.Category {
			if _, ok := first[r.Family()]; !ok {
				first[r.Family()] = float64(r.Cutoff)
			}
		}
	}
	var maePrior, maeRule float64
	covered := 0
	for i, fr := range firsts {
		others := append(append([]FirstRound(nil), firsts[:i]...), firsts[i+1:]...)
		pred, lo, hi, samples := PriorFromFirsts(others, fr.Ref, fr.Size)
		if len(samples) == 0 || lo > pred || hi < pred {
			t.Errorf("%s: prior %v [%v, %v] with %d samples", fr.Family, pred, lo, hi, len(samples))
		}
		var rest []float64
		for _, fam := range want {
			if fam != fr.Family {
				rest = append(rest, first[fam])
			}
		}
		slices.Sort(rest)
		rule := (rest[2] + rest[3]) / 2 // six values
		real := float64(fr.Cutoff)
		maePrior += math.Abs(pred-real) / 7
		maeRule += math.Abs(rule-real) / 7
		if lo <= real && real <= hi {
			covered++
		}
		t.Logf("%-12s real %3.0f prior %5.1f [%3.0f, %3.0f] rule %5.1f", fr.Family, real, pred, lo, hi, rule)
	}
	t.Logf("LOO: prior MAE %.1f, rule MAE %.1f, covered %d of 7", maePrior, maeRule, covered)
	if covered < 5 {
		t.Errorf("80%% interval holds %d of 7 first cutoffs, want at least 5", covered)
	}
	if maePrior > maeRule+1e-9 {
		t.Errorf("prior MAE %.1f, worse than the median rule's %.1f", maePrior, maeRule)
	}
	// The walk-forward form: the first round of healthcare had no earlier
	// first round, so the prior is the wide fallback.
	_, lo, hi, _ := NewFamilyPrior(f.Rounds, firsts[0].Instant, firsts[0].Size, "")
	if lo != newFamilyFloor || hi != firsts[0].Ref {
		t.Errorf("fallback interval [%v, %v], want [%d, %v]", lo, hi, newFamilyFloor, firsts[0].Ref)
	}
}
