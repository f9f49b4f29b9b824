package lifecycle

import (
	"context"
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Native forms (issue 11): a model trained by a runtime outside Go (python) may also come as
// a native model that predicts the same. It is trusted only after it predicted the held-out
// rows as the trained model did; it is then stored beside the runtime's own file, under
// NativeFormPath, and loading prefers it (integrity.go verifiedEstimator), so that predicting
// never starts the other runtime. The outcome is recorded in pgml.models.metrics under
// NativeInferenceKey: NativeInferenceUsed, or why the model predicts through its runtime.

// NativeFormPath names a model's native form in pgml.files: pgml's own model file format.
const NativeFormPath = "estimator.pgml"

// NativeInferenceKey is the key of pgml.models.metrics that says whether a model predicts natively.
const NativeInferenceKey = "native_inference"

// NativeInferenceUsed is NativeInferenceKey's value for a model that predicts through its native form.
const NativeInferenceUsed = "native"

// nativeTolerance bounds the relative difference between a native form's predictions and the
// trained model's: the same formulas summed in another order differ by a few ulps.
const nativeTolerance = 1e-9

// nativeToleranceOf is the bound for an algorithm's family (issue 11): kernel models sum
// thousands of exponentials whose order changes the last digits, and libxgboost computes in
// float32, so their native forms are held to 1e-6; trees and linear models to nativeTolerance.
func nativeToleranceOf(algorithm string) float64 {
	switch algorithm {
	case "svm", "nu_svm", "kernel_ridge", "gaussian_process", "xgboost", "xgboost_random_forest":
		return 1e-6
	}
	return nativeTolerance
}

// nativeConvertible is a trained model that may have a native form (pybridge's fits).
type nativeConvertible interface {
	// NativeForm is the native model, or nil and why there is none.
	NativeForm() (algorithms.Model, string)
}

// nativeConversion is what became of a trained model's native form.
type nativeConversion struct {
	model  algorithms.Model // nil unless verified
	status string           // NativeInferenceUsed, or why not; "" for a model that is native already
}

// convertToNative asks the trained model for its native form and checks it on the held-out
// rows x, which the trained model can predict (python fits answer for exactly these rows).
func (sess *Session) convertToNative(ctx context.Context, trained algorithms.Model, x algorithms.Matrix) (nativeConversion, error) {
	convertible, ok := trained.(nativeConvertible)
	if !ok {
		return nativeConversion{}, nil
	}
	native, reason := convertible.NativeForm()
	if native != nil {
		var err error
		if reason, err = nativeMismatch(ctx, trained, native, x); err != nil {
			return nativeConversion{}, err
		}
	}
	if reason != "" {
		if native != nil {
			closeModel(native)
		}
		return nativeConversion{status: reason}, sess.info("the %s model predicts through its runtime, not natively: %s", trained.Algorithm(), reason)
	}
	return nativeConversion{model: native, status: NativeInferenceUsed}, sess.info("the %s model predicts natively (its native form predicted the %d held-out rows as the trained model did)", trained.Algorithm(), x.Rows)
}

// verifyRows is how many held-out rows are compared at a time: the buffers are bounded by it,
// not by the number of rows.
const verifyRows = 256

// nativeMismatch compares native's predictions (and probabilities) of the rows x with
// trained's, and says how they differ, or "" when they agree.
func nativeMismatch(ctx context.Context, trained, native algorithms.Model, x algorithms.Matrix) (string, error) {
	if x.Rows == 0 {
		return "there were no held-out rows to check its native form against", nil
	}
	if native.Task() != trained.Task() || native.NumFeatures() != trained.NumFeatures() || native.NumOutputs() != trained.NumOutputs() {
		return fmt.Sprintf("its native form has another shape (%v, %d features, %d outputs)", native.Task(), native.NumFeatures(), native.NumOutputs()), nil
	}
	outputs := trained.NumOutputs()
	want, got := make([]float64, verifyRows*outputs), make([]float64, verifyRows*outputs)
	trainedClasses, wantProba := probabilityClassifier(trained)
	nativeClasses, gotProba := probabilityClassifier(native)
	if wantProba != gotProba {
		return "its native form does not give probabilities as the trained model does", nil
	}
	var wantP, gotP []float64
	if wantProba {
		if len(trainedClasses.Classes()) != len(nativeClasses.Classes()) {
			return "its native form has other classes", nil
		}
		wantP, gotP = make([]float64, verifyRows*len(trainedClasses.Classes())), make([]float64, verifyRows*len(trainedClasses.Classes()))
	}
	tolerance := nativeToleranceOf(trained.Algorithm())
	check := cancel.New(ctx)
	for lo := 0; lo < x.Rows; lo += verifyRows {
		if err := check.Add(verifyRows); err != nil {
			return "", err
		}
		hi := min(x.Rows, lo+verifyRows)
		rows := x.Data[lo*x.Cols : hi*x.Cols]
		n := hi - lo
		if err := predictWith(trained, checkedOf(trained), want[:n*outputs], rows); err != nil {
			return "", err
		}
		if err := algorithms.Predict(native, got[:n*outputs], rows); err != nil {
			return fmt.Sprintf("its native form failed to predict: %v", err), nil
		}
		if i, ok := firstDifference(want[:n*outputs], got[:n*outputs], tolerance); !ok {
			return fmt.Sprintf("its native form predicted %g where the trained model predicted %g (held-out row %d)", got[i], want[i], lo+i/outputs), nil
		}
		if !wantProba {
			continue
		}
		k := len(trainedClasses.Classes())
		if err := predictProbabilities(trained, trainedClasses, wantP[:n*k], rows); err != nil {
			// The trained model computed no probabilities of these rows: nothing to compare.
			return fmt.Sprintf("the trained model gave no probabilities to check its native form against (%v)", err), nil
		}
		if err := predictProbabilities(native, nativeClasses, gotP[:n*k], rows); err != nil {
			return fmt.Sprintf("its native form failed to predict probabilities: %v", err), nil
		}
		if i, ok := firstDifference(wantP[:n*k], gotP[:n*k], tolerance); !ok {
			return fmt.Sprintf("its native form gave a probability of %g where the trained model gave %g (held-out row %d)", gotP[i], wantP[i], lo+i/k), nil
		}
	}
	return "", nil
}

// probabilityClassifier is model as a classifier that gives probabilities, if it is one.
func probabilityClassifier(model algorithms.Model) (algorithms.Classifier, bool) {
	c, ok := model.(algorithms.Classifier)
	if !ok {
		return nil, false
	}
	if p, ok := model.(probabilityModel); ok && !p.HasPredictProba() {
		return nil, false
	}
	return c, true
}

// checkedOf is model's failing form, when it has one.
func checkedOf(model algorithms.Model) checkedPredictor {
	c, _ := model.(checkedPredictor)
	return c
}

// firstDifference is the index of the first pair of values farther apart than tolerance
// relative to the larger (and at least to 1, so that values near zero compare absolutely); ok
// when there is none.
func firstDifference(want, got []float64, tolerance float64) (int, bool) {
	for i := range want {
		scale := math.Max(1, math.Max(math.Abs(want[i]), math.Abs(got[i])))
		if !(math.Abs(want[i]-got[i]) <= tolerance*scale) {
			return i, false
		}
	}
	return 0, true
}
