package progress

import (
	"context"
	"sync"
	"testing"
)

func TestCounterFollowsAFit(t *testing.T) {
	var c Counter
	ctx := With(context.Background(), &c)
	Start(ctx, "trees", 100)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				Advance(ctx, 1)
			}
		}()
	}
	wg.Wait()
	if got := c.Read(); got != (Snapshot{Unit: "trees", Done: 100, Total: 100}) {
		t.Fatalf("read %+v after 4 × 25 advances of 100 trees", got)
	}
	// A new fit starts from nothing.
	Start(ctx, "rounds", 10)
	if got := c.Read(); got != (Snapshot{Unit: "rounds", Total: 10}) {
		t.Fatalf("read %+v after a new start", got)
	}
	c.Reset()
	if got := c.Read(); got != (Snapshot{}) {
		t.Fatalf("read %+v after reset", got)
	}
}

func TestWithoutCounterNobodyListens(t *testing.T) {
	ctx := context.Background()
	Start(ctx, "trees", 10) // must not panic
	Advance(ctx, 1)
	var nilCounter *Counter
	Advance(With(ctx, nilCounter), 1)
	if got := nilCounter.Read(); got != (Snapshot{}) {
		t.Fatalf("a nil counter reads %+v", got)
	}
}
