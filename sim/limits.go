package sim

import (
	"fmt"

	"github.com/eesim/eesim/data"
)

// Limits of a projection (docs/limits.md). They bound the work and the
// memory of one command, so that a request too large for the machine is
// refused with a clear message before anything is allocated.
const (
	// MaxRuns is the largest number of Monte Carlo runs of one command.
	// At about 12 ms per 12-month run (docs/performance.md) it is some 3
	// hours of CPU.
	MaxRuns = 1_000_000

	// MaxBacktestRuns is the largest --runs of eesim backtest, whose runs
	// are per real round (about 400 of them): 10,000 runs per round is
	// some 4 million runs.
	MaxBacktestRuns = 10_000

	// MaxWorkers is the largest number of parallel workers; each holds
	// its own copy of the pool (about 30-60 MB).
	MaxWorkers = 256

	// MaxHorizonDays is the longest projection horizon, 10 years: the
	// recent schedule repeats 6 months of rounds, and nothing in the
	// record supports a longer projection.
	MaxHorizonDays = 3660

	// MaxScheduleRounds is the largest number of rounds in a schedule
	// (--schedule FILE): 10 years of weekly rounds of 9 families.
	MaxScheduleRounds = 5000

	// MemoryBudget is the memory, in bytes, that the results of one
	// projection may take, beyond the pools of the workers: for eesim
	// simulate, the cutoffs and tie-breaks of every run and round that
	// the quantiles need (BytesPerRunRound each). The runs themselves
	// are streamed to the output files (ProjectTo), never held.
	MemoryBudget = 2 << 30

	// BytesPerRunRound bounds what eesim simulate keeps per run and
	// projected round (reports.QuantileAccumulator, growth included).
	BytesPerRunRound = 48
)

// CheckMemory returns an error if runs of a schedule of rounds rounds
// would keep more than MemoryBudget bytes (BytesPerRunRound per run and
// round). The message says how many runs fit.
func CheckMemory(runs, rounds int) error {
	if rounds <= 0 || runs <= 0 {
		return nil
	}
	need := int64(runs) * int64(rounds) * BytesPerRunRound
	if need <= MemoryBudget {
		return nil
	}
	fit := MemoryBudget / (int64(rounds) * BytesPerRunRound)
	return fmt.Errorf("%d runs of %d projected rounds need about %.1f GiB for the cutoff quantiles, over the %.0f GiB budget (docs/limits.md): at most %d runs with this schedule, or a shorter --horizon",
		runs, rounds, float64(need)/(1<<30), float64(MemoryBudget)/(1<<30), fit)
}

// CheckRange returns an error naming the flag (or field) and its
// documented range when v is outside [lo, hi], as every command and the
// web view say it: "--runs 0 is out of range: want 1 to 1,000,000
// (docs/limits.md)".
func CheckRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s %d is out of range: want %s to %s (docs/limits.md)", name, v, data.Thousands(lo), data.Thousands(hi))
	}
	return nil
}
