package decomposition

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// componentCount is the validated n_components: either a number of
// components (count > 0), a fraction of the variance to explain
// (0 < fraction < 1), or neither, meaning all min(n, p) components.
type componentCount struct {
	count    int
	fraction float64
}

type pcaConfig struct {
	components componentCount
	whiten     bool
}

func parsePCA(hp algorithms.Hyperparams) (pcaConfig, error) {
	var c pcaConfig
	if err := hp.CheckKeys("n_components", "copy", "whiten", "svd_solver", "tol", "iterated_power",
		"n_oversamples", "power_iteration_normalizer", "random_state"); err != nil {
		return c, err
	}
	if v, ok := hp["n_components"]; ok && v != nil {
		f, isNumber := algorithms.Number(v)
		switch {
		case isNumber && f > 0 && f < 1:
			c.components.fraction = f
		case isNumber && f >= 1 && f == math.Trunc(f) && f <= math.MaxInt32:
			c.components.count = int(f)
		default:
			return c, fmt.Errorf("hyperparameter \"n_components\" must be null, a positive integer or a fraction of the variance in (0, 1), got %s (\"mle\" is not supported)", algorithms.Describe(v))
		}
	}
	var err error
	if c.whiten, err = hp.Bool("whiten", false); err != nil {
		return c, err
	}
	// The solver options only steer how sklearn approximates the SVD; the
	// exact SVD is always used here, so they are checked and ignored.
	if v, ok := hp["svd_solver"]; ok && v != "auto" && v != "full" && v != "arpack" && v != "randomized" {
		return c, fmt.Errorf("hyperparameter \"svd_solver\" must be \"auto\", \"full\", \"arpack\" or \"randomized\", got %s", algorithms.Describe(v))
	}
	if v, ok := hp["random_state"]; ok && v != nil {
		if f, ok := algorithms.Number(v); !ok || f < 0 || f != math.Trunc(f) {
			return c, fmt.Errorf("hyperparameter \"random_state\" must be a non-negative integer, got %s", algorithms.Describe(v))
		}
	}
	return c, nil
}
