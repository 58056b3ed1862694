package pool

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestModelJSONKeys checks that a model is written with snake_case keys
// (docs/datasets.md, "Conventions") and that a model written by an earlier
// eesim with Go field names still reads to the same values.
func TestModelJSONKeys(t *testing.T) {
	m := Model{TopFloor: 742.5, TopScale: 120, CategoryPersist: 0.4,
		Categories: []CategoryShare{{Key: "french", Share: [15]float64{0.1}}}}
	m.Tilt[1], m.CEC[2], m.Nominated[0] = 0.03, 0.5, 1
	b, err := json.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"tilt"`, `"curve"`, `"top_floor"`, `"top_scale"`, `"cec"`, `"fsw"`, `"fst"`,
		`"nominated"`, `"categories"`, `"key"`, `"share"`, `"category_persist"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("no key %s in %s", k, b)
		}
	}
	var back Model
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	old := `{"Tilt":[0,0.03],"TopFloor":742.5,"TopScale":120,"CEC":[0,0,0.5],"Nominated":[1],` +
		`"Categories":[{"Key":"french","Share":[0.1]}],"CategoryPersist":0.4}`
	var legacy Model
	if err := json.Unmarshal([]byte(old), &legacy); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]*Model{"round trip": &back, "legacy keys": &legacy} {
		if got.TopFloor != 742.5 || got.TopScale != 120 || got.CategoryPersist != 0.4 || got.Tilt[1] != 0.03 ||
			got.CEC[2] != 0.5 || got.Nominated[0] != 1 || len(got.Categories) != 1 ||
			got.Categories[0].Key != "french" || got.Categories[0].Share[0] != 0.1 {
			t.Errorf("%s: %+v", name, *got)
		}
	}
}
