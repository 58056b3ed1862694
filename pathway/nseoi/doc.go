// Package nseoi works with Nova Scotia's International Graduate
// Entrepreneur stream, an Expression of Interest (EOI) pool: it scores an
// EOI and lists the reasons a profile is ineligible (points.go), and runs
// the pool's rounds of invitations on eesim's draws engine (rounds.go).
// Source: Nova Scotia Office of Immigration and Population Growth, the
// stream page and its points matrix (docs/domain.md, "Nova Scotia EOI").
//
// # Points
//
// Scoring goes factor by factor (Factors): each factor has a minimum that
// must be met (first official language CLB 7 in all four abilities, a Nova
// Scotia credential, age 21 or more) and a cap; the total is at most 105.
// A profile that misses a minimum, or any of the stream's other
// requirements, is ineligible and has no place in the EOI pool; its points
// are still computed so the user can see them.
//
// Language results are CLB levels, or test scores (IELTS, CELPIP, TEF, TCF)
// converted with the CRS's charts (pool/crs), so that an EOI profile takes
// the same results as eesim crs (Language).
//
// # After an invitation
//
// Deadlines lists the steps after an invitation to apply, each with its
// deadline counted from the event that starts it (calendar days, months
// or business days: deadlines.go), and whether it was met.
//
// # Rounds
//
// The pipeline, for a list of EOIs and a list of rounds:
//
//  1. EOIs are put in a pool.Pool with their EOI points as the score
//     (0-105, within pool.MaxScore) and their submission instant.
//  2. Before each round, in date order, the EOIs submitted at or before the
//     round's instant join the pool, an EOI that replaces an earlier one
//     (a candidate who gains points must submit a new EOI) withdraws it, and
//     every EOI whose year is over leaves it: the stream's "at most one year
//     from the date received" is a calendar year (Expires), 366 days when it
//     holds February 29, not the 365 days of pool.Validity, so the pool's
//     own expiry (pool.Advance) is not used.
//  3. draws.Run runs a general round of the round's size: the top N by
//     points, then by submission time (draws.BySubmission: earlier first,
//     invited up to the instant of the last one), or everyone tied at the
//     cutoff (draws.AllTied), as Config.TieBreak says.
//  4. Invited EOIs leave the pool; the result names them by their IDs.
package nseoi
