package reports

import (
	"flag"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"gonum.org/v1/plot/plotter"
)

// fanOut, when set, keeps the fan charts of TestFanCharts in that folder,
// to look at them: go test ./reports -run FanCharts -fan.out /tmp/fan
var fanOut = flag.String("fan.out", "", "write the fan charts of TestFanCharts to this folder")

// fanStart is the start of the synthetic projections: two weeks after the
// last round of the embedded feed (#388, 2025-12-17).
var fanStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// syntheticRuns returns runs × schedule rows: a CEC round every 2 weeks
// (cutoff around 515, drifting down 2 points a round), a French round
// every 4 weeks (around 400), a PNP round every 2 weeks (around 730), one
// STEM round (a single round: its band is drawn 4 days wide) and one
// general round in which no run invites anyone. Cutoff noise grows with
// the round's distance from the start, as a projection's would.
func syntheticRuns(seed uint64, runs int) []data.RunRow {
	type sched struct {
		at         time.Time
		fam        string
		size       int32
		centre, sd float64
	}
	var s []sched
	for k := range 12 {
		at := fanStart.AddDate(0, 0, 14*k+6).Add(15 * time.Hour)
		s = append(s, sched{at, "cec", 3000, 515 - 2*float64(k), 3 + 1.5*float64(k)})
		s = append(s, sched{at.Add(-24 * time.Hour), "pnp", 800, 730, 8 + float64(k)})
		if k%2 == 1 {
			s = append(s, sched{at.Add(48 * time.Hour), "french", 6000, 400, 6 + float64(k)})
		}
	}
	s = append(s, sched{fanStart.AddDate(0, 2, 3), "stem", 2500, 485, 7})
	s = append(s, sched{fanStart.AddDate(0, 3, 3), "general", 500, 0, 0})
	// Round indexes follow the schedule's time order, as the engine's do.
	for i := range s {
		for j := i; j > 0 && s[j].at.Before(s[j-1].at); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	var rows []data.RunRow
	for run := range runs {
		for i, r := range s {
			row := data.RunRow{Run: int32(run), Round: int32(i), Instant: r.at, Family: r.fam,
				Size: r.size, Invited: r.size, Cutoff: -1, PoolSize: 250000}
			if r.fam != "general" {
				row.Cutoff = int32(math.Round(r.centre + r.sd*rng.NormFloat64()))
				row.TieBreak = r.at.AddDate(0, 0, -20-rng.IntN(30))
			} else {
				row.Invited = 0
			}
			rows = append(rows, row)
		}
	}
	return rows
}

func TestFanFileName(t *testing.T) {
	for fam, want := range map[string]string{
		"cec": "fan-cec.png", "program:fsw+fst": "fan-program-fsw-fst.png", "French": "fan-french.png",
	} {
		if got := FanFileName(fam); got != want {
			t.Errorf("FanFileName(%q) = %q, want %q", fam, got, want)
		}
	}
}

func TestFanCharts(t *testing.T) {
	feed, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	q := Quantiles(syntheticRuns(1, 400))
	dir := t.TempDir()
	if *fanOut != "" {
		dir = *fanOut
	}
	fs, err := data.NewFileSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	names, err := FanCharts(q, feed.Rounds, fanStart, fs)
	if err != nil {
		t.Fatal(err)
	}
	if err := fs.Commit(); err != nil {
		t.Fatal(err)
	}
	// "general" invited nobody in every run: no chart. The others in order
	// of their first round (pnp on day 5, cec on day 6, french on day 22,
	// stem on 03-04).
	want := []string{"fan-pnp.png", "fan-cec.png", "fan-french.png", "fan-stem.png"}
	if len(names) != len(want) {
		t.Fatalf("charts %v, want %v", names, want)
	}
	for i, n := range names {
		if n != want[i] {
			t.Errorf("chart %d = %s, want %s", i, n, want[i])
		}
		checkChartFile(t, filepath.Join(dir, n))
	}
}

// TestFanChartData checks what the CEC chart draws: 12 median points at
// the rounds' instants, bands whose outline follows p95 forward and p5 back,
// and the real CEC cutoffs of 2025 (#388 is 2025-12-17, so the 12 months
// before 2026-01-01 are the whole of 2025).
func TestFanChartData(t *testing.T) {
	feed, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	q := Quantiles(syntheticRuns(1, 200))
	d := newFanData(q, feed.Rounds, "cec", fanStart)
	if d == nil {
		t.Fatal("no chart data")
	}
	var cec []RoundQuantiles
	for _, r := range q {
		if r.Family == "cec" {
			cec = append(cec, r)
		}
	}
	if len(cec) != 12 || len(d.median) != 12 {
		t.Fatalf("%d CEC rounds, %d median points; want 12", len(cec), len(d.median))
	}
	for i, r := range cec {
		if d.median[i] != (plotter.XY{X: TimeX(r.Instant), Y: r.Cutoff[Q50]}) {
			t.Errorf("median %d = %v, want %v at %s", i, d.median[i], r.Cutoff[Q50], r.Instant)
		}
	}
	n := len(d.outer)
	if n != 24 || d.outer[0].Y != cec[0].Cutoff[Q95] || d.outer[n-1].Y != cec[0].Cutoff[Q5] ||
		d.outer[11].Y != cec[11].Cutoff[Q95] || d.outer[12].Y != cec[11].Cutoff[Q5] ||
		d.inner[0].Y != cec[0].Cutoff[Q75] || d.inner[n-1].Y != cec[0].Cutoff[Q25] {
		t.Errorf("band outlines: outer %v, inner %v", d.outer, d.inner)
	}
	var realCEC int
	for _, r := range feed.Rounds {
		if r.Family() == "cec" && r.Date.Year() == 2025 {
			realCEC++
		}
	}
	if len(d.past) != realCEC || realCEC == 0 {
		t.Errorf("real points: %d, want %d CEC rounds of 2025", len(d.past), realCEC)
	}
	// y holds the band and the real points.
	for _, xy := range append(append(plotter.XYs{}, d.outer...), d.past...) {
		if xy.Y < d.ymin || xy.Y > d.ymax {
			t.Errorf("point %v outside y range [%v, %v]", xy, d.ymin, d.ymax)
		}
	}
	// A single round's band is 4 days wide.
	if s := newFanData(q, nil, "stem", fanStart); len(s.outer) != 4 || s.outer[1].X-s.outer[0].X != 4*86400 {
		t.Errorf("single-round band %v", s.outer)
	}
	if newFanData(q, feed.Rounds, "general", fanStart) != nil {
		t.Error("a family without cutoffs got chart data")
	}
}

// TestDataLine: the line names the latest round by instant, whatever the
// order, and is empty without rounds.
func TestDataLine(t *testing.T) {
	at := func(n, day string) data.Round {
		d, _ := time.Parse(time.DateOnly, day)
		return data.Round{Number: n, Date: d, Instant: d.Add(14 * time.Hour)}
	}
	rs := []data.Round{at("388", "2025-12-17"), at("91a", "2018-05-09"), at("387", "2025-12-16")}
	if got, want := DataLine(rs), "Data: IRCC, Express Entry rounds of invitations to #388 of 2025-12-17"; got != want {
		t.Errorf("DataLine = %q, want %q", got, want)
	}
	if got := DataLine(nil); got != "" {
		t.Errorf("DataLine(nil) = %q", got)
	}
	l := WithDataLine(&Layout{Title: "T"}, rs[1:2]).(*Layout)
	if l.Title != "T\nData: IRCC, Express Entry rounds of invitations to #91a of 2018-05-09" {
		t.Errorf("title %q", l.Title)
	}
}
