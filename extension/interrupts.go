package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"errors"
	"time"
)

// interruptPollInterval bounds how long a cancel or statement_timeout waits for training.
const interruptPollInterval = 10 * time.Millisecond

// withInterrupts runs fn with a context that is cancelled when PostgreSQL has a cancel or
// die request pending (rule 8). The poller only reads flags, which is safe off the main
// thread; C runs CHECK_FOR_INTERRUPTS after Go returned.
func withInterrupts(fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	interrupted := make(chan struct{})
	go func() {
		defer func() { _ = recover() }()
		ticker := time.NewTicker(interruptPollInterval)
		defer ticker.Stop()
		for {
			select {
			case <-stop:
				return
			case <-ticker.C:
				if C.pgml_interrupt_pending() {
					close(interrupted)
					cancel()
					return
				}
			}
		}
	}()
	err := fn(ctx)
	close(stop)
	select {
	case <-interrupted:
		return errInterrupted
	default:
	}
	if err != nil && errors.Is(err, context.Canceled) && bool(C.pgml_interrupt_pending()) {
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
