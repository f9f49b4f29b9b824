package native

import (
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// FuzzLoad checks that no input makes Load panic or return a model that
// cannot predict. Run with: go test -fuzz=FuzzLoad ./algorithms/native
func FuzzLoad(f *testing.F) {
	for _, m := range trainedModels(f) {
		b, err := m.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PGMLMODL"))
	f.Add([]byte("PGMLMODL\x02\x00\x06\x00linear\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Load(b)
		if err != nil {
			return
		}
		x := make([]float64, m.NumFeatures())
		if err := algorithms.Predict(m, make([]float64, m.NumOutputs()), x); err != nil {
			t.Fatalf("loaded model cannot predict: %v", err)
		}
		if c, ok := m.(algorithms.Classifier); ok {
			if err := algorithms.PredictProba(c, make([]float64, len(c.Classes())), x); err != nil {
				t.Fatal(err)
			}
		}
	})
}
