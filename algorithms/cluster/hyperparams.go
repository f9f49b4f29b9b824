package cluster

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// Init names how the first centres of a k-means run are chosen.
type Init int

const (
	// InitKMeansPlusPlus is sklearn's greedy k-means++ seeding.
	InitKMeansPlusPlus Init = iota
	// InitRandom picks n_clusters distinct rows at random.
	InitRandom
)

func (i Init) String() string {
	if i == InitRandom {
		return "random"
	}
	return "k-means++"
}

// kmeansConfig is the validated hyperparameters shared by both estimators.
type kmeansConfig struct {
	numClusters int
	init        Init
	numInit     int
	maxIter     int
	tol         float64
	seed        int64

	// Mini-batch only.
	batchSize         int
	reassignmentRatio float64
	maxNoImprovement  int // 0 disables early stopping (sklearn's None)
}

func parseInit(hp algorithms.Hyperparams) (Init, error) {
	v, ok := hp["init"]
	if !ok {
		return InitKMeansPlusPlus, nil
	}
	switch v {
	case "k-means++":
		return InitKMeansPlusPlus, nil
	case "random":
		return InitRandom, nil
	}
	return 0, fmt.Errorf("hyperparameter \"init\" must be \"k-means++\" or \"random\", got %s (explicit centre arrays are not supported)", algorithms.Describe(v))
}

// parseNumInit reads n_init: a positive integer, or sklearn 1.2's "warn"
// (its default, 10 runs for KMeans) and "auto" (1 run with k-means++,
// defaultRuns with random seeding).
func parseNumInit(hp algorithms.Hyperparams, init Init, defaultRuns int) (int, error) {
	switch hp["n_init"] {
	case "warn":
		return defaultRuns, nil
	case "auto":
		if init == InitKMeansPlusPlus {
			return 1, nil
		}
		return defaultRuns, nil
	}
	if s, ok := hp["n_init"].(string); ok {
		return 0, fmt.Errorf("hyperparameter \"n_init\" must be a positive integer or \"auto\", got %q", s)
	}
	return hp.IntInRange("n_init", defaultRuns, 1, algorithms.MaxInit)
}

// nonNegativeFloat returns hp[key] as a finite number ≥ 0, or def.
func nonNegativeFloat(hp algorithms.Hyperparams, key string, def float64) (float64, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || !(f >= 0) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("hyperparameter %q must be a non-negative number, got %s", key, algorithms.Describe(v))
	}
	return f, nil
}

// parseSeed reads random_state: absent or null means 0, so that fits are
// reproducible (sklearn would draw a fresh seed).
func parseSeed(hp algorithms.Hyperparams) (int64, error) {
	v, ok := hp["random_state"]
	if !ok || v == nil {
		return 0, nil
	}
	f, ok := algorithms.Number(v)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxUint32 {
		return 0, fmt.Errorf("hyperparameter \"random_state\" must be an integer between 0 and 2**32-1, got %s", algorithms.Describe(v))
	}
	return int64(f), nil
}

func parseKMeans(hp algorithms.Hyperparams) (kmeansConfig, error) {
	var c kmeansConfig
	if err := hp.CheckKeys("n_clusters", "init", "n_init", "max_iter", "tol", "verbose", "random_state", "copy_x", "algorithm"); err != nil {
		return c, err
	}
	if err := parseCommon(hp, &c, 300, 1e-4); err != nil {
		return c, err
	}
	var err error
	if c.numInit, err = parseNumInit(hp, c.init, 10); err != nil {
		return c, err
	}
	// Elkan's algorithm gives the same result as Lloyd's, only faster on
	// well separated data, so both names run Lloyd's.
	if v, ok := hp["algorithm"]; ok && v != "lloyd" && v != "elkan" && v != "auto" && v != "full" {
		return c, fmt.Errorf("hyperparameter \"algorithm\" must be \"lloyd\" or \"elkan\", got %s", algorithms.Describe(v))
	}
	return c, nil
}

func parseMiniBatch(hp algorithms.Hyperparams) (kmeansConfig, error) {
	var c kmeansConfig
	if err := hp.CheckKeys("n_clusters", "init", "n_init", "max_iter", "batch_size", "verbose", "compute_labels",
		"random_state", "tol", "max_no_improvement", "init_size", "reassignment_ratio"); err != nil {
		return c, err
	}
	if err := parseCommon(hp, &c, 100, 0); err != nil {
		return c, err
	}
	var err error
	if c.numInit, err = parseNumInit(hp, c.init, 3); err != nil {
		return c, err
	}
	if c.batchSize, err = hp.IntInRange("batch_size", 1024, 1, math.MaxInt32); err != nil {
		return c, err
	}
	if c.reassignmentRatio, err = nonNegativeFloat(hp, "reassignment_ratio", 0.01); err != nil {
		return c, err
	}
	if v, ok := hp["max_no_improvement"]; ok && v == nil {
		c.maxNoImprovement = 0
	} else if c.maxNoImprovement, err = hp.IntInRange("max_no_improvement", 10, 1, algorithms.MaxIterations); err != nil {
		return c, err
	}
	if v, ok := hp["init_size"]; ok && v != nil {
		return c, fmt.Errorf("hyperparameter \"init_size\" is not supported: the default 3×batch_size is always used")
	}
	return c, nil
}

func parseCommon(hp algorithms.Hyperparams, c *kmeansConfig, maxIter int, tol float64) error {
	var err error
	// Its range depends on the rows: checkClusters refuses it with them.
	if c.numClusters, err = hp.IntInRange("n_clusters", 8, math.MinInt32, math.MaxInt32); err != nil {
		return err
	}
	if c.init, err = parseInit(hp); err != nil {
		return err
	}
	if c.maxIter, err = hp.IntInRange("max_iter", maxIter, 1, algorithms.MaxIterations); err != nil {
		return err
	}
	if c.tol, err = nonNegativeFloat(hp, "tol", tol); err != nil {
		return err
	}
	c.seed, err = parseSeed(hp)
	return err
}
