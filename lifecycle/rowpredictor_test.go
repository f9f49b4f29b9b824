package lifecycle

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/preprocess"
)

// weatherRows fits a pipeline on temp (numeric, imputed), clouds (one_hot, imputed) and wind
// (categorical, no imputer).
func weatherRows(t *testing.T) *RowPredictor {
	t.Helper()
	cols := []preprocess.Column{
		{Name: "temp", Kind: preprocess.Numeric, Width: 1},
		{Name: "clouds", Kind: preprocess.Categorical, Width: 1, Categories: []string{"cirrus", "cumulus", "stratus"}},
		{Name: "wind", Kind: preprocess.Categorical, Width: 1, Categories: []string{"calm", "gale"}},
	}
	specs, _, err := preprocess.ParseSpecs(`{"temp": {"impute": "mean"}, "clouds": {"encode": "one_hot", "impute": "mode"}}`, cols)
	if err != nil {
		t.Fatal(err)
	}
	x := algorithms.Matrix{Rows: 4, Cols: 3, Data: []float64{
		10, 2, 1,
		math.NaN(), 2, 2,
		20, 3, 1,
		30, 1, 2,
	}}
	p, err := preprocess.Fit(cols, specs, x, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newRowPredictor(p)
}

func TestRowMatchByName(t *testing.T) {
	rp := weatherRows(t)
	// A view row: an extra id, another order.
	got, err := rp.Match([]string{"id", "wind", "temp", "clouds"}, true)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("by name: %v, want %v", got, want)
	}
	// An anonymous row: by position, and its width must be the training's.
	if got, err = rp.Match([]string{"f1", "f2", "f3"}, false); err != nil || !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("by position: %v, %v", got, err)
	}
	_, err = rp.Match([]string{"f1", "f2"}, false)
	var e *Error
	if !errors.As(err, &e) || e.State != StateInvalidParameter || !strings.Contains(e.Hint, "(temp number, clouds text, wind text)") {
		t.Errorf("wrong width: %v", err)
	}
	_, err = rp.Match([]string{"id", "clouds"}, true)
	if !errors.As(err, &e) || e.State != StateUndefinedColumn || !strings.Contains(e.Msg, "temp, wind") {
		t.Errorf("missing fields: %v", err)
	}
}

func TestRowUnseenCategory(t *testing.T) {
	rp := weatherRows(t)
	row := func(clouds, wind string) []Field {
		return []Field{{Values: []float64{15}}, {IsText: true, Text: []byte(clouds)}, {IsText: true, Text: []byte(wind)}}
	}
	if err := rp.Assemble(row("cumulus", "calm")); err != nil {
		t.Fatal(err)
	}
	known := append([]float64(nil), rp.Features...)
	// clouds imputes (its mode, cumulus): an unseen value is that missing value.
	if err := rp.Assemble(row("nimbus", "calm")); err != nil {
		t.Fatalf("unseen clouds: %v", err)
	}
	if !slices.Equal(rp.Features, known) {
		t.Errorf("unseen clouds gave %v, the mode gives %v", rp.Features, known)
	}
	// wind has no imputer: the error names the column and the value.
	err := rp.Assemble(row("cumulus", "breeze"))
	var e *Error
	if !errors.As(err, &e) || e.State != StateInvalidParameter || !strings.Contains(e.Msg, "wind") || !strings.Contains(e.Msg, "'breeze'") {
		t.Errorf("unseen wind: %v", err)
	}
}
