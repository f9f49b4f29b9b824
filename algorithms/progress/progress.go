// Package progress lets a fit say how far it is (trees built, boosting rounds done) to
// whoever asked: the lifecycle attaches a Counter to the fit's context, the fit's goroutines
// advance it, and the backend's main thread reads it to publish pgml.training_progress and
// the progress INFO lines. Every method is safe from any goroutine and costs an atomic add;
// a fit whose context has no Counter reports to nobody.
package progress

import (
	"context"
	"sync/atomic"
)

// Counter is the progress of one fit: done of total units (e.g. "trees").
type Counter struct {
	done  atomic.Int64
	total atomic.Int64
	unit  atomic.Pointer[string]
}

// Snapshot is a Counter's state at one moment.
type Snapshot struct {
	Unit        string
	Done, Total int64
}

// Read returns the counter's state; a nil Counter reads as no progress.
func (c *Counter) Read() Snapshot {
	if c == nil {
		return Snapshot{}
	}
	s := Snapshot{Done: c.done.Load(), Total: c.total.Load()}
	if u := c.unit.Load(); u != nil {
		s.Unit = *u
	}
	return s
}

// Reset forgets the previous fit's progress.
func (c *Counter) Reset() {
	c.done.Store(0)
	c.total.Store(0)
	c.unit.Store(nil)
}

type key struct{}

// With returns ctx carrying c, for a fit to report to.
func With(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, key{}, c)
}

func from(ctx context.Context) *Counter {
	c, _ := ctx.Value(key{}).(*Counter)
	return c
}

// Start announces that the fit will do total units of the named kind, none done yet.
func Start(ctx context.Context, unit string, total int) {
	c := from(ctx)
	if c == nil {
		return
	}
	c.unit.Store(&unit)
	c.done.Store(0)
	c.total.Store(int64(total))
}

// Advance records n more units done.
func Advance(ctx context.Context, n int) {
	if c := from(ctx); c != nil {
		c.done.Add(int64(n))
	}
}
