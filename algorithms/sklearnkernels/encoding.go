package sklearnkernels

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// maxExpansions bounds the expansions a stored model may declare before they are read.
const maxExpansions = 1 << 16

// MarshalBinary implements algorithms.Model: the exported arrays as they are kept.
func (m *Model) MarshalBinary() ([]byte, error) {
	a := &m.a
	enc := modelfile.NewEncoder(modelfile.Header{Algorithm: Name, Task: a.Task})
	size := 64 + 8*(len(a.Scale)+len(a.Offset)+len(a.Classes)+len(a.SupportCount)+len(a.ProbA)+len(a.ProbB))
	for _, x := range a.Expansions {
		size += 64 + 8*(len(x.Points)+len(x.Coef)+len(x.Intercept))
	}
	for _, f := range a.Laplace {
		size += 8 + 8*(len(f.WSr)+len(f.Lower))
	}
	enc.Grow(size)
	enc.Uint8(m.algorithm)
	enc.Uint32(uint32(a.NumFeatures))
	enc.Uint32(uint32(len(a.Expansions)))
	for _, x := range a.Expansions {
		enc.Uint8(uint8(x.Kernel.Type))
		enc.Float64(x.Kernel.Gamma)
		enc.Float64(x.Kernel.Coef0)
		enc.Float64(x.Kernel.Degree)
		enc.Float64(x.Kernel.Amplitude)
		enc.Uint32(uint32(x.Output))
		enc.Uint32(uint32(x.Width))
		enc.Float64s(x.Points)
		enc.Float64s(x.Coef)
		enc.Float64s(x.Intercept)
	}
	enc.Float64s(a.Scale)
	enc.Float64s(a.Offset)
	enc.Float64s(a.Classes)
	counts := make([]float64, len(a.SupportCount))
	for c, n := range a.SupportCount {
		counts[c] = float64(n)
	}
	enc.Float64s(counts)
	enc.Float64s(a.ProbA)
	enc.Float64s(a.ProbB)
	// A trailing section, absent from the other models (and from those stored before it).
	if len(a.Laplace) != 0 {
		enc.Uint32(uint32(len(a.Laplace)))
		for _, f := range a.Laplace {
			enc.Float64s(f.WSr)
			enc.Float64s(f.Lower)
		}
	}
	return enc.Bytes(), enc.Err()
}

// Unmarshal decodes the payload written by Model.MarshalBinary.
func Unmarshal(task algorithms.Task, payload []byte) (*Model, error) {
	d := modelfile.NewDecoder(payload)
	index := int(d.Uint8())
	a := Arrays{Task: task, NumFeatures: int(d.Uint32())}
	if n := int(d.Uint32()); d.Err() == nil {
		if n > maxExpansions || n > len(payload) {
			d.Fail(fmt.Errorf("%d expansions: %w", n, modelfile.ErrTruncated))
		} else {
			a.Expansions = make([]Expansion, n)
		}
	}
	for i := range a.Expansions {
		x := &a.Expansions[i]
		x.Kernel = Kernel{Type: KernelType(d.Uint8()), Gamma: d.Float64(), Coef0: d.Float64(), Degree: d.Float64(), Amplitude: d.Float64()}
		x.Output, x.Width = int(d.Uint32()), int(d.Uint32())
		x.Points, x.Coef, x.Intercept = d.Float64s(), d.Float64s(), d.Float64s()
	}
	a.Scale, a.Offset, a.Classes = d.Float64s(), d.Float64s(), d.Float64s()
	counts := d.Float64s()
	a.ProbA, a.ProbB = d.Float64s(), d.Float64s()
	if d.More() {
		if n := int(d.Uint32()); d.Err() == nil {
			if n == 0 {
				d.Fail(fmt.Errorf("sklearnkernels: a section of no Laplace factors"))
			} else if n > maxExpansions || n > len(payload) {
				d.Fail(fmt.Errorf("%d Laplace factors: %w", n, modelfile.ErrTruncated))
			} else {
				a.Laplace = make([]Laplace, n)
			}
		}
		for i := range a.Laplace {
			a.Laplace[i] = Laplace{WSr: d.Float64s(), Lower: d.Float64s()}
		}
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("exported kernel payload: %w", err)
	}
	if index >= len(Algorithms) {
		return nil, fmt.Errorf("exported kernel payload: algorithm %d", index)
	}
	a.Algorithm = Algorithms[index]
	for _, c := range counts {
		if !(c >= 0 && c <= math.MaxInt32) || c != math.Trunc(c) {
			return nil, fmt.Errorf("exported kernel payload: support count %v", c)
		}
		a.SupportCount = append(a.SupportCount, int(c))
	}
	return New(a)
}
