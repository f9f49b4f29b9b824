package sklearnkernels

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
)

// Laplace is one binary Gaussian process classifier's Laplace approximation (scikit-learn's
// _BinaryGaussianProcessClassifierLaplace), beside its expansion: the expansion's Coef is
// y_train_ − pi_, so that it computes the latent mean f* = Σᵢ k(x, X_train_ᵢ)·(yᵢ − πᵢ), and
// the latent variance is k(x, x) − |v|² with L·v = W_sr ∘ k(X_train_, x) (Algorithm 3.2 of
// Rasmussen and Williams's GPML, which scikit-learn's predict_proba follows).
type Laplace struct {
	WSr   []float64 // W_sr_: the square root of the likelihood's Hessian, one per point
	Lower []float64 // L_'s lower triangle, row by row: n(n+1)/2 values for n points
}

// laplaceLambdas and laplaceCoefs approximate the logistic sigmoid by five error functions
// (Williams and Barber; scikit-learn's gaussian_process/_gpc.py LAMBDAS and COEFS), which
// makes its integral against the latent Gaussian closed-form.
var (
	laplaceLambdas = [5]float64{0.41, 0.4, 0.37, 0.44, 0.39}
	laplaceCoefs   = [5]float64{-1854.8214151, 3516.89893646, 221.29346712, 128.12323805, -2010.49422654}
	laplaceHalfSum = 0.5 * (laplaceCoefs[0] + laplaceCoefs[1] + laplaceCoefs[2] + laplaceCoefs[3] + laplaceCoefs[4])
)

// isLaplace reports whether the model is a Gaussian process classifier.
func (m *Model) isLaplace() bool { return len(m.a.Laplace) != 0 }

// checkLaplace verifies a Gaussian process classifier: one binary machine for two classes,
// else one per class (one-vs-rest), each an expansion of width 1 with its Laplace factor.
func (m *Model) checkLaplace() error {
	a := &m.a
	k := len(a.Classes)
	machines := k
	if k == 2 {
		machines = 1
	}
	if k < 2 || k > maxClasses || len(a.Expansions) != machines || len(a.Laplace) != machines || len(a.Scale) != 0 || len(a.Offset) != 0 ||
		len(a.SupportCount) != 0 || len(a.ProbA) != 0 || len(a.ProbB) != 0 {
		return fmt.Errorf("sklearnkernels: a Gaussian process classifier of %d classes with %d expansions and %d Laplace factors", k, len(a.Expansions), len(a.Laplace))
	}
	if err := sortedClasses(a.Classes); err != nil {
		return err
	}
	for e, x := range a.Expansions {
		f := a.Laplace[e]
		n := len(x.Points) / a.NumFeatures
		if n < 1 || x.Width != 1 || x.Output != 0 || len(x.Coef) != n || len(x.Intercept) != 1 || len(f.WSr) != n || len(f.Lower) != n*(n+1)/2 {
			return fmt.Errorf("sklearnkernels: Gaussian process machine %d has %d points, %d coefficients, %d intercepts, %d W_sr values and %d triangle values",
				e, n, len(x.Coef), len(x.Intercept), len(f.WSr), len(f.Lower))
		}
		if err := allFinite("W_sr", f.WSr); err != nil {
			return err
		}
		if err := allFinite("Cholesky factor", f.Lower); err != nil {
			return err
		}
		for i, d := 0, 0; i < n; i, d = i+1, d+i+2 {
			if f.Lower[d] == 0 {
				return fmt.Errorf("sklearnkernels: Gaussian process machine %d has a singular Cholesky factor (row %d)", e, i)
			}
		}
	}
	return nil
}

// laplaceLatent is machine e's latent mean f* of row, and, when variance is asked for, its
// latent variance; kernel is scratch of one value per point.
func (m *Model) laplaceLatent(kernel []float64, e int, row []float64, variance bool) (mean, latentVariance float64) {
	x, f := &m.a.Expansions[e], &m.a.Laplace[e]
	kernel = kernel[:len(x.Coef)]
	m.kernelValues(kernel, e, row)
	for i, v := range kernel {
		mean += v * x.Coef[i]
	}
	if !variance {
		return mean, 0
	}
	// Forward substitution in place: kernel[j] holds v_j once row j of L is done.
	squares := 0.0
	lower := f.Lower
	for i := range kernel {
		l := lower[: i+1 : i+1]
		lower = lower[i+1:]
		v := (f.WSr[i]*kernel[i] - floats.Dot(l[:i], kernel[:i])) / l[i]
		kernel[i] = v
		squares += v * v
	}
	rowNorm := 0.0
	if x.Kernel.Type == Cosine {
		rowNorm = math.Sqrt(dot(row, row))
	}
	return mean, x.Kernel.eval(row, row, rowNorm, rowNorm) - squares
}

// laplaceProbability is ∫ σ(z) N(z | mean, variance) dz by the error functions' approximation,
// in the order scikit-learn's predict_proba computes it.
func laplaceProbability(mean, variance float64) float64 {
	alpha := 1 / (2 * variance)
	sum := 0.0
	for j, lambda := range laplaceLambdas {
		integral := math.Sqrt(math.Pi/alpha) * math.Erf(lambda*mean*math.Sqrt(alpha/(alpha+lambda*lambda))) / (2 * math.Sqrt(variance*2*math.Pi))
		sum += laplaceCoefs[j] * integral
	}
	return sum + laplaceHalfSum
}

// laplaceLanes is how many rows laplaceBlock solves together: the triangle, read from memory
// once per pass (n²/2 values: 7 MB for 1,348 training rows), serves that many rows, and each
// row's running sum is independent of the others'.
const laplaceLanes = 4

// laplaceScratch is a buffer of laplaceLanes values per point of the largest machine.
func (m *Model) laplaceScratch() *[]float64 {
	most := 0
	for _, x := range m.a.Expansions {
		most = max(most, len(x.Coef))
	}
	return m.buffer(most * laplaceLanes)
}

// laplaceBlock writes machine e's probability π of each of rows (one to laplaceLanes rows)
// into pi. buf is scratch of laplaceLanes values per point: the rows' kernel values,
// interleaved, which the forward substitution turns into their v in place.
func (m *Model) laplaceBlock(buf []float64, e int, rows, pi []float64) {
	p := m.a.NumFeatures
	count := len(rows) / p
	if count == 1 {
		pi[0] = laplaceProbability(m.laplaceLatent(buf, e, rows, true))
		return
	}
	x, f := &m.a.Expansions[e], &m.a.Laplace[e]
	n := len(x.Coef)
	v := buf[: n*laplaceLanes : n*laplaceLanes]
	var mean, self, squares [laplaceLanes]float64
	for r := 0; r < laplaceLanes; r++ {
		if r >= count {
			for i := 0; i < n; i++ {
				v[i*laplaceLanes+r] = 0
			}
			continue
		}
		row := rows[r*p : (r+1)*p]
		rowNorm := 0.0
		if x.Kernel.Type == Cosine {
			rowNorm = math.Sqrt(dot(row, row))
		}
		for i := 0; i < n; i++ {
			k := x.Kernel.eval(row, m.point(e, i), rowNorm, m.norms[e][i])
			v[i*laplaceLanes+r] = k
			mean[r] += k * x.Coef[i]
		}
		self[r] = x.Kernel.eval(row, row, rowNorm, rowNorm)
	}
	lower := f.Lower
	for i := 0; i < n; i++ {
		l := lower[: i+1 : i+1]
		lower = lower[i+1:]
		w := f.WSr[i]
		out := v[i*laplaceLanes : (i+1)*laplaceLanes : (i+1)*laplaceLanes]
		s0, s1, s2, s3 := w*out[0], w*out[1], w*out[2], w*out[3]
		done := v[: i*laplaceLanes : i*laplaceLanes]
		for j, lij := range l[:i] {
			c := done[j*laplaceLanes : (j+1)*laplaceLanes : (j+1)*laplaceLanes]
			s0 -= lij * c[0]
			s1 -= lij * c[1]
			s2 -= lij * c[2]
			s3 -= lij * c[3]
		}
		d := l[i]
		s0, s1, s2, s3 = s0/d, s1/d, s2/d, s3/d
		out[0], out[1], out[2], out[3] = s0, s1, s2, s3
		squares[0] += s0 * s0
		squares[1] += s1 * s1
		squares[2] += s2 * s2
		squares[3] += s3 * s3
	}
	for r := 0; r < count; r++ {
		pi[r] = laplaceProbability(mean[r], self[r]-squares[r])
	}
}

// predictLaplaceClasses is GaussianProcessClassifier's predict: with two classes the second
// where the latent mean is positive (the MAP decision, no probability needed); with more,
// OneVsRestClassifier's: the class whose machine gives the largest probability, ties going
// to the later class, and a NaN sticking as numpy's maximum keeps it.
func (m *Model) predictLaplaceClasses(dst, x []float64) {
	p := m.a.NumFeatures
	buf := m.laplaceScratch()
	defer m.scratch.Put(buf)
	if len(m.a.Classes) == 2 {
		for r := range dst {
			mean, _ := m.laplaceLatent(*buf, 0, x[r*p:(r+1)*p], false)
			dst[r] = m.a.Classes[0]
			if mean > 0 {
				dst[r] = m.a.Classes[1]
			}
		}
		return
	}
	var pi, most [laplaceLanes]float64
	var best [laplaceLanes]int
	for lo := 0; lo < len(dst); lo += laplaceLanes {
		count := min(laplaceLanes, len(dst)-lo)
		for r := range most {
			best[r], most[r] = 0, math.Inf(-1)
		}
		for e := range m.a.Expansions {
			m.laplaceBlock(*buf, e, x[lo*p:(lo+count)*p], pi[:])
			for r := 0; r < count; r++ {
				if math.IsNaN(most[r]) || math.IsNaN(pi[r]) {
					most[r] = math.NaN()
				} else if pi[r] > most[r] {
					most[r] = pi[r]
				}
				if most[r] == pi[r] {
					best[r] = e
				}
			}
		}
		for r := 0; r < count; r++ {
			dst[lo+r] = m.a.Classes[best[r]]
		}
	}
}

// predictLaplaceProba is GaussianProcessClassifier's predict_proba: 1 − π and π of the one
// machine of two classes, else every class's π divided by their sum (OneVsRestClassifier).
func (m *Model) predictLaplaceProba(dst, x []float64) {
	p, k := m.a.NumFeatures, len(m.a.Classes)
	buf := m.laplaceScratch()
	defer m.scratch.Put(buf)
	rows := len(x) / p
	var pi [laplaceLanes]float64
	for lo := 0; lo < rows; lo += laplaceLanes {
		count := min(laplaceLanes, rows-lo)
		block := x[lo*p : (lo+count)*p]
		if k == 2 {
			m.laplaceBlock(*buf, 0, block, pi[:])
			for r := 0; r < count; r++ {
				dst[(lo+r)*2], dst[(lo+r)*2+1] = 1-pi[r], pi[r]
			}
			continue
		}
		for e := range m.a.Expansions {
			m.laplaceBlock(*buf, e, block, pi[:])
			for r := 0; r < count; r++ {
				dst[(lo+r)*k+e] = pi[r]
			}
		}
		for r := 0; r < count; r++ {
			out := dst[(lo+r)*k : (lo+r+1)*k]
			sum := 0.0
			for _, v := range out {
				sum += v
			}
			for c := range out {
				out[c] /= sum
			}
		}
	}
}
