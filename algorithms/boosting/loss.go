package boosting

import "math"

// loss is the objective a model's raw scores minimise.
type loss int

const (
	// squaredError fits each regression target with its own trees.
	squaredError loss = iota + 1
	// binaryLogLoss scores the larger of two classes with one tree per
	// iteration.
	binaryLogLoss
	// softmaxLoss scores each of K > 2 classes with its own tree per
	// iteration.
	softmaxLoss
)

// targets are the training labels in the form a loss needs: y row-major
// (rows × outputs) for regression, or the index of each row's class.
type targets struct {
	y     []float64
	class []int32
}

// baseline returns the constant raw scores the ensemble starts from: the
// target means, the log-odds of the larger class, or the centred log priors,
// as sklearn does.
func (l loss) baseline(t targets, rows, outputs int) []float64 {
	base := make([]float64, outputs)
	switch l {
	case squaredError:
		for i := 0; i < rows; i++ {
			for k := range base {
				base[k] += t.y[i*outputs+k]
			}
		}
		for k := range base {
			base[k] /= float64(rows)
		}
	case binaryLogLoss:
		var positives float64
		for _, c := range t.class {
			positives += float64(c)
		}
		p := positives / float64(rows)
		base[0] = math.Log(p / (1 - p))
	case softmaxLoss:
		counts := make([]float64, outputs)
		for _, c := range t.class {
			counts[c]++
		}
		var mean float64
		for k, n := range counts {
			base[k] = math.Log(n / float64(rows))
			mean += base[k]
		}
		for k := range base {
			base[k] -= mean / float64(outputs)
		}
	}
	return base
}

// gradients writes the first and second derivatives of the loss with respect
// to the raw scores of rows [lo, hi): grad[k*rows+i] for output k of row i.
// raw is row-major (rows × outputs).
func (l loss) gradients(t targets, raw, grad, hess []float64, rows, outputs, lo, hi int) {
	switch l {
	case squaredError:
		for i := lo; i < hi; i++ {
			for k := 0; k < outputs; k++ {
				grad[k*rows+i] = raw[i*outputs+k] - t.y[i*outputs+k]
				hess[k*rows+i] = 1
			}
		}
	case binaryLogLoss:
		for i := lo; i < hi; i++ {
			p := sigmoid(raw[i])
			grad[i] = p - float64(t.class[i])
			hess[i] = p * (1 - p)
		}
	case softmaxLoss:
		var probs [256]float64
		p := probs[:0]
		if outputs > len(probs) {
			p = make([]float64, 0, outputs)
		}
		p = p[:outputs]
		for i := lo; i < hi; i++ {
			copy(p, raw[i*outputs:(i+1)*outputs])
			softmax(p)
			for k, pk := range p {
				g := pk
				if int32(k) == t.class[i] {
					g--
				}
				grad[k*rows+i] = g
				hess[k*rows+i] = pk * (1 - pk)
			}
		}
	}
}

// logLoss is the mean training loss of raw, used by tests to check that
// boosting descends.
func (l loss) logLoss(t targets, raw []float64, rows, outputs int) float64 {
	var sum float64
	for i := 0; i < rows; i++ {
		switch l {
		case squaredError:
			for k := 0; k < outputs; k++ {
				d := raw[i*outputs+k] - t.y[i*outputs+k]
				sum += d * d / 2
			}
		case binaryLogLoss:
			// log(1+e^a) − y·a, computed stably.
			a := raw[i]
			sum += math.Max(a, 0) + math.Log1p(math.Exp(-math.Abs(a))) - float64(t.class[i])*a
		case softmaxLoss:
			scores := raw[i*outputs : (i+1)*outputs]
			top := math.Inf(-1)
			for _, s := range scores {
				top = math.Max(top, s)
			}
			var z float64
			for _, s := range scores {
				z += math.Exp(s - top)
			}
			sum += top + math.Log(z) - scores[t.class[i]]
		}
	}
	return sum / float64(rows)
}

func sigmoid(a float64) float64 {
	if a >= 0 {
		return 1 / (1 + math.Exp(-a))
	}
	e := math.Exp(a)
	return e / (1 + e)
}

// softmax replaces scores by their softmax in place.
func softmax(scores []float64) {
	top := math.Inf(-1)
	for _, s := range scores {
		top = math.Max(top, s)
	}
	var sum float64
	for k, s := range scores {
		scores[k] = math.Exp(s - top)
		sum += scores[k]
	}
	for k := range scores {
		scores[k] /= sum
	}
}
