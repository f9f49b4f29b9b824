package algorithms

import (
	"strings"
	"testing"
)

func TestParseTask(t *testing.T) {
	for _, task := range []Task{Regression, Classification, Clustering, Decomposition} {
		got, err := ParseTask(task.String())
		if err != nil || got != task {
			t.Errorf("ParseTask(%q) = %v, %v; want %v", task.String(), got, err, task)
		}
	}
	_, err := ParseTask("summarization")
	if err == nil || !strings.Contains(err.Error(), "regression") || !strings.Contains(err.Error(), "decomposition") {
		t.Errorf("ParseTask(summarization) error = %v, want one naming the allowed tasks", err)
	}
}

func TestMatrixRowAndValidate(t *testing.T) {
	m := Matrix{Rows: 2, Cols: 3, Data: []float64{1, 2, 3, 4, 5, 6}}
	if r := m.Row(1); len(r) != 3 || r[0] != 4 || r[2] != 6 {
		t.Errorf("Row(1) = %v", r)
	}
	if err := m.Validate("x"); err != nil {
		t.Errorf("Validate: %v", err)
	}
	bad := []Matrix{
		{Rows: 2, Cols: 3, Data: []float64{1}},
		{Rows: 0, Cols: 3},
		{Rows: 1, Cols: 1, Data: []float64{nanValue()}},
	}
	for _, m := range bad {
		if err := m.Validate("x"); err == nil {
			t.Errorf("Validate(%v) = nil, want an error", m)
		}
	}
}

func nanValue() float64 {
	var zero float64
	return zero / zero
}

func TestHyperparams(t *testing.T) {
	h := Hyperparams{"C": "abc", "fit_intercept": 1.0, "max_iter": 2.5, "tol": 1e-3}
	if err := h.CheckKeys("C", "fit_intercept", "max_iter"); err == nil ||
		!strings.Contains(err.Error(), `"tol"`) || !strings.Contains(err.Error(), "max_iter") {
		t.Errorf("CheckKeys error = %v, want one naming tol and the allowed keys", err)
	}
	if _, err := h.PositiveFloat("C", 1); err == nil || err.Error() != `hyperparameter "C" must be a positive number, got "abc"` {
		t.Errorf("PositiveFloat(C) error = %v", err)
	}
	if _, err := h.Bool("fit_intercept", true); err == nil {
		t.Error("Bool(fit_intercept=1.0) accepted a number")
	}
	if _, err := h.PositiveInt("max_iter", 100); err == nil {
		t.Error("PositiveInt(max_iter=2.5) accepted a fraction")
	}
	if v, err := h.PositiveFloat("tol", 1e-4); err != nil || v != 1e-3 {
		t.Errorf("PositiveFloat(tol) = %v, %v", v, err)
	}
	if v, err := h.PositiveInt("absent", 7); err != nil || v != 7 {
		t.Errorf("PositiveInt(absent) = %v, %v; want the default", v, err)
	}
	if _, err := (Hyperparams{"C": -1.0}).PositiveFloat("C", 1); err == nil {
		t.Error("PositiveFloat accepted -1")
	}
}

func TestCheckClassification(t *testing.T) {
	x := Matrix{Rows: 4, Cols: 1, Data: []float64{1, 2, 3, 4}}
	classes, target, err := CheckClassification(x, Matrix{Rows: 4, Cols: 1, Data: []float64{3.5, -1, 3.5, 0}})
	if err != nil || len(classes) != 3 || classes[0] != -1 || classes[1] != 0 || classes[2] != 3.5 {
		t.Fatalf("classes = %v, %v", classes, err)
	}
	if want := []int{2, 0, 2, 1}; len(target) != 4 || target[0] != want[0] || target[1] != want[1] || target[2] != want[2] || target[3] != want[3] {
		t.Errorf("target = %v, want %v", target, want)
	}
	if _, _, err := CheckClassification(x, Matrix{Rows: 4, Cols: 1, Data: []float64{1, 1, 1, 1}}); err == nil || err.Error() != "classification needs at least 2 distinct labels, got 1" {
		t.Errorf("one class: error = %v", err)
	}
	if _, _, err := CheckClassification(x, Matrix{Rows: 2, Cols: 2, Data: []float64{1, 2, 3, 4}}); err == nil {
		t.Error("two label columns: no error")
	}
}
