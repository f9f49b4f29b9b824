package sklearnkernels

import (
	"testing"

	"github.com/pgml-go/pgml/algorithms/internal/fixtures"
)

// A converted scikit-learn SVC with probabilities (rbf kernel, fitted on three quarters of
// breast_cancer): one row predicted and its probabilities computed at a time, as pgml.predict
// and pgml.predict_proba's row forms do. The time per row grows with the support vectors.
func BenchmarkPredictRowConvertedSVCBreastCancer(b *testing.B) {
	var c *fixtureCase
	cases := loadFixtures(b)
	for i := range cases {
		if cases[i].Class == "SVC" && cases[i].Name == "breast_cancer" && cases[i].Probabilities != nil {
			c = &cases[i]
			break
		}
	}
	if c == nil {
		b.Fatal("no SVC with probabilities on breast_cancer among the fixtures")
	}
	m := c.model(b).(*Model)
	x := fixtures.Flat(c.X)
	p := m.NumFeatures()
	label, proba := make([]float64, 1), make([]float64, len(m.Classes()))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		row := x[i*p : (i+1)*p]
		m.Predict(label, row)
		m.PredictProba(proba, row)
		i = (i + 1) % len(c.X)
	}
	b.ReportMetric(float64(m.NumPoints()), "support_vectors")
}
