package neighbors

import (
	"context"
	"fmt"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
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
	if _, _, err := algorithms.CheckClassification(x, y); err != nil {
		return nil, err
	}
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
	// sklearn accepts a single class for neighbours (every prediction is
	// that class), and so do we.
	m := &Classifier{set: set, classes: distinct[:len(distinct):len(distinct)], target: make([]int, y.Rows)}
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
func (m *Classifier) vote(row []float64, sc *scratch) []float64 {
	m.set.nearest(row, sc)
	votes := sc.votes[:len(m.classes)]
	clear(votes)
	for n, nb := range sc.heap {
		votes[m.target[nb.index]] += sc.weights[n]
	}
	return votes
}

func (m *Classifier) rows(dstLen, xLen, perRow int) int {
	p := m.set.numFeatures
	rows := xLen / p
	if rows*p != xLen || dstLen != rows*perRow {
		panic(fmt.Sprintf("%s: prediction with %d values for %d features into %d outputs", Name, xLen, p, dstLen))
	}
	return rows
}

// Predict implements algorithms.Model: the class with the most votes, the
// smallest label on ties as sklearn's mode.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.set.numFeatures
	rows := m.rows(len(dst), len(x), 1)
	sc := m.set.getScratch(len(m.classes))
	defer m.set.scratch.Put(sc)
	for i := 0; i < rows; i++ {
		votes := m.vote(x[i*p:(i+1)*p], sc)
		best := 0
		for c, v := range votes {
			if v > votes[best] {
				best = c
			}
		}
		dst[i] = m.classes[best]
	}
}

// PredictProba implements algorithms.Classifier: each class's share of the
// neighbours' weight.
func (m *Classifier) PredictProba(dst, x []float64) {
	p, k := m.set.numFeatures, len(m.classes)
	rows := m.rows(len(dst), len(x), k)
	sc := m.set.getScratch(k)
	defer m.set.scratch.Put(sc)
	for i := 0; i < rows; i++ {
		votes := m.vote(x[i*p:(i+1)*p], sc)
		var total float64
		for _, v := range votes {
			total += v
		}
		out := dst[i*k : (i+1)*k]
		for c, v := range votes {
			out[c] = v / total
		}
	}
}
