// Package citizenship computes the physical presence test for Canadian
// citizenship (Citizenship Act s. 5(1)(c), rules in force since 2017-10-11)
// and the checklist of the other requirements.
//
// The calculation, for an application signed on date D:
//
//  1. The eligibility period is the 5 years ending on D
//     (pathway.Date.WindowStart; D itself counts).
//  2. Each day in Canada as a permanent resident counts 1. Each day in
//     Canada before that, within a period declared as an authorized
//     temporary resident or a protected person, counts 1/2; these half days
//     are capped at 365 credited days. Other days before PR count 0.
//  3. Days abroad (pathway's convention: departure and return days are in
//     Canada) and days serving a sentence in Canada (prison, probation,
//     parole) count 0. The exceptions of the PR residency obligation do not
//     apply here.
//  4. The person is eligible when the credit reaches 1,095. With at most 365
//     pre-PR days, at least 730 days as a PR are needed, which is the rule
//     that the test cannot be met with fewer than 2 years as a PR.
//  5. If not eligible, the earliest eligible date is found by rolling the
//     window forward day by day, taking every day after D as a day in Canada
//     as a PR. The credit never falls as the window rolls (each new day adds
//     1, each day dropped removes at most 1), so the first such day is the
//     answer.
//
// Credits are kept in half days (int) so that no rounding happens; Credit
// returns days.
package citizenship
