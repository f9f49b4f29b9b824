package treeensemble

import (
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

// XGBoost's gain importance is a feature's total loss_changes over its splits divided by
// their number: the model file holds both, checked against get_score(importance_type="gain")
// (testdata/make_analysis_fixtures.py).
func TestSplitGainsMatchXGBoost(t *testing.T) {
	var f struct {
		XGBoost struct {
			Model []byte    `json:"model"`
			Gain  []float64 `json:"gain"`
		} `json:"xgboost_gain"`
	}
	if err := datasets.ReadJSON("analysis_fixtures.json", &f); err != nil || len(f.XGBoost.Gain) != 10 {
		t.Fatalf("fixture: %v", err)
	}
	m, err := ReadXGBoost(f.XGBoost.Model)
	if err != nil {
		t.Fatal(err)
	}
	total, splits := m.SplitGains()
	if len(total) != 10 {
		t.Fatalf("gains of %d features", len(total))
	}
	for j, want := range f.XGBoost.Gain {
		got := 0.0
		if splits[j] > 0 {
			got = total[j] / splits[j]
		}
		if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("feature %d: gain %v, xgboost %v", j, got, want)
		}
	}
}
