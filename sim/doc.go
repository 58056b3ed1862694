// Package sim is eesim's Monte Carlo engine: it replays and projects rounds
// of invitations on synthetic pools, calibrates the pool model on the real
// record, and backtests itself.
//
// # Pipeline of a projection (Project)
//
//  1. Take the latest published snapshot on or before the start, and the
//     real rounds of the 12 months before it (they shape the pool: see the
//     window model in package pool).
//  2. For each run, with its own random stream RunRNG(seed, run): build a
//     synthetic pool with exactly the snapshot's band counts.
//  3. Replay the real rounds between the snapshot and the start with their
//     real types and sizes, then run the scheduled rounds. Between rounds,
//     profiles arrive (Poisson, rates implied by the pool), expire at 12
//     months, and a share of invitees decline and return.
//  4. Record per run and round the cutoff, tie-break instant, invitations
//     per program and pool size, into per-run slots: results do not depend
//     on the number of workers, and a shard k/n is a contiguous slice of runs
//     with the same per-run seeds.
//
// # Choices and defaults
//
//   - Declines: 5% of invitees decline and return to the pool 30 days later
//     with their original timestamp. IRCC publishes no per-round decline
//     rate; about 30% of ITAs never became applications (Year-End Report
//     2015), but most of those lapse at 60 days, which removes the profile.
//   - Nominees are not ranked in CEC, FSW, FST or category rounds
//     (draws.Rules; observed in the feed, domain notes section 4).
//   - The recent schedule is drawn once from the seed and shared by all runs,
//     so quantiles.csv has one row per projected round; run-to-run spread
//     comes from the pool, arrivals and declines.
//
// # Calibration (Calibrator)
//
// One pass over the real rounds in time order. Each round with a snapshot is
// replayed on a quarter-scale synthetic pool built from its own snapshot with
// the current model; the number of eligible candidates the model puts at or
// above the real cutoff is set against the real size N (IRCC invited exactly
// the N eligible at or above it). The log ratio moves the parameter the
// round's family identifies (CEC share, a category's share, the 501-600
// tilt, the nominee centre), by 70% of the way. The model after round k uses
// rounds up to k only, so walk-forward forecasts are leak-free: round k is
// predicted before the calibrator observes it. A category never seen before
// starts at the mean share of the known ones, and the output says so.
//
// This is the design's section 3 done online and per round, rather than a
// full history replay from 2022: the window model reproduces the drained
// shape that history replay would build, at the cost of one pool per round.
package sim
