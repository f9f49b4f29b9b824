package treeensemble

import (
	"fmt"
	"math"
)

// Transform turns an output's sum of leaves (its margin) into the
// prediction.
type Transform uint8

const (
	Identity Transform = iota
	Sigmoid            // 1 / (1 + e^-margin), per output
	Exp                // e^margin (log links: Poisson, gamma, Tweedie)
	Hinge              // 1 when the margin is positive, else 0
	Softmax            // probabilities over the outputs of a row
	ArgMax             // one value per row: the index of the largest margin
)

// node is one node of a tree. A leaf has left < 0 and keeps its value in
// threshold; the children are indices into Ensemble.nodes.
type node struct {
	feature   int32
	threshold float32
	left      int32
	right     int32
	missing   int32 // the child a missing (NaN) feature goes to
}

// Ensemble is a predict-only sum of trees and, for linear boosters, of
// weighted features. It is immutable once built and safe for concurrent
// use.
type Ensemble struct {
	features   int
	outputs    int // margins per row (classes of a multi-class model)
	baseMargin float32
	transform  Transform
	nodes      []node
	roots      []int32   // each tree's root in nodes
	treeOutput []int32   // the output each tree adds to
	treeWeight []float32 // nil: every tree weighs 1 (dart weighs them)
	// linear: weights[f*outputs+o] for feature f and output o, then one
	// bias per output; nil for tree ensembles.
	linear []float32
	// gains holds, per feature split on, the summed loss reduction of its
	// splits and their number, where the model records them (XGBoost's
	// loss_changes); nil otherwise. A map: a model may claim millions of
	// features and split on few.
	gains map[int32]featureGain
}

type featureGain struct{ total, splits float64 }

// NumFeatures is the number of features a row has.
func (e *Ensemble) NumFeatures() int { return e.features }

// NumOutputs is the number of values Predict writes per row.
func (e *Ensemble) NumOutputs() int {
	if e.transform == ArgMax {
		return 1
	}
	return e.outputs
}

// ScratchSize is the length of Predict's scratch.
func (e *Ensemble) ScratchSize() int { return e.outputs }

// Predict writes NumOutputs values per row of x (rows of NumFeatures
// values) into dst. margins is scratch of at least ScratchSize values:
// the caller keeps it, so that predicting allocates nothing.
func (e *Ensemble) Predict(dst, x []float64, margins []float32) {
	if len(x)%e.features != 0 {
		panic(fmt.Sprintf("treeensemble: %d values are not rows of %d features", len(x), e.features))
	}
	rows := len(x) / e.features
	per := e.NumOutputs()
	if len(dst) != rows*per {
		panic(fmt.Sprintf("treeensemble: destination holds %d values, want %d", len(dst), rows*per))
	}
	margins = margins[:e.outputs]
	for r := 0; r < rows; r++ {
		row := x[r*e.features : (r+1)*e.features]
		e.margins(margins, row)
		e.finish(dst[r*per:(r+1)*per], margins)
	}
}

// margins sums the row's leaves (or weighted features) per output, in
// float32 and in the order of the trees, as XGBoost does.
func (e *Ensemble) margins(out []float32, row []float64) {
	for o := range out {
		out[o] = e.baseMargin
	}
	if e.linear != nil {
		e.linearMargins(out, row)
		return
	}
	nodes := e.nodes
	for t, root := range e.roots {
		i := root
		for {
			n := &nodes[i]
			if n.left < 0 {
				break
			}
			// A NaN (missing) feature fails both comparisons: the common
			// path pays no separate test for it.
			v := float32(row[n.feature])
			if v < n.threshold {
				i = n.left
			} else if v >= n.threshold {
				i = n.right
			} else {
				i = n.missing
			}
		}
		leaf := nodes[i].threshold
		o := e.treeOutput[t]
		if e.treeWeight != nil {
			// XGBoost's dart predicts each tree on top of the base margin,
			// takes the base back off and weighs the rest: the same
			// roundings keep its results.
			leaf = ((e.baseMargin + leaf) - e.baseMargin) * e.treeWeight[t]
		}
		out[o] += leaf
	}
}

func (e *Ensemble) linearMargins(out []float32, row []float64) {
	k := e.outputs
	bias := e.linear[e.features*k:]
	for o := range out {
		sum := bias[o] + e.baseMargin
		for f, v := range row {
			if v32 := float32(v); v32 == v32 {
				sum += v32 * e.linear[f*k+o]
			}
		}
		out[o] = sum
	}
}

func (e *Ensemble) finish(dst []float64, margins []float32) {
	switch e.transform {
	case Identity:
		for o, m := range margins {
			dst[o] = float64(m)
		}
	case Sigmoid:
		for o, m := range margins {
			dst[o] = float64(sigmoid32(m))
		}
	case Exp:
		for o, m := range margins {
			dst[o] = float64(float32(math.Exp(float64(m))))
		}
	case Hinge:
		for o, m := range margins {
			if m > 0 {
				dst[o] = 1
			} else {
				dst[o] = 0
			}
		}
	case Softmax:
		softmax32(margins)
		for o, m := range margins {
			dst[o] = float64(m)
		}
	case ArgMax:
		best := 0
		for o, m := range margins {
			if m > margins[best] {
				best = o
			}
		}
		dst[0] = float64(best)
	}
}

func sigmoid32(m float32) float32 {
	return 1 / (1 + float32(math.Exp(float64(-m))))
}

// softmax32 is XGBoost's common::Softmax: float32 exponentials of the
// margins less their maximum, summed in float64.
func softmax32(m []float32) {
	top := m[0]
	for _, v := range m[1:] {
		if v > top {
			top = v
		}
	}
	var sum float64
	for i, v := range m {
		m[i] = float32(math.Exp(float64(v - top)))
		sum += float64(m[i])
	}
	for i := range m {
		m[i] /= float32(sum)
	}
}

func (e *Ensemble) addGain(feature int, gain float64) {
	if e.gains == nil {
		e.gains = map[int32]featureGain{}
	}
	g := e.gains[int32(feature)]
	g.total += gain
	g.splits++
	e.gains[int32(feature)] = g
}

// SplitGains returns each feature's total gain over its splits and their number (XGBoost's
// total_gain and weight), or nil when the model records no gains.
func (e *Ensemble) SplitGains() (total, splits []float64) {
	if e.gains == nil {
		return nil, nil
	}
	total, splits = make([]float64, e.features), make([]float64, e.features)
	for f, g := range e.gains {
		total[f], splits[f] = g.total, g.splits
	}
	return total, splits
}
