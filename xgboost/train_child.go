package xgboost

/*
#include <stdint.h>
#include <stdlib.h>

int pgml_xgb_spawn_go(const double *x, uint64_t rows, uint64_t cols, const double *y, uint64_t targets,
		const char **keys, const char **vals, int nparams, int rounds, int nthread,
		int *pid_out, int *fd_out, char **err);
void pgml_xgb_set_child_crash_go(int on);
*/
import "C"

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"github.com/pgml-go/pgml/algorithms"
)

// Training runs in a child process forked from the calling thread (C code
// in loader.go); the parent waits for the boosters it writes, consulting
// the context every pollInterval, and kills it with SIGKILL when the
// context is done. XGBoost has no way to stop inside a boosting round, and
// one round takes seconds on millions of rows (26 s with its default exact
// method on 2M×20 on the development machine, and the first hist round
// sketches every column); a child stops at once. A crash in libxgboost (a
// parameter that reaches one of its bugs) or the OOM killer (the child
// volunteers, with oom_score_adj 1000) ends the child only: the training
// fails with an error and the server never restarts.
const pollInterval = 10 * time.Millisecond

// lastChild is the pid of the last training child and lastChildMaxRSS its
// peak resident memory in bytes, for tests.
var lastChild int
var lastChildMaxRSS int64

// maxModelBytes bounds a booster a child may send: more is a broken child.
const maxModelBytes = 1 << 40

// trainInChild trains one booster per target column of y (targets values per
// row) with params and returns their saved models.
func trainInChild(ctx context.Context, x algorithms.Matrix, y []float64, targets int, params []param, rounds, nthread int) ([][]byte, error) {
	keys := C.malloc(C.size_t(max(len(params), 1)) * C.size_t(unsafe.Sizeof(uintptr(0))))
	vals := C.malloc(C.size_t(max(len(params), 1)) * C.size_t(unsafe.Sizeof(uintptr(0))))
	defer C.free(keys)
	defer C.free(vals)
	ks := unsafe.Slice((**C.char)(keys), max(len(params), 1))
	vs := unsafe.Slice((**C.char)(vals), max(len(params), 1))
	for i, p := range params {
		ks[i], vs[i] = C.CString(p.k), C.CString(p.v)
	}
	defer func() {
		for i := range params {
			C.free(unsafe.Pointer(ks[i]))
			C.free(unsafe.Pointer(vs[i]))
		}
	}()
	// The child dies with the thread that forked it (PR_SET_PDEATHSIG):
	// that thread must not end while it works.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var pid, fd C.int
	var cerr *C.char
	if C.pgml_xgb_spawn_go((*C.double)(unsafe.Pointer(&x.Data[0])), C.uint64_t(x.Rows), C.uint64_t(x.Cols),
		(*C.double)(unsafe.Pointer(&y[0])), C.uint64_t(targets), (**C.char)(keys), (**C.char)(vals),
		C.int(len(params)), C.int(rounds), C.int(nthread), &pid, &fd, &cerr) != 0 {
		return nil, xgbError("start the training process", cerr)
	}
	runtime.KeepAlive(x.Data)
	runtime.KeepAlive(y)
	lastChild = int(pid)
	child := &childProcess{pid: int(pid)}
	if err := syscall.SetNonblock(int(fd), true); err != nil {
		syscall.Close(int(fd))
		child.kill()
		return nil, fmt.Errorf("xgboost: training process pipe: %w", err)
	}
	pipe := os.NewFile(uintptr(fd), "xgboost training")
	defer pipe.Close()
	boosters, readErr := readBoosters(bufio.NewReaderSize(&ctxReader{ctx: ctx, f: pipe}, 1<<16), targets)
	if readErr != nil {
		if err := ctx.Err(); err != nil {
			child.kill()
			return nil, err
		}
	}
	status, waitErr := child.wait()
	switch {
	case waitErr != nil:
		return nil, fmt.Errorf("xgboost: training process: %w", waitErr)
	case status.Signaled():
		return nil, fmt.Errorf("xgboost: the training process was killed by signal %d (%v): a crash in libxgboost, or the kernel out of memory", int(status.Signal()), status.Signal())
	case readErr != nil:
		return nil, readErr
	case status.ExitStatus() != 0:
		return nil, fmt.Errorf("xgboost: the training process exited with status %d", status.ExitStatus())
	}
	return boosters, nil
}

// readBoosters reads what the child writes: targets models, or a failure.
func readBoosters(r io.Reader, targets int) ([][]byte, error) {
	var boosters [][]byte
	for len(boosters) < targets {
		var n uint64
		if err := binary.Read(r, binary.NativeEndian, &n); err != nil {
			return nil, fmt.Errorf("xgboost: the training process ended early: %w", err)
		}
		if n == ^uint64(0) {
			var m uint64
			if err := binary.Read(r, binary.NativeEndian, &m); err != nil || m > 1<<20 {
				return nil, fmt.Errorf("xgboost: the training process failed without a readable message")
			}
			msg := make([]byte, m)
			if _, err := io.ReadFull(r, msg); err != nil {
				return nil, fmt.Errorf("xgboost: the training process failed without a readable message")
			}
			cerr := C.CString(string(msg))
			return nil, xgbError("training", cerr)
		}
		if n == 0 || n > maxModelBytes {
			return nil, fmt.Errorf("xgboost: the training process sent a model of %d bytes", n)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return nil, fmt.Errorf("xgboost: the training process ended early: %w", err)
		}
		boosters = append(boosters, b)
	}
	return boosters, nil
}

// ctxReader reads the pipe with a short deadline, consulting ctx between
// attempts, so that a cancel is noticed within pollInterval.
type ctxReader struct {
	ctx context.Context
	f   *os.File
}

func (r *ctxReader) Read(p []byte) (int, error) {
	for {
		if err := r.ctx.Err(); err != nil {
			return 0, err
		}
		if err := r.f.SetReadDeadline(time.Now().Add(pollInterval)); err != nil {
			return 0, err
		}
		n, err := r.f.Read(p)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

type childProcess struct{ pid int }

// kill ends the child and reaps it.
func (c *childProcess) kill() {
	_ = syscall.Kill(c.pid, syscall.SIGKILL)
	_, _ = c.wait()
}

func (c *childProcess) wait() (syscall.WaitStatus, error) {
	var status syscall.WaitStatus
	var usage syscall.Rusage
	for {
		_, err := syscall.Wait4(c.pid, &status, 0, &usage)
		if err == syscall.EINTR {
			continue
		}
		lastChildMaxRSS = usage.Maxrss << 10
		return status, err
	}
}

// setChildCrash makes the next training children crash (tests).
func setChildCrash(on bool) {
	v := C.int(0)
	if on {
		v = 1
	}
	C.pgml_xgb_set_child_crash_go(v)
}
