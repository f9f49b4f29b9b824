package svm

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// The payloads of both models start with the kernel and the number of
// features; the support vectors, dual coefficients and thresholds follow as
// length-prefixed float64 arrays, so that a corrupt length is caught by the
// decoder before anything is allocated.

func encodeKernel(e *modelfile.Encoder, k Kernel, numFeatures int) {
	e.Uint8(uint8(k.Type))
	e.Uint32(uint32(k.Degree))
	e.Float64(k.Gamma)
	e.Float64(k.Coef0)
	e.Uint32(uint32(numFeatures))
}

func decodeKernel(d *modelfile.Decoder) (k Kernel, numFeatures int) {
	k.Type = KernelType(d.Uint8())
	k.Degree = int(d.Uint32())
	k.Gamma = d.Float64()
	k.Coef0 = d.Float64()
	return k, int(d.Uint32())
}

func checkKernel(k Kernel, numFeatures int) error {
	if err := k.validate(); err != nil {
		return err
	}
	if numFeatures < 1 || numFeatures > math.MaxInt32 {
		return fmt.Errorf("invalid number of features %d", numFeatures)
	}
	return nil
}

func allFinite(name string, v []float64) error {
	for i, f := range v {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s[%d] is %v", name, i, f)
		}
	}
	return nil
}
