package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/sim"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// streams are the command's standard streams, injected so that tests can use
// buffers (after gh's iostreams).
type streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// ErrIsTerminal reports whether Err is a terminal: progress bars are
	// drawn only then.
	ErrIsTerminal bool
	// CacheDir is the folder of the calibration cache; "" turns the cache
	// off (tests leave it so, and never read a user's cache).
	CacheDir string
	// Quiet (--quiet) drops warnings, notes and progress bars; errors
	// are still printed. Verbose (--verbose) lists every data-quality
	// warning of the rounds feed instead of a one-line summary.
	Quiet, Verbose bool
}

// warnf prints a warning on Err, unless --quiet.
func (s *streams) warnf(format string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.Err, "warning: "+format+"\n", args...)
	}
}

// notef prints a line of information on Err, unless --quiet.
func (s *streams) notef(format string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.Err, format+"\n", args...)
	}
}

func newSystemStreams() *streams {
	return &streams{
		In:            os.Stdin,
		Out:           os.Stdout,
		Err:           os.Stderr,
		ErrIsTerminal: term.IsTerminal(int(os.Stderr.Fd())),
		CacheDir:      userCacheDir(),
	}
}

// userCacheDir is where calibrations are cached: $EESIM_CACHE_DIR, or
// eesim under the user's cache directory ($XDG_CACHE_HOME or ~/.cache on
// Linux); "" (no cache) when there is none.
func userCacheDir() string {
	if d := os.Getenv("EESIM_CACHE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "eesim")
}

// calibrationCache is the calibration cache of s: none when s.CacheDir is
// "", else keyed by a hash of the eesim executable, so that any change to
// the code invalidates it.
func calibrationCache(s *streams) sim.CalibrationCache {
	if s.CacheDir == "" {
		return sim.CalibrationCache{}
	}
	exe, err := os.Executable()
	if err != nil {
		return sim.CalibrationCache{}
	}
	f, err := os.Open(exe)
	if err != nil {
		return sim.CalibrationCache{}
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sim.CalibrationCache{}
	}
	return sim.CalibrationCache{Dir: s.CacheDir, Code: hex.EncodeToString(h.Sum(nil))}
}

// exitError carries an exit code with an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks err as bad usage or bad input: exit code 2.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: 2, err: err}
}

// badInputf is badInput(fmt.Errorf(format, args...)).
func badInputf(format string, args ...any) error {
	return badInput(fmt.Errorf(format, args...))
}

func newRootCmd(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "eesim",
		Short: "Express Entry draw simulation and analytics",
		Long: `eesim models Canada's Express Entry rounds of invitations.

It reads IRCC's published rounds feed (the newest of the embedded copy and
the one eesim update downloads; --rounds FILE or URL for another), builds a synthetic candidate pool from the published CRS
distribution, runs general, program and category rounds with IRCC's
tie-break rule, and projects cutoffs and invitation odds by Monte Carlo.`,
		Example: `  # Project cutoffs for the next 6 months on the embedded data
  eesim simulate --out out/sim

  # Charts and CSV of the real rounds record
  eesim history --out out/history

  # Write the rounds feed as Arrow and Parquet datasets
  eesim ingest --out out/data`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       buildVersion(),
	}
	addRootFlags(root, s)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetIn(s.In)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return badInput(flagError(err)) })
	root.AddCommand(
		newSimulateCmd(s),
		newReportCmd(s),
		newOddsCmd(s),
		newWhatIfCmd(s),
		newBacktestCmd(s),
		newCalibrateCmd(s),
		newHistoryCmd(s),
		newIngestCmd(s),
		newUpdateCmd(s),
		newCrsCmd(s),
		newServeCmd(s),
		newResidencyCmd(s),
		newCitizenshipCmd(s),
		newSponsorCmd(s),
		newNSEOICmd(s),
		newVersionCmd(s),
	)
	strictCompletion(root)
	return root
}

// addRootFlags adds the flags of every command to root: --quiet and
// --verbose (bound to s), and the hidden --cpuprofile FILE, which writes a
// CPU profile of the command (go tool pprof FILE), for measuring eesim
// itself.
func addRootFlags(root *cobra.Command, s *streams) {
	var prof string
	var profFile *os.File
	root.PersistentFlags().StringVar(&prof, "cpuprofile", "", "write a CPU profile to `FILE`")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentFlags().BoolVarP(&s.Quiet, "quiet", "q", false, "print no warnings, notes or progress on stderr (errors still)")
	root.PersistentFlags().BoolVar(&s.Verbose, "verbose", false, "list every data-quality warning of the rounds feed")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if s.Quiet && s.Verbose {
			return badInputf("--quiet and --verbose: give one or the other")
		}
		if prof == "" {
			return nil
		}
		f, err := os.Create(prof)
		if err != nil {
			return badInput(err)
		}
		profFile = f
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if profFile != nil {
			pprof.StopCPUProfile()
			profFile.Close()
		}
	}
}

// strictCompletion makes `eesim completion SHELL` refuse a shell it has no
// script for (exit code 2, naming the shells) instead of printing the help.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sub := range c.Commands() {
			shells = append(shells, sub.Name())
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			return badInputf("completion: unknown shell %q: want %s", args[0], strings.Join(shells, ", "))
		}
	}
}

// buildVersion is eesim's version: the -X main.version of the build, else
// what the build info records (versionOf).
func buildVersion() string {
	if version != "" {
		return version
	}
	bi, _ := debug.ReadBuildInfo()
	return versionOf(bi)
}

// versionOf returns the main module's version when the build info has
// one (go install module@version, or go build in a repository, which
// stamps a pseudo-version, "+dirty" when files were modified), else the
// VCS revision ("devel-<12 hex>", "-dirty" when modified), else "dev".
func versionOf(bi *debug.BuildInfo) string {
	if bi == nil {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, st := range bi.Settings {
		switch st.Key {
		case "vcs.revision":
			rev = st.Value
		case "vcs.modified":
			dirty = st.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "devel-" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}

func newVersionCmd(s *streams) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of eesim",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d := versionDoc{Command: "version", Version: buildVersion()}
			if asJSON {
				return writeJSONDoc(s.Out, d)
			}
			_, err := fmt.Fprintf(s.Out, "eesim %s\n", d.Version)
			return err
		},
	}
	addJSONFlag(cmd, &asJSON)
	return cmd
}

// versionDoc is version's --json document (docs/json.md, "version").
type versionDoc struct {
	Command string `json:"command"`
	Version string `json:"version"`
}

// run executes the command line and returns the exit code: 0 ok, 1 failure,
// 2 bad usage or bad input.
func run(args []string, s *streams) int { return runContext(context.Background(), args, s) }

// runContext is run with a context that a signal may cancel
// (signalContext): the exit code is then 130 (SIGINT) or 143 (SIGTERM),
// after one line on s.Err.
func runContext(ctx context.Context, args []string, s *streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	if in := interruptedBy(ctx); in != nil {
		return reportInterrupted(s, in)
	}
	fmt.Fprintf(s.Err, "eesim: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// An --out folder eesim will not replace.
	if errors.Is(err, data.ErrOutputInUse) {
		return 2
	}
	// Cobra's own usage errors (unknown command, wrong arguments).
	if isUsageError(err) {
		return 2
	}
	return 1
}

func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires exactly", "required flag", "invalid argument"} {
		if len(msg) >= len(p) && strings.Contains(msg, p) {
			return true
		}
	}
	return false
}
