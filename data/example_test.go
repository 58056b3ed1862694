package data_test

import (
	"fmt"
	"time"

	"github.com/eesim/eesim/data"
)

// Reading IRCC's rounds feed: LoadFeed("") reads the copy embedded in the
// binary (a path reads a newer download of ee_rounds_123_en.json). Rounds
// are oldest first. The first round, as IRCC published it: 31 January
// 2015, 779 invitations, lowest score invited 886.
func ExampleLoadFeed() {
	f, err := data.LoadFeed("")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := f.Rounds[0]
	fmt.Println(f.Source, r.Number, r.Date.Format(time.DateOnly), r.Invitations, r.Cutoff)
	// Output: embedded 1 2015-01-31 779 886
}
