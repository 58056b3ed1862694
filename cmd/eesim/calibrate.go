package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
	"github.com/spf13/cobra"
)

type calibrateOptions struct {
	Rounds string
	AsOf   string
	Show   bool
	Write  string
}

func newCalibrateCmd(s *streams) *cobra.Command {
	o := &calibrateOptions{}
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Fit the pool model on the real rounds before a date",
		Long: `Calibrate fits the synthetic pool model (within-band shapes, eligibility
shares per family, nominee scores) on every round with a published snapshot
before --as-of, one round at a time, and prints the model. With --show it
also lists every round used and what it moved. With --write FILE it saves
the model as JSON for simulate --model.`,
		Example: `  eesim calibrate --show
  eesim calibrate --as-of 2025-01-01 --write model-2025.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runCalibrate(s, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Rounds, "rounds", "", roundsFlagHelp)
	f.StringVar(&o.AsOf, "as-of", "", "use only rounds before `DATE` (default: the whole feed)")
	f.BoolVar(&o.Show, "show", false, "list the rounds used and what each moved")
	f.StringVar(&o.Write, "write", "", "save the model as JSON to `FILE`")
	return cmd
}

func runCalibrate(s *streams, o *calibrateOptions) error {
	feed, err := loadFeed(o.Rounds, s)
	if err != nil {
		return err
	}
	asOf := feed.Rounds[len(feed.Rounds)-1].Instant.Add(time.Second)
	if o.AsOf != "" {
		if asOf, err = sim.ParseDate(o.AsOf); err != nil {
			return badInputf("--as-of: %v", err)
		}
	}
	cal, err := sim.CalibrateAsOf(feed.Rounds, asOf, sim.DefaultCalibration)
	if err != nil {
		return err
	}
	for _, n := range cal.Notes {
		s.warnf("calibration: %s", n)
	}
	m := cal.Model()
	fmt.Fprintf(s.Out, "calibration as of %s: %d rounds with snapshots observed\n", asOf.Format(time.RFC3339), len(cal.Log))
	if err := writeModel(s.Out, m); err != nil {
		return err
	}
	if o.Show {
		tw := tabwriter.NewWriter(s.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "round\tdate\tfamily\tsize\treal\tsim\tsim at/above real\tparameter\tbefore\tafter")
		for _, ob := range cal.Log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%.4g\t%.4g\n", ob.Number, ob.Date.Format(time.DateOnly), ob.Family,
				ob.Size, ob.Real, ob.Sim, ob.Above, ob.Param, ob.Before, ob.After)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if o.Write != "" {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := data.WriteFileAtomic(o.Write, func(w io.Writer) error {
			_, err := w.Write(append(b, '\n'))
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeModel prints the pool model: the nominees' scores, then per band the
// eligibility shares of each program, the nominated share and each
// category's share.
func writeModel(w io.Writer, m *pool.Model) error {
	fmt.Fprintf(w, "nominee scores: from %.0f up, exponential tail of scale %.0f; 501-600 arrival density exp(-%.4f x - %.6f x^2), x = score - 501\n", m.TopFloor, m.TopScale, m.Tilt[1], m.Curve[1])
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "band\tCEC\tFSW\tFST\tnominated\t")
	for _, c := range m.Categories {
		fmt.Fprintf(tw, "%s\t", c.Key)
	}
	fmt.Fprintln(tw)
	for b, e := range data.BandEdges {
		fmt.Fprintf(tw, "%d-%d\t%.3f\t%.3f\t%.3f\t%.3f\t", e.Low, e.High, m.CEC[b], m.FSW[b], m.FST[b], m.Nominated[b])
		for _, c := range m.Categories {
			fmt.Fprintf(tw, "%.3f\t", c.Share[b])
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}
