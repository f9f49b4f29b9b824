package lifecycle

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// storedAnalysis is the analysis JSON of the store's last model.
func storedAnalysis(t *testing.T, store *memStore) map[string]json.RawMessage {
	t.Helper()
	m := store.models[len(store.models)-1]
	text, ok := m.analysis.(JSONB)
	if !ok {
		t.Fatalf("analysis stored as %T (%v), want jsonb", m.analysis, m.analysis)
	}
	var a map[string]json.RawMessage
	if err := json.Unmarshal([]byte(text), &a); err != nil {
		t.Fatal(err)
	}
	if string(a["version"]) != "1" || string(a["search"]) != "null" {
		t.Fatalf("analysis %s", text)
	}
	return a
}

type importanceJSON struct {
	Method     string    `json:"method"`
	Features   []string  `json:"features"`
	Importance []float64 `json:"importance"`
}

func TestTrainStoresRegressionAnalysis(t *testing.T) {
	sess, store, _ := newTestSession(t)
	store.addRelation("lin", linearColumns, linearRows(60, false))
	if _, err := train(sess, request("P", "regression", "lin", "y")); err != nil {
		t.Fatal(err)
	}
	a := storedAnalysis(t, store)
	var scatter struct{ Actual, Predicted []float64 }
	var quantiles struct{ Q, Value []float64 }
	var importance importanceJSON
	for key, into := range map[string]any{"predicted_vs_actual": &scatter, "residual_quantiles": &quantiles, "feature_importance": &importance} {
		if err := json.Unmarshal(a[key], into); err != nil {
			t.Fatalf("%s: %v in %s", key, err, a[key])
		}
	}
	if len(scatter.Actual) != 15 || len(scatter.Predicted) != 15 || a["confusion_matrix"] != nil {
		t.Errorf("scatter of %d points on 15 test rows; keys %v", len(scatter.Actual), a)
	}
	if len(quantiles.Value) != 7 || !slices.IsSorted(quantiles.Value) || math.Abs(quantiles.Value[3]) > 1 {
		t.Errorf("residual quantiles %v (noise within ±0.5)", quantiles.Value)
	}
	// y = 3·x1 − 2·x2: x1 spans far more than x2, so it ranks first once scaled by its spread.
	if importance.Method != "standardized_coefficients" || !slices.Equal(importance.Features, []string{"x1", "x2"}) ||
		importance.Importance[0] <= importance.Importance[1] || importance.Importance[1] <= 0 {
		t.Errorf("importance %+v", importance)
	}
}

func TestTrainStoresClassificationAnalysis(t *testing.T) {
	sess, store, _ := newTestSession(t)
	rows := make([][]any, 400)
	for i := range rows {
		a, b := math.Sin(float64(i)), math.Cos(float64(i*7))
		label := 0
		if a > 0.2 {
			label = 1
		}
		rows[i] = []any{a, b, label}
	}
	store.addRelation("points", []string{"a double precision", "b double precision", "y integer"}, rows)
	req := request("K", "classification", "points", "y")
	req.Algorithm = "knn"
	if _, err := train(sess, req); err != nil {
		t.Fatal(err)
	}
	a := storedAnalysis(t, store)
	var cm struct {
		Labels []float64
		Counts [][]int64
	}
	var roc []struct {
		Class    float64
		FPR, TPR []float64
		AUC      float64
	}
	var importance importanceJSON
	for key, into := range map[string]any{"confusion_matrix": &cm, "roc": &roc, "feature_importance": &importance} {
		if err := json.Unmarshal(a[key], into); err != nil {
			t.Fatalf("%s: %v in %s", key, err, a[key])
		}
	}
	total := int64(0)
	for _, row := range cm.Counts {
		for _, c := range row {
			total += c
		}
	}
	if !slices.Equal(cm.Labels, []float64{0, 1}) || total != 100 {
		t.Errorf("confusion matrix %+v over 100 test rows", cm)
	}
	if len(roc) != 1 || roc[0].Class != 1 || roc[0].FPR[0] != 0 || roc[0].TPR[len(roc[0].TPR)-1] != 1 || roc[0].AUC < 0.9 {
		t.Errorf("roc %+v", roc)
	}
	if a["precision_recall"] == nil || a["predicted_vs_actual"] != nil {
		t.Errorf("keys %v", a)
	}
	// The label depends on a alone: shuffling b costs (almost) nothing.
	if importance.Method != "permutation" || importance.Importance[0] < 0.2 || math.Abs(importance.Importance[1]) > 0.05 {
		t.Errorf("importance %+v", importance)
	}
}
