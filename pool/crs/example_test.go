package crs_test

import (
	"fmt"
	"strings"

	"github.com/eesim/eesim/pool/crs"
)

// A single 29-year-old with a bachelor's degree, IELTS 8/7/7/8.5 (CLB
// 10/9/9/10) and 3 years of foreign work: A1 110 + A2 120 + A3 130 = 360;
// C1 25 (bachelor's, CLB 9+), C2 50 (3 years, CLB 9+). Total 435.
func ExampleScore() {
	p, err := crs.DecodeProfile(strings.NewReader(`{
		"birth_date": "1996-01-10", "education": "bachelors",
		"first_language": {"test": "IELTS", "reading": 8, "writing": 7, "speaking": 7, "listening": 8.5, "test_date": "2025-01-01"},
		"foreign_work_years": 3, "spouse": null}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := crs.Score(p, crs.MustDate("2025-06-01").Time)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Total, b.Core, b.Transferability)
	for _, r := range b.Rows()[:2] {
		fmt.Println(r)
	}
	// Output:
	// 435 360 75
	// A1 age 29, without spouse: 110
	// A2 education bachelors, without spouse: 120
}
