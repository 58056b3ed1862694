package sim

import (
	"fmt"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim/schedule"
)

// BenchmarkRun12Months is one run of a 12-month projection on the latest
// snapshot with the recent schedule, set up as Project sets it up (its
// floors and guesses, those of the pilot run included): pool build,
// arrivals, expiry and 74 rounds (28 of them PNP). The snapshot holds 237k
// candidates; the sub-benchmarks scale it (band counts, arrivals and round
// sizes) to 100k, 250k and 1M.
// go test ./sim -run '^$' -bench Run12Months -benchmem
func BenchmarkRun12Months(b *testing.B) {
	for _, n := range []int{100_000, 250_000, 1_000_000} {
		b.Run(fmt.Sprintf("pool=%dk", n/1000), func(b *testing.B) { benchRun12Months(b, n) })
	}
}

// BenchmarkRunParts splits a run on the 237k-candidate December 2025
// snapshot (recent schedule, its ghosts) into its parts: building the
// synthetic pool, and generating a year of arrivals on it.
// go test ./sim -run '^$' -bench RunParts -benchmem
func BenchmarkRunParts(b *testing.B) {
	rn := benchRunner(b, 0)
	rn.sy.SetLazy(rn.guess != nil) // as a run with no round under its guess
	rng := RunRNG(1, 0)
	b.Run("build", func(b *testing.B) {
		for range b.N {
			rn.sy.Build(rn.p, rng)
		}
		b.ReportMetric(float64(rn.p.Len()), "candidates")
		b.ReportMetric(float64(rn.p.Ghosts()), "ghosts")
	})
	b.Run("arrivals-12mo", func(b *testing.B) {
		rn.sy.Build(rn.p, rng)
		am := rn.sy.ArrivalModel()
		from := rn.sc.SnapshotAt.Unix()
		var buf []float64
		n := 0
		b.ResetTimer()
		for i := range b.N {
			b.StopTimer()
			rn.sy.Build(rn.p, rng)
			b.StartTimer()
			n, buf = am.Generate(rn.p, from, from+int64(pool.Validity/time.Second), RunRNG(2, i), buf)
		}
		b.ReportMetric(float64(n), "arrivals")
	})
}

// BenchmarkRun12MonthsCalibrated is BenchmarkRun12Months at 250k with the
// model calibrated on the feed, as eesim simulate runs it (the calibration,
// about 3 s, is not timed). The calibrated model leaves more candidates
// live than the default one: 58k of the December 2025 pool, against 35k.
// go test ./sim -run '^$' -bench Run12MonthsCalibrated
func BenchmarkRun12MonthsCalibrated(b *testing.B) {
	f, err := data.LoadFeed("")
	if err != nil {
		b.Fatal(err)
	}
	start := f.Rounds[len(f.Rounds)-1].Date.AddDate(0, 0, 1)
	cal, err := CalibrateAsOf(f.Rounds, start, DefaultCalibration)
	if err != nil {
		b.Fatal(err)
	}
	rn := newBenchRunner(b, 250_000, cal.Model())
	var out []Outcome
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = rn.Run(RunRNG(1, i), out[:0], nil)
	}
	b.ReportMetric(float64(rn.Reruns)/float64(b.N), "reruns/op")
}

func benchRun12Months(b *testing.B, size int) {
	rn := benchRunner(b, size)
	var out []Outcome
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = rn.Run(RunRNG(1, i), out[:0], nil)
	}
	b.ReportMetric(float64(len(out)), "rounds")
	b.ReportMetric(float64(rn.Reruns)/float64(b.N), "reruns/op")
}

// benchRunner returns a runner of a 12-month projection from the latest
// snapshot on the recent schedule, its pool scaled to size candidates
// (0: as published).
func benchRunner(b testing.TB, size int) *Runner {
	return newBenchRunner(b, size, DefaultModel())
}

// newBenchRunner is benchRunner with model m.
func newBenchRunner(b testing.TB, size int, m *pool.Model) *Runner {
	f, err := data.LoadFeed("")
	if err != nil {
		b.Fatal(err)
	}
	start := f.Rounds[len(f.Rounds)-1].Date.AddDate(0, 0, 1)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	set := DefaultSettings(m)
	snapshot := f.Rounds[LatestSnapshot(f.Rounds, start)].Snapshot
	if size > 0 {
		set.Scale = float64(size) / float64(snapshot.Sum())
	}
	sched := schedule.RecentSchedule(f.Rounds, start, 365*24*time.Hour, schedule.RecentConfig{}, RunRNG(1, 1<<40).Rand)
	// As Project: floors and guesses, and the pilot run's guesses.
	sc, _, err := projectionScenario(f.Rounds, Config{Start: start, Schedule: sched, Seed: 1, Settings: set}, reg)
	if err != nil {
		b.Fatal(err)
	}
	rn, err := NewRunner(sc, set, reg)
	if err != nil {
		b.Fatal(err)
	}
	return rn
}
