package metrics

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgml-go/pgml/algorithms/internal/datasets"
)

type metricCase struct {
	YTrue []float64 `json:"y_true"`
	YPred []float64 `json:"y_pred"`
	// Scores holds every other key: the sklearn figures.
	Scores map[string]float64 `json:"-"`
}

func (c *metricCase) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	c.Scores = map[string]float64{}
	for k, v := range raw {
		var err error
		switch k {
		case "y_true":
			err = json.Unmarshal(v, &c.YTrue)
		case "y_pred":
			err = json.Unmarshal(v, &c.YPred)
		default:
			var f float64
			err = json.Unmarshal(v, &f)
			c.Scores[k] = f
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func loadCases(t *testing.T, key string) map[string]metricCase {
	b, err := os.ReadFile(filepath.Join(datasets.Dir(), "sklearn_fixtures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	var cases map[string]metricCase
	if err := json.Unmarshal(all[key], &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no %s fixtures", key)
	}
	return cases
}

func compare(t *testing.T, name string, got, want map[string]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got metrics %v, want keys of %v", name, got, want)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || math.Abs(g-w) > 1e-12 {
			t.Errorf("%s: %s = %v, sklearn %v", name, k, g, w)
		}
	}
}

func TestClassificationMatchesSklearn(t *testing.T) {
	for name, c := range loadCases(t, "classification_metrics") {
		compare(t, name, Classification(c.YTrue, c.YPred), c.Scores)
	}
}

func TestRegressionMatchesSklearn(t *testing.T) {
	for name, c := range loadCases(t, "regression_metrics") {
		compare(t, name, Regression(c.YTrue, c.YPred), c.Scores)
	}
}

func TestDegenerateInputs(t *testing.T) {
	for _, m := range []map[string]float64{
		Regression(nil, nil),
		Regression([]float64{1, 2}, []float64{1}),
		Classification([]float64{1}, nil),
	} {
		for k, v := range m {
			if !math.IsNaN(v) {
				t.Errorf("%s = %v for degenerate input, want NaN", k, v)
			}
		}
	}
	if r2 := Regression([]float64{3}, []float64{3})["r2"]; !math.IsNaN(r2) {
		t.Errorf("r2 of one sample = %v, want NaN as sklearn", r2)
	}
}
