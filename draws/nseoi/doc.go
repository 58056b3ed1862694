// Package nseoi runs Expression of Interest (EOI) pool rounds for Nova
// Scotia's International Graduate Entrepreneur stream on eesim's draws
// engine.
//
// The pipeline, for a list of EOIs and a list of rounds:
//
//  1. EOIs are put in a pool.Pool with their EOI points as the score
//     (0-105, within pool.MaxScore) and their submission instant.
//  2. Before each round, in date order, the EOIs submitted at or before the
//     round's instant join the pool, an EOI that replaces an earlier one
//     (a candidate who gains points must submit a new EOI) withdraws it, and
//     pool.Advance expires every EOI one year old: pool.Validity, 365 days,
//     which is the stream's "an EOI stays at most 1 year" (a 366-day year
//     loses its last day; see the report to the lead).
//  3. draws.Run runs a general round of the round's size: the top N by
//     points, then by submission time (draws.BySubmission: earlier first,
//     invited up to the instant of the last one), or everyone tied at the
//     cutoff (draws.AllTied), as Config.TieBreak says.
//  4. Invited EOIs leave the pool; the result names them by their IDs.
package nseoi
