package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/pool"
)

// Calibrated is what a projection takes from a calibration (CalibrateAsOf
// with DefaultCalibration), and what the calibration cache and the
// calibration shipped in the binary keep.
type Calibrated struct {
	Model    *pool.Model             `json:"model"`
	Notes    []string                `json:"notes"`
	Errors   map[string]ErrorSummary `json:"walk_forward_errors"`
	Observed int                     `json:"rounds_observed"`
	// ErrorModel is what the runs add to their cutoffs: the errors
	// that Errors summarises.
	ErrorModel *ErrorModel `json:"error_model"`
}

// CalibrationCache is where Calibrate keeps the calibrations it makes.
// The zero value is no cache.
type CalibrationCache struct {
	// Dir is the folder of the cached calibrations; "" turns the cache
	// off.
	Dir string
	// Code identifies the code that calibrates (eesim gives a hash of its
	// own executable): a calibration is read back only by the code that
	// made it. "" turns the cache off.
	Code string
}

// key identifies a calibration: the code, the rounds, the instant and the
// calibration settings. The same key always gives the same calibration,
// which is deterministic, so a cached one is exactly what calibrating
// again would give.
func (c CalibrationCache) key(rounds []data.Round, start time.Time) (string, error) {
	h := sha256.New()
	if _, err := io.WriteString(h, c.Code); err != nil {
		return "", err
	}
	if err := hashCalibrationData(h, rounds, start); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// hashCalibrationData writes to h what a calibration is made from, the
// code aside: the rounds, the instant and the calibration settings.
func hashCalibrationData(h io.Writer, rounds []data.Round, start time.Time) error {
	if err := json.NewEncoder(h).Encode(rounds); err != nil {
		return err
	}
	_, err := fmt.Fprintf(h, "%s %+v", start.UTC().Format(time.RFC3339Nano), DefaultCalibration)
	return err
}

// ShippedFile is the form of data.EmbeddedCalibration: the calibration of
// the embedded feed at its default start (DefaultStart), and the key
// (CalibrationDataKey) of what it was made from.
type ShippedFile struct {
	Key         string      `json:"key"`
	Calibration *Calibrated `json:"calibration"`
}

// CalibrationDataKey identifies what a calibration is made from, the code
// aside: the rounds, the instant and DefaultCalibration.
func CalibrationDataKey(rounds []data.Round, start time.Time) string {
	h := sha256.New()
	if err := hashCalibrationData(h, rounds, start); err != nil {
		return "" // rounds always encode; never matches a shipped key
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// DefaultStart is the default start of a projection: the day after the
// last of rounds, which must not be empty.
func DefaultStart(rounds []data.Round) time.Time {
	last := rounds[len(rounds)-1].Date
	return last.AddDate(0, 0, 1)
}

// Shipped returns the calibration shipped in the binary when it was made
// from rounds and start, else nil. TestEmbeddedCalibration checks that it
// is what calibrating gives with this code, so using it changes nothing
// but the time (about 2 s on the 2-core machine). It was made on amd64:
// elsewhere the compiler may fuse multiply-adds, and calibrating may
// differ in the last bits, so it is not used there.
func Shipped(rounds []data.Round, start time.Time) *Calibrated {
	if runtime.GOARCH != "amd64" {
		return nil
	}
	var sc ShippedFile
	if err := json.Unmarshal(data.EmbeddedCalibration(), &sc); err != nil || sc.Calibration == nil || sc.Calibration.Model == nil {
		return nil
	}
	if sc.Key != CalibrationDataKey(rounds, start) {
		return nil
	}
	return sc.Calibration
}

// Calibrate returns the calibration of the rounds before start with
// DefaultCalibration: the one shipped in the binary (Shipped) when it fits,
// else the one in cache when it holds it, else a new one, which it then
// stores in cache. A cache that cannot be read or written costs only the
// time to calibrate again.
func Calibrate(rounds []data.Round, start time.Time, cache CalibrationCache) (*Calibrated, error) {
	if c := Shipped(rounds, start); c != nil {
		return c, nil
	}
	return CalibrateUncached(rounds, start, cache)
}

// CalibrateUncached is Calibrate without the shipped calibration: from
// cache, else calibrated now.
func CalibrateUncached(rounds []data.Round, start time.Time, cache CalibrationCache) (*Calibrated, error) {
	var path string
	if cache.Dir != "" && cache.Code != "" {
		if key, err := cache.key(rounds, start); err == nil {
			path = filepath.Join(cache.Dir, "calibration-"+key+".json")
			if b, err := os.ReadFile(path); err == nil {
				var c Calibrated
				if json.Unmarshal(b, &c) == nil && c.Model != nil {
					return &c, nil
				}
			}
		}
	}
	cal, err := CalibrateAsOf(rounds, start, DefaultCalibration)
	if err != nil {
		return nil, err
	}
	c := &Calibrated{Model: cal.Model(), Notes: cal.Notes, Errors: cal.Errors(WalkForward), Observed: len(cal.Log),
		ErrorModel: cal.ErrorModel()}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err == nil {
			_ = data.WriteFileAtomic(path, func(w io.Writer) error { return json.NewEncoder(w).Encode(c) })
		}
	}
	return c, nil
}
