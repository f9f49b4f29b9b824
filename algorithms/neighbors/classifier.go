package neighbors

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Classifier is a fitted KNeighborsClassifier: the (weighted) majority
// label of the k nearest training rows.
type Classifier struct {
	set     *trainingSet
	classes []float64
	// target is each training row's index into classes.
	target []int
}

// FitClassifier stores the training data of sklearn's KNeighborsClassifier
// with the labels in the single column of y.
func FitClassifier(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	set, err := newTrainingSet(ctx, x, y, hp)
	if err != nil {
		return nil, err
	}
	if y.Cols != 1 {
		return nil, fmt.Errorf("classification needs one label column, got %d", y.Cols)
	}
	classes := append([]float64(nil), y.Data...)
	sort.Float64s(classes)
	distinct := classes[:0]
	for i, v := range classes {
		if i == 0 || v != classes[i-1] {
			distinct = append(distinct, v)
		}
	}
	// sklearn accepts a single class for neighbours, but pgml's classifiers
	// all refuse it alike.
	if err := algorithms.CheckClasses(len(distinct)); err != nil {
		return nil, err
	}
	// A copy: the sorted labels behind distinct are as many as the rows.
	m := &Classifier{set: set, classes: slices.Clone(distinct), target: make([]int, y.Rows)}
	for i, v := range y.Data {
		m.target[i] = sort.SearchFloat64s(m.classes, v)
	}
	return m, nil
}

func (m *Classifier) Algorithm() string     { return Name }
func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }
func (m *Classifier) NumFeatures() int      { return m.set.numFeatures }
func (m *Classifier) NumOutputs() int       { return 1 }

// Classes returns the sorted distinct training labels.
func (m *Classifier) Classes() []float64 { return m.classes }

// vote leaves in sc.votes the summed weights of each class among the
// neighbours of row.
func (m *Classifier) vote(row []float64, sc *scratch, chk *cancel.Checker) ([]float64, error) {
	if err := m.set.nearest(row, sc, chk); err != nil {
		return nil, err
	}
	votes := sc.votes[:len(m.classes)]
	clear(votes)
	for n, nb := range sc.heap {
		votes[m.target[nb.index]] += sc.weights[n]
	}
	return votes, nil
}

// Predict implements algorithms.Model: the class with the most votes, the
// smallest label on ties as sklearn's mode.
func (m *Classifier) Predict(dst, x []float64) {
	mustPredict(m.predict(nil, dst, x))
}

// PredictContext is Predict that stops once ctx is done, even within the
// search of one row (brute force over a large set is one long loop).
func (m *Classifier) PredictContext(ctx context.Context, dst, x []float64) error {
	return m.predict(cancel.New(ctx), dst, x)
}

func (m *Classifier) predict(chk *cancel.Checker, dst, x []float64) error {
	p := m.set.numFeatures
	rows, err := rowsOf(p, len(dst), len(x), 1)
	if err != nil {
		return err
	}
	sc := m.set.getScratch(len(m.classes))
	defer m.set.scratch.Put(sc)
	return m.set.forEachQuery(x, rows, sc, chk, func(i int) error {
		votes, err := m.vote(x[i*p:(i+1)*p], sc, chk)
		if err != nil {
			return err
		}
		best := 0
		for c, v := range votes {
			if v > votes[best] {
				best = c
			}
		}
		dst[i] = m.classes[best]
		return nil
	})
}

// PredictProba implements algorithms.Classifier: each class's share of the
// neighbours' weight.
func (m *Classifier) PredictProba(dst, x []float64) {
	mustPredict(m.predictProba(nil, dst, x))
}

// PredictProbaContext is PredictProba that stops once ctx is done.
func (m *Classifier) PredictProbaContext(ctx context.Context, dst, x []float64) error {
	return m.predictProba(cancel.New(ctx), dst, x)
}

func (m *Classifier) predictProba(chk *cancel.Checker, dst, x []float64) error {
	p, k := m.set.numFeatures, len(m.classes)
	rows, err := rowsOf(p, len(dst), len(x), k)
	if err != nil {
		return err
	}
	sc := m.set.getScratch(k)
	defer m.set.scratch.Put(sc)
	return m.set.forEachQuery(x, rows, sc, chk, func(i int) error {
		votes, err := m.vote(x[i*p:(i+1)*p], sc, chk)
		if err != nil {
			return err
		}
		var total float64
		for _, v := range votes {
			total += v
		}
		out := dst[i*k : (i+1)*k]
		for c, v := range votes {
			out[c] = v / total
		}
		return nil
	})
}
