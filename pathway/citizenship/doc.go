// Package citizenship computes the physical presence test for Canadian
// citizenship (Citizenship Act s. 5(1)(c), rules in force since 2017-10-11)
// and the checklist of the other requirements.
//
// The calculation, for an application signed on date S:
//
//  1. The eligibility period is the 5 years immediately before S: the
//     5-year window ending on S-1 (pathway.Date.WindowStart). The signing
//     day itself does not count: the Act counts "the five years
//     immediately before the date of application", and IRCC's guide asks
//     the applicant to be eligible on the day before signing
//     (docs/domain.md, "Citizenship").
//  2. Each day in Canada as a permanent resident counts 1. Each day in
//     Canada before that, within a period declared as an authorized
//     temporary resident or a protected person, counts 1/2; these half days
//     are capped at 365 credited days. Other days before PR count 0.
//  3. Days abroad (pathway's convention: departure and return days are in
//     Canada) and days serving a sentence in Canada (prison, probation,
//     parole) count 0, except days abroad as a PR in Crown service: with
//     the Canadian Armed Forces, the federal public administration or a
//     provincial public service, or accompanying a spouse, partner or
//     parent so employed (s. 5(1.01), (1.02)), which count 1 (Credits).
//     The residency obligation's other exceptions do not apply here.
//  4. The person is eligible when the credit reaches 1,095. With at most 365
//     pre-PR days, at least 730 days as a PR are needed, which is the rule
//     that the test cannot be met with fewer than 2 years as a PR.
//  5. If not eligible, the earliest eligible signing date is found by
//     rolling the period forward day by day, taking every day after S as a
//     day in Canada as a PR. The credit never falls as the period rolls
//     (each new day adds 1, each day dropped removes at most 1), so the
//     first such date is the answer.
//
// Credits are kept in half days (int) so that no rounding happens; Credit
// returns days.
package citizenship
