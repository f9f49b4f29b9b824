package algorithms

import (
	"fmt"
	"math"
)

// Matrix is a dense row-major matrix owned by Go.
// len(Data) must equal Rows*Cols.
type Matrix struct {
	Rows, Cols int
	Data       []float64
}

// Row returns row i of m, sharing storage with m.
func (m Matrix) Row(i int) []float64 {
	return m.Data[i*m.Cols : (i+1)*m.Cols : (i+1)*m.Cols]
}

// Validate reports whether m is well formed and holds only finite values.
// name identifies the matrix in the error ("x", "y").
func (m Matrix) Validate(name string) error {
	if m.Rows <= 0 || m.Cols <= 0 {
		return fmt.Errorf("%s must have at least one row and one column, got %d×%d", name, m.Rows, m.Cols)
	}
	if len(m.Data) != m.Rows*m.Cols {
		return fmt.Errorf("%s is %d×%d but holds %d values, want %d", name, m.Rows, m.Cols, len(m.Data), m.Rows*m.Cols)
	}
	for k, v := range m.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s has a non-finite value %v at row %d, column %d", name, v, k/m.Cols, k%m.Cols)
		}
	}
	return nil
}

// Task is the kind of learning problem a model solves.
type Task int

const (
	Regression Task = iota + 1
	Classification
	Clustering    // no labels; Predict gives a cluster index
	Decomposition // no labels; Predict gives the transformed row
)

// ParseTask parses the task names used by pgml.train.
func ParseTask(s string) (Task, error) {
	switch s {
	case "regression":
		return Regression, nil
	case "classification":
		return Classification, nil
	case "clustering":
		return Clustering, nil
	case "decomposition":
		return Decomposition, nil
	}
	return 0, fmt.Errorf("unknown task %q: allowed values are \"regression\", \"classification\", \"clustering\" and \"decomposition\"", s)
}

func (t Task) String() string {
	switch t {
	case Regression:
		return "regression"
	case Classification:
		return "classification"
	case Clustering:
		return "clustering"
	case Decomposition:
		return "decomposition"
	}
	return fmt.Sprintf("Task(%d)", int(t))
}

// Valid reports whether t is one of the defined tasks.
func (t Task) Valid() bool { return t >= Regression && t <= Decomposition }

// Supervised reports whether the task learns from labels.
func (t Task) Supervised() bool { return t == Regression || t == Classification }

// Model is a fitted estimator ready to predict.
type Model interface {
	// Algorithm is the registry name of the estimator, e.g. "linear".
	Algorithm() string
	Task() Task
	NumFeatures() int
	// NumOutputs is 1 except for joint (multi-target) regression.
	NumOutputs() int
	// Predict writes NumOutputs values per row of x (row-major, n rows ×
	// NumFeatures) into dst, which must hold n*NumOutputs values. Classifiers
	// write the original class label. Predict does not allocate; like gonum,
	// it panics when the lengths do not agree, so callers that cannot
	// guarantee the shapes use the package-level Predict.
	Predict(dst, x []float64)
	// MarshalBinary returns the self-describing modelfile encoding.
	MarshalBinary() ([]byte, error)
}

// Classifier is a Model that also estimates class probabilities.
type Classifier interface {
	Model
	// Classes returns the sorted distinct training labels.
	Classes() []float64
	// PredictProba writes len(Classes()) probabilities per row of x into dst,
	// in the order of Classes.
	PredictProba(dst, x []float64)
}

// Predict checks the shapes of dst and x against m before calling
// m.Predict, so that a malformed request is an error rather than a panic.
func Predict(m Model, dst, x []float64) error {
	rows, err := checkShapes(m, len(dst), len(x), m.NumOutputs())
	if err != nil {
		return err
	}
	if rows > 0 {
		m.Predict(dst, x)
	}
	return nil
}

// PredictProba is the checked counterpart of Classifier.PredictProba.
func PredictProba(c Classifier, dst, x []float64) error {
	rows, err := checkShapes(c, len(dst), len(x), len(c.Classes()))
	if err != nil {
		return err
	}
	if rows > 0 {
		c.PredictProba(dst, x)
	}
	return nil
}

func checkShapes(m Model, lenDst, lenX, perRow int) (rows int, err error) {
	p := m.NumFeatures()
	if p <= 0 || lenX%p != 0 {
		return 0, fmt.Errorf("model expects %d features per row, got %d values", p, lenX)
	}
	rows = lenX / p
	if lenDst != rows*perRow {
		return 0, fmt.Errorf("destination holds %d values, want %d (%d rows × %d)", lenDst, rows*perRow, rows, perRow)
	}
	return rows, nil
}

// CheckXY validates a training set: both matrices well formed, one label row per sample.
func CheckXY(x, y Matrix) error {
	if err := x.Validate("x"); err != nil {
		return err
	}
	if err := y.Validate("y"); err != nil {
		return err
	}
	if x.Rows != y.Rows {
		return fmt.Errorf("x has %d rows but y has %d", x.Rows, y.Rows)
	}
	return nil
}
