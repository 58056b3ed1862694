package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
	"github.com/eesim/eesim/sim"
)

// calibrated is what loadModel takes from a calibration, and what the
// calibration cache keeps.
type calibrated struct {
	Model    *pool.Model                 `json:"model"`
	Notes    []string                    `json:"notes"`
	Errors   map[string]sim.ErrorSummary `json:"walk_forward_errors"`
	Observed int                         `json:"rounds_observed"`
	// ErrorModel is what the runs add to their cutoffs: the errors
	// that Errors summarises.
	ErrorModel *sim.ErrorModel `json:"error_model"`
}

// calibrationCacheOn switches the cache on; tests switch it on only where
// they test it, so that they never read a user's cache.
var calibrationCacheOn = !testing.Testing()

// calibrationCacheDir is where calibrations are cached: $EESIM_CACHE_DIR,
// or eesim under the user's cache directory ($XDG_CACHE_HOME or ~/.cache
// on Linux).
func calibrationCacheDir() (string, error) {
	if d := os.Getenv("EESIM_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "eesim"), nil
}

// calibrationKey identifies a calibration: the eesim executable itself
// (any change to the code changes it), the rounds, the instant and the
// calibration settings. The same key always gives the same calibration,
// which is deterministic, so a cached one is exactly what calibrating
// again would give.
func calibrationKey(rounds []data.Round, start time.Time) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	if err := hashData(h, rounds, start); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// hashData writes to h what a calibration is made from, the code aside:
// the rounds, the instant and the calibration settings.
func hashData(h io.Writer, rounds []data.Round, start time.Time) error {
	if err := json.NewEncoder(h).Encode(rounds); err != nil {
		return err
	}
	_, err := fmt.Fprintf(h, "%s %+v", start.UTC().Format(time.RFC3339Nano), sim.DefaultCalibration)
	return err
}

// shippedCalibration is the form of data.EmbeddedCalibration: the
// calibration of the embedded feed at its default start, and the key
// (dataKey) of what it was made from.
type shippedCalibration struct {
	Key         string      `json:"key"`
	Calibration *calibrated `json:"calibration"`
}

// dataKey identifies what a calibration is made from, the code aside
// (hashData).
func dataKey(rounds []data.Round, start time.Time) string {
	h := sha256.New()
	if err := hashData(h, rounds, start); err != nil {
		return "" // rounds always encode; never matches a shipped key
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// shipped returns the calibration shipped in the binary when it was made
// from rounds and start, else nil. TestEmbeddedCalibration checks that it
// is what calibrating gives with this code, so using it changes nothing
// but the time (about 2 s on the 2-core machine). It was made on amd64:
// elsewhere the compiler may fuse multiply-adds, and calibrating may
// differ in the last bits, so it is not used there.
func shipped(rounds []data.Round, start time.Time) *calibrated {
	if runtime.GOARCH != "amd64" {
		return nil
	}
	var sc shippedCalibration
	if err := json.Unmarshal(data.EmbeddedCalibration(), &sc); err != nil || sc.Calibration == nil || sc.Calibration.Model == nil {
		return nil
	}
	if sc.Key != dataKey(rounds, start) {
		return nil
	}
	return sc.Calibration
}

// calibrate returns the calibration of the rounds before start: the one
// shipped in the binary for the embedded feed at its default start, else
// from the cache when it holds it. A cache that cannot be read or written
// costs only the time to calibrate again.
func calibrate(rounds []data.Round, start time.Time) (*calibrated, error) {
	if c := shipped(rounds, start); c != nil {
		return c, nil
	}
	return calibrateNow(rounds, start)
}

// calibrateNow is calibrate without the shipped calibration.
func calibrateNow(rounds []data.Round, start time.Time) (*calibrated, error) {
	var path string
	if calibrationCacheOn {
		dir, err := calibrationCacheDir()
		key, kerr := calibrationKey(rounds, start)
		if err == nil && kerr == nil {
			path = filepath.Join(dir, "calibration-"+key+".json")
			if b, err := os.ReadFile(path); err == nil {
				var c calibrated
				if json.Unmarshal(b, &c) == nil && c.Model != nil {
					return &c, nil
				}
			}
		}
	}
	cal, err := sim.CalibrateAsOf(rounds, start, sim.DefaultCalibration)
	if err != nil {
		return nil, err
	}
	c := &calibrated{Model: cal.Model(), Notes: cal.Notes, Errors: cal.Errors(sim.WalkForward), Observed: len(cal.Log),
		ErrorModel: cal.ErrorModel()}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			_ = data.WriteFileAtomic(path, func(w io.Writer) error { return json.NewEncoder(w).Encode(c) })
		}
	}
	return c, nil
}
