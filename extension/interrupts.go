package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"time"

	"github.com/pgml-go/pgml/algorithms/safego"
)

// interruptPollInterval bounds how long code that waits on ctx.Done() needs to notice.
const interruptPollInterval = 10 * time.Millisecond

// interruptContext is cancelled when PostgreSQL has a cancel or die request pending (rule 8).
// Err reads the flags itself, so a loop that checks ctx.Err() stops at its next check even if
// the poller goroutine (which serves Done) has not been scheduled yet. Reading the flags is
// safe from any thread; C runs CHECK_FOR_INTERRUPTS on the main thread after Go returned.
type interruptContext struct {
	context.Context
	cancel context.CancelFunc
}

func (c *interruptContext) Err() error {
	if err := c.Context.Err(); err != nil {
		return err
	}
	if C.pgml_interrupt_pending() {
		c.cancel()
		return context.Canceled
	}
	return nil
}

// withInterrupts runs fn with an interruptContext and reports errInterrupted when an
// interrupt arrived, whatever fn returned.
func withInterrupts(fn func(ctx context.Context) error) error {
	parent, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx := &interruptContext{Context: parent, cancel: cancel}
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
	if C.pgml_interrupt_pending() {
		return errInterrupted
	}
	return err
}

// checkInterrupts is for loops on the main thread between SPI calls.
func checkInterrupts() error {
	if C.pgml_interrupt_pending() {
		return errInterrupted
	}
	return nil
}
