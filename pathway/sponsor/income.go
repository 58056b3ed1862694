package sponsor

import (
	"fmt"
	"sort"
)

// mni is the Minimum Necessary Income (LICO + 30%) for parents and
// grandparents, by tax year and family size 2..7, and the amount for each
// extra person. Source: IRCC, "Sponsor your parents and grandparents:
// income requirements" (IMM 5768 table); docs/domain.md, "Sponsorship".
// The 2021 figures are lower because the requirement was relaxed
// for that year (temporary public policy, 2021 tax year).
var mni = map[int]struct {
	bySize [8]int // index = family size; 0 and 1 unused
	extra  int
}{
	2023: {[8]int{0, 0, 44530, 54743, 66466, 75384, 85020, 94658}, 9636},
	2022: {[8]int{0, 0, 43082, 52965, 64306, 72935, 82259, 91582}, 9324},
	2021: {[8]int{0, 0, 32898, 40444, 49106, 55694, 62814, 69934}, 7120},
}

// lico is the low income cut-off for the other classes, most recent year,
// by family size 1..7, and each extra person. Source: IRCC, "Low income
// cut-off (LICO)" table for sponsors (IMM 5768); docs/domain.md,
// "Sponsorship".
var lico = struct {
	bySize [8]int
	extra  int
}{[8]int{0, 29380, 36576, 44966, 54594, 61920, 69834, 77750}, 7916}

// PGPTaxYears is the number of tax years the MNI must be met for, each of
// the years before applying (IRPR s. 133(1)(j)(i)(A)).
const PGPTaxYears = 3

// MNI returns the Minimum Necessary Income for a family size (2 or more:
// the sponsor and at least one parent) in a tax year.
func MNI(year, size int) (int, error) {
	t, ok := mni[year]
	if !ok {
		return 0, fmt.Errorf("sponsor: no MNI table for tax year %d (have %v)", year, MNIYears())
	}
	if size < 2 {
		return 0, fmt.Errorf("sponsor: family size %d: the MNI starts at 2 (the sponsor and one parent)", size)
	}
	if size <= 7 {
		return t.bySize[size], nil
	}
	return t.bySize[7] + (size-7)*t.extra, nil
}

// MNIYears returns the tax years with an MNI table, ascending.
func MNIYears() []int {
	var ys []int
	for y := range mni {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// LICO returns the low income cut-off for a family size of 1 or more.
func LICO(size int) (int, error) {
	if size < 1 {
		return 0, fmt.Errorf("sponsor: family size %d: want 1 or more", size)
	}
	if size <= 7 {
		return lico.bySize[size], nil
	}
	return lico.bySize[7] + (size-7)*lico.extra, nil
}

// Family lists who counts in the family size (IRCC, "Sponsor your parents
// and grandparents: income requirements", "How to calculate your family
// size").
type Family struct {
	SponsorSpouse     bool `json:"sponsor_spouse"`     // the sponsor's spouse or partner
	SponsorChildren   int  `json:"sponsor_children"`   // dependent children of the sponsor or spouse
	EarlierSponsored  int  `json:"earlier_sponsored"`  // people still under earlier undertakings
	Sponsored         int  `json:"sponsored"`          // the people sponsored now (e.g. both parents)
	SponsoredChildren int  `json:"sponsored_children"` // their dependants, even those not coming
}

// Size returns the family size: the sponsor plus everyone listed.
func (f Family) Size() int {
	n := 1 + f.SponsorChildren + f.EarlierSponsored + f.Sponsored + f.SponsoredChildren
	if f.SponsorSpouse {
		n++
	}
	return n
}

// Validate checks that no count is negative and someone is sponsored.
func (f Family) Validate() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"sponsor_children", f.SponsorChildren}, {"earlier_sponsored", f.EarlierSponsored}, {"sponsored", f.Sponsored}, {"sponsored_children", f.SponsoredChildren}} {
		if c.v < 0 {
			return fmt.Errorf("family.%s: %d is negative", c.name, c.v)
		}
	}
	if f.Sponsored < 1 {
		return fmt.Errorf("family.sponsored: %d, want at least 1", f.Sponsored)
	}
	return nil
}

// YearCheck is the income test of one tax year.
type YearCheck struct {
	Year     int
	Income   int
	Required int
	Met      bool
}

// IncomeTest is the outcome of the income test.
type IncomeTest struct {
	// Basis is "MNI", "LICO" or "none".
	Basis string
	Size  int
	Years []YearCheck
	Met   bool
	Note  string
}
