package lifecycle

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/linear"
	"github.com/pgml-go/pgml/algorithms/native"
)

// Reopen decodes the stand-in's "pickle" (the native model's bytes behind a prefix) and offers
// it with a native form, as the python worker does, recording the rows it was asked to predict.
func (py pythonStandIn) Reopen(_ context.Context, r *Reopen) (algorithms.Model, error) {
	if py.reopened != nil {
		*py.reopened = append(*py.reopened, r.Held.Rows)
	}
	b, ok := bytes.CutPrefix(r.Bytes, []byte(standInPickle))
	if !ok {
		return nil, errInterpreterStarted
	}
	m, err := native.Load(b)
	if err != nil {
		return nil, err
	}
	return &convertibleFit{Regression: m.(*linear.Regression), skew: py.skew}, nil
}

// storedBeforeNativeForms trains with the stand-in and removes what training adds today (the
// native form and native_inference): the model as pgml stored it before native forms.
func storedBeforeNativeForms(t *testing.T, skew float64) (*Session, *memStore, *modelRow, *[]int) {
	t.Helper()
	sess, store, m, _ := trainWithStandIn(t, 0)
	reopened := &[]int{}
	sess.Runtimes = NewRuntimes(&nativeRuntime{}, pythonStandIn{skew: skew, reopened: reopened})
	store.files = slices.DeleteFunc(store.files, func(f *fileRow) bool { return f.path == NativeFormPath })
	m.metrics = `{"r2": 0.99}`
	return sess, store, m, reopened
}

func nativize(sess *Session, modelID int64) (*NativizeResult, error) {
	var res *NativizeResult
	err := sess.WithInterrupts(func(ctx context.Context) error {
		var err error
		res, err = sess.Nativize(ctx, modelID)
		return err
	})
	return res, err
}

func metricsOf(t *testing.T, m *modelRow) map[string]any {
	t.Helper()
	var metrics map[string]any
	if err := json.Unmarshal([]byte(m.metrics), &metrics); err != nil {
		t.Fatal(err)
	}
	return metrics
}

func TestNativizeStoresTheVerifiedNativeFormOnce(t *testing.T) {
	sess, store, m, reopened := storedBeforeNativeForms(t, 0)
	if _, _, err := sess.LoadModel(m.id); err == nil || !strings.Contains(err.Error(), errInterpreterStarted.Error()) {
		t.Fatalf("before nativize the model loads through its runtime: %v", err)
	}
	res, err := nativize(sess, m.id)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != NativeInferenceUsed || !res.Stored {
		t.Fatalf("result %+v", res)
	}
	// The test split of trainWithStandIn's 60 rows, read again: its 15 rows.
	if !slices.Equal(*reopened, []int{15}) {
		t.Fatalf("the runtime predicted %v rows", *reopened)
	}
	if paths := storedPaths(store, m.id); !slices.Equal(paths, []string{"estimator.pgml", "estimator.pickle", "preprocess.pgml"}) {
		t.Fatalf("files %q", paths)
	}
	if metrics := metricsOf(t, m); metrics[NativeInferenceKey] != NativeInferenceUsed || metrics["r2"] != 0.99 {
		t.Fatalf("metrics %s", m.metrics)
	}
	loaded, desc, err := sess.LoadModel(m.id)
	if err != nil {
		t.Fatalf("loading the nativized model: %v", err)
	}
	if _, ok := loaded.Model.(*linear.Exported); !ok || desc.Runtime != "go" {
		t.Fatalf("loaded %T, description %+v", loaded.Model, desc)
	}

	again, err := nativize(sess, m.id)
	if err != nil || again.Status != NativeInferenceUsed || again.Stored {
		t.Fatalf("second nativize: %+v, %v", again, err)
	}
	if len(*reopened) != 1 || len(storedPaths(store, m.id)) != 3 {
		t.Fatalf("the second nativize converted again: %v, files %q", *reopened, storedPaths(store, m.id))
	}
	if info := store.reported(Info); !slices.Contains(info, "the linear model predicts natively already: it has its native form") {
		t.Fatalf("INFO %q", info)
	}
}

func TestNativizeKeepsTheRuntimeWhenTheNativeFormDisagrees(t *testing.T) {
	sess, store, m, _ := storedBeforeNativeForms(t, 1e-6)
	res, err := nativize(sess, m.id)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored || !strings.HasPrefix(res.Status, "its native form predicted ") {
		t.Fatalf("result %+v", res)
	}
	if paths := storedPaths(store, m.id); !slices.Equal(paths, []string{"estimator.pickle", "preprocess.pgml"}) {
		t.Fatalf("files %q", paths)
	}
	if metricsOf(t, m)[NativeInferenceKey] != res.Status {
		t.Fatalf("metrics %s, status %q", m.metrics, res.Status)
	}
}

// A pickle is code: bytes whose digest does not verify never reach the runtime.
func TestNativizeRefusesUnsignedBytes(t *testing.T) {
	sess, store, m, reopened := storedBeforeNativeForms(t, 0)
	for _, f := range store.files {
		if f.modelID == m.id && f.path == "estimator.pickle" {
			f.data = append(slices.Clone(f.data), 0)
		}
	}
	_, err := nativize(sess, m.id)
	wantError(t, err, StateDataCorrupted, "model "+integer(m.id).Text+" cannot be loaded: its file estimator.pickle (part 0) was not written by pgml on this cluster (digest mismatch)")
	if len(*reopened) != 0 {
		t.Fatalf("tampered bytes were handed to the runtime: %v", *reopened)
	}
}

func TestNativizeErrors(t *testing.T) {
	sess, store, m, reopened := storedBeforeNativeForms(t, 0)
	_, err := nativize(sess, 424242)
	wantError(t, err, StateUndefinedObject, "pgml.models WHERE id = 424242 could not be loaded. Does it exist?")

	req := request("Native", "regression", "lin", "y")
	if _, err := train(sess, req); err != nil {
		t.Fatal(err)
	}
	goModel := store.models[len(store.models)-1]
	_, err = nativize(sess, goModel.id)
	e := wantError(t, err, StateWrongObjectType, "model "+integer(goModel.id).Text+" was trained by the go runtime, which pgml.nativize does not convert: its models predict natively, or have no native form")
	if !strings.Contains(e.Hint, "runtime => 'python'") {
		t.Fatalf("hint %q", e.Hint)
	}

	m.snapshotID = 0 // ON DELETE SET NULL
	_, err = nativize(sess, m.id)
	wantError(t, err, StateNotInPrerequisite, "model "+integer(m.id).Text+" cannot be converted: its snapshot was deleted, so there are no test rows to check a native form against")
	if len(*reopened) != 0 || len(storedPaths(store, m.id)) != 2 {
		t.Fatalf("a refused nativize converted: %v, files %q", *reopened, storedPaths(store, m.id))
	}
}
