// Package schedule holds the rounds a projection runs: reading a user's
// schedule file (LoadSchedule, ParseSchedule: CSV or JSON, see
// docs/datasets.md) and generating one from the recent record
// (RecentSchedule: the cadence, mix and sizes of the last months of real
// rounds, see docs/model.md).
//
// A ScheduledRound is a round to run, by size; package sim converts it to a
// draws.Round and runs it on a pool.
package schedule
