package sim

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/eesim/eesim/data"
)

var update = flag.Bool("update", false, "rewrite data/embed/calibration.json from this code")

// TestEmbeddedCalibration calibrates on the embedded feed at its default
// start and checks that the calibration shipped in the binary is exactly
// that, byte for byte: a change to the model or the calibration must ship
// a new one. go test ./sim -run EmbeddedCalibration -update writes it.
func TestEmbeddedCalibration(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the shipped calibration is made and used on amd64 only")
	}
	feed, err := data.LoadFeed("")
	if err != nil {
		t.Fatal(err)
	}
	start := DefaultStart(feed.Rounds)
	c, err := CalibrateUncached(feed.Rounds, start, CalibrationCache{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.MarshalIndent(ShippedFile{Key: CalibrationDataKey(feed.Rounds, start), Calibration: c}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	path := filepath.Join("..", "data", "embed", "calibration.json")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(data.EmbeddedCalibration(), want) {
		t.Fatalf("data/embed/calibration.json is not what this code calibrates on the embedded feed; run go test ./sim -run EmbeddedCalibration -update")
	}
	got := Shipped(feed.Rounds, start)
	if got == nil || !reflect.DeepEqual(got, c) {
		t.Fatal("the shipped calibration is not used, or does not decode to the computed one")
	}
	if Shipped(feed.Rounds, start.AddDate(0, 0, 1)) != nil || Shipped(feed.Rounds[:len(feed.Rounds)-1], start) != nil {
		t.Error("the shipped calibration is used for another start or other rounds")
	}
}
