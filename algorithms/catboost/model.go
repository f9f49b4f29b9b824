package catboost

import (
	"math"

	"github.com/pgml-go/pgml/algorithms"
)

// ensemble is a trained sequence of symmetric trees, flat: tree t's level l splits on
// feature splitFeature[t·depth+l] at splitBorder[t·depth+l], and its leaf with index
// bits (one per level, level l is bit l) holds dims values at leafValues[(t·2^depth+index)·dims].
type ensemble struct {
	loss         lossKind
	numFeatures  int
	dims         int
	depth        int
	baseline     []float64
	splitFeature []int32
	splitBorder  []float64
	leafValues   []float64
	// ctrs are the target statistics of the categorical features; splitCtr[t·depth+l] is the
	// index into ctrs of the feature split on, or −1 for a numeric feature. Both are empty
	// without categorical features, which keeps the evaluation a plain comparison.
	ctrs     []ctrTable
	splitCtr []int32
}

// addTree appends a tree grown on the quantized data, turning border indexes into values.
func (e *ensemble) addTree(splits []split, q *quantized, values []float64) {
	for _, sp := range splits {
		if sp.feature < 0 {
			e.splitFeature = append(e.splitFeature, 0)
			e.splitBorder = append(e.splitBorder, math.Inf(1))
			if len(e.ctrs) > 0 {
				e.splitCtr = append(e.splitCtr, -1)
			}
			continue
		}
		e.splitFeature = append(e.splitFeature, int32(sp.feature))
		e.splitBorder = append(e.splitBorder, q.borders[sp.feature][sp.border])
		if len(e.ctrs) > 0 {
			e.splitCtr = append(e.splitCtr, int32(ctrSlot(e.ctrs, sp.feature)))
		}
	}
	e.leafValues = append(e.leafValues, values...)
}

func (e *ensemble) trees() int { return len(e.splitFeature) / e.depth }

// raw adds the trees' values for one row to dst (dims values, starting at the baseline).
func (e *ensemble) raw(dst, row []float64) {
	copy(dst, e.baseline)
	depth, dims := e.depth, e.dims
	features, borders, values := e.splitFeature, e.splitBorder, e.leafValues
	leaves := 1 << depth
	if len(e.splitCtr) > 0 {
		e.rawCategorical(dst, row)
		return
	}
	if depth == 6 { // CatBoost's default, unrolled
		if dims == 1 {
			sum := dst[0]
			for t, s := 0, 0; s+6 <= len(features); t, s = t+1, s+6 {
				sum += values[t<<6|leafIndex6(row, features[s:s+6:s+6], borders[s:s+6:s+6])]
			}
			dst[0] = sum
			return
		}
		for t, s := 0, 0; s+6 <= len(features); t, s = t+1, s+6 {
			leaf := (t<<6 | leafIndex6(row, features[s:s+6:s+6], borders[s:s+6:s+6])) * dims
			for k, v := range values[leaf : leaf+dims] {
				dst[k] += v
			}
		}
		return
	}
	if dims == 1 {
		sum := dst[0]
		for t, s := 0, 0; s < len(features); t, s = t+1, s+depth {
			sum += values[t*leaves+leafIndex(row, features[s:s+depth], borders[s:s+depth])]
		}
		dst[0] = sum
		return
	}
	for t, s := 0, 0; s < len(features); t, s = t+1, s+depth {
		leaf := (t*leaves + leafIndex(row, features[s:s+depth], borders[s:s+depth])) * dims
		for k, v := range values[leaf : leaf+dims] {
			dst[k] += v
		}
	}
}

// leafIndex evaluates one symmetric tree: level l's comparison is bit l of the index. The
// levels are visited from the last, shifting the index left, so that no shift count is
// variable; the comparisons do not depend on each other.
func leafIndex(row []float64, features []int32, borders []float64) int {
	index := 0
	borders = borders[:len(features)]
	for l := len(features) - 1; l >= 0; l-- {
		index = index<<1 | b2i(row[features[l]] > borders[l])
	}
	return index
}

// rawCategorical is raw for models with categorical features: a split on one compares the
// statistic of the row's category instead of its code.
func (e *ensemble) rawCategorical(dst, row []float64) {
	depth, dims, leaves := e.depth, e.dims, 1<<e.depth
	for t, s := 0, 0; s < len(e.splitFeature); t, s = t+1, s+e.depth {
		index := 0
		for l := 0; l < depth; l++ {
			v := row[e.splitFeature[s+l]]
			if c := e.splitCtr[s+l]; c >= 0 {
				v = e.ctrs[c].value(v)
			}
			index |= b2i(v > e.splitBorder[s+l]) << l
		}
		leaf := e.leafValues[(t*leaves+index)*dims : (t*leaves+index+1)*dims]
		for k, v := range leaf {
			dst[k] += v
		}
	}
}

// leafIndex6 is leafIndex for a tree of depth 6, written out.
func leafIndex6(row []float64, f []int32, b []float64) int {
	b = b[:6]
	f = f[:6]
	return b2i(row[f[0]] > b[0]) | b2i(row[f[1]] > b[1])<<1 | b2i(row[f[2]] > b[2])<<2 |
		b2i(row[f[3]] > b[3])<<3 | b2i(row[f[4]] > b[4])<<4 | b2i(row[f[5]] > b[5])<<5
}

// b2i compiles to a flag-setting instruction, not a branch.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Regressor predicts one value per label column.
type Regressor struct{ ensemble }

func (m *Regressor) Algorithm() string     { return Algorithm }
func (m *Regressor) Task() algorithms.Task { return algorithms.Regression }
func (m *Regressor) NumFeatures() int      { return m.numFeatures }
func (m *Regressor) NumOutputs() int       { return m.dims }

// Predict implements algorithms.Model.
func (m *Regressor) Predict(dst, x []float64) {
	p, k := m.numFeatures, m.dims
	rows := len(x) / p
	if len(x) != rows*p || len(dst) != rows*k {
		panic("catboost: Predict with mismatched lengths")
	}
	for i := 0; i < rows; i++ {
		m.raw(dst[i*k:(i+1)*k], x[i*p:(i+1)*p])
	}
}

// Classifier predicts class labels and probabilities.
type Classifier struct {
	ensemble
	classes []float64
}

func (m *Classifier) Algorithm() string     { return Algorithm }
func (m *Classifier) Task() algorithms.Task { return algorithms.Classification }
func (m *Classifier) NumFeatures() int      { return m.numFeatures }
func (m *Classifier) NumOutputs() int       { return 1 }
func (m *Classifier) Classes() []float64    { return m.classes }

// maxStackClasses is the number of classes whose raw scores Predict keeps on the stack.
const maxStackClasses = 64

// Predict writes the most probable class of each row.
func (m *Classifier) Predict(dst, x []float64) {
	p := m.numFeatures
	rows := len(x) / p
	if len(x) != rows*p || len(dst) != rows {
		panic("catboost: Predict with mismatched lengths")
	}
	var stack [maxStackClasses]float64
	var raw []float64
	if m.dims <= maxStackClasses {
		raw = stack[:m.dims]
	} else {
		raw = make([]float64, m.dims)
	}
	for i := 0; i < rows; i++ {
		m.raw(raw, x[i*p:(i+1)*p])
		if m.dims == 1 {
			dst[i] = m.classes[b2i(raw[0] > 0)]
			continue
		}
		best := 0
		for k, v := range raw {
			if v > raw[best] {
				best = k
			}
		}
		dst[i] = m.classes[best]
	}
}

// PredictProba writes the probability of every class per row: the sigmoid of the raw
// score for two classes, the softmax of the raw scores above.
func (m *Classifier) PredictProba(dst, x []float64) {
	p, K := m.numFeatures, len(m.classes)
	rows := len(x) / p
	if len(x) != rows*p || len(dst) != rows*K {
		panic("catboost: PredictProba with mismatched lengths")
	}
	for i := 0; i < rows; i++ {
		out := dst[i*K : (i+1)*K]
		if m.dims == 1 {
			var raw [1]float64
			m.raw(raw[:], x[i*p:(i+1)*p])
			out[1] = sigmoid(raw[0])
			out[0] = 1 - out[1]
			continue
		}
		m.raw(out, x[i*p:(i+1)*p])
		softmax(out)
	}
}

func softmax(v []float64) {
	top := v[0]
	for _, a := range v[1:] {
		top = math.Max(top, a)
	}
	var sum float64
	for k, a := range v {
		v[k] = math.Exp(a - top)
		sum += v[k]
	}
	for k := range v {
		v[k] /= sum
	}
}
