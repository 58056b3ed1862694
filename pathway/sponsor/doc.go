// Package sponsor evaluates a family sponsorship: the sponsor's
// eligibility, the family size, the income test (the Minimum Necessary
// Income over 3 tax years for parents and grandparents; the low income
// cut-off for the other classes that have one), the length of the
// undertaking, and the odds of the parents and grandparents (PGP) lottery.
//
// The lottery odds are given in closed form (Lottery.Cumulative) under two
// models of the pool of interests, and checked by simulating the draws
// themselves (Lottery.Simulate):
//
//  1. Fixed: the pool is the same interests every year (as IRCC did from
//     2021, reusing the 2020 interests), invitees leave it, nobody joins.
//     A sponsor's place in a random order of the pool is uniform, so the
//     chance of an invitation by year k is min(1, kQ/N).
//  2. Replenished: the pool is back to N every year (new interests replace
//     the invitees) and each year's selection is independent: 1-(1-Q/N)^k.
package sponsor
