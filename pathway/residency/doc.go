// Package residency computes the residency obligation of a Canadian
// permanent resident (IRPA s. 28): at least 730 days of physical presence in
// every 5-year period.
//
// The calculation, for a landing date L, a travel history and an assessment
// date D:
//
//  1. The travel history is taken as known on D (Clip): an absence that
//     departs after D is left out, one that returns after D is still under
//     way on D, so a past date can be assessed from a longer record. Each
//     day from L to D is credited 1 if the person was in Canada that day,
//     or abroad for a reason IRPA s. 28(2)(a) names (Credits); 0
//     otherwise. Departure and return days count as in Canada (pathway's
//     counting convention).
//  2. The window ending on a day E is the 5 years ending on E
//     (pathway.Date.WindowStart), cut at L. Before the 5th anniversary of
//     landing the window is the time since landing, and the person complies
//     if the days credited plus the days left until the day before the 5th
//     anniversary reach 730 (IRPA s. 28(2)(b)(i)). From then on, the person
//     complies if the window holds at least 730 credited days (s.
//     28(2)(b)(ii)).
//  3. The worst window is the full 5-year window, among those ending between
//     the day before the 5th anniversary and D, that holds the fewest days:
//     an officer may examine any of them.
//  4. ComplyThrough answers "if I leave Canada on D and do not come back,
//     until when do I still comply?": days after D are taken as abroad
//     without an exception, and the windows are rolled forward until the
//     count drops below 730.
package residency
