package lifecycle

import (
	"context"
	"time"

	"github.com/pgml-go/pgml/algorithms/safego"
)

// interruptPollInterval bounds how long code that waits on ctx.Done() needs to notice.
const interruptPollInterval = 10 * time.Millisecond

// interruptContext is cancelled when PostgreSQL has a cancel or die request pending (rule 8 in
// docs/architecture.md). Err reads the flags itself, so a loop that checks ctx.Err() stops at
// its next check even if the poller goroutine (which serves Done) has not been scheduled yet.
type interruptContext struct {
	context.Context
	cancel  context.CancelFunc
	pending func() bool
}

func (c *interruptContext) Err() error {
	if err := c.Context.Err(); err != nil {
		return err
	}
	if c.pending() {
		c.cancel()
		return context.Canceled
	}
	return nil
}

// WithInterrupts runs fn with a context that a pending interrupt cancels, and reports
// ErrInterrupted when an interrupt arrived, whatever fn returned.
func (sess *Session) WithInterrupts(fn func(ctx context.Context) error) error {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx := &interruptContext{Context: parent, cancel: cancel, pending: sess.Store.InterruptPending}
	stop := make(chan struct{})
	defer close(stop)
	// The poller only serves ctx.Done(); if it ever panicked, Err still reads the flags.
	safego.Go(func() {
		ticker := time.NewTicker(interruptPollInterval)
		defer ticker.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ticker.C:
				if ctx.Err() != nil {
					return
				}
			}
		}
	}, nil)
	err := fn(ctx)
	if sess.Store.InterruptPending() {
		return ErrInterrupted
	}
	return err
}
