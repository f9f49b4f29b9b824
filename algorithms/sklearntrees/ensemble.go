package sklearntrees

import (
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
)

// Name is the modelfile header's name of an Ensemble: not an algorithm users train (the
// native registry only loads it) but the native form of a python-trained tree model.
const Name = "sklearn_trees"

// Algorithms are the python runtime's algorithms an Ensemble stands for. The stored model
// names its algorithm by index in this list, so entries are only ever appended.
var Algorithms = []string{
	"random_forest", "extra_trees", "gradient_boosting_trees", "hist_gradient_boosting", "bagging", "ada_boost",
}

// Combine is how a row's margins (the initial values plus the trees' leaf vectors) become
// scikit-learn's predictions and probabilities.
type Combine uint8

const (
	// Mean: a regressor's outputs are the margins divided by Scale (forests, bagging).
	Mean Combine = iota
	// MeanProbability: the probabilities are the margins (the trees' class fractions) divided
	// by Scale; the prediction is the class of the first largest (forests, bagging).
	MeanProbability
	// Raw: a regressor's outputs are the margins (gradient boosting).
	Raw
	// RawExp: a regressor's outputs are e^margin (histogram boosting's Poisson loss).
	RawExp
	// Logistic: one margin m, P(classes[1]) = expit(m), P(classes[0]) = 1 - that; the
	// prediction is the class of the first largest probability (binomial deviance).
	Logistic
	// Exponential: one margin m, P(classes[1]) = expit(2m); the prediction is classes[1]
	// when m >= 0 (gradient boosting's exponential loss).
	Exponential
	// LogSumExp: P = exp(m - logsumexp(m)) (gradient boosting's multinomial deviance).
	LogSumExp
	// Softmax: P = softmax(m) as sklearn.utils.extmath.softmax computes it (histogram
	// boosting's multinomial loss).
	Softmax
	// AdaBoost: the decision is the margins divided by Scale (the sum of the estimator
	// weights); with two classes its one value is the second less the first. The prediction
	// is classes[1] when that is positive, else the class of the largest decision; the
	// probabilities are the softmax of decision/(classes-1) (of ±decision/2 for two).
	AdaBoost
	// WeightedMedian: each output is the weighted median of its trees' leaf values, each tree
	// weighing TreeWeight (AdaBoostRegressor; median.go).
	WeightedMedian
	numCombines
)

// node is one node of a tree, 16 bytes (four to a cache line) as in algorithms/forest. Trees
// are stored in preorder: an internal node's left child is the next node, and next is its
// right child; a leaf has feature leafFeature and its vector of values at
// values[next*width:(next+1)*width].
type node struct {
	threshold float64
	// feature is the column compared with threshold, with missingLeft set when a row whose
	// value is NaN goes left (histogram boosting learns that direction; scikit-learn's trees
	// send NaN right, as NaN <= threshold is false).
	feature int32
	next    int32
}

const (
	leafFeature = -1
	missingLeft = 1 << 30
	featureMask = missingLeft - 1
)

// Ensemble predicts like a fitted scikit-learn tree model. It is immutable once built and
// safe for concurrent use.
type Ensemble struct {
	algorithm   uint8 // index in Algorithms
	task        algorithms.Task
	combine     Combine
	castFloat32 bool // compare float32(x) <= threshold, as scikit-learn's trees do
	features    int
	width       int // values per leaf
	nodes       []node
	values      []float64
	roots       []int32
	treeOutput  []int32   // the first margin each tree's leaf vector adds to
	treeWeight  []float64 // WeightedMedian's weight of each tree, else nil
	init        []float64 // the margins before any tree
	scale       float64
	classes     []float64
}

// Arrays are an exported model: its trees' nodes, indexed across all trees (a tree's
// children point into the same arrays), each node's vector of Width values (only leaves'
// are used), and how they combine.
type Arrays struct {
	Algorithm   string
	Task        algorithms.Task
	Combine     Combine
	CastFloat32 bool
	NumFeatures int
	// Feature, Threshold, Left, Right and Missing describe node i; Left[i] < 0 marks a leaf.
	Feature, Left, Right, Missing []int32
	Threshold                     []float64
	// Values holds Width values per node.
	Values []float64
	Width  int
	// Roots and TreeOutput: each tree's root node and the first margin it adds to.
	Roots, TreeOutput []int32
	// TreeWeight is each tree's weight in a WeightedMedian (nil otherwise).
	TreeWeight []float64
	// Init holds the margins' initial values: their number is the number of margins.
	Init    []float64
	Scale   float64
	Classes []float64
}

// maxMargins bounds the margins of a row: they live on the stack while it is predicted.
const maxMargins = 256

// New checks a and builds the ensemble.
func New(a Arrays) (*Ensemble, error) {
	index := slices.Index(Algorithms, a.Algorithm)
	if index < 0 {
		return nil, fmt.Errorf("sklearntrees: %q has no exported tree form", a.Algorithm)
	}
	n := len(a.Feature)
	if len(a.Left) != n || len(a.Right) != n || len(a.Missing) != n || len(a.Threshold) != n {
		return nil, fmt.Errorf("sklearntrees: node arrays of different lengths")
	}
	if a.Width < 1 || len(a.Values) != n*a.Width {
		return nil, fmt.Errorf("sklearntrees: %d leaf values for %d nodes of width %d", len(a.Values), n, a.Width)
	}
	e := &Ensemble{algorithm: uint8(index), task: a.Task, combine: a.Combine, castFloat32: a.CastFloat32,
		features: a.NumFeatures, width: a.Width, nodes: make([]node, n),
		roots: a.Roots, treeOutput: a.TreeOutput, treeWeight: a.TreeWeight, init: a.Init, scale: a.Scale, classes: a.Classes}
	if a.NumFeatures > featureMask {
		return nil, fmt.Errorf("sklearntrees: %d features", a.NumFeatures)
	}
	for i := range e.nodes {
		if a.Left[i] < 0 {
			e.nodes[i] = node{feature: leafFeature, next: int32(len(e.values) / a.Width)}
			e.values = append(e.values, a.Values[i*a.Width:(i+1)*a.Width]...)
			continue
		}
		if int(a.Left[i]) != i+1 || (a.Missing[i] != a.Left[i] && a.Missing[i] != a.Right[i]) || a.Feature[i] < 0 {
			return nil, fmt.Errorf("sklearntrees: node %d is not in preorder (left child %d, right %d, missing %d, feature %d)",
				i, a.Left[i], a.Right[i], a.Missing[i], a.Feature[i])
		}
		e.nodes[i] = node{threshold: a.Threshold[i], feature: a.Feature[i], next: a.Right[i]}
		if a.Missing[i] == a.Left[i] {
			e.nodes[i].feature |= missingLeft
		}
	}
	if err := e.check(); err != nil {
		return nil, err
	}
	return e, nil
}

// check verifies what predicting relies on: every child and feature in range, every tree a
// tree (children after their parent, so that a walk ends), margins and classes that fit.
func (e *Ensemble) check() error {
	n := int32(len(e.nodes))
	margins := len(e.init)
	if e.features < 1 || margins < 1 || margins > maxMargins || e.width < 1 || e.width > margins {
		return fmt.Errorf("sklearntrees: %d features, %d margins, leaves of %d values", e.features, margins, e.width)
	}
	if e.combine >= numCombines || int(e.algorithm) >= len(Algorithms) || !(e.scale > 0) {
		return fmt.Errorf("sklearntrees: unknown combination %d, algorithm %d or scale %g", e.combine, e.algorithm, e.scale)
	}
	leaves := int32(len(e.values) / e.width)
	if len(e.values)%e.width != 0 {
		return fmt.Errorf("sklearntrees: %d leaf values of width %d", len(e.values), e.width)
	}
	for i, nd := range e.nodes {
		if nd.feature == leafFeature {
			if nd.next < 0 || nd.next >= leaves {
				return fmt.Errorf("sklearntrees: leaf %d has no values", i)
			}
			continue
		}
		if f := nd.feature &^ missingLeft; f < 0 || int(f) >= e.features {
			return fmt.Errorf("sklearntrees: node %d splits on feature %d of %d", i, f, e.features)
		}
		// Children after their parent: a walk always ends.
		if i+1 >= int(n) || nd.next <= int32(i) || nd.next >= n {
			return fmt.Errorf("sklearntrees: node %d has children %d and %d", i, i+1, nd.next)
		}
	}
	if len(e.treeOutput) != len(e.roots) {
		return fmt.Errorf("sklearntrees: %d trees with %d outputs", len(e.roots), len(e.treeOutput))
	}
	for t, root := range e.roots {
		if root < 0 || root >= n || e.treeOutput[t] < 0 || int(e.treeOutput[t])+e.width > margins {
			return fmt.Errorf("sklearntrees: tree %d at node %d adds to margin %d of %d", t, root, e.treeOutput[t], margins)
		}
	}
	if err := e.checkTreeWeights(); err != nil {
		return err
	}
	classifier := e.combine != Mean && e.combine != Raw && e.combine != RawExp && e.combine != WeightedMedian
	switch {
	case e.task == algorithms.Regression && !classifier && len(e.classes) == 0:
	case e.task == algorithms.Classification && classifier && len(e.classes) >= 2:
		want := len(e.classes)
		if (e.combine == Logistic || e.combine == Exponential) && want == 2 {
			want = 1
		}
		if margins != want {
			return fmt.Errorf("sklearntrees: %d margins for %d classes", margins, len(e.classes))
		}
	default:
		return fmt.Errorf("sklearntrees: combination %d for a %v model with %d classes", e.combine, e.task, len(e.classes))
	}
	return nil
}

func (e *Ensemble) Algorithm() string     { return Algorithms[e.algorithm] }
func (e *Ensemble) Task() algorithms.Task { return e.task }
func (e *Ensemble) NumFeatures() int      { return e.features }
func (e *Ensemble) Classes() []float64    { return e.classes }

// NumOutputs is 1 for a classifier, else one per margin (joint regression).
func (e *Ensemble) NumOutputs() int {
	if e.task == algorithms.Classification {
		return 1
	}
	return len(e.init)
}

// NumTrees is the number of trees summed per row.
func (e *Ensemble) NumTrees() int { return len(e.roots) }

// NumNodes is the number of nodes of all the trees.
func (e *Ensemble) NumNodes() int { return len(e.nodes) }

// margins adds the row's leaf vectors to out, which holds the initial margins; castFloat32
// rounds each feature compared to float32 first.
func (e *Ensemble) margins(out, row []float64, castFloat32 bool) {
	nodes, values, w := e.nodes, e.values, e.width
	for t, root := range e.roots {
		at := int(nodes[walk(nodes, root, row, castFloat32)].next) * w
		leaf := values[at : at+w]
		m := out[e.treeOutput[t]:]
		for j, v := range leaf {
			m[j] += v
		}
	}
}

// walk is the leaf a row reaches from root, comparing x <= threshold, with x rounded to
// float32 first for scikit-learn's trees (castFloat32). NaN fails both comparisons: the
// common path pays no separate test for it.
func walk(nodes []node, root int32, row []float64, castFloat32 bool) int32 {
	i := root
	for {
		nd := &nodes[i]
		if nd.feature == leafFeature {
			return i
		}
		v := row[nd.feature&featureMask]
		if castFloat32 {
			v = float64(float32(v))
		}
		switch {
		case v <= nd.threshold:
			i++
		case v > nd.threshold:
			i = nd.next
		case nd.feature&missingLeft != 0:
			i++
		default:
			i = nd.next
		}
	}
}

// maxRoundedFeatures bounds the rows rounded to float32 once, on the stack, rather than at
// every node of every tree.
const maxRoundedFeatures = 256

// roundedRow is row as the trees compare it: rounded to float32 for scikit-learn's trees, into
// buf when it fits (then the walks need not round), or the row as it is and whether the walks
// must round it.
func (e *Ensemble) roundedRow(buf *[maxRoundedFeatures]float64, row []float64) ([]float64, bool) {
	if !e.castFloat32 || len(row) > maxRoundedFeatures {
		return row, e.castFloat32
	}
	for f, v := range row {
		buf[f] = float64(float32(v))
	}
	return buf[:len(row)], false
}

// rowMargins computes the row's margins into buf (maxMargins values on the caller's stack).
func (e *Ensemble) rowMargins(buf *[maxMargins]float64, row []float64) []float64 {
	m := buf[:len(e.init)]
	copy(m, e.init)
	var rounded [maxRoundedFeatures]float64
	row, cast := e.roundedRow(&rounded, row)
	e.margins(m, row, cast)
	return m
}

// Predict implements algorithms.Model.
func (e *Ensemble) Predict(dst, x []float64) {
	p, k := e.features, e.NumOutputs()
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("sklearntrees: Predict with %d values for %d features into %d outputs", len(x), p, len(dst)))
	}
	if e.combine == WeightedMedian {
		e.predictMedians(dst, x)
		return
	}
	var buf, proba [maxMargins]float64
	for r := 0; r < rows; r++ {
		m := e.rowMargins(&buf, x[r*p:(r+1)*p])
		out := dst[r*k : (r+1)*k]
		switch e.combine {
		case Mean:
			for o, v := range m {
				out[o] = v / e.scale
			}
		case Raw:
			copy(out, m)
		case RawExp:
			for o, v := range m {
				out[o] = math.Exp(v)
			}
		case Exponential:
			out[0] = e.classes[0]
			if m[0] >= 0 {
				out[0] = e.classes[1]
			}
		case AdaBoost:
			d := e.adaDecision(m)
			if len(e.classes) == 2 {
				out[0] = e.classes[0]
				if d[0] > 0 {
					out[0] = e.classes[1]
				}
			} else {
				out[0] = e.classes[argmax(d)]
			}
		default:
			pr := proba[:len(e.classes)]
			e.probabilities(pr, m)
			out[0] = e.classes[argmax(pr)]
		}
	}
}

// adaDecision turns the margins into AdaBoostClassifier.decision_function's values, in place:
// one value for two classes.
func (e *Ensemble) adaDecision(m []float64) []float64 {
	for c := range m {
		m[c] /= e.scale
	}
	if len(m) == 2 {
		m[0] = -m[0] + m[1]
		return m[:1]
	}
	return m
}

// probabilities writes a classifier's probabilities of the row with margins m (which it may
// change) into p.
func (e *Ensemble) probabilities(p, m []float64) {
	switch e.combine {
	case MeanProbability:
		for c, v := range m {
			p[c] = v / e.scale
		}
	case Logistic:
		p[1] = expit(m[0])
		p[0] = 1 - p[1]
	case Exponential:
		p[1] = expit(2 * m[0])
		p[0] = 1 - p[1]
	case LogSumExp:
		top := slices.Max(m)
		sum := 0.0
		for _, v := range m {
			sum += math.Exp(v - top)
		}
		lse := math.Log(sum) + top
		for c, v := range m {
			p[c] = math.Exp(v - lse)
		}
	case Softmax:
		copy(p, m)
		softmax(p)
	case AdaBoost:
		d := e.adaDecision(m)
		if len(e.classes) == 2 {
			p[0], p[1] = -d[0]/2, d[0]/2
		} else {
			for c, v := range d {
				p[c] = v / float64(len(e.classes)-1)
			}
		}
		softmax(p)
	}
}

// HasPredictProba reports whether the estimator gives probabilities: every tree classifier does.
func (e *Ensemble) HasPredictProba() bool { return e.task == algorithms.Classification }

// PredictProbaChecked is PredictProba for callers that cannot guarantee shapes.
func (e *Ensemble) PredictProbaChecked(dst, x []float64) error {
	if !e.HasPredictProba() {
		return fmt.Errorf("the %s model of this project does not predict probabilities", e.Algorithm())
	}
	return algorithms.PredictProba(e, dst, x)
}

// PredictProba implements algorithms.Classifier.
func (e *Ensemble) PredictProba(dst, x []float64) {
	p, k := e.features, len(e.classes)
	rows := len(x) / p
	if e.task != algorithms.Classification || rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("sklearntrees: PredictProba with %d values for %d features into %d probabilities", len(x), p, len(dst)))
	}
	var buf [maxMargins]float64
	for r := 0; r < rows; r++ {
		e.probabilities(dst[r*k:(r+1)*k], e.rowMargins(&buf, x[r*p:(r+1)*p]))
	}
}

// expit is scipy.special.expit: 1 / (1 + e^-x).
func expit(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// softmax is sklearn.utils.extmath.softmax of one row, in place.
func softmax(v []float64) {
	top := slices.Max(v)
	sum := 0.0
	for i := range v {
		v[i] = math.Exp(v[i] - top)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// argmax is numpy's: the index of the first largest value.
func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

var _ algorithms.Classifier = (*Ensemble)(nil)
