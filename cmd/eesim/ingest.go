package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/eesim/eesim/data"
)

// ingestOptions are the flags of "eesim ingest".
type ingestOptions struct {
	Rounds string // rounds feed; "" for the embedded copy
	Out    string // output folder
	JSON   bool   // print the summary as JSON
}

func newIngestCmd(s *streams) *cobra.Command {
	opts := &ingestOptions{}
	cmd := &cobra.Command{
		Use:   "ingest --out DIR",
		Short: "Write the rounds feed as Arrow and Parquet datasets",
		Long: `Ingest reads IRCC's rounds feed (the embedded copy, or --rounds FILE),
normalizes it and writes four datasets to --out:

  rounds.arrow, rounds.parquet        one row per round
  snapshots.arrow, snapshots.parquet  one row per published snapshot and CRS band

Arrow files use the IPC file format, uncompressed; Parquet files are
snappy-compressed. Times are UTC. Every data-quality warning goes to stderr
(other commands summarise the known ones in one line); a feed with a
structural error writes nothing and exits with code 2.`,
		Example: `  eesim ingest --out out/data
  eesim ingest --rounds ee_rounds_123_en.json --out out/data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return badInputf("ingest: --out is required")
			}
			return runIngest(opts, s)
		},
	}
	cmd.Flags().StringVar(&opts.Rounds, "rounds", "", roundsFlagHelp)
	cmd.Flags().StringVar(&opts.Out, "out", "", "output `DIR` (created if needed)")
	addJSONFlag(cmd, &opts.JSON)
	return cmd
}

func runIngest(opts *ingestOptions, s *streams) error {
	feed, err := loadFeedList(opts.Rounds, s, true) // ingest lists every warning
	if err != nil {
		return err
	}
	fs, err := data.NewFileSet(opts.Out)
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer fs.Abort()
	if err := data.StageDatasets(fs, feed.Rounds); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	if err := fs.Commit(); err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	d := ingestDoc{Command: "ingest", Rounds: len(feed.Rounds), Snapshots: len(data.Snapshots(feed.Rounds)),
		Warnings: len(feed.Warnings), Files: []string{data.RoundsArrowFile, data.SnapshotsArrowFile, data.RoundsParquetFile,
			data.SnapshotsParquetFile}, Out: opts.Out}
	if opts.JSON {
		return writeJSONDoc(s.Out, d)
	}
	_, err = fmt.Fprintf(s.Out, "%d rounds, %d snapshots, %d warnings: wrote %s to %s\n",
		d.Rounds, d.Snapshots, d.Warnings, strings.Join(d.Files, ", "), d.Out)
	return err
}

// ingestDoc is ingest's --json document (docs/json.md, "ingest").
type ingestDoc struct {
	Command   string   `json:"command"`
	Rounds    int      `json:"rounds"`
	Snapshots int      `json:"snapshots"`
	Warnings  int      `json:"warnings"`
	Files     []string `json:"files"`
	Out       string   `json:"out"`
}
