package svm

import (
	"fmt"
	"math"
)

// KernelType selects the kernel function k(x, z).
type KernelType uint8

const (
	// Linear is x·z.
	Linear KernelType = iota + 1
	// Polynomial is (gamma·x·z + coef0)^degree.
	Polynomial
	// RBF is exp(−gamma·|x − z|²).
	RBF
	// Sigmoid is tanh(gamma·x·z + coef0).
	Sigmoid
)

// String returns sklearn's name of the kernel.
func (k KernelType) String() string {
	switch k {
	case Linear:
		return "linear"
	case Polynomial:
		return "poly"
	case RBF:
		return "rbf"
	case Sigmoid:
		return "sigmoid"
	}
	return fmt.Sprintf("KernelType(%d)", int(k))
}

func parseKernelType(s string) (KernelType, bool) {
	for k := Linear; k <= Sigmoid; k++ {
		if k.String() == s {
			return k, true
		}
	}
	return 0, false
}

// Kernel is a kernel function with its resolved parameters; gamma is a
// number here, "scale" and "auto" having been evaluated on the training data.
type Kernel struct {
	Type   KernelType
	Degree int
	Gamma  float64
	Coef0  float64
}

// validate rejects parameters no fit produces, so that a corrupt model file
// cannot yield a kernel that predicts garbage.
func (k Kernel) validate() error {
	if k.Type < Linear || k.Type > Sigmoid {
		return fmt.Errorf("unknown kernel %d", int(k.Type))
	}
	if k.Degree < 0 || !(k.Gamma >= 0) || math.IsInf(k.Gamma, 0) || math.IsNaN(k.Coef0) || math.IsInf(k.Coef0, 0) {
		return fmt.Errorf("invalid %v kernel parameters (degree %d, gamma %v, coef0 %v)", k.Type, k.Degree, k.Gamma, k.Coef0)
	}
	return nil
}

// eval is k(x, z); xx and zz are |x|² and |z|², which the RBF kernel
// expands |x − z|² into, as libsvm does, so a row costs one dot product per
// point.
func (k Kernel) eval(x, z []float64, xx, zz float64) float64 {
	d := dot(x, z)
	switch k.Type {
	case Linear:
		return d
	case Polynomial:
		return powInt(k.Gamma*d+k.Coef0, k.Degree)
	case RBF:
		return math.Exp(-k.Gamma * (xx + zz - 2*d))
	default:
		return math.Tanh(k.Gamma*d + k.Coef0)
	}
}

// powInt is b^n by squaring, like libsvm's powi (math.Pow is much slower
// and the degree is a small integer).
func powInt(b float64, n int) float64 {
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r *= b
		}
		b *= b
	}
	return r
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// squaredNorms returns |row|² of every row of the n×p row-major x.
func squaredNorms(x []float64, p int) []float64 {
	n := len(x) / p
	out := make([]float64, n)
	for i := range out {
		r := x[i*p : (i+1)*p]
		out[i] = dot(r, r)
	}
	return out
}
