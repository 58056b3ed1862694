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
//  3. Replay the real rounds between the snapshot and the start to their
//     published cutoff and tie-break instant (so the pool is drained where
//     IRCC drained it), then run the scheduled rounds by size. Between
//     rounds, profiles arrive (Poisson; rates implied by the pool, with the
//     nominees' rate and each category's least rate measured from the
//     record: NomineeInflow, CategoryInflow), expire at 12 months, and a
//     share of invitees decline and return.
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
//     (draws.Rules; observed in the feed, docs/domain.md, "Who is ranked in which round").
//   - The recent schedule is drawn afresh for every run (RecentDraw,
//     ScheduleRNG), so the runs' spread holds when rounds come, their sizes
//     and their mix; a user's schedule is the same in every run.
//   - Each run adds the model's own error to its cutoffs (ErrorModel): a
//     level per family and a noise per round, resampled from the
//     calibrator's walk-forward errors before the start; PNP cutoffs are
//     the line on round size (PNPForecast) with its own errors, and a
//     family with no real round takes the prior of first rounds
//     (NewFamilyPrior). So the runs' spread is a predictive distribution,
//     not only Monte Carlo noise (docs/model.md, "Predictive distribution").
//   - A projected category round ranks no one more than 40 points under
//     its family's lowest cutoff of the last 12 months (FamilyFloors): the
//     synthetic pool cannot see candidates gaining a category inside the
//     pool, and a burst of rounds could otherwise run it dry and report
//     cutoffs near 0. Such a round invites fewer than its size, visibly.
//   - Ghosts and guesses (speed, not the model): candidates no round of
//     the run is open to, or who score under the floor of every round
//     open to them, are ghosts (see package pool). General and program
//     rounds (not PNP) also get a guess (GuessFloors): 40 points under
//     their family's lowest cutoff of the last 12 months; and every
//     family but PNP one learned from a pilot run of the projection
//     (learnGuesses): 15 points under its lowest cutoff there, when that
//     is higher (none if a round of it came up short). A run first keeps
//     the candidates under every guess as ghosts too; the moment a round
//     goes under its guess, it starts again from the same random state
//     with them as candidates. Both are exact: TestGhostsChangeNothing
//     and TestGuessChangesNothing check that runs give identical outcomes
//     either way. The guesses do decide which random numbers a run draws
//     (the synthetic pool is split by them), so they are fixed before the
//     runs, from the seed: the same at any worker count and in every
//     shard, and the same at every point of a what-if. Runs with an odds
//     candidate always run in full.
//
// # Calibration (Calibrator)
//
// One pass over the real rounds in time order. Each round with a snapshot is
// replayed on a half-scale synthetic pool built from its own snapshot with
// the current model; the number of eligible candidates the model puts at or
// above the real cutoff is set against the real size N (IRCC invited exactly
// the N eligible at or above it). The log ratio moves the parameter the
// round's family identifies (CEC share, a category's share, the 501-600
// slope), by 70% of the way; a general round whose cutoff is high in
// 501-600 moves the band's curvature by its cutoff error, and a PNP round
// the nominees' low edge by a fifth of its error. The model after round k uses
// rounds up to k only, so walk-forward forecasts are leak-free: round k is
// predicted before the calibrator observes it. A category never seen before
// starts at the mean share of the known ones, and the output says so.
//
// A category round's simulated cutoff is then pulled towards its family's
// last cutoff by β times their distance (Shrink): β is the slope of the
// past category rounds' errors on that distance, fitted on rounds before
// the one predicted. The pool model cannot see a category refilled between
// rounds by candidates who gain it, so a prediction far from the last
// cutoff overshoots (β came out near 0.2-0.35 in 2023-2025).
//
// Each observed round also leaves its one-step errors (simulated, pulled,
// minus real cutoff, in replay and walk-forward form). Backtest predictions are
// corrected by minus the median of the family's last 15 errors, and their
// 80% interval is the 10th-90th percentile of those errors around the
// prediction: split-conformal calibration on past rounds only. Before a
// category or CEC round is predicted, a capacity guard makes sure the
// prediction's model copy has 1.1 N eligible candidates at or above 20
// points under the family's lowest cutoff of the last 12 months (IRCC sizes
// rounds to its pool).
//
// This is docs/model.md (calibration) done online and per round, rather than a
// full history replay from 2022: the window model reproduces the drained
// shape that history replay would build, at the cost of one pool per round.
//
// # Odds backtest (OddsBacktest)
//
//  1. At the first of each month S, only the rounds before S are known:
//     one Calibrator walked forward gives the model as of S, schedule.RecentSchedule
//     the rounds to project, Project the runs.
//  2. A grid of synthetic candidates (DefaultOddsGrid or a file,
//     ReadOddsGrid) is scored per month m: P is the share of runs in which
//     FirstInvitation on the run's own rounds is before S + m months; the
//     truth is FirstInvitation on the real rounds from S, and the naive
//     forecast is whether a family open to the candidate last cut at or
//     below their score.
//  3. Brier, LogLoss (clipped) and Reliability score the forecasts,
//     per family (ScoreOdds).
//
// # Odds and what-if
//
// Odds judges the candidate on the runs of the projection: the first round
// of a run whose predictive cutoff is under their score (or equal, with the
// tie-break at or after their submission) invites them, by the rule the
// odds backtest scores (FirstInvitation). Every candidate is judged on the
// same runs (common random numbers: a higher score or an earlier
// submission never lowers the odds). WhatIf reruns the projection at each
// point of a sweep of draw size, cadence or mix, on one fixed schedule.
package sim
