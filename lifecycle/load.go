package lifecycle

import (
	"context"
	"fmt"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/memsize"
	"github.com/pgml-go/pgml/modelcache"
)

// LoadedModel keeps what the hot path asks of a model, resolved once at load.
type LoadedModel struct {
	Model      algorithms.Model
	Classifier algorithms.Classifier // nil unless the model gives probabilities
	checked    checkedPredictor      // non-nil for models whose Predict can fail (python)
	Rows       *RowPredictor         // the row form's preprocessing; nil for models without one
	// stoppable is the model when one row can cost much (knn's brute force over its training
	// rows): it then predicts under interrupts, which it checks itself as it works, so a
	// cancel does not wait for the end of the caller's chunk of rows.
	stoppable  contextPredictor
	interrupts context.Context // interruptFlags, boxed once at load rather than per call
}

// contextPredictor is a model that stops predicting once its context is done.
type contextPredictor interface {
	PredictContext(ctx context.Context, dst, x []float64) error
}

// interruptFlags is a context that is done once PostgreSQL has a cancel or die request
// pending. It only reads the flags (safe from any thread, and without a poller goroutine per
// call): Err is what algorithms/cancel.Checker consults; Done never closes.
type interruptFlags struct {
	pending func() bool
}

func (interruptFlags) Deadline() (time.Time, bool) { return time.Time{}, false }
func (interruptFlags) Done() <-chan struct{}       { return nil }
func (interruptFlags) Value(any) any               { return nil }
func (f interruptFlags) Err() error {
	if f.pending() {
		return context.Canceled
	}
	return nil
}

// checkedPredictor is implemented by models whose prediction can fail at run time.
type checkedPredictor interface {
	PredictChecked(dst, x []float64) error
}

// probabilityModel is a classifier that may or may not give probabilities (python models
// know only once the estimator is loaded), and reports prediction errors.
type probabilityModel interface {
	HasPredictProba() bool
	PredictProbaChecked(dst, x []float64) error
}

// Predict runs the model on rows of features.
func (m *LoadedModel) Predict(outputs, features []float64) error {
	if m.stoppable != nil {
		return interrupted(m.interrupts, m.stoppable.PredictContext(m.interrupts, outputs, features))
	}
	return predictWith(m.Model, m.checked, outputs, features)
}

// PredictProba writes one probability per class and row, in the model's class order.
func (m *LoadedModel) PredictProba(outputs, features []float64) error {
	if m.Classifier == nil {
		if task := m.Model.Task(); task != algorithms.Classification {
			return Errorf(StateWrongObjectType, "You can't predict probabilities for a %s model", task)
		}
		return Errorf(StateWrongObjectType, "the %s model of this project does not predict probabilities", m.Model.Algorithm())
	}
	if err := predictProbabilities(m.Model, m.Classifier, outputs, features); err != nil {
		return Errorf(StateExternalRoutine, "%s", err.Error())
	}
	return nil
}

// Close releases what the model holds outside Go (a Python object).
func (m *LoadedModel) Close() {
	closeModel(m.Model)
}

// predictWith runs model; checked, when not nil, is the same model's failing form (python
// models report errors). The hot path passes the checked form it resolved at load.
func predictWith(model algorithms.Model, checked checkedPredictor, outputs, features []float64) error {
	if checked != nil {
		if err := checked.PredictChecked(outputs, features); err != nil {
			return Errorf(StateExternalRoutine, "%s", err.Error())
		}
		return nil
	}
	model.Predict(outputs, features)
	return nil
}

// predictProbabilities writes one probability per class and row, in the classifier's order.
func predictProbabilities(model algorithms.Model, classifier algorithms.Classifier, dst, features []float64) error {
	if p, ok := model.(probabilityModel); ok {
		return p.PredictProbaChecked(dst, features)
	}
	return algorithms.PredictProba(classifier, dst, features)
}

// LoadModel reads a model from pgml.models and pgml.files and decodes it with its
// preprocessing: the one place where stored bytes become a model.
func (sess *Session) LoadModel(modelID int64) (*LoadedModel, modelcache.Description, error) {
	var d modelcache.Description
	// Listed once; verified against its digest before anything decodes it (integrity.go).
	listed, project, found, err := sess.modelFiles(modelID)
	if err != nil {
		return nil, d, err
	}
	if !found {
		return nil, d, Errorf(StateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	rt, bytes, err := sess.verifiedEstimatorOf(listed)
	if err != nil {
		return nil, d, err
	}
	// Reading, verifying and decoding a large model each take a while: a cancel that came
	// during one is honoured before the next.
	if err := sess.checkInterrupts(); err != nil {
		return nil, d, err
	}
	model, err := rt.Load(bytes)
	if err != nil {
		return nil, d, WithHint(Errorf(StateDataException, "model %d cannot be loaded: %v", modelID, err), rt.LoadHint())
	}
	entry := &LoadedModel{Model: model}
	entry.Classifier, _ = model.(algorithms.Classifier)
	if p, ok := model.(probabilityModel); ok && !p.HasPredictProba() {
		entry.Classifier = nil
	}
	entry.checked, _ = model.(checkedPredictor)
	if stoppable, ok := model.(contextPredictor); ok && entry.checked == nil {
		entry.stoppable, entry.interrupts = stoppable, context.Context(interruptFlags{pending: sess.Store.InterruptPending})
	}
	pipeline, err := sess.pipelineOf(listed)
	if err != nil {
		closeModel(model)
		return nil, d, err
	}
	if pipeline != nil {
		entry.Rows = newRowPredictor(pipeline)
	}
	d = modelcache.Description{ModelID: modelID, Project: project, Algorithm: model.Algorithm(),
		Runtime: rt.Name(), Bytes: loadedBytes(entry, rt.Name(), len(bytes))}
	return entry, d, nil
}

// fileSlice bounds the bytes of pgml.files one read returns: between slices a cancel is
// honoured, so loading a model of hundreds of megabytes stops within a second too. Only values
// stored uncompressed (pgml.files.data has storage EXTERNAL since 0.3.0) are read in slices:
// each slice of a compressed value would decompress it from its start.
const fileSlice = 2 << 20

// sliceReader appends to dst length bytes from offset (0-based) of the data of pgml.files row
// id; found is false when the row is no longer visible. Appending lets a reader copy a slice
// once, into the file's buffer: every copy of a model of megabytes is fresh pages to fault in.
type sliceReader func(id, offset, length int64, dst []byte) (data []byte, found bool, err error)

// sqlSlices reads slices with SQL through query (a read-only statement's snapshot or not).
func (sess *Session) sqlSlices(query func(string, ...any) ([]Row, error)) sliceReader {
	return func(id, offset, length int64, dst []byte) ([]byte, bool, error) {
		r, err := query(`SELECT substring(data FROM $2::int4 FOR $3::int4) FROM pgml.files WHERE id = $1`, id, offset+1, length)
		if err != nil || len(r) != 1 {
			return dst, false, err
		}
		return append(dst, r[0].Str(0)...), true, nil
	}
}

// readFileData reads the data of pgml.files row id, n bytes long, in slices, through read.
func (sess *Session) readFileData(read sliceReader, id, n int64, compressed bool) ([]byte, error) {
	slice := int64(fileSlice)
	if compressed {
		slice = max(n, 1)
	}
	b := make([]byte, 0, n)
	for offset := int64(0); offset < n; offset += slice {
		if err := sess.checkInterrupts(); err != nil {
			return nil, err
		}
		var found bool
		var err error
		b, found, err = read(id, offset, min(slice, n-offset), b)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, fmt.Errorf("pgml: pgml.files row %d disappeared while it was read", id)
		}
	}
	return b, nil
}

// loadedBytes estimates the memory a loaded model holds: its Go heap, walked by memsize, plus for
// models living outside Go (python) an estimate from the size they are stored with.
// The estimates follow the growth of a backend's private memory per model loaded, measured with
// build/model-cache-rss.sh (RUNTIME, ALGORITHM): scikit-learn estimators unpickle into numpy
// arrays about as large as their pickle, plus Python objects (python random_forest of 100 trees:
// 11.6 MB stored, 14.2 MB in memory; gradient_boosting_trees of 100 trees: 0.11 MB stored,
// 0.46 MB). xgboost models predict in Go (algorithms/treeensemble): memsize counts them.
// The Python interpreter itself (about 110 MB once started) is not a model's: dropping models
// does not give it back.
func loadedBytes(m *LoadedModel, runtime string, stored int) int64 {
	bytes := memsize.Of(m)
	_, external := m.Model.(interface{ Close() error }) // native models owning C memory
	switch {
	case runtime == "python":
		bytes += int64(stored)*5/4 + 256<<10
	case external:
		bytes += 2 * int64(stored)
	}
	return bytes
}
