package catboost

import (
	"fmt"
	"math"
)

// lossKind is the objective a model is trained for; it also fixes how raw scores become
// predictions (model.go).
type lossKind uint8

const (
	lossRMSE lossKind = iota + 1
	lossMultiRMSE
	lossLogloss
	lossMultiClass
)

func parseLoss(name string) lossKind {
	switch name {
	case "RMSE":
		return lossRMSE
	case "MultiRMSE":
		return lossMultiRMSE
	case "Logloss":
		return lossLogloss
	case "MultiClass":
		return lossMultiClass
	}
	return 0
}

func (l lossKind) String() string {
	switch l {
	case lossRMSE:
		return "RMSE"
	case lossMultiRMSE:
		return "MultiRMSE"
	case lossLogloss:
		return "Logloss"
	case lossMultiClass:
		return "MultiClass"
	}
	return fmt.Sprintf("loss(%d)", uint8(l))
}

// defaultLeafIterations is CatBoost's number of Newton steps per leaf: 10 for Logloss (1 when
// there are fewer than 200 iterations and 20 features), 1 for the others.
func (l lossKind) defaultLeafIterations(iterations, features int) int {
	if l == lossLogloss && !(iterations < 200 && features < 20) {
		return 10
	}
	return 1
}

// targets are the labels in the form the loss reads: values (n×dims, regression) or class
// indexes (classification).
type targets struct {
	y     []float64
	class []int32
}

// baseline is the raw score every row starts from: the mean label when boosting from the
// average, zero otherwise.
func (l lossKind) baseline(t targets, n, dims int, fromAverage bool) []float64 {
	b := make([]float64, dims)
	if !fromAverage {
		return b
	}
	switch l {
	case lossRMSE, lossMultiRMSE:
		for i := 0; i < n; i++ {
			for k := 0; k < dims; k++ {
				b[k] += t.y[i*dims+k]
			}
		}
		for k := range b {
			b[k] /= float64(n)
		}
	case lossLogloss:
		ones := 0
		for _, c := range t.class {
			ones += int(c)
		}
		p := float64(ones) / float64(n)
		b[0] = math.Log(p / (1 - p))
	}
	return b
}

// derivatives writes, for rows [lo, hi), the negative gradient (CatBoost's first derivative
// of the log-likelihood) and the positive second derivative of the loss at approx, all
// n×dims row-major.
func (l lossKind) derivatives(t targets, approx, der, hess []float64, dims, lo, hi int) {
	switch l {
	case lossRMSE, lossMultiRMSE:
		for j := lo * dims; j < hi*dims; j++ {
			der[j] = t.y[j] - approx[j]
			hess[j] = 1
		}
	case lossLogloss:
		for i := lo; i < hi; i++ {
			p := sigmoid(approx[i])
			der[i] = float64(t.class[i]) - p
			hess[i] = math.Max(p*(1-p), 1e-16)
		}
	case lossMultiClass:
		for i := lo; i < hi; i++ {
			a := approx[i*dims : (i+1)*dims]
			m := a[0]
			for _, v := range a[1:] {
				m = math.Max(m, v)
			}
			var sum float64
			for k, v := range a {
				e := math.Exp(v - m)
				der[i*dims+k] = e
				sum += e
			}
			for k := range a {
				p := der[i*dims+k] / sum
				der[i*dims+k] = -p
				hess[i*dims+k] = math.Max(p*(1-p), 1e-16)
			}
			der[i*dims+int(t.class[i])] += 1
		}
	}
}

func sigmoid(a float64) float64 { return 1 / (1 + math.Exp(-a)) }
