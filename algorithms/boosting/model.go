package boosting

import (
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// ensemble is what every boosted model holds: per raw output a baseline and
// the trees t with t % numOutputs == output, all in one flat node array.
type ensemble struct {
	algorithm   string
	numFeatures int
	// numOutputs is the number of raw scores: regression targets, 1 for
	// binary classification, the number of classes otherwise.
	numOutputs int
	baseline   []float64
	nodes      []node
	// treeStart[t] is the index of tree t's root; trees are contiguous.
	treeStart []int32
}

// Algorithm implements algorithms.Model.
func (e *ensemble) Algorithm() string { return e.algorithm }

// NumFeatures implements algorithms.Model.
func (e *ensemble) NumFeatures() int { return e.numFeatures }

// NumTrees is the number of fitted trees over all outputs.
func (e *ensemble) NumTrees() int { return len(e.treeStart) }

// NumIterations is the number of boosting iterations.
func (e *ensemble) NumIterations() int { return len(e.treeStart) / e.numOutputs }

// rawScore is output k's raw score for row x.
func (e *ensemble) rawScore(k int, x []float64) float64 {
	s := e.baseline[k]
	for t := k; t < len(e.treeStart); t += e.numOutputs {
		s += e.treeValue(t, x)
	}
	return s
}

// rows checks the shapes given to a predict method.
func (e *ensemble) rows(dstLen, xLen, perRow int) int {
	p := e.numFeatures
	rows := xLen / p
	if rows*p != xLen || dstLen != rows*perRow {
		panic(fmt.Sprintf("boosting: prediction with %d values for %d features into %d outputs", xLen, p, dstLen))
	}
	return rows
}

// Regressor is a boosted ensemble predicting one or more targets.
type Regressor struct{ ensemble }

// Task implements algorithms.Model.
func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }

// NumOutputs implements algorithms.Model: the number of targets.
func (m *Regressor) NumOutputs() int { return m.numOutputs }

// Predict implements algorithms.Model.
func (m *Regressor) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.numOutputs
	rows := m.rows(len(dst), len(x), k)
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		for o := 0; o < k; o++ {
			dst[i*k+o] = m.rawScore(o, row)
		}
	}
}

// Classifier is a boosted ensemble predicting class labels and
// probabilities.
type Classifier struct {
	ensemble
	classes []float64
}

// Task implements algorithms.Model.
func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }

// NumOutputs implements algorithms.Model.
func (m *Classifier) NumOutputs() int { return 1 }

// Classes implements algorithms.Classifier.
func (m *Classifier) Classes() []float64 { return m.classes }

// Predict implements algorithms.Model: the most probable label, the first
// one on ties as numpy's argmax does.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := m.rows(len(dst), len(x), 1)
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		if m.numOutputs == 1 {
			dst[i] = m.classes[0]
			if m.rawScore(0, row) > 0 {
				dst[i] = m.classes[1]
			}
			continue
		}
		best, bestScore := 0, m.rawScore(0, row)
		for k := 1; k < m.numOutputs; k++ {
			if s := m.rawScore(k, row); s > bestScore {
				best, bestScore = k, s
			}
		}
		dst[i] = m.classes[best]
	}
}

// PredictProba implements algorithms.Classifier.
func (m *Classifier) PredictProba(dst, x []float64) {
	p, nc := m.numFeatures, len(m.classes)
	rows := m.rows(len(dst), len(x), nc)
	for i := 0; i < rows; i++ {
		row := x[i*p : (i+1)*p]
		out := dst[i*nc : (i+1)*nc]
		if m.numOutputs == 1 {
			p1 := sigmoid(m.rawScore(0, row))
			out[0], out[1] = 1-p1, p1
			continue
		}
		for k := range out {
			out[k] = m.rawScore(k, row)
		}
		softmax(out)
	}
}
