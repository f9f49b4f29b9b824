package neighbors

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// Name is the registry name of the algorithm.
const Name = "knn"

// Hyperparams are the names accepted by FitRegressor and FitClassifier, as
// in sklearn's KNeighborsRegressor and KNeighborsClassifier. algorithm and
// leaf_size choose the search structure (search_method.go), never the
// answer.
var Hyperparams = []string{"n_neighbors", "weights", "p", "metric", "algorithm", "leaf_size"}

type params struct {
	k int
	// distanceWeights weighs neighbours by inverse distance instead of
	// uniformly (sklearn's weights="distance").
	distanceWeights bool
	// p is the Minkowski exponent, ≥ 1.
	p float64
	// method is the search structure asked for, searchAuto by default.
	method searchMethod
	// leafSize is sklearn's leaf_size: a tree leaf holds between leafSize
	// and 2·leafSize rows (fewer only when the whole set does).
	leafSize int
}

func parseHyperparams(hp algorithms.Hyperparams) (params, error) {
	var out params
	if err := hp.CheckKeys(Hyperparams...); err != nil {
		return out, err
	}
	var err error
	if out.k, err = hp.PositiveInt("n_neighbors", 5); err != nil {
		return out, err
	}
	weights, err := stringChoice(hp, "weights", "uniform", "uniform", "distance")
	if err != nil {
		return out, err
	}
	out.distanceWeights = weights == "distance"
	if out.p, err = hp.PositiveFloat("p", 2); err != nil {
		return out, err
	}
	if out.p < 1 {
		return out, fmt.Errorf("hyperparameter \"p\" must be at least 1 (a Minkowski distance), got %v", out.p)
	}
	metric, err := stringChoice(hp, "metric", "minkowski", "minkowski", "euclidean", "manhattan")
	if err != nil {
		return out, err
	}
	switch metric {
	case "euclidean":
		out.p = 2
	case "manhattan":
		out.p = 1
	}
	method, err := stringChoice(hp, "algorithm", searchAuto.String(), searchMethodNames()...)
	if err != nil {
		return out, err
	}
	out.method, _ = parseSearchMethod(method)
	if out.leafSize, err = hp.PositiveInt("leaf_size", defaultLeafSize); err != nil {
		return out, err
	}
	return out, nil
}

func stringChoice(hp algorithms.Hyperparams, key, def string, allowed ...string) (string, error) {
	v, ok := hp[key]
	if !ok {
		return def, nil
	}
	if s, ok := v.(string); ok {
		for _, a := range allowed {
			if s == a {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("hyperparameter %q must be one of %s, got %s", key, algorithms.QuoteList(allowed), algorithms.Describe(v))
}

func validP(p float64) bool { return p >= 1 && !math.IsInf(p, 0) }
