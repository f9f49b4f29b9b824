package safego

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms/faults"
)

func TestGroupTurnsPanicIntoError(t *testing.T) {
	g, ctx := WithContext(context.Background())
	var others atomic.Int32
	g.Go(func() error { panic("index out of range") })
	for range 4 {
		g.Go(func() error {
			<-ctx.Done() // the panic cancels the group's context
			others.Add(1)
			return ctx.Err()
		})
	}
	err := g.Wait()
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Wait = %v (%T), want a *PanicError", err, err)
	}
	if pe.Value != "index out of range" || !strings.Contains(pe.Stack, "safego_test.go") {
		t.Errorf("PanicError = %v with stack %q", pe.Value, pe.Stack)
	}
	if others.Load() != 4 {
		t.Errorf("%d of 4 other workers saw the cancellation", others.Load())
	}
}

func TestGroupKeepsFirstError(t *testing.T) {
	g, _ := WithContext(context.Background())
	first := errors.New("first")
	release := make(chan struct{})
	g.Go(func() error { defer close(release); return first })
	g.Go(func() error { <-release; time.Sleep(time.Millisecond); return errors.New("second") })
	if err := g.Wait(); !errors.Is(err, first) {
		t.Errorf("Wait = %v, want the first error", err)
	}
}

func TestGroupWithoutErrors(t *testing.T) {
	g, ctx := WithContext(context.Background())
	var n atomic.Int32
	for range 8 {
		g.Go(func() error { n.Add(1); return nil })
	}
	if err := g.Wait(); err != nil || n.Load() != 8 {
		t.Errorf("Wait = %v after %d of 8 functions", err, n.Load())
	}
	if ctx.Err() == nil {
		t.Error("the group's context is still live after Wait")
	}
}

func TestWorkerPanicFault(t *testing.T) {
	if err := faults.Set(faults.WorkerPanic); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = faults.Set("") })
	g, _ := WithContext(context.Background())
	ran := false
	g.Go(func() error { ran = true; return nil })
	var pe *PanicError
	if err := g.Wait(); !errors.As(err, &pe) || ran {
		t.Errorf("with %s set: Wait = %v, fn ran = %v; want a *PanicError and fn not run", faults.WorkerPanic, err, ran)
	}
}

func TestGoHandsPanicToOnPanic(t *testing.T) {
	got := make(chan *PanicError, 1)
	Go(func() { panic(errors.New("poller broke")) }, func(pe *PanicError) { got <- pe })
	select {
	case pe := <-got:
		if err, ok := pe.Value.(error); !ok || err.Error() != "poller broke" {
			t.Errorf("onPanic got %v", pe.Value)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("onPanic was not called")
	}
}

func TestRecover(t *testing.T) {
	work := func() (err error) {
		defer Recover(&err)
		var m map[string]int
		m["x"] = 1 // assignment to a nil map panics
		return nil
	}
	var pe *PanicError
	if err := work(); !errors.As(err, &pe) {
		t.Errorf("work() = %v, want a *PanicError", err)
	}
}
