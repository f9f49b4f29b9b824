// Package canceltest provides contexts that tests of long computations use
// to prove they stop: one that becomes done after a given number of
// consultations, and one that records when it was consulted.
package canceltest

import (
	"context"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Countdown is a context whose Err returns context.Canceled from its
// (k+1)-th consultation on, and whose Done is closed at that moment, so
// contexts derived from it are cancelled too. Consultations are counted
// atomically: worker goroutines may share it.
type Countdown struct {
	context.Context
	cancel    context.CancelFunc
	allowed   int64
	consulted atomic.Int64
}

// NewCountdown returns a Countdown that allows k consultations.
func NewCountdown(k int64) *Countdown {
	ctx, cancel := context.WithCancel(context.Background())
	return &Countdown{Context: ctx, cancel: cancel, allowed: k}
}

// Never returns a Countdown that is never done: it only counts.
func Never() *Countdown { return NewCountdown(math.MaxInt64) }

// Err implements context.Context.
func (c *Countdown) Err() error {
	if c.consulted.Add(1) > c.allowed {
		c.cancel()
		return context.Canceled
	}
	return nil
}

// Consultations is how often Err was called.
func (c *Countdown) Consultations() int64 { return c.consulted.Load() }

// Recorder is a live context that records the intervals between
// consultations of its Err, from its creation to Stop.
//
// An interval is measured twice: on the wall clock and in CPU time of the
// whole process. Wall time grows when a loaded machine does not run the
// process; CPU time grows when several threads work at once. The smaller of
// the two is what the code itself spent between two looks at the context,
// robust to both (the tests that use it run one worker).
type Recorder struct {
	context.Context
	mu          sync.Mutex
	lastWall    time.Time
	lastCPU     time.Duration
	count       int
	longest     time.Duration
	longestAt   int
	longestWall time.Duration
	longestCPU  time.Duration
	stopped     bool
}

// NewRecorder returns a Recorder whose first interval starts now.
func NewRecorder() *Recorder {
	return &Recorder{Context: context.Background(), lastWall: time.Now(), lastCPU: processCPU()}
}

// Err implements context.Context; it never reports an error.
func (r *Recorder) Err() error {
	r.mark()
	return nil
}

// Stop ends the last interval (the work after the last consultation counts too).
func (r *Recorder) Stop() {
	r.mark()
	r.mu.Lock()
	r.stopped = true
	r.mu.Unlock()
}

func (r *Recorder) mark() {
	wall, cpu := time.Now(), processCPU()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped {
		return
	}
	dw, dc := wall.Sub(r.lastWall), cpu-r.lastCPU
	if gap := min(dw, dc); gap > r.longest {
		r.longest, r.longestAt, r.longestWall, r.longestCPU = gap, r.count, dw, dc
	}
	r.lastWall, r.lastCPU = wall, cpu
	r.count++
}

// Gap describes the longest interval between two consultations.
type Gap struct {
	Longest   time.Duration // min(Wall, CPU)
	Wall, CPU time.Duration
	// After is how many consultations preceded the interval (0: it began
	// at NewRecorder); Of is the total.
	After, Of int
}

// Longest returns the longest interval seen so far.
func (r *Recorder) Longest() Gap {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Gap{Longest: r.longest, Wall: r.longestWall, CPU: r.longestCPU, After: r.longestAt, Of: r.count}
}

func processCPU() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u) // cannot fail for RUSAGE_SELF
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
