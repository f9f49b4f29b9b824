package linear

import (
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// ExportedName is the modelfile header's name of an Exported model: not an algorithm users
// train (the native registry only loads it), but the native form of a scikit-learn linear
// model trained by the python runtime (pybridge/bridge.py export_native; issue 11).
const ExportedName = "sklearn_linear"

// ExportedAlgorithms are the python runtime's algorithms whose fitted estimators are linear
// scores (coef_ · x + intercept_): the ones an Exported model stands for. The stored model
// names its algorithm by index in this list, so entries are only ever appended.
var ExportedAlgorithms = []string{
	"linear", "ridge", "lasso", "elastic_net", "least_angle", "lasso_least_angle",
	"orthogonal_matching_pursuit", "bayesian_ridge", "automatic_relevance_determination",
	"stochastic_gradient_descent", "perceptron", "passive_aggressive", "huber", "quantile",
	"ransac", "theil_sen", "linear_svm",
}

// Probabilities is how a classifier's scores become probabilities, as scikit-learn computes them.
type Probabilities uint8

const (
	// NoProbabilities: the estimator has no predict_proba (hinge-loss SGD, perceptron,
	// ridge classifier, linear SVC, passive aggressive).
	NoProbabilities Probabilities = iota
	// OneVsRestProbabilities: LinearClassifierMixin._predict_proba_lr, the logistic function of
	// each score, normalized over the classes (two classes: 1-p, p of the one score).
	OneVsRestProbabilities
	// SoftmaxProbabilities: multinomial logistic regression, the softmax of the scores (two
	// classes: of -score, score).
	SoftmaxProbabilities
	// ModifiedHuberProbabilities: SGDClassifier's with loss modified_huber, (clip(score, -1, 1)
	// + 1) / 2 of each score, normalized over the classes, uniform when all are 0 (two
	// classes: 1-p, p of the one score).
	ModifiedHuberProbabilities
)

// Exported predicts like a fitted scikit-learn linear estimator from its parameters:
// regression writes each score; classification picks classes[1] when the one score of a
// binary model is positive, else the class of the first largest score (numpy's argmax).
type Exported struct {
	algorithm     uint8 // index in ExportedAlgorithms
	task          algorithms.Task
	numFeatures   int
	coef          []float64 // scores × numFeatures, row-major like coef_
	intercept     []float64 // one per score
	classes       []float64 // classification only
	probabilities Probabilities
}

// NewExported checks the parameters of an exported estimator: coef has one row of
// numFeatures values per score, a regressor one score per output, a classifier one score for
// two classes and one per class otherwise.
func NewExported(algorithm string, task algorithms.Task, numFeatures int, coef, intercept, classes []float64, probabilities Probabilities) (*Exported, error) {
	index := slices.Index(ExportedAlgorithms, algorithm)
	if index < 0 {
		return nil, fmt.Errorf("linear: %q has no exported linear form", algorithm)
	}
	m := &Exported{algorithm: uint8(index), task: task, numFeatures: numFeatures, coef: coef, intercept: intercept,
		classes: classes, probabilities: probabilities}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Exported) check() error {
	scores := len(m.intercept)
	if m.numFeatures < 1 || scores < 1 || len(m.coef)%scores != 0 || len(m.coef)/scores != m.numFeatures {
		return fmt.Errorf("linear: exported model with inconsistent sizes (%d features, %d coefficients, %d intercepts)",
			m.numFeatures, len(m.coef), scores)
	}
	if int(m.algorithm) >= len(ExportedAlgorithms) || m.probabilities > ModifiedHuberProbabilities {
		return fmt.Errorf("linear: exported model of unknown algorithm %d or probabilities %d", m.algorithm, m.probabilities)
	}
	for _, v := range m.coef {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("linear: exported model with a non-finite coefficient")
		}
	}
	switch m.task {
	case algorithms.Regression:
		if len(m.classes) != 0 || m.probabilities != NoProbabilities {
			return fmt.Errorf("linear: exported regressor with classes")
		}
	case algorithms.Classification:
		want := len(m.classes)
		if want == 2 {
			want = 1
		}
		if len(m.classes) < 2 || scores != want {
			return fmt.Errorf("linear: exported classifier with %d classes and %d scores", len(m.classes), scores)
		}
	default:
		return fmt.Errorf("linear: exported model for %v", m.task)
	}
	return nil
}

func (m *Exported) Algorithm() string     { return ExportedAlgorithms[m.algorithm] }
func (m *Exported) Task() algorithms.Task { return m.task }
func (m *Exported) NumFeatures() int      { return m.numFeatures }
func (m *Exported) Classes() []float64    { return m.classes }

func (m *Exported) NumOutputs() int {
	if m.task == algorithms.Classification {
		return 1
	}
	return len(m.intercept)
}

// scores writes the row's scores (coef · row + intercept) into dst.
func (m *Exported) scores(dst, row []float64) {
	p := m.numFeatures
	for s := range m.intercept {
		dst[s] = dot(m.coef[s*p:(s+1)*p], row) + m.intercept[s]
	}
}

// maxScoresOnStack covers the classifiers of up to this many classes without allocating.
const maxScoresOnStack = 16

// Predict implements algorithms.Model.
func (m *Exported) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.NumOutputs()
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("linear: Predict with %d values for %d features into %d outputs", len(x), p, len(dst)))
	}
	if m.task == algorithms.Regression {
		for i := 0; i < rows; i++ {
			m.scores(dst[i*k:(i+1)*k], x[i*p:(i+1)*p])
		}
		return
	}
	var onStack [maxScoresOnStack]float64
	scores := onStack[:0]
	if len(m.intercept) > maxScoresOnStack {
		scores = make([]float64, len(m.intercept))
	}
	scores = scores[:len(m.intercept)]
	for i := 0; i < rows; i++ {
		m.scores(scores, x[i*p:(i+1)*p])
		if len(scores) == 1 {
			// scikit-learn: (scores > 0).astype(int) indexes classes_.
			dst[i] = m.classes[0]
			if scores[0] > 0 {
				dst[i] = m.classes[1]
			}
			continue
		}
		best := 0
		for s, v := range scores {
			if v > scores[best] {
				best = s
			}
		}
		dst[i] = m.classes[best]
	}
}

// HasPredictProba reports whether the estimator had predict_proba: the lifecycle then offers
// probabilities for this classifier (lifecycle/load.go).
func (m *Exported) HasPredictProba() bool {
	return m.task == algorithms.Classification && m.probabilities != NoProbabilities
}

// PredictProbaChecked is PredictProba for callers that cannot guarantee shapes or that the
// estimator gives probabilities.
func (m *Exported) PredictProbaChecked(dst, x []float64) error {
	if !m.HasPredictProba() {
		return fmt.Errorf("the %s model of this project does not predict probabilities", m.Algorithm())
	}
	return algorithms.PredictProba(m, dst, x)
}

// PredictProba implements algorithms.Classifier; without probabilities it writes NaN (the
// lifecycle asks HasPredictProba first).
func (m *Exported) PredictProba(dst, x []float64) {
	p, k := m.numFeatures, len(m.classes)
	rows := len(x) / p
	if rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("linear: PredictProba with %d values for %d features into %d probabilities", len(x), p, len(dst)))
	}
	for i := 0; i < rows; i++ {
		out := dst[i*k : (i+1)*k]
		row := x[i*p : (i+1)*p]
		switch {
		case m.probabilities == NoProbabilities:
			for c := range out {
				out[c] = math.NaN()
			}
		case k == 2:
			var s [1]float64
			m.scores(s[:], row)
			score := s[0]
			switch m.probabilities {
			case ModifiedHuberProbabilities:
				out[1] = huberProbability(score)
			case SoftmaxProbabilities:
				// softmax of (-score, score) is the logistic function of 2·score.
				out[1] = sigmoid(2 * score)
			default:
				out[1] = sigmoid(score)
			}
			out[0] = 1 - out[1]
		case m.probabilities == OneVsRestProbabilities:
			m.scores(out, row)
			sum := 0.0
			for c, v := range out {
				out[c] = sigmoid(v)
				sum += out[c]
			}
			for c := range out {
				out[c] /= sum
			}
		case m.probabilities == ModifiedHuberProbabilities:
			m.scores(out, row)
			huberProbabilities(out)
		default:
			m.scores(out, row)
			softmax(out)
		}
	}
}

// huberProbability is (clip(score, -1, 1) + 1) / 2, SGDClassifier's modified_huber
// probability of a score.
func huberProbability(score float64) float64 {
	return (min(max(score, -1), 1) + 1) / 2
}

// huberProbabilities turns a row's scores into SGDClassifier's modified_huber probabilities,
// in place: each score's huberProbability, normalized by their sum; a row whose probabilities
// are all 0 gets 1/k each, as scikit-learn's rule for it does.
func huberProbabilities(p []float64) {
	sum := 0.0
	for c, v := range p {
		p[c] = huberProbability(v)
		sum += p[c]
	}
	if sum == 0 {
		for c := range p {
			p[c] = 1
		}
		sum = float64(len(p))
	}
	for c := range p {
		p[c] /= sum
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Exported) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: ExportedName, Task: m.task})
	e.Uint8(m.algorithm)
	e.Uint8(uint8(m.probabilities))
	e.Uint32(uint32(m.numFeatures))
	e.Float64s(m.coef)
	e.Float64s(m.intercept)
	e.Float64s(m.classes)
	return e.Bytes(), nil
}

// UnmarshalExported decodes the payload written by Exported.MarshalBinary.
func UnmarshalExported(task algorithms.Task, payload []byte) (*Exported, error) {
	d := modelfile.NewDecoder(payload)
	m := &Exported{task: task, algorithm: d.Uint8(), probabilities: Probabilities(d.Uint8()), numFeatures: int(d.Uint32()),
		coef: d.Float64s(), intercept: d.Float64s(), classes: d.Float64s()}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("exported linear payload: %w", err)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	if len(m.classes) == 0 {
		m.classes = nil
	}
	return m, nil
}

var _ algorithms.Classifier = (*Exported)(nil)
