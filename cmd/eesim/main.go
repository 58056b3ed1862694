// Command eesim simulates Express Entry rounds of invitations and reports on
// IRCC's published rounds. Run "eesim help" for the commands.
package main

import (
	"os"
)

func main() {
	ctx, stop := signalContext()
	code := runContext(ctx, os.Args[1:], newSystemStreams())
	stop()
	os.Exit(code)
}
