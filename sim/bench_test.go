package sim

import (
	"context"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// BenchmarkRun12Months is one run of a 12-month projection on the latest
// snapshot (about 240k candidates) with the recent schedule: pool build,
// arrivals, expiry and about 80 rounds.
// go test ./sim -run '^$' -bench Run12Months -benchmem
func BenchmarkRun12Months(b *testing.B) {
	f, err := data.LoadFeed("")
	if err != nil {
		b.Fatal(err)
	}
	start := f.Rounds[len(f.Rounds)-1].Date.AddDate(0, 0, 1)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	set := DefaultSettings(DefaultModel())
	if err := registerModel(set.Model, reg); err != nil {
		b.Fatal(err)
	}
	sc, err := NewScenario(f.Rounds, LatestSnapshot(f.Rounds, start), start, reg, set.Rules)
	if err != nil {
		b.Fatal(err)
	}
	sched := RecentSchedule(f.Rounds, start, 365*24*time.Hour, RecentConfig{}, RunRNG(1, 1<<40))
	for _, s := range sched {
		d, _ := ScheduledToDraws(s, reg)
		sc.Steps = append(sc.Steps, Step{Round: d, Record: true})
	}
	rn, err := NewRunner(sc, set, reg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(sched)), "rounds")
	var out []Outcome
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out = rn.Run(RunRNG(1, i), out[:0], nil)
	}
	_ = context.Background()
}
