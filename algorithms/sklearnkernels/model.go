package sklearnkernels

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/pgml-go/pgml/algorithms"
)

// Name is the modelfile header's name of a Model: not an algorithm users train (the native
// registry only loads it) but the native form of a python-trained kernel model.
const Name = "sklearn_kernels"

// Algorithms are the python runtime's algorithms a Model stands for. The stored model names
// its algorithm by index in this list, so entries are only ever appended.
var Algorithms = []string{"svm", "nu_svm", "kernel_ridge", "gaussian_process"}

// Expansion is Σᵢ k(x, pointᵢ)·coefᵢ + intercept.
//
// A regressor's expansion adds Width outputs from Output on: Coef holds Width values per
// point (point-major, as KernelRidge's dual_coef_ and a Gaussian process's alpha_) and
// Intercept one per output. A classifier's one expansion is libsvm's: Coef holds its
// sv_coef, (classes − 1) rows of one value per point (scikit-learn's _dual_coef_), and
// Intercept one value per pair of classes, −rho (scikit-learn's _intercept_).
type Expansion struct {
	Kernel    Kernel
	Points    []float64 // one row of NumFeatures values per point
	Coef      []float64
	Intercept []float64
	Output    int
	Width     int
}

// Arrays are an exported kernel model.
type Arrays struct {
	Algorithm   string
	Task        algorithms.Task
	NumFeatures int
	Expansions  []Expansion
	// Scale and Offset un-normalize a regressor's outputs: y = expansion·Scale + Offset
	// (GaussianProcessRegressor's _y_train_std and _y_train_mean; 1 and 0 otherwise).
	Scale, Offset []float64
	// A classifier's sorted classes and how many of the points belong to each (libsvm's
	// nSV: the points are grouped by class).
	Classes      []float64
	SupportCount []int
	// ProbA and ProbB are libsvm's Platt parameters of every pair (empty without
	// probabilities).
	ProbA, ProbB []float64
	// Laplace makes a classifier a Gaussian process classifier (laplace.go): one factor per
	// expansion, each a binary machine (one for two classes, one per class otherwise).
	Laplace []Laplace
}

// Model predicts like a fitted scikit-learn kernel model. It is immutable once built and
// safe for concurrent use.
type Model struct {
	a            Arrays
	algorithm    uint8
	norms        [][]float64 // |point| per expansion, for the cosine kernel
	supportStart []int       // classifier: where each class's points start, and their number
	scratch      sync.Pool   // *[]float64: a classifier's kernel values, decision values, votes, …
}

// maxClasses bounds a classifier's classes: libsvm's pairwise tables are k².
const maxClasses = 1 << 12

// New checks a and builds the model.
func New(a Arrays) (*Model, error) {
	index := slices.Index(Algorithms, a.Algorithm)
	if index < 0 {
		return nil, fmt.Errorf("sklearnkernels: %q has no exported kernel form", a.Algorithm)
	}
	m := &Model{a: a, algorithm: uint8(index)}
	if err := m.check(); err != nil {
		return nil, err
	}
	m.norms = make([][]float64, len(a.Expansions))
	for e, x := range a.Expansions {
		m.norms[e] = make([]float64, len(x.Points)/a.NumFeatures)
		for i := range m.norms[e] {
			p := m.point(e, i)
			m.norms[e][i] = math.Sqrt(dot(p, p))
		}
	}
	if a.Task == algorithms.Classification {
		m.supportStart = make([]int, len(a.Classes)+1)
		for c, n := range a.SupportCount {
			m.supportStart[c+1] = m.supportStart[c] + n
		}
	}
	return m, nil
}

func (m *Model) point(e, i int) []float64 {
	p := m.a.NumFeatures
	return m.a.Expansions[e].Points[i*p : (i+1)*p : (i+1)*p]
}

// check verifies what predicting relies on: sizes that agree and finite parameters.
func (m *Model) check() error {
	a := &m.a
	if a.NumFeatures < 1 || a.NumFeatures > math.MaxInt32 || len(a.Expansions) == 0 {
		return fmt.Errorf("sklearnkernels: %d features, %d expansions", a.NumFeatures, len(a.Expansions))
	}
	for e, x := range a.Expansions {
		if err := x.Kernel.validate(); err != nil {
			return err
		}
		if len(x.Points)%a.NumFeatures != 0 || x.Width < 1 {
			return fmt.Errorf("sklearnkernels: expansion %d has %d point values for %d features, width %d", e, len(x.Points), a.NumFeatures, x.Width)
		}
		for name, v := range map[string][]float64{"point": x.Points, "coefficient": x.Coef, "intercept": x.Intercept} {
			if err := allFinite(name, v); err != nil {
				return err
			}
		}
	}
	switch a.Task {
	case algorithms.Regression:
		return m.checkRegressor()
	case algorithms.Classification:
		if a.Algorithm == "gaussian_process" {
			return m.checkLaplace()
		}
		return m.checkClassifier()
	}
	return fmt.Errorf("sklearnkernels: a %v model", a.Task)
}

func (m *Model) checkRegressor() error {
	a := &m.a
	outputs := len(a.Scale)
	if outputs < 1 || len(a.Offset) != outputs || len(a.Classes) != 0 || len(a.SupportCount) != 0 || len(a.ProbA) != 0 || len(a.ProbB) != 0 || len(a.Laplace) != 0 {
		return fmt.Errorf("sklearnkernels: a regressor with %d scales, %d offsets and classifier parameters", outputs, len(a.Offset))
	}
	covered := make([]bool, outputs)
	for e, x := range a.Expansions {
		n := len(x.Points) / a.NumFeatures
		if x.Output < 0 || x.Output+x.Width > outputs || len(x.Coef) != n*x.Width || len(x.Intercept) != x.Width {
			return fmt.Errorf("sklearnkernels: expansion %d adds %d outputs from %d of %d with %d coefficients for %d points and %d intercepts",
				e, x.Width, x.Output, outputs, len(x.Coef), n, len(x.Intercept))
		}
		for o := x.Output; o < x.Output+x.Width; o++ {
			if covered[o] {
				return fmt.Errorf("sklearnkernels: output %d is predicted twice", o)
			}
			covered[o] = true
		}
	}
	if i := slices.Index(covered, false); i >= 0 {
		return fmt.Errorf("sklearnkernels: output %d is not predicted", i)
	}
	if err := allFinite("scale", a.Scale); err != nil {
		return err
	}
	return allFinite("offset", a.Offset)
}

func (m *Model) checkClassifier() error {
	a := &m.a
	k := len(a.Classes)
	if k < 2 || k > maxClasses || len(a.Expansions) != 1 || len(a.Scale) != 0 || len(a.Offset) != 0 || len(a.Laplace) != 0 {
		return fmt.Errorf("sklearnkernels: a classifier of %d classes with %d expansions", k, len(a.Expansions))
	}
	if err := sortedClasses(a.Classes); err != nil {
		return err
	}
	x := a.Expansions[0]
	n, pairs := len(x.Points)/a.NumFeatures, k*(k-1)/2
	if len(a.SupportCount) != k || x.Width != k-1 || x.Output != 0 || len(x.Coef) != (k-1)*n || len(x.Intercept) != pairs {
		return fmt.Errorf("sklearnkernels: %d classes with %d support counts, %d coefficients for %d points and %d intercepts",
			k, len(a.SupportCount), len(x.Coef), n, len(x.Intercept))
	}
	total := 0
	for _, c := range a.SupportCount {
		if c < 0 || c > n {
			return fmt.Errorf("sklearnkernels: support counts %v for %d points", a.SupportCount, n)
		}
		total += c
	}
	if total != n {
		return fmt.Errorf("sklearnkernels: support counts %v for %d points", a.SupportCount, n)
	}
	if len(a.ProbA) != len(a.ProbB) || (len(a.ProbA) != 0 && len(a.ProbA) != pairs) {
		return fmt.Errorf("sklearnkernels: %d and %d Platt parameters for %d pairs", len(a.ProbA), len(a.ProbB), pairs)
	}
	if err := allFinite("probA", a.ProbA); err != nil {
		return err
	}
	return allFinite("probB", a.ProbB)
}

func sortedClasses(classes []float64) error {
	for i := 1; i < len(classes); i++ {
		if !(classes[i-1] < classes[i]) {
			return fmt.Errorf("sklearnkernels: classes are not distinct sorted numbers: %v", classes)
		}
	}
	return nil
}

func allFinite(name string, v []float64) error {
	for i, f := range v {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("sklearnkernels: %s %d is %v", name, i, f)
		}
	}
	return nil
}

func (m *Model) Algorithm() string     { return Algorithms[m.algorithm] }
func (m *Model) Task() algorithms.Task { return m.a.Task }
func (m *Model) NumFeatures() int      { return m.a.NumFeatures }
func (m *Model) Classes() []float64    { return m.a.Classes }

// NumOutputs is 1 for a classifier, else one per target.
func (m *Model) NumOutputs() int {
	if m.a.Task == algorithms.Classification {
		return 1
	}
	return len(m.a.Scale)
}

// NumPoints is the number of points of every expansion (support vectors, training rows).
func (m *Model) NumPoints() int {
	n := 0
	for _, x := range m.a.Expansions {
		n += len(x.Points) / m.a.NumFeatures
	}
	return n
}

// HasPredictProba reports whether the classifier gives probabilities: a libsvm one fitted
// with probability=True, or a Gaussian process classifier.
func (m *Model) HasPredictProba() bool {
	return m.a.Task == algorithms.Classification && (len(m.a.ProbA) != 0 || m.isLaplace())
}

// kernelValues writes k(row, point) of expansion e's points into out.
func (m *Model) kernelValues(out []float64, e int, row []float64) {
	x := m.a.Expansions[e]
	rowNorm := 0.0
	if x.Kernel.Type == Cosine {
		rowNorm = math.Sqrt(dot(row, row))
	}
	for i := range out {
		out[i] = x.Kernel.eval(row, m.point(e, i), rowNorm, m.norms[e][i])
	}
}

func (m *Model) buffer(n int) *[]float64 {
	b, _ := m.scratch.Get().(*[]float64)
	if b == nil || cap(*b) < n {
		s := make([]float64, n)
		b = &s
	}
	*b = (*b)[:n]
	return b
}

// Predict implements algorithms.Model: the outputs of a regressor, a classifier's label.
func (m *Model) Predict(dst, x []float64) {
	p := m.a.NumFeatures
	rows, outputs := len(x)/p, m.NumOutputs()
	if rows*p != len(x) || len(dst) != rows*outputs {
		panic(fmt.Sprintf("sklearnkernels: Predict with %d values for %d features into %d outputs", len(x), p, len(dst)))
	}
	if m.isLaplace() {
		m.predictLaplaceClasses(dst, x)
		return
	}
	if m.a.Task == algorithms.Classification {
		m.predictClasses(dst, x)
		return
	}
	most := 0
	for _, e := range m.a.Expansions {
		most = max(most, len(e.Points)/p)
	}
	buf := m.buffer(most)
	defer m.scratch.Put(buf)
	for r := 0; r < rows; r++ {
		row, out := x[r*p:(r+1)*p], dst[r*outputs:(r+1)*outputs]
		for e, ex := range m.a.Expansions {
			k := (*buf)[:len(ex.Points)/p]
			m.kernelValues(k, e, row)
			for w := 0; w < ex.Width; w++ {
				s := 0.0
				for i, v := range k {
					s += v * ex.Coef[i*ex.Width+w]
				}
				o := ex.Output + w
				out[o] = (s+ex.Intercept[w])*m.a.Scale[o] + m.a.Offset[o]
			}
		}
	}
}

var _ algorithms.Classifier = (*Model)(nil)
