package sim

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// BenchmarkRun12Months is one run of a 12-month projection on the latest
// snapshot with the recent schedule: pool build, arrivals, expiry and about
// 80 rounds. The snapshot holds 237k candidates; the sub-benchmarks scale
// it (band counts, arrivals and round sizes) to 100k, 250k and 1M.
// go test ./sim -run '^$' -bench Run12Months -benchmem
func BenchmarkRun12Months(b *testing.B) {
	for _, n := range []int{100_000, 250_000, 1_000_000} {
		b.Run(fmt.Sprintf("pool=%dk", n/1000), func(b *testing.B) { benchRun12Months(b, n) })
	}
}

func benchRun12Months(b *testing.B, size int) {
	f, err := data.LoadFeed("")
	if err != nil {
		b.Fatal(err)
	}
	start := f.Rounds[len(f.Rounds)-1].Date.AddDate(0, 0, 1)
	reg := pool.NewRegistry(pool.DefaultCategories...)
	set := DefaultSettings(DefaultModel())
	snapshot := f.Rounds[LatestSnapshot(f.Rounds, start)].Snapshot
	set.Scale = float64(size) / float64(snapshot.Sum())
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
