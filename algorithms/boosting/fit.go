package boosting

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/progress"
)

// Fit trains algorithm (one of Algorithms) for task on x (one row per
// sample) and y (one column per target; class labels in one column for
// classification) with hyperparameters under that algorithm's names. It
// returns a *Regressor or a *Classifier, and stops with an error wrapping
// ctx.Err() once ctx is done.
func Fit(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
	c, err := configFor(algorithm, task, hp)
	if err != nil {
		return nil, err
	}
	return fit(ctx, algorithm, task, x, y, c)
}

// configFor reads hp under algorithm's names.
func configFor(algorithm string, task algorithms.Task, hp algorithms.Hyperparams) (config, error) {
	var c config
	var err error
	switch algorithm {
	case HistGradientBoosting:
		c, err = histConfig(hp, task)
	case LightGBM:
		c, err = lightgbmConfig(hp, task)
	case GradientBoostingTrees:
		c, err = gbtConfig(hp, task)
	default:
		return c, fmt.Errorf("boosting: unknown algorithm %q", algorithm)
	}
	if err == nil {
		err = c.validate()
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w", algorithm, err)
	}
	return c, nil
}

// problem is the training data in the form the boosting loop needs.
type problem struct {
	loss    loss
	targets targets
	outputs int
	classes []float64
}

func newProblem(task algorithms.Task, y algorithms.Matrix, c *config) (problem, error) {
	if task == algorithms.Regression {
		return problem{loss: squaredError, targets: targets{y: y.Data}, outputs: y.Cols}, nil
	}
	if y.Cols != 1 {
		return problem{}, fmt.Errorf("classification takes one label column, got %d", y.Cols)
	}
	sorted := slices.Clone(y.Data)
	sort.Float64s(sorted)
	// A fresh slice: the model keeps the classes, not the sorted labels.
	classes := slices.Clone(slices.Compact(sorted))
	if err := algorithms.CheckClasses(len(classes)); err != nil {
		return problem{}, err
	}
	if len(classes) > math.MaxInt32 {
		return problem{}, fmt.Errorf("too many classes (%d)", len(classes))
	}
	switch {
	case c.objective == "binary" && len(classes) != 2:
		return problem{}, fmt.Errorf("objective \"binary\" needs 2 classes, the labels have %d", len(classes))
	case c.numClass > 1 && c.numClass != len(classes):
		return problem{}, fmt.Errorf("num_class is %d but the labels have %d classes", c.numClass, len(classes))
	}
	class := make([]int32, len(y.Data))
	for i, v := range y.Data {
		class[i] = int32(sort.SearchFloat64s(classes, v))
	}
	p := problem{loss: softmaxLoss, targets: targets{class: class}, outputs: len(classes), classes: classes}
	if len(classes) == 2 {
		p.loss, p.outputs = binaryLogLoss, 1
	}
	return p, nil
}

// fit runs the boosting loop with resolved settings.
func fit(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, c config) (algorithms.Model, error) {
	if err := x.Validate("x"); err != nil {
		return nil, fmt.Errorf("%s: %w", algorithm, err)
	}
	if err := y.Validate("y"); err != nil {
		return nil, fmt.Errorf("%s: %w", algorithm, err)
	}
	if x.Cols > maxFeatures {
		return nil, fmt.Errorf("%s: %d features exceed the supported %d", algorithm, x.Cols, maxFeatures)
	}
	if x.Rows > math.MaxInt32 {
		return nil, fmt.Errorf("%s: %d rows exceed the supported %d", algorithm, x.Rows, math.MaxInt32)
	}
	if x.Rows != y.Rows {
		return nil, fmt.Errorf("%s: x has %d rows but y has %d", algorithm, x.Rows, y.Rows)
	}
	prob, err := newProblem(task, y, &c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", algorithm, err)
	}
	n, K := x.Rows, prob.outputs
	if c.minSamplesLeafFraction > 0 {
		c.minSamplesLeaf = int(math.Ceil(c.minSamplesLeafFraction * float64(n)))
	}
	if c.minSamplesSplitFraction > 0 {
		c.minSamplesSplit = max(2, int(math.Ceil(c.minSamplesSplitFraction*float64(n))))
	}
	stopped := func(err error, done int) error {
		return fmt.Errorf("%s: training stopped after %d of %d iterations: %w", algorithm, done, c.iterations, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, stopped(err, 0)
	}

	check := cancel.New(ctx)
	data, err := binFeatures(check, x, c.maxBins)
	if err != nil {
		return nil, stopped(err, 0)
	}
	e := ensemble{algorithm: algorithm, numFeatures: x.Cols, numOutputs: K}
	e.baseline = prob.loss.baseline(prob.targets, n, K)
	raw := make([]float64, n*K)
	for i := 0; i < n; i++ {
		copy(raw[i*K:(i+1)*K], e.baseline)
	}
	grad := make([]float64, n*K)
	hess := make([]float64, n*K)
	g := newTreeGrower(&c, data, check)
	if prob.loss == softmaxLoss && c.gradientSplits {
		g.leafScale = float64(K-1) / float64(K)
	}
	sampler := rand.New(rand.NewPCG(c.seed, 0xba66_1e))
	allRows := make([]int32, n)
	for i := range allRows {
		allRows[i] = int32(i)
	}
	g.rows = slices.Clone(allRows)
	allFeatures := make([]int, x.Cols)
	for f := range allFeatures {
		allFeatures[f] = f
	}
	g.features = allFeatures

	progress.Start(ctx, "rounds", c.iterations)
	for it := 0; it < c.iterations; it++ {
		if err := check.Err(); err != nil {
			return nil, stopped(err, it)
		}
		if it > 0 {
			progress.Advance(ctx, 1)
		}
		sampled := c.rowFraction < 1
		if sampled && it%c.rowSampleEvery == 0 {
			g.rows = sampleRows(sampler, allRows, max(1, int(c.rowFraction*float64(n))))
		}
		if err := computeGradients(check, prob, raw, grad, hess, n, K, c.workers); err != nil {
			return nil, stopped(err, it)
		}
		for k := 0; k < K; k++ {
			if c.treeFeatureFraction < 1 {
				g.features = sampleFeatures(sampler, allFeatures, c.treeFeatureFraction)
			}
			if !sampled {
				// Partitioning reorders rows; the natural order reads the
				// binned columns sequentially at the root.
				copy(g.rows, allRows)
			}
			grown, err := g.grow(grad[k*n:(k+1)*n], hess[k*n:(k+1)*n])
			if err != nil {
				return nil, stopped(err, it)
			}
			e.treeStart = append(e.treeStart, int32(len(e.nodes)))
			e.nodes = appendTree(e.nodes, grown, data)
			if err := updateRaw(check, raw, grown, data, g.rows, sampled, k, K); err != nil {
				return nil, stopped(err, it)
			}
			if len(e.nodes) > math.MaxInt32 {
				return nil, fmt.Errorf("%s: the ensemble outgrew %d nodes", algorithm, math.MaxInt32)
			}
		}
	}
	if task == algorithms.Regression {
		return &Regressor{e}, nil
	}
	return &Classifier{ensemble: e, classes: prob.classes}, nil
}

// updateRaw adds a new tree's values to output k of the raw scores. When
// the tree saw every row its leaves already list them; otherwise every row
// is routed through the tree.
func updateRaw(check *cancel.Checker, raw []float64, grown []grownNode, data *binnedData, rows []int32, sampled bool, k, K int) error {
	if !sampled {
		if err := check.Add(len(rows)); err != nil {
			return err
		}
		for _, n := range grown {
			if n.leaf {
				for _, r := range rows[n.start:n.end] {
					raw[int(r)*K+k] += n.value
				}
			}
		}
		return nil
	}
	depth := treeDepth(grown) + 1
	const chunk = 1 << 14
	for lo := 0; lo < data.rows; lo += chunk {
		hi := min(lo+chunk, data.rows)
		if err := check.Add((hi - lo) * depth); err != nil {
			return err
		}
		for i := lo; i < hi; i++ {
			raw[i*K+k] += binnedTreeValue(grown, data, i)
		}
	}
	return nil
}

// computeGradients fills grad and hess for all outputs, splitting the rows
// among workers; each row's values depend only on that row.
func computeGradients(check *cancel.Checker, prob problem, raw, grad, hess []float64, n, K, workers int) error {
	// One pass over n×K values; a softmax costs a few exponentials each.
	if err := check.Add(8 * n * K); err != nil {
		return err
	}
	const chunk = 8192
	chunks := make([]int, 0, n/chunk+1)
	for lo := 0; lo < n; lo += chunk {
		chunks = append(chunks, lo)
	}
	forEachFeature(chunks, workers, n*K*4, func(lo int) {
		prob.loss.gradients(prob.targets, raw, grad, hess, n, K, lo, min(lo+chunk, n))
	})
	return nil
}

// sampleRows draws m of rows without replacement and returns them sorted,
// so histogram passes read the binned columns in order.
func sampleRows(rng *rand.Rand, rows []int32, m int) []int32 {
	perm := slices.Clone(rows)
	for i := 0; i < m; i++ {
		j := i + rng.IntN(len(perm)-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	perm = perm[:m]
	slices.Sort(perm)
	return perm
}

// sampleFeatures draws LightGBM's feature_fraction share of the features
// (rounded, at least one) for one tree, in ascending order.
func sampleFeatures(rng *rand.Rand, features []int, fraction float64) []int {
	m := max(1, int(float64(len(features))*fraction+0.5))
	perm := slices.Clone(features)
	for i := 0; i < m; i++ {
		j := i + rng.IntN(len(perm)-i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	perm = perm[:m]
	slices.Sort(perm)
	return perm
}
