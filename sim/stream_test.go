package sim

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// countRuns is a Progress that counts finished runs.
type countRuns struct{ n atomic.Int64 }

func (c *countRuns) Add(n int) { c.n.Add(int64(n)) }

// TestProjectToStreams checks that ProjectTo hands the runs over in order
// as they finish, never holding more than StreamWindow of them: when run
// k is emitted, at most k+StreamWindow runs have finished (runs are
// dispatched in order; a finished run is either emitted or waiting for an
// older one, and a worker may not finish a run StreamWindow or more ahead
// of the oldest unfinished one). Its rows are those of Project on one
// worker, and an emit error stops the projection early.
func TestProjectToStreams(t *testing.T) {
	f := newOddsFixture(t, 14*24*time.Hour)
	cfg := Config{Start: f.start, Schedule: f.sched, Runs: 3 * StreamWindow, Seed: 5, Workers: 3, Settings: DefaultSettings(DefaultModel())}
	reg := func() *pool.Registry { return pool.NewRegistry(pool.DefaultCategories...) }

	var got []data.RunRow
	prog := &countRuns{}
	k := 0
	err := ProjectTo(context.Background(), f.rounds, cfg, reg(), prog, func(rows []data.RunRow) error {
		if len(rows) == 0 || int(rows[0].Run) != k {
			t.Fatalf("emit %d: rows of run %v", k, rows[:min(1, len(rows))])
		}
		if done := prog.n.Load(); done > int64(k+StreamWindow) {
			t.Errorf("run %d emitted when %d runs had finished: more than %d held", k, done, StreamWindow)
		}
		got = append(got, rows...)
		k++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if k != cfg.Runs {
		t.Fatalf("%d runs emitted, want %d", k, cfg.Runs)
	}
	one := cfg
	one.Workers = 1
	want, err := Project(context.Background(), f.rounds, one, reg(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ProjectTo on 3 workers differs from Project on 1 (%d and %d rows)", len(got), len(want))
	}

	// An emit error stops the runs.
	stop := errors.New("disk full")
	prog = &countRuns{}
	emitted := 0
	err = ProjectTo(context.Background(), f.rounds, cfg, reg(), prog, func(rows []data.RunRow) error {
		emitted++
		if rows[0].Run == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("error %v, want %v", err, stop)
	}
	if emitted != 3 {
		t.Errorf("emit called %d times, want 3 (runs 0-2)", emitted)
	}
	if done := prog.n.Load(); done >= int64(cfg.Runs) {
		t.Errorf("all %d runs ran after the emit error", done)
	}
}
