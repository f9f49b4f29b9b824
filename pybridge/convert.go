package pybridge

import (
	"context"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
)

// ConvertRequest hands a stored model to the worker for its native form (pgml.nativize): the
// worker unpickles it, predicts the Held rows and exports its native form, as after a fit.
type ConvertRequest struct {
	Algorithm string
	Task      algorithms.Task
	// Pickle is the stored model: only bytes pgml wrote and whose signature it checked
	// (lifecycle/integrity.go), since unpickling runs code.
	Pickle []byte
	// Held are the rows to predict, with the model's features; at least one.
	Held algorithms.Matrix
}

// Convert loads req.Pickle in the worker (never in this process: a backend that converts
// models does not start an interpreter of its own) and returns it as a Fitted whose
// predictions are those of the held rows and whose NativeForm is the worker's export. Errors
// are Fit's.
func (w *Worker) Convert(ctx context.Context, cfg WorkerConfig, req ConvertRequest) (f *Fitted, err error) {
	defer recoverPanic(&err)
	held := req.Held
	if held.Rows <= 0 || held.Cols <= 0 || len(held.Data) != held.Rows*held.Cols {
		return nil, fmt.Errorf("pybridge: held rows are %d×%d with %d values", held.Rows, held.Cols, len(held.Data))
	}
	if len(req.Pickle) == 0 {
		return nil, fmt.Errorf("pybridge: no pickle to convert")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	body, blocks, err := w.call(ctx, cfg, map[string]any{
		"op": "convert", "algorithm": req.Algorithm, "task": req.Task.String(), "held": []int{held.Rows, held.Cols},
	}, req.Pickle, float64Bytes(held.Data))
	if err != nil {
		return nil, err
	}
	if f, err = newFitted(body, blocks, req.Algorithm, held); err != nil {
		return nil, err
	}
	if f.Task() != req.Task || f.NumFeatures() != held.Cols {
		return nil, fmt.Errorf("pybridge: the stored model is a %v model of %d features, not a %v model of %d", f.Task(), f.NumFeatures(), req.Task, held.Cols)
	}
	f.pickle = req.Pickle
	return f, nil
}
