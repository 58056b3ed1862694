// Package pool holds a pool of Express Entry candidates in columnar form,
// and builds synthetic pools from the CRS distributions IRCC publishes.
//
// # Storage
//
// A Pool keeps one column per attribute (score, submission instant, one
// byte packing state with programs and nomination bits, category bits)
// and, per score, a queue of candidate IDs in submission order, plus one
// such queue per score for each category, so that a category round walks
// only that category's candidates. Choosing the top N eligible
// candidates by (CRS descending, submission ascending) walks the queues from
// 1200 down: no sort, cost proportional to the candidates looked at plus the
// score range. Invited and expired candidates are marked, not moved; a
// queue is compacted when a round is about to walk it and more than half
// of it has left (Pool.Tidy; a category's queues when its previous round
// found them mostly departed, Pool.TidyCat), so queues no round walks cost
// nothing. A round never compacts a score's queues after inviting from
// them, so a decline just after a round needs no search (Pool.Mark,
// Pool.DeferInvited). When candidates are
// added in submission order (the synthetic pool and arrivals are), IDs are
// in submission order too and expiry is a pointer walk from the oldest; a
// candidate added after someone submitted later (an odds candidate, say)
// is placed in its queues by a search and kept on a short list that
// Advance checks, and changes nothing for the rest;
// generators queue them in batches, score by score, and a category's new
// candidates join its queues when something next reads them.
// A round reads one byte per candidate it passes and looks up, in a
// 64-entry table compiled from the round, the program the candidate is
// invited under or that it is not eligible (draws.Run, Pool.Take).
//
// # Ghosts
//
// A run knows its rounds before it starts, so it knows which combinations
// of programs, nomination and categories no round of it can invite (with
// the 2025 round mix, a candidate without CEC, a nomination or a category
// with rounds: about half the pool). Those candidates are ghosts
// (Pool.AddGhost): a submission instant and a band, counted in the pool's
// size and band counts and expired at 12 months, but never queued. A
// synthetic pool's ghosts are only counted, per band and window, as
// batches (GhostBatch). A pool keeps a batch as its counts between the
// instants at which it will be advanced (Pool.SetCuts), drawn from the
// batch's seed, so a ghost costs nothing, even when it expires. Made full
// candidates (Synthesizer.MaterializeGhosts, for tests), a batch's ghosts
// get instants consistent with those counts, from the same seed, and
// change no other random number, so a run gives the same rounds and pool
// sizes either way (candidates that never matter to a round may be kept
// as counts: docs/performance.md, "Where the time goes"). A round also
// never ranks under its lowest score (its floor; 600 for a PNP round), so
// a candidate under the floor of every round open to it is a ghost as well
// (Live).
//
// Arrivals are a Poisson process, and so are its parts: live arrivals are
// drawn one by one from tables restricted to live classes and scores, and
// ghost arrivals are only counted, per band and span between rounds, as a
// GhostBatch. A Synthesizer may also be given a guess
// (SetGuess): live candidates under it are dormant, drawn after the rest
// from a stream of their own, and kept as ghosts in a lazy run; a run
// that finds a round going under its guess runs again in full (package
// sim), with the same random numbers.
//
// # Synthetic pools: the window model
//
// A published snapshot gives counts in 15 bands. Within a band, eesim does
// not spread candidates uniformly. A candidate at score s with attributes a
// can only be in the pool if it submitted after the last round that would
// have invited it (a round it was eligible for, with cutoff at or below s;
// at the cutoff score itself, after the round's tie-break instant), and
// within the last 12 months. Call that span its window W(s, a). If profiles
// arrive at a steady rate with score density f(s), the pool holds f(s)·W(s,a)
// of them: so the within-band shape is the arrival density times the
// window, and submission instants are uniform over the window. This makes
// the 501-600 band bottom-heavy by construction (rounds keep draining its
// top; docs/domain.md, "The 501-600 band is bottom-heavy"), per
// eligibility class (CEC candidates above the last CEC cutoff are recent;
// FSW-only candidates are not drained by CEC rounds), and it puts
// tie-break instants where the record shows them.
//
// Defaults (Model; sim.DefaultModel gives the priors, calibration fits them):
//   - arrival density: uniform within every band except 501-600, where it
//     falls as exp(-Tilt·x - Curve·x²), x = s-501, and 601-1200, the
//     provincial nominees,
//     none below TopFloor and an exponential tail of scale TopScale above;
//   - attributes: independent draws from per-band pool shares for CEC,
//     FSW, FST, nomination and each category; a candidate with no federal
//     program gets FSW (everyone in the pool meets one);
//   - the band counts of a synthetic pool equal the snapshot exactly.
//
// # Arrivals
//
// The same model gives the arrival flow: a candidate who can stay W seconds
// stands for 1/W arrivals per second, so a band's arrival rate is the sum of
// 1/W over its candidates: eesim takes its expectation under the synthetic
// model (the band's count times the mean of 1/W over its mix), which is
// the same for every synthetic draw, so a runner builds its arrival model
// once. Arrivals take the band's arrival shares of
// programs, nomination and categories and its arrival density of scores:
// weighting pool candidates by 1/W gives the same mix in expectation
// (classes that are invited quickly arrive more often than their pool share
// shows). Counts are Poisson; instants uniform. Scores, attributes and bands
// are drawn from alias tables (Walker, Vose), one random number each; the
// band, class and lowest live score of a live arrival come from one table.
package pool
