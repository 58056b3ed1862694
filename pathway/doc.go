// Package pathway holds what the calculators of the wider immigration
// pathway share: a civil date (Date), travel absences and the day-counting
// convention of IRCC's physical presence calculator.
//
// The calculators live in sub-packages: residency (the permanent resident's
// 730-day obligation, IRPA s. 28), citizenship (the 1,095-day physical
// presence test, Citizenship Act s. 5(1)(c)), sponsor (family sponsorship:
// income tests, undertakings, the parents and grandparents lottery) and
// nseoi (Nova Scotia International Graduate Entrepreneur EOI points and
// EOI rounds).
//
// # Counting days
//
// Dates are calendar days with no time zone. An absence runs from a
// departure date to a return date; both of those days count as days IN
// Canada, because the person was in Canada for part of each (IRCC, "Physical
// presence calculator", current rules since 2015-06-11; the same convention
// is applied to the PR residency obligation). An absence from July 1 to July
// 15 is therefore 13 days absent, and a same-day trip is 0 days absent.
// February 29 counts like any other day.
//
// # Windows of N years
//
// The N-year window ending on date D is the run of days from
// D.AddYears(-N)+1 to D, both included: the N years immediately before and
// including D. AddYears keeps the month and day; February 29 in a year that
// has none becomes February 28 (so the 5-year window ending 2024-02-29
// starts 2019-03-01). A 5-year window is 1,826 or 1,827 days long, depending
// on how many February 29s it holds.
package pathway
