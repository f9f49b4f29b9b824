package catboost

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/progress"
)

// maxFeatures bounds the columns: split features are stored as int32.
const maxFeatures = math.MaxInt32 / 2

// Fit trains a CatBoost model for task on x (one row per sample) and y (one column per
// target; class labels in one column for classification) with hyperparameters under
// CatBoost's Python names. It returns a *Regressor or a *Classifier and stops with an error
// wrapping ctx.Err() once ctx is done.
func Fit(ctx context.Context, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
	c, err := parseConfig(hp, task)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Algorithm, err)
	}
	m, err := fit(ctx, task, x, y, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Algorithm, err)
	}
	return m, nil
}

// problem is the labels and the loss resolved from the task, the labels and the config.
type problem struct {
	loss    lossKind
	targets targets
	dims    int
	classes []float64
}

func newProblem(task algorithms.Task, y algorithms.Matrix, c *config) (problem, error) {
	if task == algorithms.Regression {
		loss := parseLoss(c.loss)
		switch {
		case loss == 0 && y.Cols == 1:
			loss = lossRMSE
		case loss == 0 || loss == lossMultiRMSE:
			loss = lossMultiRMSE
		case y.Cols != 1:
			return problem{}, fmt.Errorf("loss_function %q takes one label column, got %d (MultiRMSE takes several)", c.loss, y.Cols)
		}
		return problem{loss: loss, targets: targets{y: y.Data}, dims: y.Cols}, nil
	}
	if y.Cols != 1 {
		return problem{}, fmt.Errorf("classification takes one label column, got %d", y.Cols)
	}
	classes, target := algorithms.EncodeLabels(y.Data)
	if err := algorithms.CheckClasses(len(classes)); err != nil {
		return problem{}, err
	}
	class := make([]int32, len(target))
	for i, t := range target {
		class[i] = int32(t)
	}
	p := problem{loss: lossMultiClass, targets: targets{class: class}, dims: len(classes), classes: classes}
	switch c.loss {
	case "Logloss":
		if len(classes) != 2 {
			return problem{}, fmt.Errorf("loss_function \"Logloss\" needs 2 classes, the labels have %d", len(classes))
		}
		p.loss, p.dims = lossLogloss, 1
	case "":
		if len(classes) == 2 {
			p.loss, p.dims = lossLogloss, 1
		}
	}
	return p, nil
}

// resolve fills the defaults that depend on the data, as CatBoost does before training.
func (c *config) resolve(prob problem, rows, features int) error {
	if !c.boostFromAvgSet {
		c.boostFromAvg = prob.loss == lossRMSE || prob.loss == lossMultiRMSE
	} else if c.boostFromAvg && prob.loss == lossMultiClass {
		return fmt.Errorf("boost_from_average is not supported with loss_function \"MultiClass\"")
	}
	if c.learningRate == 0 {
		c.learningRate = 0.03
		if c.autoRate {
			c.learningRate = autoLearningRate(prob.loss.String(), c.boostFromAvg, rows, c.iterations)
		}
	}
	if c.leafIterations == 0 {
		c.leafIterations = prob.loss.defaultLeafIterations(c.iterations, features)
	}
	if len(c.catFeatures) > 0 {
		if last := c.catFeatures[len(c.catFeatures)-1]; last >= features {
			return fmt.Errorf("cat_features lists column %d but there are %d features (indexes start at 0)", last, features)
		}
		if prob.loss != lossRMSE && prob.loss != lossLogloss {
			return fmt.Errorf("cat_features is implemented for RMSE and Logloss, not %v", prob.loss)
		}
	}
	return nil
}

func fit(ctx context.Context, task algorithms.Task, x, y algorithms.Matrix, c config) (algorithms.Model, error) {
	if err := algorithms.CheckXY(x, y); err != nil {
		return nil, err
	}
	if x.Cols > maxFeatures || x.Rows > math.MaxInt32 {
		return nil, fmt.Errorf("%d rows × %d features exceed the supported %d × %d", x.Rows, x.Cols, math.MaxInt32, maxFeatures)
	}
	prob, err := newProblem(task, y, &c)
	if err != nil {
		return nil, err
	}
	if err := c.resolve(prob, x.Rows, x.Cols); err != nil {
		return nil, err
	}
	stopped := func(err error, done int) error {
		return fmt.Errorf("training stopped after %d of %d iterations: %w", done, c.iterations, err)
	}
	check := cancel.New(ctx)
	if err := check.Err(); err != nil {
		return nil, stopped(err, 0)
	}
	rng := rand.New(rand.NewPCG(c.seed, 0xca7b005))
	q, err := quantize(check, x, c.borderCount, c.catFeatures)
	if err != nil {
		return nil, stopped(err, 0)
	}
	e := &ensemble{loss: prob.loss, numFeatures: x.Cols, dims: prob.dims, depth: c.depth,
		// Every tree has depth splits and 2^depth leaves: the model's size is known.
		splitFeature: make([]int32, 0, c.iterations*c.depth),
		splitBorder:  make([]float64, 0, c.iterations*c.depth),
		leafValues:   make([]float64, 0, c.iterations<<c.depth*prob.dims)}
	if len(c.catFeatures) > 0 {
		if e.ctrs, err = fitCategorical(check, rng, q, x, prob, c); err != nil {
			return nil, stopped(err, 0)
		}
		e.splitCtr = make([]int32, 0, c.iterations*c.depth)
	}
	n, K := x.Rows, prob.dims
	e.baseline = prob.loss.baseline(prob.targets, n, K, c.boostFromAvg)
	approx := make([]float64, n*K)
	for i := 0; i < n; i++ {
		copy(approx[i*K:(i+1)*K], e.baseline)
	}
	der := make([]float64, n*K)
	hess := make([]float64, n*K)
	s := newSearcher(q, K, c.depth, c.workers)
	s.noise = make([]float64, s.candidates())
	leaves := 1 << c.depth
	b := booster{prob: prob, c: &c, check: check, approx: approx, der: der, hess: hess}

	progress.Start(ctx, "rounds", c.iterations)
	for it := 0; it < c.iterations; it++ {
		if err := check.Err(); err != nil {
			return nil, stopped(err, it)
		}
		if it > 0 {
			progress.Advance(ctx, 1)
		}
		if err := b.derivatives(approx); err != nil {
			return nil, stopped(err, it)
		}
		bootstrap(rng, s.weight, c.baggingTemp)
		var sumWeight float64
		for i, w := range s.weight {
			sumWeight += w
			for k := 0; k < K; k++ {
				s.wder[i*K+k] = w * der[i*K+k]
			}
		}
		s.l2 = c.l2 * sumWeight / float64(n)
		scale := c.randomStrength * derivativesStDev(der, n) * modelSizeMultiplier(n, float64(it)*c.learningRate)
		clear(s.leafOf)
		splits := make([]split, 0, c.depth)
		for d := 0; d < c.depth; d++ {
			for j := range s.noise {
				s.noise[j] = 0
				if scale > 0 {
					s.noise[j] = rng.NormFloat64() * scale
				}
			}
			if err := check.Add(n * len(s.features) * (K + 1)); err != nil {
				return nil, stopped(err, it)
			}
			sp, ok, err := s.level(ctx, d)
			if err != nil {
				return nil, stopped(err, it)
			}
			if !ok {
				// Every feature is constant: the tree is a single leaf, stored as a
				// split no row passes (feature 0 above +Inf).
				sp = split{feature: -1}
			}
			splits = append(splits, sp)
		}
		values, err := b.leafValues(s.leafOf, leaves)
		if err != nil {
			return nil, stopped(err, it)
		}
		for j := range values {
			values[j] *= c.learningRate
		}
		for i, l := range s.leafOf {
			for k := 0; k < K; k++ {
				approx[i*K+k] += values[int(l)*K+k]
			}
		}
		e.addTree(splits, q, values)
	}
	if task == algorithms.Regression {
		return &Regressor{*e}, nil
	}
	return &Classifier{ensemble: *e, classes: prob.classes}, nil
}

// booster holds the state shared by the steps of one boosting iteration.
type booster struct {
	prob              problem
	c                 *config
	check             *cancel.Checker
	approx, der, hess []float64
	shifted           []float64 // approx plus the leaf steps taken so far (Newton iterations)
}

func (b *booster) derivatives(at []float64) error {
	n := len(at) / b.prob.dims
	if err := b.check.Add(8 * n * b.prob.dims); err != nil {
		return err
	}
	b.prob.loss.derivatives(b.prob.targets, at, b.der, b.hess, b.prob.dims, 0, n)
	return nil
}

// leafValues computes each leaf's step on all rows (unit weights): leaf_estimation_iterations
// Newton steps Σder / (Σhess + l2), each from the derivatives after the previous ones.
func (b *booster) leafValues(leafOf []int32, leaves int) ([]float64, error) {
	K := b.prob.dims
	delta := make([]float64, leaves*K)
	sumDer := make([]float64, leaves*K)
	sumHess := make([]float64, leaves*K)
	for step := 0; step < b.c.leafIterations; step++ {
		if step > 0 {
			if b.shifted == nil {
				b.shifted = make([]float64, len(b.approx))
			}
			for i, l := range leafOf {
				for k := 0; k < K; k++ {
					b.shifted[i*K+k] = b.approx[i*K+k] + delta[int(l)*K+k]
				}
			}
			if err := b.derivatives(b.shifted); err != nil {
				return nil, err
			}
		}
		clear(sumDer)
		clear(sumHess)
		for i, l := range leafOf {
			for k := 0; k < K; k++ {
				sumDer[int(l)*K+k] += b.der[i*K+k]
				sumHess[int(l)*K+k] += b.hess[i*K+k]
			}
		}
		for j := range delta {
			delta[j] += sumDer[j] / (sumHess[j] + b.c.l2)
		}
	}
	return delta, nil
}

// bootstrap draws CatBoost's Bayesian bootstrap weights (−ln u)^temperature, u uniform in
// (0, 1]; temperature 0 gives every row weight 1.
func bootstrap(rng *rand.Rand, weight []float64, temperature float64) {
	for i := range weight {
		if temperature == 0 {
			weight[i] = 1
			continue
		}
		u := 1 - rng.Float64()
		weight[i] = math.Pow(-math.Log(u), temperature)
	}
}

// derivativesStDev is the root mean square of the derivatives over rows, the scale of the
// split-score noise.
func derivativesStDev(der []float64, n int) float64 {
	var sum2 float64
	for _, v := range der {
		sum2 += v * v
	}
	return math.Sqrt(sum2 / float64(n))
}

// modelSizeMultiplier shrinks the noise as the model grows (CatBoost's default random score
// type, NormalWithModelSizeDecrease): r/(1+r) with r = n·e^(−iteration·learning_rate).
func modelSizeMultiplier(n int, modelLength float64) float64 {
	r := math.Exp(math.Log(float64(n)) - modelLength)
	return r / (1 + r)
}
