package cancel

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// countdown is a context that becomes done after its Err was consulted n times.
type countdown struct {
	context.Context
	left int
}

func (c *countdown) Err() error {
	if c.left <= 0 {
		return context.Canceled
	}
	c.left--
	return nil
}

func TestCheckerConsultsOncePerCheckEvery(t *testing.T) {
	ctx := &countdown{Context: context.Background(), left: 2}
	c := New(ctx)
	steps := 0
	for ; steps < 10*CheckEvery; steps++ {
		if err := c.Add(1); err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Add returned %v, want context.Canceled", err)
			}
			break
		}
	}
	// The third consultation fails: after 3*CheckEvery units.
	if want := 3*CheckEvery - 1; steps != want {
		t.Errorf("stopped after %d steps, want %d", steps, want)
	}
}

func TestCheckerErrConsultsNow(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := New(ctx)
	if err := c.Add(1); err != nil {
		t.Fatalf("Add on a live context: %v", err)
	}
	cancel()
	if err := c.Add(1); err != nil {
		t.Fatalf("Add below CheckEvery consulted the context: %v", err)
	}
	if err := c.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err after cancel = %v, want context.Canceled", err)
	}
}

func TestChunksCoversEveryItemOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000, 100003} {
		seen := make([]int, n)
		err := Chunks(context.Background(), n, func(lo, hi int) error {
			if lo >= hi {
				t.Fatalf("n=%d: empty chunk [%d, %d)", n, lo, hi)
			}
			for i := lo; i < hi; i++ {
				seen[i]++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("n=%d: item %d visited %d times", n, i, c)
			}
		}
	}
}

func TestChunksStopsWhenDone(t *testing.T) {
	ctx := &countdown{Context: context.Background(), left: 3}
	chunks := 0
	err := Chunks(ctx, 1<<30, func(lo, hi int) error {
		chunks++
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Chunks returned %v, want context.Canceled", err)
	}
	if chunks != 3 {
		t.Errorf("ran %d chunks, want 3 (one per successful check)", chunks)
	}
}

func TestChunksReturnsFnError(t *testing.T) {
	boom := errors.New("boom")
	err := Chunks(context.Background(), 10, func(lo, hi int) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("Chunks returned %v, want fn's error", err)
	}
}

func TestSortFloat64s(t *testing.T) {
	for _, n := range []int{0, 1, 5, sortRun, sortRun + 1, 3*sortRun + 7, 9 * sortRun} {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64((i * 7919) % 1013)
		}
		want := slices.Clone(v)
		slices.Sort(want)
		if err := SortFloat64s(New(context.Background()), v, make([]float64, n)); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v, want) {
			t.Fatalf("n=%d: not sorted like slices.Sort", n)
		}
	}
	ctx := &countdown{Context: context.Background(), left: 1}
	v := make([]float64, 1<<22)
	if err := SortFloat64s(New(ctx), v, make([]float64, len(v))); !errors.Is(err, context.Canceled) {
		t.Errorf("SortFloat64s on a context done after one consultation: %v", err)
	}
}
