package crs

import (
	"testing"
	"time"
)

// IRCC's equivalence charts as IRCC prints them: for each CLB level from
// 10 down to 4, the score ranges per ability in IRCC's column order
// reading, writing, listening, speaking (not the package's order). Only
// the lower bound of each range is needed: the upper bound is the next
// level's lower bound minus one step. Source: IRCC "Language test
// equivalency charts" (Express Entry language requirements).
type chartRow struct {
	clb                                   int
	reading, writing, listening, speaking float64
}

var (
	wantIELTS = []chartRow{
		{10, 8.0, 7.5, 8.5, 7.5},
		{9, 7.0, 7.0, 8.0, 7.0},
		{8, 6.5, 6.5, 7.5, 6.5},
		{7, 6.0, 6.0, 6.0, 6.0},
		{6, 5.0, 5.5, 5.5, 5.5},
		{5, 4.0, 5.0, 5.0, 5.0},
		{4, 3.5, 4.0, 4.5, 4.0},
	}
	// TEF Canada, results from 2023-12-10: CLB 10 546-699 / 558-699 /
	// 546-699 / 556-699, CLB 9 503-545 / 512-557 / 503-545 / 518-555, ...
	wantTEF = []chartRow{
		{10, 546, 558, 546, 556},
		{9, 503, 512, 503, 518},
		{8, 462, 472, 462, 494},
		{7, 434, 428, 434, 456},
		{6, 393, 379, 393, 422},
		{5, 352, 330, 352, 387},
		{4, 306, 268, 306, 328},
	}
	// TEF Canada before 2023-12-10: CLB 10 263-300 / 393-450 / 316-360 /
	// 393-450, CLB 9 248-262 / 371-392 / 298-315 / 371-392, ...
	wantOldTEF = []chartRow{
		{10, 263, 393, 316, 393},
		{9, 248, 371, 298, 371},
		{8, 233, 349, 280, 349},
		{7, 207, 310, 249, 310},
		{6, 181, 271, 217, 271},
		{5, 151, 226, 181, 226},
		{4, 121, 181, 145, 181},
	}
	// TCF Canada: CLB 10 549-699 / 16-20 / 549-699 / 16-20, CLB 9 524-548 /
	// 14-15 / 523-548 / 14-15, ...
	wantTCF = []chartRow{
		{10, 549, 16, 549, 16},
		{9, 524, 14, 523, 14},
		{8, 499, 12, 503, 12},
		{7, 453, 10, 458, 10},
		{6, 406, 7, 398, 7},
		{5, 375, 6, 369, 6},
		{4, 342, 4, 331, 4},
	}
)

// TestToCLBBoundaries checks every CLB boundary of every chart: the lowest
// score of a level gives that level, one step below gives the level under
// it (under CLB 4: 0), and the top of the scale gives CLB 10.
func TestToCLBBoundaries(t *testing.T) {
	newScale, oldScale := MustDate("2024-01-01").Time, MustDate("2023-12-09").Time
	for _, c := range []struct {
		test  Test
		date  time.Time
		step  float64
		rows  []chartRow
		top   [4]float64 // reading, writing, listening, speaking maxima
		label string
	}{
		{IELTS, newScale, 0.5, wantIELTS, [4]float64{9, 9, 9, 9}, "IELTS"},
		{TEF, newScale, 1, wantTEF, [4]float64{699, 699, 699, 699}, "TEF"},
		{TEF, oldScale, 1, wantOldTEF, [4]float64{300, 450, 360, 450}, "TEF before 2023-12-10"},
		{TCF, newScale, 1, wantTCF, [4]float64{699, 20, 699, 20}, "TCF"},
	} {
		for _, r := range c.rows {
			for i, a := range []struct {
				ab  Ability
				low float64
			}{{Reading, r.reading}, {Writing, r.writing}, {Listening, r.listening}, {Speaking, r.speaking}} {
				if got := ToCLB(c.test, a.ab, a.low, c.date); got != r.clb {
					t.Errorf("%s %s %g = CLB %d, want %d", c.label, a.ab, a.low, got, r.clb)
				}
				below := r.clb - 1
				if below < 4 {
					below = 0
				}
				if got := ToCLB(c.test, a.ab, a.low-c.step, c.date); got != below {
					t.Errorf("%s %s %g = CLB %d, want %d", c.label, a.ab, a.low-c.step, got, below)
				}
				if r.clb == 10 {
					if got := ToCLB(c.test, a.ab, c.top[i], c.date); got != 10 {
						t.Errorf("%s %s %g (top) = CLB %d, want 10", c.label, a.ab, c.top[i], got)
					}
				}
			}
		}
	}
}

// TestToCLBCELPIP: CELPIP-G levels 4-10 are the same CLB levels; 11 and 12
// count as CLB 10; M (3) and below are under CLB 4 (IRCC chart).
func TestToCLBCELPIP(t *testing.T) {
	want := map[float64]int{0: 0, 1: 0, 2: 0, 3: 0, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 10: 10, 11: 10, 12: 10}
	for score, clb := range want {
		for _, a := range []Ability{Reading, Writing, Speaking, Listening} {
			if got := ToCLB(CELPIP, a, score, time.Time{}); got != clb {
				t.Errorf("CELPIP %s %g = CLB %d, want %d", a, score, got, clb)
			}
		}
	}
}

func TestToCLBDirect(t *testing.T) {
	for lv := 1; lv <= 12; lv++ {
		if got := ToCLB(CLB, Reading, float64(lv), time.Time{}); got != lv {
			t.Errorf("CLB %d = %d", lv, got)
		}
		if got := ToCLB(NCLC, Listening, float64(lv), time.Time{}); got != lv {
			t.Errorf("NCLC %d = %d", lv, got)
		}
	}
}

func TestLanguageExpiry(t *testing.T) {
	l := &Language{Test: CLB, Reading: 9, Writing: 9, Speaking: 9, Listening: 9, TestDate: MustDate("2023-05-31")}
	e := &eras[len(eras)-1]
	// Two years after 2023-05-31 is 2025-05-31: the last scoring day is
	// 2025-05-30 (results "two or more years old" earn nothing).
	for _, c := range []struct {
		on   string
		want bool
	}{{"2023-05-30", false}, {"2023-05-31", true}, {"2025-05-30", true}, {"2025-05-31", false}} {
		if got := l.validOn(MustDate(c.on).Time, e); got != c.want {
			t.Errorf("valid on %s = %v, want %v", c.on, got, c.want)
		}
	}
	// Before 2016-11-19 results did not expire.
	if !l.validOn(MustDate("2030-01-01").Time, &eras[0]) {
		t.Error("launch-era rules expired a result")
	}
}
