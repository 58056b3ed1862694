package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/eesim/eesim/sim"
	"github.com/spf13/cobra"
)

// checkRange returns a bad-input error (exit code 2) naming the flag and
// its documented range (docs/limits.md) when v is outside [lo, hi]
// (sim.CheckRange).
func checkRange(flag string, v, lo, hi int) error {
	return badInput(sim.CheckRange("--"+flag, v, lo, hi))
}

// Ranges of eesim sponsor's numeric flags (docs/limits.md).
const (
	// maxFamilySize: IRCC's MNI table gives sizes 1-7 and an amount for
	// each further person; 30 catches typos.
	maxFamilySize = 30
	// maxInterests bounds --interests: IRCC received about 200,000
	// interests to sponsor in 2020 (docs/domain.md, "Parents and
	// grandparents").
	maxInterests = 10_000_000
	maxYears     = 50
	maxTrials    = 100_000
	maxAge       = 120
)

// checkSponsorFlags checks the ranges of the sponsor flags that were given.
func checkSponsorFlags(cmd *cobra.Command, o *sponsorOptions) error {
	for _, c := range []struct {
		flag      string
		v, lo, hi int
	}{
		{"size", o.Size, 1, maxFamilySize},
		{"interests", o.Interests, 0, maxInterests},
		{"quota", o.Quota, 0, maxInterests},
		{"years", o.Years, 1, maxYears},
		{"trials", o.Trials, 0, maxTrials},
		{"age", o.Age, 0, maxAge},
		{"tax-year", o.TaxYear, 2000, 2100},
	} {
		if !cmd.Flags().Changed(c.flag) {
			continue
		}
		if err := checkRange(c.flag, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	return nil
}

// invalidFlagRE matches pflag's message for a value that does not parse,
// which ends with the Go parser's own error.
var invalidFlagRE = regexp.MustCompile(`^invalid argument (".*") for "(.*)" flag: (strconv\.Parse(Int|Uint|Float|Bool)|.*)`)

// flagError rewrites pflag's message for a value that does not parse
// ("strconv.ParseInt: parsing ...") to say what the flag wants.
func flagError(err error) error {
	m := invalidFlagRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	want := "another value"
	switch m[4] {
	case "Int":
		want = "a whole number"
	case "Uint":
		want = "a whole number, 0 or more"
	case "Float":
		want = "a number"
	case "Bool":
		want = "true or false"
	}
	flag := m[2]
	if i := strings.LastIndex(flag, "--"); i >= 0 {
		flag = flag[i:]
	}
	return fmt.Errorf("%s %s: want %s (docs/limits.md)", flag, m[1], want)
}
