// Package nseoi scores an Expression of Interest (EOI) for Nova Scotia's
// International Graduate Entrepreneur stream (Nova Scotia Office of
// Immigration and Population Growth, stream page and points matrix, as
// summarised in pathways.md section 4) and lists the reasons a profile is
// ineligible.
//
// Scoring goes factor by factor (Factors): each factor has a minimum that
// must be met (first official language CLB 7 in all four abilities, a Nova
// Scotia credential, age 21 or more) and a cap; the total is at most 105.
// A profile that misses a minimum, or any of the stream's other
// requirements, is ineligible and has no place in the EOI pool; its points
// are still computed so the user can see them.
//
// The pool rounds that rank scored EOIs live in draws/nseoi.
package nseoi
