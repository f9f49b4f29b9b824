package svm

import (
	"context"
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Classifier is a fitted C-SVC in libsvm's layout: the support vectors
// grouped by class, and for every pair of classes a < b a decision function
// Σ coef·K(sv, x) − rho whose positive sign votes for a. The class with the
// most votes wins, the smaller label on ties, as in libsvm.
//
// sklearn's SVC estimates no probabilities by default (probability=False),
// so Classifier does not implement algorithms.Classifier; it still reports
// its Classes.
type Classifier struct {
	kernel      Kernel
	numFeatures int
	classes     []float64
	// supportCount[k] support vectors of class k follow those of the
	// smaller classes in support (libsvm's nSV).
	supportCount []int
	supportStart []int     // K+1 prefix sums of supportCount
	support      []float64 // nSV×numFeatures
	supportNorms []float64
	// dualCoef is (K−1)×nSV, libsvm's sv_coef: row b−1 holds y·α of the
	// class a support vectors in pair (a, b), row a those of class b.
	dualCoef []float64
	rho      []float64 // one per pair, in the order (0,1), (0,2), …, (1,2), …

	scratch sync.Pool // *classifierScratch, so that Predict does not allocate
}

type classifierScratch struct {
	kernelValues []float64
	votes        []int
}

// FitSVC fits sklearn's SVC: one C-SVC per pair of classes, each solved by
// SMO on the rows of its two classes.
func FitSVC(ctx context.Context, x, y algorithms.Matrix, hp algorithms.Hyperparams) (*Classifier, error) {
	params, err := parseParams(hp, false)
	if err != nil {
		return nil, err
	}
	classes, members, err := groupByClass(x, y)
	if err != nil {
		return nil, err
	}
	kernel := Kernel{Type: params.kernel, Degree: params.degree, Gamma: params.gamma.resolve(x), Coef0: params.coef0}
	k := len(classes)
	// pairCoef[pair][r] is y·α of row r of the pair's subproblem: the rows
	// of class a, then those of class b.
	pairCoef := make([][]float64, 0, k*(k-1)/2)
	rho := make([]float64, 0, k*(k-1)/2)
	isSupport := make([]bool, x.Rows)
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			rows := append(append([]int(nil), members[a]...), members[b]...)
			sol, err := solveClassPair(ctx, x, rows, len(members[a]), kernel, params)
			if err != nil {
				return nil, fmt.Errorf("%s: training cancelled: %w", Name, err)
			}
			for r, coef := range sol.alpha {
				if coef != 0 {
					isSupport[rows[r]] = true
				}
			}
			pairCoef = append(pairCoef, sol.alpha)
			rho = append(rho, sol.rho)
		}
	}

	m := &Classifier{kernel: kernel, numFeatures: x.Cols, classes: classes, supportCount: make([]int, k), rho: rho}
	// supportIndex[a][r] is the position among all support vectors of the
	// r-th row of class a, or -1 for rows that are not support vectors.
	supportIndex := make([][]int, k)
	var numSupport int
	for a, rows := range members {
		supportIndex[a] = make([]int, len(rows))
		for r, row := range rows {
			supportIndex[a][r] = -1
			if isSupport[row] {
				supportIndex[a][r] = numSupport
				numSupport++
				m.supportCount[a]++
				m.support = append(m.support, x.Row(row)...)
			}
		}
	}
	m.dualCoef = make([]float64, (k-1)*numSupport)
	pair := 0
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			coef, na := pairCoef[pair], len(members[a])
			for r, s := range supportIndex[a] {
				if s >= 0 {
					m.dualCoef[(b-1)*numSupport+s] = coef[r]
				}
			}
			for r, s := range supportIndex[b] {
				if s >= 0 {
					m.dualCoef[a*numSupport+s] = coef[na+r]
				}
			}
			pair++
		}
	}
	m.derive()
	return m, nil
}

// solveClassPair trains the binary C-SVC separating the first numPositive
// of rows (label +1) from the others (label −1) and returns y·α per row.
func solveClassPair(ctx context.Context, x algorithms.Matrix, rows []int, numPositive int, kernel Kernel, params params) (dualSolution, error) {
	n := len(rows)
	prob := dualProblem{
		cache:  newKernelCache(kernel, x.Data, rows, x.Cols, params.cacheBytes),
		point:  make([]int, n),
		y:      make([]float64, n),
		linear: make([]float64, n),
		c:      params.c,
	}
	for t := range rows {
		prob.point[t], prob.y[t], prob.linear[t] = t, 1, -1
		if t >= numPositive {
			prob.y[t] = -1
		}
	}
	sol, err := solveSMO(ctx, prob, params.tol, params.maxIter)
	if err != nil {
		return sol, err
	}
	for t := range sol.alpha {
		sol.alpha[t] *= prob.y[t]
	}
	return sol, nil
}

// derive computes the values Predict needs that the model file omits.
func (m *Classifier) derive() {
	m.supportNorms = squaredNorms(m.support, m.numFeatures)
	m.supportStart = make([]int, len(m.supportCount)+1)
	for c, n := range m.supportCount {
		m.supportStart[c+1] = m.supportStart[c] + n
	}
}

func (m *Classifier) Algorithm() string     { return Name }
func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }
func (m *Classifier) NumFeatures() int      { return m.numFeatures }
func (m *Classifier) NumOutputs() int       { return 1 }

// Classes returns the sorted distinct training labels.
func (m *Classifier) Classes() []float64 { return m.classes }

// Kernel returns the kernel with gamma resolved on the training data.
func (m *Classifier) Kernel() Kernel { return m.kernel }

// NumSupport returns the number of support vectors of each class
// (sklearn's n_support_).
func (m *Classifier) NumSupport() []int { return m.supportCount }

// SupportVector returns support vector s (sklearn's support_vectors_[s]).
func (m *Classifier) SupportVector(s int) []float64 {
	p := m.numFeatures
	return m.support[s*p : (s+1)*p : (s+1)*p]
}

// DualCoef returns row r of sklearn's dual_coef_ (libsvm's sv_coef), with
// one coefficient per support vector.
func (m *Classifier) DualCoef(r int) []float64 {
	n := len(m.supportNorms)
	return m.dualCoef[r*n : (r+1)*n : (r+1)*n]
}

// Rho returns libsvm's threshold of each pair of classes (a, b), a < b, in
// sklearn's order; sklearn's intercept_ is −Rho for more than two classes
// and +Rho for two.
func (m *Classifier) Rho() []float64 { return m.rho }

// Predict implements algorithms.Model with libsvm's one-vs-one vote.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows {
		panic(fmt.Sprintf("%s: Predict with %d values for %d features into %d outputs", Name, len(x), p, len(dst)))
	}
	s, _ := m.scratch.Get().(*classifierScratch)
	if s == nil {
		s = &classifierScratch{kernelValues: make([]float64, len(m.supportNorms)), votes: make([]int, len(m.classes))}
	}
	for i := 0; i < rows; i++ {
		dst[i] = m.classes[m.vote(x[i*p:(i+1)*p], s)]
	}
	m.scratch.Put(s)
}

func (m *Classifier) vote(row []float64, s *classifierScratch) int {
	norm := dot(row, row)
	for sv := range s.kernelValues {
		s.kernelValues[sv] = m.kernel.eval(m.SupportVector(sv), row, m.supportNorms[sv], norm)
	}
	for c := range s.votes {
		s.votes[c] = 0
	}
	k, n := len(m.classes), len(m.supportNorms)
	pair := 0
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			sum := -m.rho[pair]
			coefA := m.dualCoef[(b-1)*n : b*n]
			for sv := m.supportStart[a]; sv < m.supportStart[a+1]; sv++ {
				sum += coefA[sv] * s.kernelValues[sv]
			}
			coefB := m.dualCoef[a*n : (a+1)*n]
			for sv := m.supportStart[b]; sv < m.supportStart[b+1]; sv++ {
				sum += coefB[sv] * s.kernelValues[sv]
			}
			if sum > 0 {
				s.votes[a]++
			} else {
				s.votes[b]++
			}
			pair++
		}
	}
	best := 0
	for c, v := range s.votes {
		if v > s.votes[best] {
			best = c
		}
	}
	return best
}

// MarshalBinary implements algorithms.Model.
func (m *Classifier) MarshalBinary() ([]byte, error) {
	return m.MarshalBinaryContext(context.Background())
}

// MarshalBinaryContext is MarshalBinary that stops once ctx is done.
func (m *Classifier) MarshalBinaryContext(ctx context.Context) ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: algorithms.Classification}).WithContext(ctx)
	e.Grow(64 + 8*(len(m.classes)+len(m.supportCount)+len(m.support)+len(m.dualCoef)+len(m.rho)))
	encodeKernel(e, m.kernel, m.numFeatures)
	e.Float64s(m.classes)
	counts := make([]float64, len(m.supportCount))
	for c, n := range m.supportCount {
		counts[c] = float64(n)
	}
	e.Float64s(counts)
	e.Float64s(m.support)
	e.Float64s(m.dualCoef)
	e.Float64s(m.rho)
	return e.Bytes(), e.Err()
}

// UnmarshalClassifier decodes the payload that Classifier.MarshalBinary
// wrote after its header, checking that every size agrees.
func UnmarshalClassifier(payload []byte) (*Classifier, error) {
	d := modelfile.NewDecoder(payload)
	m := &Classifier{}
	m.kernel, m.numFeatures = decodeKernel(d)
	m.classes = d.Float64s()
	counts := d.Float64s()
	m.support = d.Float64s()
	m.dualCoef = d.Float64s()
	m.rho = d.Float64s()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s classifier payload: %w", Name, err)
	}
	if err := m.validate(counts); err != nil {
		return nil, fmt.Errorf("%s classifier payload: %w", Name, err)
	}
	m.derive()
	return m, nil
}

func (m *Classifier) validate(counts []float64) error {
	if err := checkKernel(m.kernel, m.numFeatures); err != nil {
		return err
	}
	k := len(m.classes)
	if k < 2 || !sort.Float64sAreSorted(m.classes) {
		return fmt.Errorf("invalid classes %v", m.classes)
	}
	for i := 1; i < k; i++ {
		if !(m.classes[i-1] < m.classes[i]) {
			return fmt.Errorf("classes are not distinct sorted numbers: %v", m.classes)
		}
	}
	if len(m.support)%m.numFeatures != 0 {
		return fmt.Errorf("%d support vector values for %d features", len(m.support), m.numFeatures)
	}
	numSupport := len(m.support) / m.numFeatures
	if len(counts) != k {
		return fmt.Errorf("%d support vector counts for %d classes", len(counts), k)
	}
	m.supportCount = make([]int, k)
	total := 0
	for c, f := range counts {
		if !(f >= 0 && f <= float64(numSupport)) || f != math.Trunc(f) {
			return fmt.Errorf("invalid support vector count %v", f)
		}
		m.supportCount[c] = int(f)
		total += int(f)
	}
	if total != numSupport || len(m.dualCoef) != (k-1)*numSupport || len(m.rho) != k*(k-1)/2 {
		return fmt.Errorf("inconsistent sizes (%d classes, %d support vectors, %d counted, %d coefficients, %d thresholds)",
			k, numSupport, total, len(m.dualCoef), len(m.rho))
	}
	if err := allFinite("support vector", m.support); err != nil {
		return err
	}
	if err := allFinite("dual coefficient", m.dualCoef); err != nil {
		return err
	}
	return allFinite("rho", m.rho)
}
