package metrics

import (
	"math"
	"testing"
)

// Expected values from scikit-learn 1.2.1 (/usr/bin/python3):
// roc_auc_score(y, s), log_loss(y, s) with
// y = [0,1,1,0,1,0,1,1], s = [0.1,0.8,0.4,0.4,0.9,0.3,0.4,0.0] -> 0.7333333333333334, 4.897200000400006
// y = [1,0], s = [1.0,1.0] -> 0.5, 18.021826694558577
func TestBinaryProbabilityMetrics(t *testing.T) {
	for _, c := range []struct {
		y        []bool
		s        []float64
		auc, log float64
	}{
		{[]bool{false, true, true, false, true, false, true, true}, []float64{0.1, 0.8, 0.4, 0.4, 0.9, 0.3, 0.4, 0.0}, 0.7333333333333334, 4.897200000400006},
		{[]bool{true, false}, []float64{1, 1}, 0.5, 18.021826694558577},
	} {
		if got := BinaryROCAUC(c.y, c.s); math.Abs(got-c.auc) > 1e-12 {
			t.Errorf("BinaryROCAUC(%v, %v) = %v, want %v", c.y, c.s, got, c.auc)
		}
		if got := BinaryLogLoss(c.y, c.s); math.Abs(got-c.log) > 1e-9 {
			t.Errorf("BinaryLogLoss(%v, %v) = %v, want %v", c.y, c.s, got, c.log)
		}
	}
	if got := BinaryROCAUC([]bool{true, true}, []float64{0.2, 0.3}); !math.IsNaN(got) {
		t.Errorf("BinaryROCAUC with one class = %v, want NaN", got)
	}
}
