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
	JSON   bool
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
	addJSONFlag(cmd, &o.JSON)
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
	doc := newCalibrateDoc(asOf, cal, m, o)
	if o.JSON {
		return writeJSONDoc(s.Out, doc)
	}
	return writeCalibration(s.Out, &doc, m)
}

// writeCalibration prints calibrate's text summary: the model, and with
// --show the rounds observed.
func writeCalibration(w io.Writer, d *calibrateDoc, m *pool.Model) error {
	fmt.Fprintf(w, "calibration as of %s: %d rounds with snapshots observed\n", d.AsOf.Format(time.RFC3339), d.RoundsObserved)
	if err := writeModel(w, m); err != nil {
		return err
	}
	if d.Observations == nil {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "round\tdate\tfamily\tsize\treal\tsim\tsim at/above real\tparameter\tbefore\tafter")
	for _, ob := range d.Observations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%.4g\t%.4g\n", ob.DrawNumber, ob.DrawDate, ob.Family,
			ob.Invitations, ob.RealCutoff, ob.SimCutoff, ob.SimAbove, ob.Param, ob.Before, ob.After)
	}
	return tw.Flush()
}

// calibrateDoc is calibrate's --json document (docs/json.md,
// "calibrate").
type calibrateDoc struct {
	Command        string           `json:"command"`
	AsOf           time.Time        `json:"as_of"`
	RoundsObserved int              `json:"rounds_observed"`
	TopFloor       float64          `json:"nominee_top_floor"`
	TopScale       float64          `json:"nominee_top_scale"`
	Tilt           float64          `json:"arrival_tilt"`
	Curve          float64          `json:"arrival_curve"`
	Bands          []modelBandDoc   `json:"bands"`
	Observations   []observationDoc `json:"observations"`
	Written        *string          `json:"written"`
}

// modelBandDoc is one row of writeModel's table: a CRS band's shares.
type modelBandDoc struct {
	Low        int                `json:"low"`
	High       int                `json:"high"`
	CEC        float64            `json:"cec"`
	FSW        float64            `json:"fsw"`
	FST        float64            `json:"fst"`
	Nominated  float64            `json:"nominated"`
	Categories map[string]float64 `json:"categories"`
}

// observationDoc is one round of calibrate --show.
type observationDoc struct {
	DrawNumber  string  `json:"draw_number"`
	DrawDate    string  `json:"draw_date"`
	Family      string  `json:"family"`
	Invitations int     `json:"invitations"`
	RealCutoff  int     `json:"real_cutoff"`
	SimCutoff   int     `json:"sim_cutoff"`
	SimAbove    int     `json:"sim_eligible_at_or_above_real"`
	Param       string  `json:"param"`
	Before      float64 `json:"before"`
	After       float64 `json:"after"`
}

func newCalibrateDoc(asOf time.Time, cal *sim.Calibrator, m *pool.Model, o *calibrateOptions) calibrateDoc {
	d := calibrateDoc{Command: "calibrate", AsOf: asOf.UTC(), RoundsObserved: len(cal.Log), TopFloor: m.TopFloor,
		TopScale: m.TopScale, Tilt: m.Tilt[1], Curve: m.Curve[1]}
	for b, e := range data.BandEdges {
		bd := modelBandDoc{e.Low, e.High, m.CEC[b], m.FSW[b], m.FST[b], m.Nominated[b], map[string]float64{}}
		for _, c := range m.Categories {
			bd.Categories[c.Key] = c.Share[b]
		}
		d.Bands = append(d.Bands, bd)
	}
	if o.Show {
		d.Observations = []observationDoc{}
		for _, ob := range cal.Log {
			d.Observations = append(d.Observations, observationDoc{ob.Number, day(ob.Date), ob.Family, ob.Size,
				ob.Real, ob.Sim, ob.Above, ob.Param, ob.Before, ob.After})
		}
	}
	if o.Write != "" {
		d.Written = &o.Write
	}
	return d
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
