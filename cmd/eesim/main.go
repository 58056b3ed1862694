// Command eesim simulates Express Entry rounds of invitations and reports on
// IRCC's published rounds. Run "eesim help" for the commands.
package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target unless GOGC is set. Runs
// build and drop pools of a few hundred thousand candidates; at Go's
// default of 100 the collector's work slowed 200 twelve-month runs by a
// fifth (17.0 s -> 13.5 s wall at 200, one core), for a peak RSS of 175 MB
// instead of 133 MB.
const gcPercent = 200

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], newSystemStreams()))
}
