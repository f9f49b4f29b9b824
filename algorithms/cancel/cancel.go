package cancel

import (
	"context"
	"time"
)

// CheckEvery is the work between two consultations of the context: about a
// millisecond of simple arithmetic, so a done context is seen within a few
// milliseconds while the check itself (a cgo call in the extension) stays far
// below one percent of the time.
const CheckEvery = 1 << 20

// Checker consults a context once per CheckEvery units of work.
type Checker struct {
	ctx     context.Context
	pending int64
}

// New returns a Checker for ctx.
func New(ctx context.Context) *Checker {
	return &Checker{ctx: ctx}
}

// Add records n units of work and returns ctx.Err() when the accumulated work
// since the last consultation reached CheckEvery and ctx is done.
func (c *Checker) Add(n int) error {
	c.pending += int64(n)
	if c.pending < CheckEvery {
		return nil
	}
	c.pending = 0
	return c.ctx.Err()
}

// Err consults the context now, whatever the work done.
func (c *Checker) Err() error {
	c.pending = 0
	return c.ctx.Err()
}

// Context returns the context the Checker watches.
func (c *Checker) Context() context.Context { return c.ctx }

// chunkTarget is how long one chunk of Chunks should take: short against the
// one second a cancel may take, long against the cost of a check.
const chunkTarget = 20 * time.Millisecond

// maxChunk bounds a chunk whatever its measured speed, so that a timer
// glitch cannot make one chunk run for long.
const maxChunk = 1 << 16

// Chunks calls fn on consecutive ranges [lo, hi) covering [0, n), checking
// ctx before each one. The first range holds one item; each later range is
// sized from the time per item measured so far, to take about 20 ms. It
// returns ctx.Err() as soon as ctx is done, fn's first error otherwise.
func Chunks(ctx context.Context, n int, fn func(lo, hi int) error) error {
	size := 1
	for lo := 0; lo < n; {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(n, lo+size)
		start := time.Now()
		if err := fn(lo, hi); err != nil {
			return err
		}
		elapsed := time.Since(start)
		done := hi - lo
		switch {
		case elapsed <= 0:
			size = min(maxChunk, size*4)
		default:
			next := int(int64(chunkTarget) * int64(done) / int64(elapsed))
			size = max(1, min(maxChunk, next, size*4))
		}
		lo = hi
	}
	return nil
}
