package pybridge

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
	"unsafe"
)

// The worker protocol (worker.py describes it from the other side): a frame is 8 bytes --
// frameMagic and the length of a JSON header, both uint32 little-endian -- then the header,
// then the binary blocks whose byte sizes the header lists under "blocks". Matrices travel as
// their raw float64 bytes, so this side must be little-endian (every platform pgml builds on).

// frameMagic is b"PGML" read as a little-endian uint32 (worker.py's MAGIC).
const frameMagic = 0x4C4D4750

// maxHeaderBytes bounds a reply header: headers carry descriptions, never data.
const maxHeaderBytes = 64 << 20

// maxBlockBytes bounds one reply block (a pickle, a prediction matrix).
const maxBlockBytes = 1 << 40

// ioPoll bounds how long a blocked pipe read or write goes without looking at ctx.
const ioPoll = 10 * time.Millisecond

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// errWorkerGone is a read or write that failed because the worker's end of a pipe closed.
var errWorkerGone = errors.New("the python worker closed its pipe")

// float64Bytes is v's memory as bytes (no copy).
func float64Bytes(v []float64) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*8)
}

// blockBytes allocates n bytes in float64 storage, so that a block can be read as bytes and
// used as []float64 (alignedFloat64s) without a copy.
func blockBytes(n int) []byte {
	return float64Bytes(make([]float64, (n+7)/8))[:n]
}

// alignedFloat64s is a block from blockBytes as float64 values.
func alignedFloat64s(b []byte) []float64 {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/8)
}

// writeAll writes b to f, looking at ctx every ioPoll while the pipe is full.
func writeAll(ctx context.Context, f *os.File, b []byte) error {
	for len(b) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f.SetWriteDeadline(time.Now().Add(ioPoll)); err != nil {
			return err
		}
		n, err := f.Write(b)
		b = b[n:]
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("%w: %v", errWorkerGone, err)
		}
	}
	return nil
}

// readFull fills b from f, looking at ctx every ioPoll while the pipe is empty.
func readFull(ctx context.Context, f *os.File, b []byte) error {
	for len(b) > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := f.SetReadDeadline(time.Now().Add(ioPoll)); err != nil {
			return err
		}
		n, err := f.Read(b)
		b = b[n:]
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("%w: %v", errWorkerGone, err)
		}
	}
	return nil
}

// writeFrame sends header (with "blocks" set to the blocks' sizes) and the blocks.
func writeFrame(ctx context.Context, f *os.File, header map[string]any, blocks ...[]byte) error {
	sizes := make([]int, len(blocks))
	for i, b := range blocks {
		sizes[i] = len(b)
	}
	header["blocks"] = sizes
	body, err := json.Marshal(header)
	if err != nil {
		return err
	}
	head := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, frameMagic), uint32(len(body)))
	if err := writeAll(ctx, f, append(head, body...)); err != nil {
		return err
	}
	for _, b := range blocks {
		if err := writeAll(ctx, f, b); err != nil {
			return err
		}
	}
	return nil
}

// reply is what every reply header holds; the rest is the request's own.
type reply struct {
	OK     bool  `json:"ok"`
	Blocks []int `json:"blocks"`
	Error  *struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
}

// readFrame reads a reply: its header (for the caller to decode further) and its blocks.
// A reply with ok false is returned as a *PythonError.
func readFrame(ctx context.Context, f *os.File) (json.RawMessage, [][]byte, error) {
	var head [8]byte
	if err := readFull(ctx, f, head[:]); err != nil {
		return nil, nil, err
	}
	if magic := binary.LittleEndian.Uint32(head[:4]); magic != frameMagic {
		return nil, nil, fmt.Errorf("pybridge: the python worker sent a frame starting %#x, not the protocol's magic", magic)
	}
	n := binary.LittleEndian.Uint32(head[4:])
	if n > maxHeaderBytes {
		return nil, nil, fmt.Errorf("pybridge: the python worker sent a %d-byte header", n)
	}
	body := make([]byte, n)
	if err := readFull(ctx, f, body); err != nil {
		return nil, nil, err
	}
	var r reply
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, nil, fmt.Errorf("pybridge: the python worker sent a bad header %q: %w", body, err)
	}
	blocks := make([][]byte, len(r.Blocks))
	for i, size := range r.Blocks {
		if size < 0 || size > maxBlockBytes {
			return nil, nil, fmt.Errorf("pybridge: the python worker announced a block of %d bytes", size)
		}
		blocks[i] = blockBytes(size)
		if err := readFull(ctx, f, blocks[i]); err != nil {
			return nil, nil, err
		}
	}
	if !r.OK {
		if r.Error == nil {
			return nil, nil, &PythonError{Type: "SystemError", Message: "the python worker failed without a message"}
		}
		return nil, nil, &PythonError{Type: r.Error.Type, Message: r.Error.Message}
	}
	return body, blocks, nil
}
