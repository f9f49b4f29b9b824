package metrics

import (
	"math"
	"math/rand/v2"
	"slices"
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

// The runs-and-merges sort must give the same AUC as the definition, on
// more scores than one run, with ties.
func TestBinaryROCAUCLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3*sortRun + 17
	positive := make([]bool, n)
	score := make([]float64, n)
	var pos, neg []float64
	for i := range score {
		positive[i] = rng.IntN(3) == 0
		score[i] = float64(rng.IntN(1000)) / 10
		if positive[i] {
			score[i] += 5
			pos = append(pos, score[i])
		} else {
			neg = append(neg, score[i])
		}
	}
	// Mann-Whitney by counting, over sorted negatives.
	slices.Sort(neg)
	var wins float64
	for _, p := range pos {
		below, _ := slices.BinarySearch(neg, p)
		upTo := below
		for upTo < len(neg) && neg[upTo] == p {
			upTo++
		}
		wins += float64(below) + float64(upTo-below)/2
	}
	want := wins / float64(len(pos)*len(neg))
	if got := BinaryROCAUC(positive, score); math.Abs(got-want) > 1e-12 {
		t.Errorf("AUC = %v, want %v", got, want)
	}
}

// One distinct label per row: the scores need no k×k confusion matrix.
func TestClassificationScoresManyLabels(t *testing.T) {
	n := 100_000
	y := make([]float64, n)
	for i := range y {
		y[i] = float64(i)
	}
	m, err := ClassificationScores(y, y)
	if err != nil || m["accuracy"] != 1 || m["f1"] != 1 {
		t.Errorf("scores %v, %v", m, err)
	}
}
