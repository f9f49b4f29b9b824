package pybridge

import (
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/safego"
)

//go:embed worker.py
var workerSource string

// WorkerProgram is the interpreter workers run: Debian's, by absolute path (the embedded
// helper's PYTHON_PROGRAM), in isolated mode (-I: no PYTHON* variables, no user site, no
// script directory on sys.path), so a pyenv python3 first on PATH is never used.
const WorkerProgram = "/usr/bin/python3"

// WorkerMarker follows the bootstrap on the worker's command line, then the pid of the
// process that started it: ps shows "... pgml-python-worker <backend pid>".
const WorkerMarker = "pgml-python-worker"

// workerBootstrap is the worker's -c program: it closes every descriptor inherited above 2
// (PostgreSQL's client socket and data files are not close-on-exec), reads worker.py's
// source (length-prefixed) from stdin and runs it.
const workerBootstrap = `import os, sys
for fd in [int(f) for f in os.listdir("/proc/self/fd")]:
    if fd > 2:
        try:
            os.close(fd)
        except OSError:
            pass
n = int.from_bytes(sys.stdin.buffer.read(8), "little")
source = sys.stdin.buffer.read(n)
if len(source) != n:
    sys.exit(0)
module = type(sys)("pgml_worker")
module.__file__ = "pgml_worker.py"
sys.modules["pgml_worker"] = module
exec(compile(source, "pgml_worker.py", "exec"), module.__dict__)
module.main()
`

// pipeBytes is the size asked for each pipe (F_SETPIPE_SZ; 1 MiB is the default maximum
// for unprivileged processes): fewer wake-ups while matrices stream through.
const pipeBytes = 1 << 20

// reapWait bounds the wait for a worker that closed its pipe to be reaped, to read why
// it ended.
const reapWait = 5 * time.Second

// workerIdleExit is how long a worker waits for a request before it exits by itself (its
// memory goes back to the system; the next request starts a new worker). A var for tests.
var workerIdleExit = 5 * time.Minute

// WorkerConfig is how a worker runs. A call with a different Threads or Venvs than the
// running worker's replaces it; MemoryLimit applies per request.
type WorkerConfig struct {
	// Threads is the worker's BLAS and OpenMP thread count (OPENBLAS_NUM_THREADS,
	// OMP_NUM_THREADS, MKL_NUM_THREADS; also xgboost's default). Less than 1 means 1.
	Threads int
	// Venvs are activated in the worker, in order, before anything is fitted
	// (ActivatedVenvs: what ActivateVenv did to the embedded interpreter).
	Venvs []string
	// MemoryLimit is the worker's RLIMIT_DATA in bytes while it serves a request: a fit
	// allocating beyond it fails with MemoryError (ErrOutOfMemory). 0: no limit.
	MemoryLimit int64
}

// Worker is one python process that fits models for its owner, started on first use and
// reused. Cancelling a request's context kills the process (SIGKILL to its process group)
// at once, whatever Python is doing; the next request starts a new process. The process
// dies with the thread that started it (PR_SET_PDEATHSIG), and exits when its stdin
// closes. Methods are safe for concurrent use; requests are served one at a time.
type Worker struct {
	// Program is the interpreter to run; "" means WorkerProgram.
	Program string

	mu   sync.Mutex
	proc *workerProcess
	pid  atomic.Int64 // proc's pid, readable while a request runs
}

// workerProcess is one running worker.
type workerProcess struct {
	cmd      *exec.Cmd
	threads  int
	venvs    []string
	requests *os.File // the worker's stdin
	replies  *os.File // the worker's protocol output
	killed   bool
	reaped   chan struct{} // closed once the process has ended and been waited for
}

// WorkerExitError is a worker that ended while serving a request: killed by a signal (a
// segfault in a C extension, the kernel's OOM killer) or exited.
type WorkerExitError struct {
	Pid    int
	During string         // the request
	Signal syscall.Signal // 0 when it exited
	Status int            // its exit status when Signal is 0
}

func (e *WorkerExitError) Error() string {
	if e.Signal != 0 {
		return fmt.Sprintf("the python worker (pid %d) was killed by %s (%s) during %s", e.Pid, signalName(e.Signal), e.Signal, e.During)
	}
	return fmt.Sprintf("the python worker (pid %d) exited with status %d during %s", e.Pid, e.Status, e.During)
}

func signalName(s syscall.Signal) string {
	names := map[syscall.Signal]string{syscall.SIGSEGV: "SIGSEGV", syscall.SIGKILL: "SIGKILL", syscall.SIGABRT: "SIGABRT",
		syscall.SIGBUS: "SIGBUS", syscall.SIGILL: "SIGILL", syscall.SIGFPE: "SIGFPE", syscall.SIGTERM: "SIGTERM"}
	if n, ok := names[s]; ok {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}

// Pid is the running worker's process id, 0 when none runs. It does not wait for a
// request in progress.
func (w *Worker) Pid() int { return int(w.pid.Load()) }

// Close kills the worker, if one runs. The Worker may be used again.
func (w *Worker) Close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.detach()
}

// attach makes p the worker's process. Callers hold w.mu.
func (w *Worker) attach(p *workerProcess) {
	w.proc = p
	w.pid.Store(int64(p.cmd.Process.Pid))
}

// detach kills the worker's process, if any. Callers hold w.mu.
func (w *Worker) detach() {
	if w.proc != nil {
		w.proc.kill()
		w.proc = nil
		w.pid.Store(0)
	}
}

// call sends one request to the worker (started or replaced as cfg requires) and returns
// the reply. A failure of the process or of the pipes, or ctx ending, kills the worker.
// Callers hold w.mu.
func (w *Worker) call(ctx context.Context, cfg WorkerConfig, header map[string]any, blocks ...[]byte) ([]byte, [][]byte, error) {
	if faults.Active(faults.PythonBridge) {
		return nil, nil, fmt.Errorf("%w: %v", ErrUnavailable, faults.Error(faults.PythonBridge))
	}
	threads := max(cfg.Threads, 1)
	if w.proc != nil && (w.proc.threads != threads || !slices.Equal(w.proc.venvs, cfg.Venvs) || w.proc.exited()) {
		w.detach()
	}
	header["memory_limit"] = max(cfg.MemoryLimit, 0)
	body, replyBlocks, err := w.exchange(ctx, threads, cfg.Venvs, header, blocks...)
	var exit *WorkerExitError
	if errors.As(err, &exit) && exit.Signal == 0 && exit.Status == 0 && exit.During != "start" {
		// It exited cleanly, so it was idle and left just as the request came: once more.
		body, replyBlocks, err = w.exchange(ctx, threads, cfg.Venvs, header, blocks...)
	}
	return body, replyBlocks, err
}

// exchange sends a request to the worker, starting one if none runs. Callers hold w.mu.
func (w *Worker) exchange(ctx context.Context, threads int, venvs []string, header map[string]any, blocks ...[]byte) ([]byte, [][]byte, error) {
	if w.proc == nil {
		program := w.Program
		if program == "" {
			program = WorkerProgram
		}
		p, err := startWorker(ctx, program, threads, slices.Clone(venvs))
		if err != nil {
			return nil, nil, err
		}
		w.attach(p)
	}
	body, replyBlocks, err := w.proc.exchange(ctx, header, blocks...)
	var pyErr *PythonError
	if err != nil && !errors.As(err, &pyErr) {
		w.detach() // exchange killed it already
	}
	return body, replyBlocks, err
}

// startWorker starts a worker from the calling thread and waits until it has imported
// numpy, scipy and scikit-learn.
func startWorker(ctx context.Context, program string, threads int, venvs []string) (*workerProcess, error) {
	if !littleEndian {
		return nil, fmt.Errorf("%w: the worker protocol sends float64 little-endian, and this machine is not", ErrUnavailable)
	}
	requestsChild, requests, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	replies, repliesChild, err := os.Pipe()
	if err != nil {
		requestsChild.Close()
		requests.Close()
		return nil, err
	}
	setPipeSize(requests)
	setPipeSize(replies)
	n := strconv.Itoa(threads)
	env := []string{"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8",
		"OPENBLAS_NUM_THREADS=" + n, "OMP_NUM_THREADS=" + n, "MKL_NUM_THREADS=" + n}
	for _, k := range []string{"HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	cmd := &exec.Cmd{
		Path:   program,
		Args:   []string{program, "-I", "-c", workerBootstrap, WorkerMarker, strconv.Itoa(os.Getpid())},
		Env:    env,
		Stdin:  requestsChild,
		Stdout: repliesChild,
		Stderr: os.Stderr, // the server log
		// Its own process group: PostgreSQL signals a backend's group (pg_cancel_backend,
		// statement_timeout, reloads), none of which is meant for the worker; killing the
		// group also ends anything the worker started. Pdeathsig: the kernel kills the
		// worker when the thread that forked it exits -- the backend's main thread.
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	}
	err = cmd.Start()
	requestsChild.Close()
	repliesChild.Close()
	if err != nil {
		requests.Close()
		replies.Close()
		return nil, fmt.Errorf("%w: starting the python worker %s: %v", ErrUnavailable, program, err)
	}
	p := &workerProcess{cmd: cmd, threads: threads, venvs: venvs, requests: requests, replies: replies, reaped: make(chan struct{})}
	p.reap() // whenever it ends (killed, crashed, idle), it is reaped at once: no zombie
	source := binary.LittleEndian.AppendUint64(nil, uint64(len(workerSource)))
	if err := writeAll(ctx, requests, append(source, workerSource...)); err != nil {
		return nil, p.fail(ctx, "start", err)
	}
	start := map[string]any{"op": "start", "venvs": venvs, "idle_exit": workerIdleExit.Seconds()}
	if _, _, err := p.exchange(ctx, start, []byte(bridgeSource)); err != nil {
		var pyErr *PythonError
		if errors.As(err, &pyErr) {
			p.kill()
			return nil, fmt.Errorf("%w: the python worker did not start: %v", ErrUnavailable, err)
		}
		return nil, err
	}
	return p, nil
}

// setPipeSize enlarges a pipe; on failure (a lower fs.pipe-max-size) it keeps its size.
func setPipeSize(f *os.File) {
	const fSetPipeSize = 1031 // F_SETPIPE_SZ
	if c, err := f.SyscallConn(); err == nil {
		_ = c.Control(func(fd uintptr) {
			_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, pipeBytes)
		})
	}
}

// exited reports whether the worker closed its end of the replies pipe between requests:
// it exited (idle) or died. Nothing is to be read then, so any byte is a protocol error,
// and the worker is as good as dead too.
func (p *workerProcess) exited() bool {
	select {
	case <-p.reaped:
		return true
	default:
	}
	if err := p.replies.SetReadDeadline(time.Now()); err != nil {
		return true
	}
	var b [1]byte
	n, err := p.replies.Read(b[:])
	return n > 0 || !errors.Is(err, os.ErrDeadlineExceeded)
}

// exchange writes a request and reads its reply. Errors other than a *PythonError (the
// request failed in Python; the worker is fine) leave the process killed.
func (p *workerProcess) exchange(ctx context.Context, header map[string]any, blocks ...[]byte) ([]byte, [][]byte, error) {
	op, _ := header["op"].(string)
	if err := writeFrame(ctx, p.requests, header, blocks...); err != nil {
		return nil, nil, p.fail(ctx, op, err)
	}
	body, replyBlocks, err := readFrame(ctx, p.replies)
	var pyErr *PythonError
	if err != nil && !errors.As(err, &pyErr) {
		return nil, nil, p.fail(ctx, op, err)
	}
	return body, replyBlocks, err
}

// fail ends the process after a failed request and says why the request failed:
// interrupted, the worker ended (how), or a protocol error.
func (p *workerProcess) fail(ctx context.Context, op string, err error) error {
	interrupted := fmt.Errorf("%w: the python worker was stopped during %s", ErrInterrupted, op)
	if ctx.Err() != nil || !errors.Is(err, errWorkerGone) {
		p.kill()
		if ctx.Err() != nil {
			return interrupted
		}
		return err
	}
	// The worker closed its end: it has died, or is dying (a Python traceback, then the
	// interpreter's shutdown). Let it end by itself, to report how.
	select {
	case <-p.reaped:
	case <-ctx.Done():
		p.kill()
		return interrupted
	case <-time.After(reapWait):
		p.kill()
		return fmt.Errorf("pybridge: the python worker closed its pipe during %s and did not exit within %v", op, reapWait)
	}
	p.kill() // anything it started
	exit := &WorkerExitError{Pid: p.cmd.Process.Pid, During: op}
	if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		exit.Signal = ws.Signal()
	} else {
		exit.Status = p.cmd.ProcessState.ExitCode()
	}
	return exit
}

// kill ends the worker and anything it started (SIGKILL to its process group) without
// waiting (the reaper does): a process with gigabytes mapped takes a while to exit.
// Idempotent.
func (p *workerProcess) kill() {
	if p.killed {
		return
	}
	p.killed = true
	// Once reaped, its pid (and group id) may belong to another process.
	select {
	case <-p.reaped:
	default:
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	}
	p.requests.Close()
	p.replies.Close()
}

// reap waits for the process on a goroutine, which closes reaped when it has ended.
func (p *workerProcess) reap() {
	wait := func() {
		_ = p.cmd.Wait()
		close(p.reaped)
	}
	// If the goroutine panics before waiting (pgml.inject_fault = worker_panic), onPanic,
	// running on it, waits.
	safego.Go(wait, func(*safego.PanicError) { wait() })
}
