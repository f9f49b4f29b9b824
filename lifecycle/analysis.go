package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/analysis"
)

// The analysis stored in pgml.models.analysis (docs/analysis.md): computed at training
// time from the test split, by algorithms/analysis, after the native form is known (a python
// fit predicts only its held-out rows; its native form predicts any, which the permutation
// importance needs).

// importanceModel is a model that knows its features' importances: tree models (impurity,
// or XGBoost's gain) and python estimators with feature_importances_.
type importanceModel interface {
	FeatureImportance() (method string, importance []float64, ok bool)
}

// linearModel is a linear model: weight vector v's coefficients.
type linearModel interface {
	Coef(v int) []float64
}

// Permutation importance is bounded so that it costs a fraction of the training: at most
// permutationRows test rows, permutationRepeats shuffles per feature and
// permutationMaxPredicted predicted rows in all; then, timed on one prediction of the
// sample, about permutationTimeShare of the fit and scoring time (never less than
// permutationMinTime) with fewer rows and one shuffle, down to permutationMinRows rows. A
// model too slow for that (permutationMaxOverrun times the allowance at the fewest rows) gets
// no permutation importance.
const (
	permutationRows         = 1000
	permutationMinRows      = 20
	permutationProbeRows    = 100
	permutationRepeats      = 3
	permutationMaxPredicted = 100_000
	permutationTimeShare    = 0.1
	permutationMinTime      = 100 * time.Millisecond
	permutationMaxOverrun   = 2
	permutationSeed         = 42
)

// curveValues bounds the class probabilities the curves are computed from (32 MB).
const curveValues = 4 << 20

// trainedForAnalysis is what the analysis starts from.
type trainedForAnalysis struct {
	task        algorithms.Task
	model       algorithms.Model // as trained
	native      algorithms.Model // its verified native form, or nil
	train, test dataSplit
	predicted   []float64 // model's predictions of test.x
	features    []string  // the model's columns after preprocessing
	trainTime   float64   // seconds of the fit and the scoring
}

// analyze returns the analysis JSON of a trained model, or nil when the test split is empty.
func analyze(ctx context.Context, t *trainedForAnalysis) ([]byte, error) {
	if t.test.x.Rows == 0 || t.predicted == nil {
		return nil, nil
	}
	a := analysis.New()
	var err error
	switch t.task {
	case algorithms.Classification:
		err = analyzeClassification(ctx, a, t)
	case algorithms.Regression:
		err = analyzeRegression(ctx, a, t)
	}
	if err != nil {
		return nil, err
	}
	if t.task.Supervised() {
		if a.FeatureImportance, err = featureImportance(ctx, t); err != nil {
			return nil, err
		}
	}
	return json.Marshal(a)
}

func analyzeClassification(ctx context.Context, a *analysis.Analysis, t *trainedForAnalysis) error {
	y := t.test.y.Data
	classifier, isClassifier := t.model.(algorithms.Classifier)
	var labels []float64
	if isClassifier {
		labels = classifier.Classes()
	}
	labels = sortedDistinct(labels, y, t.predicted)
	cm, err := analysis.NewConfusionMatrix(ctx, y, t.predicted, labels)
	if errors.Is(err, analysis.ErrTooManyClasses) {
		return nil
	}
	if err != nil {
		return err
	}
	a.ConfusionMatrix = cm
	if !isClassifier {
		return nil
	}
	if p, ok := t.model.(probabilityModel); ok && !p.HasPredictProba() {
		return nil
	}
	classes := classifier.Classes()
	// The curves of a large test split come from its first rows, so that the probabilities
	// stay within curveValues (a python fit predicts runs of its held rows only, so a prefix).
	rows := min(t.test.x.Rows, max(1, curveValues/len(classes)))
	y = y[:rows]
	probs := make([]float64, rows*len(classes))
	if err := predictProbabilityRows(ctx, t.model, classifier, probs, t.test.x.Data[:rows*t.test.x.Cols]); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return nil // no probabilities (e.g. hinge-loss SGD): no curves
	}
	a.ROC, a.PrecisionRecall, err = analysis.ClassCurves(ctx, classes, y, probs)
	if errors.Is(err, analysis.ErrTooManyClasses) {
		return nil
	}
	return err
}

func sortedDistinct(parts ...[]float64) []float64 {
	var all []float64
	for _, p := range parts {
		all = append(all, p...)
	}
	sort.Float64s(all)
	return slices.Compact(all)
}

func analyzeRegression(ctx context.Context, a *analysis.Analysis, t *trainedForAnalysis) error {
	outputs := t.model.NumOutputs()
	if t.test.y.Cols != outputs {
		return nil
	}
	a.PredictedVsActual = analysis.NewPredictedVsActual(t.test.y.Data, t.predicted, outputs, 0)
	var err error
	a.ResidualQuantiles, err = analysis.NewResidualQuantiles(ctx, t.test.y.Data, t.predicted, outputs, 0)
	return err
}

// featureImportance chooses the method: the model's own (trees), standardized coefficients
// (linear models), else permutation on the test split. A python fit is asked first, then
// its native form; without a native form it cannot predict shuffled rows, and has none.
func featureImportance(ctx context.Context, t *trainedForAnalysis) (*analysis.FeatureImportance, error) {
	p := t.model.NumFeatures()
	names := t.features
	if len(names) != p {
		names = make([]string, p)
		for j := range names {
			names[j] = fmt.Sprintf("feature_%d", j+1)
		}
	}
	candidates := []algorithms.Model{t.model}
	if t.native != nil {
		candidates = append(candidates, t.native)
	}
	for _, m := range candidates {
		if im, ok := m.(importanceModel); ok {
			if method, v, ok := im.FeatureImportance(); ok && len(v) == p {
				return &analysis.FeatureImportance{Method: method, Features: names, Importance: v}, nil
			}
		}
		if v, ok, err := standardizedCoefficients(ctx, m, t.train.x); err != nil || ok {
			if err != nil {
				return nil, err
			}
			return &analysis.FeatureImportance{Method: analysis.MethodCoefficients, Features: names, Importance: v}, nil
		}
	}
	predictor := t.model
	if _, heldOnly := t.model.(nativeConvertible); heldOnly {
		if predictor = t.native; predictor == nil {
			return nil, nil
		}
	}
	v, err := permutationImportance(ctx, predictor, t)
	if err != nil || v == nil {
		return nil, err
	}
	return &analysis.FeatureImportance{Method: analysis.MethodPermutation, Features: names, Importance: v}, nil
}

func standardizedCoefficients(ctx context.Context, m algorithms.Model, train algorithms.Matrix) ([]float64, bool, error) {
	lin, ok := m.(linearModel)
	if !ok || train.Cols != m.NumFeatures() {
		return nil, false, nil
	}
	vectors := m.NumOutputs()
	if c, ok := m.(interface{ NumVectors() int }); ok {
		vectors = c.NumVectors()
	}
	coefs := make([][]float64, vectors)
	for v := range coefs {
		coefs[v] = lin.Coef(v)
	}
	std, err := analysis.ColumnStd(ctx, train)
	if err != nil {
		return nil, false, err
	}
	return analysis.StandardizedCoefficients(coefs, std), true, nil
}

// permutationImportance bounds the work (see the constants above) and returns nil when the
// model cannot predict the shuffled rows.
func permutationImportance(ctx context.Context, model algorithms.Model, t *trainedForAnalysis) ([]float64, error) {
	test := t.test
	p := model.NumFeatures()
	if test.x.Cols != p || p == 0 || test.y.Cols != model.NumOutputs() {
		return nil, nil
	}
	opt := analysis.PermutationOptions{Rows: min(test.x.Rows, permutationRows), Repeats: permutationRepeats, Seed: permutationSeed}
	if total := opt.Rows * opt.Repeats * p; total > permutationMaxPredicted {
		opt.Repeats = max(1, permutationMaxPredicted/(opt.Rows*p))
		opt.Rows = max(min(opt.Rows, permutationMaxPredicted/(opt.Repeats*p)), min(permutationMinRows, test.x.Rows))
	}
	predict := func(dst, x []float64) error { return predictRows(ctx, model, dst, x) }
	// One prediction of the first rows tells what a row costs.
	probeRows := min(opt.Rows, permutationProbeRows)
	probe := make([]float64, probeRows*model.NumOutputs())
	start := time.Now()
	if err := predict(probe, test.x.Data[:probeRows*p]); err != nil {
		return nil, interruptedOrNone(ctx, err)
	}
	perRow := time.Since(start).Seconds() / float64(probeRows)
	allowed := max(permutationTimeShare*t.trainTime, permutationMinTime.Seconds())
	if projected := perRow * float64(opt.Rows*opt.Repeats*p); projected > allowed {
		opt.Repeats = 1
		opt.Rows = min(opt.Rows, max(permutationMinRows, int(allowed/(perRow*float64(p)))))
		if perRow*float64(opt.Rows*p) > permutationMaxOverrun*allowed {
			return nil, nil
		}
	}
	score := analysis.R2
	if t.task == algorithms.Classification {
		score = analysis.Accuracy
	}
	v, err := analysis.Permutation(ctx, predict, model.NumOutputs(), test.x, test.y, score, opt)
	if err != nil {
		return nil, interruptedOrNone(ctx, err)
	}
	return v, nil
}

// interruptedOrNone is an interrupt as such; a model that fails to predict the shuffled rows
// has no permutation importance, which is no reason to fail its training.
func interruptedOrNone(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ErrInterrupted
	}
	return nil
}
