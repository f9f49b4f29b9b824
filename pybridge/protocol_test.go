package pybridge

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
)

// pipePair is the two ends of a pipe, closed when the test ends.
func pipePair(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// TestFrameRoundTrip: a frame written by writeFrame is read back by readFrame, header and
// blocks (float64 blocks usable without a copy), whatever the pipe's size.
func TestFrameRoundTrip(t *testing.T) {
	r, w := pipePair(t)
	matrix := make([]float64, 300_000) // larger than the pipe: writer and reader interleave
	for i := range matrix {
		matrix[i] = float64(i) / 7
	}
	matrix[5] = math.NaN()
	pickle := []byte("\x80\x05pickle bytes")
	written := make(chan error, 1)
	go func() {
		written <- writeFrame(context.Background(), w, map[string]any{"ok": true, "hyperparams": `{"a": 1}`}, pickle, float64Bytes(matrix), nil)
	}()
	body, blocks, err := readFrame(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	var header struct {
		Hyperparams string `json:"hyperparams"`
		Blocks      []int  `json:"blocks"`
	}
	if err := json.Unmarshal(body, &header); err != nil || header.Hyperparams != `{"a": 1}` {
		t.Fatalf("header %s: %v", body, err)
	}
	if !reflect.DeepEqual(header.Blocks, []int{len(pickle), len(matrix) * 8, 0}) || len(blocks) != 3 {
		t.Fatalf("blocks %v (%d read)", header.Blocks, len(blocks))
	}
	if string(blocks[0]) != string(pickle) || len(blocks[2]) != 0 {
		t.Fatalf("blocks 0 and 2: %q %q", blocks[0], blocks[2])
	}
	got := alignedFloat64s(blocks[1])
	for i := range matrix {
		if math.Float64bits(got[i]) != math.Float64bits(matrix[i]) {
			t.Fatalf("value %d: %v, want %v", i, got[i], matrix[i])
		}
	}
}

// TestFrameErrors: a failed request is a *PythonError (MemoryError matches ErrOutOfMemory),
// a wrong magic or an oversized header is a protocol error, a closed pipe is errWorkerGone,
// and a cancelled context stops a read that waits for a reply that never comes.
func TestFrameErrors(t *testing.T) {
	t.Run("python error", func(t *testing.T) {
		r, w := pipePair(t)
		if err := writeFrame(context.Background(), w, map[string]any{"ok": false,
			"error": map[string]string{"type": "MemoryError", "message": "Unable to allocate 3 GiB"}}); err != nil {
			t.Fatal(err)
		}
		_, _, err := readFrame(context.Background(), r)
		var pyErr *PythonError
		if !errors.As(err, &pyErr) || !errors.Is(err, ErrOutOfMemory) || err.Error() != "MemoryError: Unable to allocate 3 GiB" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("magic", func(t *testing.T) {
		r, w := pipePair(t)
		w.Write([]byte("hello, world, not a frame"))
		if _, _, err := readFrame(context.Background(), r); err == nil || !strings.Contains(err.Error(), "not the protocol's magic") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("header size", func(t *testing.T) {
		r, w := pipePair(t)
		w.Write(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, frameMagic), maxHeaderBytes+1))
		if _, _, err := readFrame(context.Background(), r); err == nil || !strings.Contains(err.Error(), "byte header") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		r, w := pipePair(t)
		w.Write([]byte{0x50, 0x47})
		w.Close()
		if _, _, err := readFrame(context.Background(), r); !errors.Is(err, errWorkerGone) {
			t.Fatalf("got %v", err)
		}
		r2, w2 := pipePair(t)
		r2.Close()
		if err := writeFrame(context.Background(), w2, map[string]any{"op": "x"}); !errors.Is(err, errWorkerGone) {
			t.Fatalf("write to a closed pipe: %v", err)
		}
	})
	t.Run("cancel", func(t *testing.T) {
		r, _ := pipePair(t)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { _, _, err := readFrame(ctx, r); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("got %v", err)
			}
		case <-time.After(hangLimit):
			t.Fatal("readFrame ignored its context")
		}
		_, w := pipePair(t)
		big := make([]byte, 64<<20) // more than the pipe holds, nobody reads
		if err := writeFrame(ctx, w, map[string]any{"op": "x"}, big); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("write: %v", err)
		}
	})
}

// TestCapThreads: thread hyperparameters above the limit, or asking for every core, are
// lowered; others, and other keys, are untouched; the input is not modified.
func TestCapThreads(t *testing.T) {
	hp := algorithms.Hyperparams{"n_jobs": float64(-1), "nthread": float64(100000), "num_threads": float64(2),
		"thread_count": "many", "n_estimators": float64(500), "nthreads": 1.5, "num_thread": 0}
	got, caps := CapThreads(hp, 2)
	want := algorithms.Hyperparams{"n_jobs": 2, "nthread": 2, "num_threads": float64(2),
		"thread_count": "many", "n_estimators": float64(500), "nthreads": 1.5, "num_thread": 2}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("capped %v, want %v", got, want)
	}
	wantCaps := []ThreadCap{{"n_jobs", -1, 2}, {"nthread", 100000, 2}, {"num_thread", 0, 2}}
	if !reflect.DeepEqual(caps, wantCaps) {
		t.Errorf("caps %v, want %v", caps, wantCaps)
	}
	if hp["n_jobs"] != float64(-1) {
		t.Error("CapThreads modified its input")
	}
	if same, caps := CapThreads(algorithms.Hyperparams{"n_jobs": float64(1)}, 0); caps != nil || same["n_jobs"] != float64(1) {
		t.Errorf("within the limit: %v %v", same, caps)
	}
}

// TestFittedHeldRows: a Fitted answers for runs of whole rows of its held matrix, in its own
// memory, and for nothing else.
func TestFittedHeldRows(t *testing.T) {
	backing := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	held := algorithms.Matrix{Rows: 4, Cols: 2, Data: backing[:8]}
	f := &Fitted{estimator: estimator{task: algorithms.Classification, nFeatures: 2, nOutputs: 1, classes: []float64{0, 1}},
		held: held, predictions: []float64{10, 11, 12, 13}, probabilities: []float64{.1, .9, .2, .8, .3, .7, .4, .6}}
	f.predictRows = f.heldPredictions
	dst := make([]float64, 2)
	if err := f.PredictChecked(dst, held.Data[2:6]); err != nil || !reflect.DeepEqual(dst, []float64{11, 12}) {
		t.Errorf("rows 1-2: %v %v", dst, err)
	}
	probs := make([]float64, 2)
	if err := f.PredictProbaChecked(probs, held.Data[6:]); err != nil || !reflect.DeepEqual(probs, []float64{.4, .6}) {
		t.Errorf("row 3 probabilities: %v %v", probs, err)
	}
	for name, x := range map[string][]float64{
		"a copy":             append([]float64(nil), held.Data[:2]...),
		"not a row start":    held.Data[1:3],
		"rows of other data": make([]float64, 2),
	} {
		if err := f.PredictChecked(dst[:1], x); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := f.PredictChecked(dst, backing[6:10]); err == nil {
		t.Error("rows past the held ones: no error")
	}
	f.probabilities = nil
	if err := f.PredictProbaChecked(probs, held.Data[:2]); err == nil {
		t.Error("probabilities that were not computed: no error")
	}
}
