// Package draws runs rounds of invitations on a candidate pool with IRCC's
// eligibility and tie-break rules.
package draws
