package sklearnkernels

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// decisions writes libsvm's decision value of every pair (a, b), a < b, in the order
// (0,1), (0,2), …, (1,2), … into dec, given the row's kernel values (svm_predict_values).
func (m *Model) decisions(dec, kernel []float64) {
	x := m.a.Expansions[0]
	k, n := len(m.a.Classes), len(kernel)
	pair := 0
	for a := 0; a < k; a++ {
		for b := a + 1; b < k; b++ {
			sum := 0.0
			coefA, coefB := x.Coef[(b-1)*n:b*n], x.Coef[a*n:(a+1)*n]
			for i := m.supportStart[a]; i < m.supportStart[a+1]; i++ {
				sum += coefA[i] * kernel[i]
			}
			for i := m.supportStart[b]; i < m.supportStart[b+1]; i++ {
				sum += coefB[i] * kernel[i]
			}
			dec[pair] = sum + x.Intercept[pair]
			pair++
		}
	}
}

// classifierScratch splits one buffer into a row's kernel values, decision values and the
// k×k tables of the probabilities.
func (m *Model) classifierScratch() (buf *[]float64, kernel, dec, table []float64) {
	k := len(m.a.Classes)
	n := len(m.a.Expansions[0].Points) / m.a.NumFeatures
	pairs := k * (k - 1) / 2
	buf = m.buffer(n + pairs + 2*k*k + 3*k)
	b := *buf
	return buf, b[:n], b[n : n+pairs], b[n+pairs:]
}

// predictClasses is libsvm's one-vs-one vote: a positive decision votes for the first class
// of the pair, and the first class with the most votes wins (scikit-learn's predict, even
// with probability=True).
func (m *Model) predictClasses(dst, x []float64) {
	p, k := m.a.NumFeatures, len(m.a.Classes)
	buf, kernel, dec, votes := m.classifierScratch()
	defer m.scratch.Put(buf)
	votes = votes[:k]
	for r := range dst {
		m.kernelValues(kernel, 0, x[r*p:(r+1)*p])
		m.decisions(dec, kernel)
		clear(votes)
		pair := 0
		for a := 0; a < k; a++ {
			for b := a + 1; b < k; b++ {
				if dec[pair] > 0 {
					votes[a]++
				} else {
					votes[b]++
				}
				pair++
			}
		}
		best := 0
		for c := range votes {
			if votes[c] > votes[best] {
				best = c
			}
		}
		dst[r] = m.a.Classes[best]
	}
}

// PredictProbaChecked is PredictProba for callers that cannot guarantee shapes.
func (m *Model) PredictProbaChecked(dst, x []float64) error {
	if !m.HasPredictProba() {
		return fmt.Errorf("the %s model of this project does not predict probabilities", m.Algorithm())
	}
	return algorithms.PredictProba(m, dst, x)
}

// minProbability bounds libsvm's pairwise probabilities away from 0 and 1.
const minProbability = 1e-7

// PredictProba implements algorithms.Classifier: libsvm's svm_predict_probability.
func (m *Model) PredictProba(dst, x []float64) {
	p, k := m.a.NumFeatures, len(m.a.Classes)
	rows := len(x) / p
	if !m.HasPredictProba() || rows*p != len(x) || len(dst) != rows*k {
		panic(fmt.Sprintf("sklearnkernels: PredictProba with %d values for %d features into %d probabilities", len(x), p, len(dst)))
	}
	if m.isLaplace() {
		m.predictLaplaceProba(dst, x)
		return
	}
	buf, kernel, dec, table := m.classifierScratch()
	defer m.scratch.Put(buf)
	pairwise, q, qp := table[:k*k], table[k*k:2*k*k], table[2*k*k:2*k*k+k]
	for r := 0; r < rows; r++ {
		m.kernelValues(kernel, 0, x[r*p:(r+1)*p])
		m.decisions(dec, kernel)
		pair := 0
		for a := 0; a < k; a++ {
			for b := a + 1; b < k; b++ {
				v := min(max(sigmoidPredict(dec[pair], m.a.ProbA[pair], m.a.ProbB[pair]), minProbability), 1-minProbability)
				pairwise[a*k+b], pairwise[b*k+a] = v, 1-v
				pair++
			}
		}
		// scikit-learn's libsvm couples two classes by the iterations too (libsvm 3.25 later
		// took the pair's probability as it is).
		multiclassProbability(k, pairwise, q, qp, dst[r*k:(r+1)*k])
	}
}

// sigmoidPredict is libsvm's Platt sigmoid 1 / (1 + exp(A·f + B)), computed without overflow.
func sigmoidPredict(decision, a, b float64) float64 {
	fApB := decision*a + b
	if fApB >= 0 {
		return math.Exp(-fApB) / (1 + math.Exp(-fApB))
	}
	return 1 / (1 + math.Exp(fApB))
}

// multiclassProbability is libsvm's multiclass_probability (Wu, Lin and Weng's second
// method): the class probabilities p that best fit the pairwise ones r (k×k, r[i][j] the
// probability of i against j), by the same fixed-point iterations and stopping rule. q (k×k)
// and qp (k) are scratch.
func multiclassProbability(k int, r, q, qp, p []float64) {
	maxIter := max(100, k)
	eps := 0.005 / float64(k)
	for t := 0; t < k; t++ {
		p[t] = 1 / float64(k)
		q[t*k+t] = 0
		for j := 0; j < t; j++ {
			q[t*k+t] += r[j*k+t] * r[j*k+t]
			q[t*k+j] = q[j*k+t]
		}
		for j := t + 1; j < k; j++ {
			q[t*k+t] += r[j*k+t] * r[j*k+t]
			q[t*k+j] = -r[j*k+t] * r[t*k+j]
		}
	}
	for iter := 0; iter < maxIter; iter++ {
		// The stopping condition recomputes Qp and pQp for numerical accuracy, as libsvm does.
		pQp := 0.0
		for t := 0; t < k; t++ {
			qp[t] = 0
			for j := 0; j < k; j++ {
				qp[t] += q[t*k+j] * p[j]
			}
			pQp += p[t] * qp[t]
		}
		maxError := 0.0
		for t := 0; t < k; t++ {
			maxError = max(maxError, math.Abs(qp[t]-pQp))
		}
		if maxError < eps {
			break
		}
		for t := 0; t < k; t++ {
			diff := (-qp[t] + pQp) / q[t*k+t]
			p[t] += diff
			pQp = (pQp + diff*(diff*q[t*k+t]+2*qp[t])) / (1 + diff) / (1 + diff)
			for j := 0; j < k; j++ {
				qp[j] = (qp[j] + diff*q[t*k+j]) / (1 + diff)
				p[j] /= 1 + diff
			}
		}
	}
}
