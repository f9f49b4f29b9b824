package cluster

import (
	"fmt"
	"math"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// ExportedName is the modelfile header's name of an Exported clusterer: not an algorithm
// users train (the native registry only loads it) but the native form of a clusterer trained
// by the python runtime (issue 11).
const ExportedName = "sklearn_clusters"

// ExportedAlgorithms are the python runtime's clusterers an Exported stands for. The stored
// model names its algorithm by index in this list, so entries are only ever appended.
var ExportedAlgorithms = []string{"kmeans", "mini_batch_kmeans", "affinity_propagation", "mean_shift", "birch"}

// Exported labels a row as a fitted scikit-learn clusterer predicts: by its nearest centre
// (ties to the first), whose index is the label, or whose entry in labels is (Birch's
// subcluster_labels_ of its subcluster_centers_). Without centres (an AffinityPropagation
// that did not converge) every row is labelled −1, as scikit-learn does.
type Exported struct {
	algorithm   uint8
	numFeatures int
	centres     []float64
	labels      []float64 // nil: the centre's index
}

// NewExported checks a clusterer's exported centres (row-major) and labels (nil, or one per
// centre) and builds its native form.
func NewExported(algorithm string, numFeatures int, centres, labels []float64) (*Exported, error) {
	index := slices.Index(ExportedAlgorithms, algorithm)
	if index < 0 {
		return nil, fmt.Errorf("cluster: %q has no exported form", algorithm)
	}
	m := &Exported{algorithm: uint8(index), numFeatures: numFeatures, centres: centres, labels: labels}
	if err := m.check(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Exported) check() error {
	p := m.numFeatures
	if p < 1 || p > math.MaxInt32 || len(m.centres)%p != 0 {
		return fmt.Errorf("%s: %d centre values for %d features", m.Algorithm(), len(m.centres), p)
	}
	if m.labels != nil && len(m.labels) != len(m.centres)/p {
		return fmt.Errorf("%s: %d labels for %d centres", m.Algorithm(), len(m.labels), len(m.centres)/p)
	}
	for _, values := range [][]float64{m.centres, m.labels} {
		for i, v := range values {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: value %d is %v", m.Algorithm(), i, v)
			}
		}
	}
	return nil
}

func (m *Exported) Algorithm() string     { return ExportedAlgorithms[m.algorithm] }
func (m *Exported) Task() algorithms.Task { return algorithms.Clustering }
func (m *Exported) NumFeatures() int      { return m.numFeatures }
func (m *Exported) NumOutputs() int       { return 1 }

// Predict writes each row's label into dst.
func (m *Exported) Predict(dst, x []float64) {
	p := m.numFeatures
	if len(x) != len(dst)*p {
		panic(fmt.Sprintf("cluster: Predict of %d values into %d rows of %d features", len(x), len(dst), p))
	}
	for i := range dst {
		if len(m.centres) == 0 {
			dst[i] = -1
			continue
		}
		c, _ := nearestCentre(x[i*p:(i+1)*p], m.centres)
		dst[i] = float64(c)
		if m.labels != nil {
			dst[i] = m.labels[c]
		}
	}
}

// MarshalBinary implements algorithms.Model.
func (m *Exported) MarshalBinary() ([]byte, error) {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: ExportedName, Task: algorithms.Clustering})
	e.Uint8(m.algorithm)
	e.Uint32(uint32(m.numFeatures))
	e.Float64s(m.centres)
	hasLabels := uint8(0)
	if m.labels != nil {
		hasLabels = 1
	}
	e.Uint8(hasLabels)
	e.Float64s(m.labels)
	return e.Bytes(), e.Err()
}

// UnmarshalExported decodes the payload written by Exported.MarshalBinary.
func UnmarshalExported(payload []byte) (*Exported, error) {
	d := modelfile.NewDecoder(payload)
	m := &Exported{algorithm: d.Uint8(), numFeatures: int(d.Uint32()), centres: d.Float64s()}
	hasLabels := d.Uint8()
	labels := d.Float64s()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("%s payload: %w", ExportedName, err)
	}
	if int(m.algorithm) >= len(ExportedAlgorithms) || hasLabels > 1 {
		return nil, fmt.Errorf("%s payload: algorithm %d, labels flag %d", ExportedName, m.algorithm, hasLabels)
	}
	if hasLabels == 1 {
		m.labels = labels
		if m.labels == nil {
			m.labels = []float64{}
		}
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%s payload: %w", ExportedName, err)
	}
	return m, nil
}
