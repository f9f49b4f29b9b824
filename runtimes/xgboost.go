package runtimes

import (
	"context"
	"errors"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/xgboost"
)

// XGBoost trains with XGBoost's C library, loaded on first use (xgboost/); its models are
// stored in pgml's own format, so users see one "go" runtime.
type XGBoost struct{}

func (XGBoost) Name() string { return "go" }

func (XGBoost) Implements(algorithm string, task algorithms.Task) bool {
	return slices.Contains(xgboost.Algorithms(task), algorithm)
}

func (XGBoost) Algorithms(task algorithms.Task) []string { return xgboost.Algorithms(task) }

func (XGBoost) Train(ctx context.Context, fit *lifecycle.Fit) (algorithms.Model, algorithms.Hyperparams, error) {
	model, err := xgboost.Train(ctx, fit.Algorithm, fit.Task, fit.X, fit.Y, fit.Hyperparams)
	if errors.Is(err, xgboost.ErrUnavailable) {
		return nil, nil, xgboostUnavailable(err)
	}
	if err != nil {
		return nil, nil, fitError(err)
	}
	return model, fit.Hyperparams, nil
}

// xgboostUnavailable says what to install when the library cannot be loaded.
func xgboostUnavailable(err error) error {
	return lifecycle.WithHint(lifecycle.Errorf(lifecycle.StateFeatureMissing, "%s", err.Error()),
		"pgml's xgboost algorithms need the Debian package libxgboost0.")
}

// XGBoostVersion is the version of the library pgml loads.
func XGBoostVersion() (string, error) {
	v, err := xgboost.Version()
	if err != nil {
		return "", xgboostUnavailable(err)
	}
	return v, nil
}

func (XGBoost) Estimate(algorithm string, task algorithms.Task, rows, cols, outputs int, hp algorithms.Hyperparams) int64 {
	return estimateOr(xgboost.EstimateFit, algorithm, task, rows, cols, outputs, hp)
}

func (XGBoost) FilePath() string { return nativeFile }

func (XGBoost) Load(b []byte) (algorithms.Model, error) { return xgboost.Load(b) }

func (XGBoost) LoadHint() string { return nativeLoadHint }
