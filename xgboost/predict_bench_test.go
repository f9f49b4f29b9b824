package xgboost

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/boosting"
)

// BenchmarkPredictRow predicts one row per call, as pgml.predict does,
// through engines of the same size (100 trees of depth at most 5 over 10
// features): an xgboost model predicted natively (algorithms/treeensemble),
// pgml's own gradient boosting (algorithms/boosting) and libxgboost's
// in-place predict on the same xgboost model (what this package called
// before issue 11); and the same for an xgboost model trained by the python
// runtime's code (pybridge/bridge.py: its estimator and its exported
// booster), predicted through its native form (FromSaved) and through
// libxgboost. make bench (build/bench.sh) reports the ratios of one run.
func BenchmarkPredictRow(b *testing.B) {
	const rows, cols = 4000, 10
	x := algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y := algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range x.Data {
		x.Data[i] = math.Sin(float64(i)*0.37) + math.Cos(float64(i/cols)*0.11)
	}
	for i := range y.Data {
		r := x.Row(i)
		y.Data[i] = 3*r[0] - 2*r[1]*r[2] + math.Sin(4*r[3]) + 0.1*math.Cos(float64(i))
	}
	hp := algorithms.Hyperparams{"n_estimators": 100.0, "max_depth": 5.0}
	xgb := train(b, algXGBoost, algorithms.Regression, dataset{x: x, y: y}, hp)
	native, err := boosting.Fit(context.Background(), boosting.GradientBoostingTrees, algorithms.Regression, x, y, hp)
	if err != nil {
		b.Fatal(err)
	}
	reference, err := newReferenceBooster(unwrap(xgb).blobs[0], true)
	if err != nil {
		b.Fatal(err)
	}
	defer reference.free()
	one := make([]float64, 1)
	perRow := func(predict func(row []float64)) func(b *testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				predict(x.Data[i*cols : (i+1)*cols])
				i = (i + 1) % rows
			}
		}
	}
	b.Run("xgboost_native", perRow(func(row []float64) { xgb.Predict(one, row) }))
	b.Run("boosting_native", perRow(func(row []float64) { native.Predict(one, row) }))
	b.Run("libxgboost", perRow(func(row []float64) {
		if err := reference.predictRaw(one, row, 1, cols, nil); err != nil {
			b.Fatal(err)
		}
	}))
	blob, err := pythonTrainedBooster(x, y, `{"n_estimators": 100, "max_depth": 5, "n_jobs": 1}`)
	if err != nil {
		b.Logf("no python-trained model to compare: %v", err)
		return
	}
	python, err := FromSaved(algXGBoost, algorithms.Regression, cols, 1, nil, blob)
	if err != nil {
		b.Fatal(err)
	}
	pythonReference, err := newReferenceBooster(blob, true)
	if err != nil {
		b.Fatal(err)
	}
	defer pythonReference.free()
	b.Run("python_xgboost_native", perRow(func(row []float64) { python.Predict(one, row) }))
	b.Run("python_libxgboost", perRow(func(row []float64) {
		if err := pythonReference.predictRaw(one, row, 1, cols, nil); err != nil {
			b.Fatal(err)
		}
	}))
}

// trainInPython is the python runtime's xgboost regression, run by the bridge's own functions
// (pybridge/bridge.py fit and export_xgboost) in Debian's python3: x and y on stdin as
// float64, the exported booster (UBJSON) on stdout.
const trainInPython = `
import importlib.util, sys
import numpy as np
spec = importlib.util.spec_from_file_location("pgml_bridge", sys.argv[1])
bridge = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bridge)
rows, cols = int(sys.argv[2]), int(sys.argv[3])
data = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float64)
x, y = data[:rows * cols].reshape(rows, cols), data[rows * cols:].reshape(rows, 1)
est, _ = bridge.fit("xgboost", "regression", sys.argv[4], x, y)
sys.stdout.buffer.write(bridge.export_xgboost(est, "xgboost")["xgboost"]["booster"].tobytes())
`

// pythonTrainedBooster trains an xgboost regressor on x, y as the python runtime does and
// returns the booster it exports.
func pythonTrainedBooster(x, y algorithms.Matrix, hyperparams string) ([]byte, error) {
	in := make([]byte, 0, 8*(len(x.Data)+len(y.Data)))
	for _, v := range append(append([]float64(nil), x.Data...), y.Data...) {
		in = binary.LittleEndian.AppendUint64(in, math.Float64bits(v))
	}
	cmd := exec.Command("/usr/bin/python3", "-c", trainInPython, filepath.Join("..", "pybridge", "bridge.py"),
		strconv.Itoa(x.Rows), strconv.Itoa(x.Cols), hyperparams)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return out, nil
}
