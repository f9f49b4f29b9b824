package sklearnkernels

import (
	"fmt"
	"math"
)

// KernelType is one of scikit-learn's kernel functions k(x, z).
type KernelType uint8

const (
	// Linear is x·z.
	Linear KernelType = iota
	// Polynomial is (gamma·x·z + coef0)^degree.
	Polynomial
	// RBF is exp(−gamma·|x − z|²).
	RBF
	// Laplacian is exp(−gamma·Σ|x − z|).
	Laplacian
	// Sigmoid is tanh(gamma·x·z + coef0).
	Sigmoid
	// Cosine is x·z / (|x|·|z|), 0 when either is 0.
	Cosine
	// Chi2 is exp(gamma·AdditiveChi2).
	Chi2
	// AdditiveChi2 is −Σ (x − z)² / (x + z) over the features where x + z ≠ 0, for
	// non-negative rows (scikit-learn refuses negative ones; here they give NaN).
	AdditiveChi2
	numKernels
)

// KernelNames are scikit-learn's names of the kernels, by KernelType.
var KernelNames = [numKernels]string{"linear", "poly", "rbf", "laplacian", "sigmoid", "cosine", "chi2", "additive_chi2"}

// KernelOf is the type of a kernel named as pairwise_kernels or libsvm name it.
func KernelOf(name string) (KernelType, bool) {
	if name == "polynomial" {
		return Polynomial, true
	}
	for k, n := range KernelNames {
		if n == name {
			return KernelType(k), true
		}
	}
	return 0, false
}

func (k KernelType) String() string {
	if k < numKernels {
		return KernelNames[k]
	}
	return fmt.Sprintf("KernelType(%d)", int(k))
}

// Kernel is a kernel function with its fitted parameters, times Amplitude (a Gaussian
// process's ConstantKernel; 1 otherwise).
type Kernel struct {
	Type      KernelType
	Gamma     float64
	Coef0     float64
	Degree    float64
	Amplitude float64
}

func (k Kernel) validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	if k.Type >= numKernels || !finite(k.Gamma) || !finite(k.Coef0) || !finite(k.Degree) || !finite(k.Amplitude) {
		return fmt.Errorf("sklearnkernels: invalid %v kernel (gamma %g, coef0 %g, degree %g, amplitude %g)",
			k.Type, k.Gamma, k.Coef0, k.Degree, k.Amplitude)
	}
	return nil
}

// eval is k(x, z); xNorm and zNorm are |x| and |z|, which only the cosine kernel uses.
func (k Kernel) eval(x, z []float64, xNorm, zNorm float64) float64 {
	z = z[:len(x)]
	var v float64
	switch k.Type {
	case Linear:
		v = dot(x, z)
	case Polynomial:
		v = power(k.Gamma*dot(x, z)+k.Coef0, k.Degree)
	case RBF:
		// libsvm and scipy's cdist sum the squared differences (not |x|²+|z|²−2x·z).
		s := 0.0
		for i, a := range x {
			d := a - z[i]
			s += d * d
		}
		v = math.Exp(-k.Gamma * s)
	case Laplacian:
		s := 0.0
		for i, a := range x {
			s += math.Abs(a - z[i])
		}
		v = math.Exp(-k.Gamma * s)
	case Sigmoid:
		v = math.Tanh(k.Gamma*dot(x, z) + k.Coef0)
	case Cosine:
		// sklearn.preprocessing.normalize leaves a zero row as it is.
		v = dot(x, z) / (nonZero(xNorm) * nonZero(zNorm))
	case Chi2:
		v = math.Exp(k.Gamma * additiveChi2(x, z))
	case AdditiveChi2:
		v = additiveChi2(x, z)
	}
	return k.Amplitude * v
}

func nonZero(norm float64) float64 {
	if norm == 0 {
		return 1
	}
	return norm
}

// additiveChi2 is sklearn's _chi2_kernel_fast of one pair of rows.
func additiveChi2(x, z []float64) float64 {
	s := 0.0
	for i, a := range x {
		if a < 0 || z[i] < 0 {
			return math.NaN()
		}
		if d := a + z[i]; d != 0 {
			n := a - z[i]
			s += n * n / d
		}
	}
	return -s
}

// power is b^e; an integral exponent is computed by squaring as libsvm's powi does.
func power(b, e float64) float64 {
	if e >= 0 && e <= 64 && e == math.Trunc(e) {
		r := 1.0
		for n := int(e); n > 0; n >>= 1 {
			if n&1 == 1 {
				r *= b
			}
			b *= b
		}
		return r
	}
	return math.Pow(b, e)
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
