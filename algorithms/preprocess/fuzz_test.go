package preprocess

import (
	"bytes"
	"math"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

func FuzzParseSpecs(f *testing.F) {
	for _, seed := range []string{
		"", "{}", "null", "[]", `{"price": {"impute": "mean", "scale": "standard"}}`,
		`{"color": {"encode": "one_hot", "impute": "mode", "scale": "robust"}}`,
		`{"color": {"encode": "target", "impute": "median"}, "vec": {"impute": "zero", "scale": "max_abs"}}`,
		`{"color": {"encode": {"ordinal": ["red", "green", "blue"]}, "scale": "min_max"}}`,
		`{"color": {"encode": {"ordinal": ["red", null]}}}`, `{"x": {"impute": 1}}`, `{"price": {"encode": "one_hot"}}`,
	} {
		f.Add(seed)
	}
	// Codes and values with NULLs and missing values so that most specs
	// either fit or fail for a reason.
	x := matrix(4,
		1, 1, nan, 1,
		nan, 2, 3, 0,
		3, nan, 5, 3,
		4, 4, 4, 3)
	y := []float64{1, 2, 3, 4}
	f.Fuzz(func(t *testing.T, raw string) {
		specs, ignored, err := ParseSpecs(raw, specCols)
		if err != nil {
			return
		}
		for _, name := range ignored {
			if _, ok := specs[name]; ok || name == "price" || name == "vec" || name == "color" {
				t.Fatalf("%q both ignored and configured", name)
			}
		}
		p, err := Fit(specCols, specs, x, y)
		if err != nil {
			return
		}
		out, err := p.Transform(x)
		if err != nil {
			t.Fatalf("Fit accepted rows that Transform rejects: %v", err)
		}
		for _, v := range out.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite output %v", out.Data)
			}
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var q Pipeline
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("decoding a fitted pipeline: %v\n%s", err, b)
		}
	})
}

func FuzzUnmarshalBinary(f *testing.F) {
	seeds := []func() (*Pipeline, error){
		func() (*Pipeline, error) { p, _ := mixed(f, 30); return p, nil },
		func() (*Pipeline, error) { return Fit([]Column{num("a")}, nil, matrix(1, 1, 2), nil) },
		func() (*Pipeline, error) {
			return Fit([]Column{colors}, map[string]Spec{"color": {Encode: EncodeTarget, Impute: ImputeMode}}, matrix(1, 1, 3), []float64{1, 2})
		},
		func() (*Pipeline, error) {
			return Fit([]Column{num("a"), colors}, map[string]Spec{"a": {Impute: ImputeZero}, "color": {Encode: EncodeOneHot, Impute: ImputeZero, Scale: ScaleStandard}},
				matrix(2, nan, 1, nan, 3), nil)
		},
	}
	for _, seed := range seeds {
		p, err := seed()
		if err != nil {
			f.Fatal(err)
		}
		b, err := p.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"format":"pgml.preprocess","version":1,"columns":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Pipeline
		if err := p.UnmarshalBinary(data); err != nil {
			return
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("re-encoding a decoded pipeline: %v", err)
		}
		var q Pipeline
		if err := q.UnmarshalBinary(b); err != nil {
			t.Fatalf("decoding a re-encoded pipeline: %v", err)
		}
		if b2, _ := q.MarshalBinary(); !bytes.Equal(b, b2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", b, b2)
		}
		if p.InputWidth() > 1<<16 || p.OutputWidth() > 1<<16 {
			return
		}
		// Whatever the fitted values, transforming must not panic.
		dst := make([]float64, p.OutputWidth())
		for _, v := range []float64{0, 1, nan, -1} {
			src := make([]float64, p.InputWidth())
			for i := range src {
				src[i] = v
			}
			_ = p.TransformRow(src, dst)
			_, _ = p.Transform(algorithms.Matrix{Rows: 1, Cols: len(src), Data: src})
		}
		_ = p.Statistics()
		_ = p.Columns()
	})
}
