// Command eesim simulates Express Entry rounds of invitations and reports on
// IRCC's published rounds. Run "eesim help" for the commands.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], newSystemStreams()))
}
