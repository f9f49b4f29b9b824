package penalized

import "math"

// sgdLoss is one of sklearn's SGD loss functions of the prediction p and
// the target y (±1 for classification).
type sgdLoss interface {
	loss(p, y float64) float64
	// dloss is the derivative of loss with respect to p.
	dloss(p, y float64) float64
}

// classificationLosses and regressionLosses are sklearn's loss names; the
// regression losses also serve classification, on ±1 targets.
var (
	classificationLosses = []string{"hinge", "log_loss", "modified_huber", "squared_hinge", "perceptron",
		"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"}
	regressionLosses = []string{"squared_error", "huber", "epsilon_insensitive", "squared_epsilon_insensitive"}
)

// newSGDLoss returns the loss called name; epsilon parametrises the huber
// and epsilon-insensitive losses as in sklearn.
func newSGDLoss(name string, epsilon float64) sgdLoss {
	switch name {
	case "hinge":
		return hingeLoss{threshold: 1}
	case "perceptron":
		return hingeLoss{threshold: 0}
	case "squared_hinge":
		return squaredHingeLoss{}
	case "log_loss":
		return logLoss{}
	case "modified_huber":
		return modifiedHuberLoss{}
	case "huber":
		return huberLoss{c: epsilon}
	case "epsilon_insensitive":
		return epsilonInsensitiveLoss{epsilon: epsilon}
	case "squared_epsilon_insensitive":
		return squaredEpsilonInsensitiveLoss{epsilon: epsilon}
	}
	return squaredLoss{}
}

type squaredLoss struct{}

func (squaredLoss) loss(p, y float64) float64  { return 0.5 * (p - y) * (p - y) }
func (squaredLoss) dloss(p, y float64) float64 { return p - y }

type hingeLoss struct{ threshold float64 }

func (l hingeLoss) loss(p, y float64) float64 {
	if z := p * y; z <= l.threshold {
		return l.threshold - z
	}
	return 0
}

func (l hingeLoss) dloss(p, y float64) float64 {
	if p*y <= l.threshold {
		return -y
	}
	return 0
}

type squaredHingeLoss struct{}

func (squaredHingeLoss) loss(p, y float64) float64 {
	if z := 1 - p*y; z > 0 {
		return z * z
	}
	return 0
}

func (squaredHingeLoss) dloss(p, y float64) float64 {
	if z := 1 - p*y; z > 0 {
		return -2 * y * z
	}
	return 0
}

type logLoss struct{}

// The cut-offs at ±18 are sklearn's: beyond them exp over- or underflows
// relative to 1 and the asymptotes are exact to double precision.
func (logLoss) loss(p, y float64) float64 {
	z := p * y
	switch {
	case z > 18:
		return math.Exp(-z)
	case z < -18:
		return -z
	}
	return math.Log1p(math.Exp(-z))
}

func (logLoss) dloss(p, y float64) float64 {
	z := p * y
	switch {
	case z > 18:
		return -y * math.Exp(-z)
	case z < -18:
		return -y
	}
	return -y / (math.Exp(z) + 1)
}

type modifiedHuberLoss struct{}

func (modifiedHuberLoss) loss(p, y float64) float64 {
	z := p * y
	switch {
	case z >= 1:
		return 0
	case z >= -1:
		return (1 - z) * (1 - z)
	}
	return -4 * z
}

func (modifiedHuberLoss) dloss(p, y float64) float64 {
	z := p * y
	switch {
	case z >= 1:
		return 0
	case z >= -1:
		return -2 * (1 - z) * y
	}
	return -4 * y
}

type huberLoss struct{ c float64 }

func (l huberLoss) loss(p, y float64) float64 {
	r := math.Abs(p - y)
	if r <= l.c {
		return 0.5 * r * r
	}
	return l.c*r - 0.5*l.c*l.c
}

func (l huberLoss) dloss(p, y float64) float64 {
	r := p - y
	switch {
	case math.Abs(r) <= l.c:
		return r
	case r > 0:
		return l.c
	}
	return -l.c
}

type epsilonInsensitiveLoss struct{ epsilon float64 }

func (l epsilonInsensitiveLoss) loss(p, y float64) float64 {
	return math.Max(0, math.Abs(y-p)-l.epsilon)
}

func (l epsilonInsensitiveLoss) dloss(p, y float64) float64 {
	switch {
	case y-p > l.epsilon:
		return -1
	case p-y > l.epsilon:
		return 1
	}
	return 0
}

type squaredEpsilonInsensitiveLoss struct{ epsilon float64 }

func (l squaredEpsilonInsensitiveLoss) loss(p, y float64) float64 {
	r := math.Max(0, math.Abs(y-p)-l.epsilon)
	return r * r
}

func (l squaredEpsilonInsensitiveLoss) dloss(p, y float64) float64 {
	z := y - p
	switch {
	case z > l.epsilon:
		return -2 * (z - l.epsilon)
	case z < -l.epsilon:
		return 2 * (-z - l.epsilon)
	}
	return 0
}
