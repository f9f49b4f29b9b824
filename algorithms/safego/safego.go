package safego

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/pgml-go/pgml/algorithms/faults"
)

// PanicError is a recovered panic with the stack of the goroutine that panicked.
type PanicError struct {
	Value any
	Stack string
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// maxStack bounds the stack kept in a PanicError (it ends up in an ERROR's detail).
const maxStack = 4000

func newPanicError(r any) *PanicError {
	stack := debug.Stack()
	if len(stack) > maxStack {
		stack = stack[:maxStack]
	}
	return &PanicError{Value: r, Stack: string(stack)}
}

// Recover, deferred directly, turns a panic of the current goroutine into
// *err (a *PanicError); without a panic it leaves *err alone.
//
//	func work() (err error) {
//		defer safego.Recover(&err)
//		...
//	}
func Recover(err *error) {
	if r := recover(); r != nil {
		*err = FromRecovered(r)
	}
}

// FromRecovered turns the value of recover() into a *PanicError, keeping one
// that is already a *PanicError (re-panicked on the waiting goroutine by
// Repanic) with its original stack.
func FromRecovered(r any) *PanicError {
	if pe, ok := r.(*PanicError); ok {
		return pe
	}
	return newPanicError(r)
}

// Repanic re-raises, on the calling goroutine, a *PanicError returned by
// Group.Wait; any other error is returned. Code whose callers expect no error
// (a helper inside a fit) uses it so that the panic reaches the recover of
// the exported call that started the work.
func Repanic(err error) error {
	if pe, ok := err.(*PanicError); ok {
		panic(pe)
	}
	return err
}

// Group runs functions on goroutines and waits for them. The first error or
// panic is kept; it cancels the Group's context so the others stop early.
type Group struct {
	wg     sync.WaitGroup
	once   sync.Once
	err    error
	cancel context.CancelFunc
}

// WithContext returns a Group and a context that is cancelled when a
// function of the group fails or panics, or when ctx is done. Its Err also
// consults ctx.Err itself: the extension's context reads PostgreSQL's
// interrupt flags in Err and closes Done only from a poller, so workers that
// check Err see a cancel at once instead of after the poller's next tick.
func WithContext(ctx context.Context) (*Group, context.Context) {
	inner, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, &groupContext{Context: inner, parent: ctx}
}

type groupContext struct {
	context.Context
	parent context.Context
}

func (c *groupContext) Err() error {
	if err := c.Context.Err(); err != nil {
		return err
	}
	return c.parent.Err()
}

// Go runs fn on a new goroutine. A panic in fn becomes the group's error.
func (g *Group) Go(fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		err := run(fn)
		if err != nil {
			g.once.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

func run(fn func() error) (err error) {
	defer Recover(&err)
	if faults.Active(faults.WorkerPanic) {
		panic(faults.Error(faults.WorkerPanic))
	}
	return fn()
}

// Wait waits for every function started by Go and returns the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Go runs fn on a new goroutine that nobody waits for (a background poller).
// A panic in fn is passed to onPanic, on that goroutine, instead of
// aborting the process; onPanic must not panic.
func Go(fn func(), onPanic func(*PanicError)) {
	go func() {
		err := run(func() error { fn(); return nil })
		if pe, ok := err.(*PanicError); ok && onPanic != nil {
			onPanic(pe)
		}
	}()
}
