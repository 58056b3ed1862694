package data

import _ "embed"

//go:embed embed/calibration.json
var embeddedCalibration []byte

// EmbeddedCalibration returns the calibration eesim ships for the embedded
// feed at its default start (the day after its last round), as written by
// the eesim command's TestEmbeddedCalibration with -update: JSON holding
// the key it was made for and the calibrated model. A test recomputes it
// and fails when the code no longer gives the same. The caller must not
// modify the slice.
func EmbeddedCalibration() []byte { return embeddedCalibration }
