"""pgml_worker: the process that trains pgml's python models (pybridge/worker.go).

A backend starts it as ``/usr/bin/python3 -I -c <bootstrap> pgml-python-worker <backend
pid>``. The bootstrap (workerBootstrap in worker.go) closes every inherited descriptor above
2, reads this module's source from stdin and calls main(). main() then receives the source of
pgml_bridge (bridge.py: estimators, fit, predict, pickle) and serves requests until stdin ends.

Protocol (both directions): a frame is 8 bytes -- uint32 little-endian MAGIC, uint32 length
of a JSON header -- then the JSON header, then the binary blocks whose byte sizes the header
lists under "blocks" (matrices as row-major little-endian float64, the pickle as bytes). A
request's "op" selects the handler; every reply has "ok", and "error": {"type", "message"}
when ok is false. Replies are written to a duplicate of the original stdout; fd 1 itself is
pointed at stderr so that anything a library prints goes to the server log, not into the
protocol.
"""

import faulthandler
import json
import os
import resource
import select
import struct
import sys
import time

MAGIC = 0x4C4D4750  # b"PGML" read as a little-endian uint32
_HEAD = struct.Struct("<II")
_DRAIN = 1 << 20

bridge = None  # the pgml_bridge module, loaded by main()
idle_exit = 0  # seconds without a request after which the worker exits (0: never)
_drain_buffer = None  # allocated before any memory limit applies


def _read_into(inp, view):
    got = 0
    while got < len(view):
        n = inp.readinto(view[got:])
        if not n:
            raise EOFError("the backend closed the request pipe mid-frame")
        got += n


def _read_bytes(inp, n):
    b = bytearray(n)
    _read_into(inp, memoryview(b))
    return bytes(b)


def read_frame(inp):
    """The next request header, or None when stdin ends between frames."""
    head = inp.read(_HEAD.size)
    if not head:
        return None
    if len(head) < _HEAD.size:
        raise EOFError("the backend closed the request pipe mid-frame")
    magic, n = _HEAD.unpack(head)
    if magic != MAGIC:
        raise ValueError("bad frame magic %#x" % magic)
    return json.loads(_read_bytes(inp, n))


def _byte_view(b):
    v = memoryview(b)
    return v.cast("B") if v.nbytes else memoryview(b"")


def write_frame(out, header, blocks=()):
    views = [_byte_view(b) for b in blocks]
    header = dict(header, blocks=[v.nbytes for v in views])
    body = json.dumps(header).encode()
    out.write(_HEAD.pack(MAGIC, len(body)))
    out.write(body)
    for v in views:
        out.write(v)
    out.flush()


class Blocks:
    """The binary blocks following a request header, read in order."""

    def __init__(self, inp, sizes):
        self.inp = inp
        self.sizes = list(sizes)
        self.next = 0

    def raw(self):
        n = self.sizes[self.next]
        b = _read_bytes(self.inp, n)
        self.next += 1
        return b

    def matrix(self, shape):
        """The next block as a new float64 array of shape (rows, cols). The array is
        allocated before its block is read, so a MemoryError leaves the block unread."""
        import numpy as np

        rows, cols = shape
        n = self.sizes[self.next]
        if n != rows * cols * 8:
            raise ValueError("block of %d bytes for a %d×%d float64 matrix" % (n, rows, cols))
        a = np.empty((rows, cols), dtype=np.float64)
        if n:
            _read_into(self.inp, memoryview(a).cast("B"))
        self.next += 1
        return a

    def drain(self):
        """Skips the blocks not read, so that the next frame starts in step."""
        view = memoryview(_drain_buffer)
        for n in self.sizes[self.next:]:
            while n > 0:
                k = min(n, len(view))
                _read_into(self.inp, view[:k])
                n -= k
        self.next = len(self.sizes)


def limit_memory(limit):
    """RLIMIT_DATA (private writable memory: heap, numpy arrays, thread arenas once used)
    for what follows; 0 lifts it up to the hard limit. RLIMIT_AS is not used: it counts the
    address space OpenBLAS and glibc reserve per thread, and with 4 BLAS threads under a
    400 MB RLIMIT_AS the interpreter spun forever instead of failing (measured)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    want = limit if limit > 0 else hard
    if hard != resource.RLIM_INFINITY and want > hard:
        want = hard
    resource.setrlimit(resource.RLIMIT_DATA, (want, hard))


def fit(req, blocks):
    """Fits, predicts the held-out rows and pickles: everything the backend keeps of a fit."""
    limit_memory(int(req.get("memory_limit", 0)))
    x = blocks.matrix(req["x"])
    y = blocks.matrix(req["y"])
    if y.shape[1] == 0:
        y = None  # clustering, decomposition
    held = blocks.matrix(req["held"])
    est, effective = bridge.fit(req["algorithm"], req["task"], req["hyperparams"], x, y)
    del x, y
    desc = bridge.describe(est)
    predictions = bridge.predictions(est, held, False) if held.shape[0] else held[:, :0]
    native = None
    if req.get("export_native"):
        try:
            native = bridge.export_native(est, req["algorithm"])
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001  (an estimator without the expected attributes)
            native = {"reason": "exporting %s failed: %s" % (type(est).__name__, e)}
    native_blocks = []
    if native is not None:
        native = _native_blocks(native, native_blocks)
    probabilities = None
    if (
        desc["task"] == "classification"
        and desc["predict_proba"]
        and held.shape[0]
        and (
            len(desc["classes"]) <= int(req.get("probability_classes", 0))
            # the native form's probabilities are checked against these (lifecycle/nativeform.go)
            or (native is not None and "reason" not in native)
        )
    ):
        try:
            probabilities = bridge.predictions(est, held, True)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001  (e.g. hinge-loss SGD: no probabilities)
            probabilities = None
    importances = bridge.feature_importances(est)
    pickled = bridge.dumps(est)
    reply = {
        "ok": True,
        "hyperparams": effective,
        "model": desc,
        "predictions": list(predictions.shape),
        "probabilities": list(probabilities.shape) if probabilities is not None else None,
        "feature_importances": (
            {"method": importances[0], "values": importances[1]} if importances is not None else None
        ),
    }
    if native is not None:
        reply["native"] = native
        reply["native_blocks"] = len(native_blocks)
    out = [pickled, predictions]
    if probabilities is not None:
        out.append(probabilities)
    return reply, out + native_blocks


def _native_blocks(value, blocks):
    """value with its numpy arrays moved into blocks (sent after the fit's own blocks) and
    replaced by {"block": index among them, "dtype", "length"}: a forest's arrays travel at
    memory speed instead of as JSON numbers (pybridge/nativeform_trees.go reads them)."""
    import numpy as np

    if isinstance(value, dict):
        return {k: _native_blocks(v, blocks) for k, v in value.items()}
    if isinstance(value, list):
        return [_native_blocks(v, blocks) for v in value]
    if isinstance(value, np.ndarray):
        a = np.ascontiguousarray(value.reshape(-1))
        blocks.append(a)
        return {"block": len(blocks) - 1, "dtype": a.dtype.name, "length": int(a.size)}
    return value


def convert(req, blocks):
    """A stored model's native form (pgml.nativize): unpickles it (bytes pgml wrote and whose
    signature it checked), predicts the held rows and exports its native form, replying as a
    fit does (with an empty pickle block: the backend has it)."""
    limit_memory(int(req.get("memory_limit", 0)))
    est = bridge.loads(blocks.raw())
    held = blocks.matrix(req["held"])
    desc = bridge.describe(est)
    predictions = bridge.predictions(est, held, False)
    try:
        native = bridge.export_native(est, req["algorithm"])
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001  (an estimator without the expected attributes)
        native = {"reason": "exporting %s failed: %s" % (type(est).__name__, e)}
    native_blocks = []
    native = _native_blocks(native, native_blocks)
    probabilities = None
    if desc["task"] == "classification" and desc["predict_proba"]:
        try:
            probabilities = bridge.predictions(est, held, True)
        except MemoryError:
            raise
        except Exception:  # noqa: BLE001  (e.g. hinge-loss SGD: no probabilities)
            probabilities = None
    reply = {
        "ok": True,
        "hyperparams": "{}",
        "model": desc,
        "predictions": list(predictions.shape),
        "probabilities": list(probabilities.shape) if probabilities is not None else None,
        "native": native,
        "native_blocks": len(native_blocks),
    }
    out = [b"", predictions]
    if probabilities is not None:
        out.append(probabilities)
    return reply, out + native_blocks


def start(req, blocks):
    """Loads pgml_bridge (importing numpy, scipy and scikit-learn) and activates venvs."""
    global bridge, idle_exit
    idle_exit = float(req.get("idle_exit", 0))
    source = blocks.raw()
    module = type(sys)("pgml_bridge")
    module.__file__ = "pgml_bridge.py"
    sys.modules["pgml_bridge"] = module
    exec(compile(source, "pgml_bridge.py", "exec"), module.__dict__)
    bridge = module
    for venv in req.get("venvs") or []:
        if bridge.activate_venv(venv) != "true":
            raise ValueError("%s is not a virtualenv (no bin/activate_this.py)" % venv)
    return {"ok": True, "pid": os.getpid(), "python": sys.version.split()[0]}, []


# Requests used by pybridge's tests only: a fatal signal, an allocation, a call that does not
# return to Python for a while, where a module comes from, a transfer.
def test_crash(req, blocks):
    import ctypes

    ctypes.string_at(0)


def test_allocate(req, blocks):
    import numpy as np

    limit_memory(int(req.get("memory_limit", 0)))
    a = np.empty(int(req["bytes"]) // 8)  # RLIMIT_DATA refuses the mapping: no page is touched
    return {"ok": True, "bytes": a.nbytes}, []


def test_sleep(req, blocks):
    time.sleep(float(req["seconds"]))
    return {"ok": True}, []


def test_module_file(req, blocks):
    return {"ok": True, "file": bridge.module_file(req["name"])}, []


def test_receive(req, blocks):
    """Reads a matrix from the request, or from a file (a memfd of the sender, by path)."""
    import numpy as np

    if "path" in req:
        a = np.fromfile(req["path"], dtype=np.float64).reshape(req["shape"])
    else:
        a = blocks.matrix(req["shape"])
    return {"ok": True, "sum": float(a.sum())}, []


HANDLERS = {
    "start": start,
    "fit": fit,
    "convert": convert,
    "test_crash": test_crash,
    "test_allocate": test_allocate,
    "test_sleep": test_sleep,
    "test_module_file": test_module_file,
    "test_receive": test_receive,
}


def _adjust_oom_score():
    """The kernel's OOM killer picks this process before any PostgreSQL process."""
    try:
        with open("/proc/self/oom_score_adj", "w") as f:
            f.write("1000")
    except OSError:
        pass


def main():
    global _drain_buffer
    faulthandler.enable()  # a fatal signal prints the Python stack to stderr (the server log)
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _adjust_oom_score()
    _drain_buffer = bytearray(_DRAIN)
    inp = sys.stdin.buffer
    while True:
        # Between requests nothing is buffered (the backend waits for each reply), so the
        # descriptor tells whether a request is coming.
        if idle_exit > 0 and not select.select([0], [], [], idle_exit)[0]:
            return  # idle: give the memory back; the backend starts a new worker when needed
        req = read_frame(inp)
        if req is None:
            return  # the backend closed the pipe or exited
        blocks = Blocks(inp, req.get("blocks", []))
        try:
            handler = HANDLERS.get(req.get("op"))
            if handler is None:
                raise ValueError("unknown request %r" % req.get("op"))
            reply, data = handler(req, blocks)
        except Exception as e:  # noqa: BLE001  (MemoryError included)
            data = None
            reply = {"ok": False, "error": {"type": type(e).__name__, "message": str(e)}}
        if blocks.next < len(blocks.sizes):
            blocks.drain()
        if data is None:
            data = []
        write_frame(out, reply, data)
        del data, reply
