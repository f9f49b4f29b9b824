package cluster

import (
	"fmt"
	"math"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
)

// Both payloads are the number of features, the inertia and the centres as
// a length-prefixed float64 array; KMeans adds its iteration count and
// MiniBatchKMeans its step count.

func (m *centroids) encode(name string, extra uint32) []byte {
	e := modelfile.NewEncoder(modelfile.Header{Algorithm: name, Task: algorithms.Clustering})
	e.Uint32(uint32(m.numFeatures))
	e.Float64(m.inertia)
	e.Float64s(m.centres)
	e.Uint32(extra)
	return e.Bytes()
}

func decodeCentroids(name string, payload []byte) (centroids, uint32, error) {
	d := modelfile.NewDecoder(payload)
	m := centroids{numFeatures: int(d.Uint32())}
	m.inertia = d.Float64()
	m.centres = d.Float64s()
	extra := d.Uint32()
	if err := d.Finish(); err != nil {
		return m, 0, fmt.Errorf("%s payload: %w", name, err)
	}
	if m.numFeatures < 1 || m.numFeatures > math.MaxInt32 {
		return m, 0, fmt.Errorf("%s payload: invalid number of features %d", name, m.numFeatures)
	}
	if len(m.centres) == 0 || len(m.centres)%m.numFeatures != 0 {
		return m, 0, fmt.Errorf("%s payload: %d centre values for %d features", name, len(m.centres), m.numFeatures)
	}
	if math.IsNaN(m.inertia) || math.IsInf(m.inertia, 0) || m.inertia < 0 {
		return m, 0, fmt.Errorf("%s payload: invalid inertia %v", name, m.inertia)
	}
	for i, v := range m.centres {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return m, 0, fmt.Errorf("%s payload: centre value %d is %v", name, i, v)
		}
	}
	return m, extra, nil
}

// MarshalBinary returns the modelfile encoding of m.
func (m *KMeans) MarshalBinary() ([]byte, error) {
	return m.encode(KMeansName, uint32(m.iterations)), nil
}

// MarshalBinary returns the modelfile encoding of m.
func (m *MiniBatchKMeans) MarshalBinary() ([]byte, error) {
	return m.encode(MiniBatchKMeansName, uint32(m.steps)), nil
}

// UnmarshalKMeans decodes the payload (the bytes after the modelfile
// header) written by KMeans.MarshalBinary.
func UnmarshalKMeans(payload []byte) (*KMeans, error) {
	c, iterations, err := decodeCentroids(KMeansName, payload)
	if err != nil {
		return nil, err
	}
	return &KMeans{centroids: c, iterations: int(iterations)}, nil
}

// UnmarshalMiniBatchKMeans decodes the payload written by
// MiniBatchKMeans.MarshalBinary.
func UnmarshalMiniBatchKMeans(payload []byte) (*MiniBatchKMeans, error) {
	c, steps, err := decodeCentroids(MiniBatchKMeansName, payload)
	if err != nil {
		return nil, err
	}
	return &MiniBatchKMeans{centroids: c, steps: int(steps)}, nil
}
