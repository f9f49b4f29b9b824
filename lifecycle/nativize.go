package lifecycle

import (
	"context"
	"fmt"
	"slices"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/sampling"
)

// pgml.nativize(model_id) gives a stored model the native form (nativeform.go) that training
// gives it today: for models stored before pgml had native forms, or whose export a later
// pgml can do. The runtime's own file is verified (integrity.go) and handed to the runtime
// where it does not stay loaded (python: the training worker, a process of its own), which
// predicts the rows of the model's test split again; the native form is trusted only if it
// predicts them as the runtime did, exactly as at training.

// NativeConverter is a runtime whose stored models can be given a native form after training.
type NativeConverter interface {
	// Reopen decodes a stored model (bytes pgml signed and verified) where it is not kept for
	// predicting, and returns it as Train returns a fit: a model that predicts r.Held (and
	// only those rows) and offers its NativeForm.
	Reopen(ctx context.Context, r *Reopen) (algorithms.Model, error)
}

// Reopen is one stored model handed to a NativeConverter.
type Reopen struct {
	Algorithm string
	Task      algorithms.Task
	Bytes     []byte
	Held      algorithms.Matrix // the rows to predict, with the model's features
	Budget    MemoryBudget
}

// NativizeResult is what pgml.nativize did.
type NativizeResult struct {
	// Status is the model's native_inference after the call: NativeInferenceUsed, or why not.
	Status string
	// Stored is true when this call stored a native form: other backends must drop the model
	// they loaded through its runtime (the boundary sends them an invalidation).
	Stored bool
}

// nativizedModel is what pgml.nativize reads of pgml.models.
type nativizedModel struct {
	id          int64
	algorithm   string
	runtime     string
	task        algorithms.Task
	snapshotID  int64
	hasSnapshot bool
	numFeatures int
}

// Nativize is pgml.nativize(model_id); ctx is cancelled by an interrupt.
func (sess *Session) Nativize(ctx context.Context, modelID int64) (*NativizeResult, error) {
	m, err := sess.lockModelForNativize(modelID)
	if err != nil {
		return nil, err
	}
	paths, err := sess.estimatorPaths(modelID)
	if err != nil {
		return nil, err
	}
	switch {
	case len(paths) == 0:
		return nil, Errorf(StateUndefinedObject, "model %d has no stored estimator to convert", modelID)
	case slices.Contains(paths, NativeFormPath) && len(paths) > 1:
		return &NativizeResult{Status: NativeInferenceUsed}, sess.info("the %s model predicts natively already: it has its native form", m.algorithm)
	}
	if !sess.converts(paths) {
		return nil, WithHint(Errorf(StateWrongObjectType, "model %d was trained by the %s runtime, which pgml.nativize does not convert: its models predict natively, or have no native form",
			modelID, m.runtime), "pgml.nativize converts models trained with runtime => 'python'.")
	}
	held, err := sess.heldOutRows(ctx, m)
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	native, err := sess.reopenAndConvert(ctx, m, held)
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	if native.model != nil {
		defer closeModel(native.model)
		bytes, err := algorithms.MarshalContext(ctx, native.model)
		if err != nil {
			return nil, interrupted(ctx, fmt.Errorf("pgml: serializing the model's native form: %w", err))
		}
		if err := sess.storeModelFile(modelID, NativeFormPath, bytes); err != nil {
			return nil, err
		}
	}
	if _, err := sess.query(`UPDATE pgml.models SET metrics = coalesce(metrics, '{}'::jsonb) || pg_catalog.jsonb_build_object($2::text, $3::text)
		WHERE id = $1`, modelID, NativeInferenceKey, native.status); err != nil {
		return nil, err
	}
	return &NativizeResult{Status: native.status, Stored: native.model != nil}, nil
}

// lockModelForNativize reads the model and locks its row, so that two conversions of one
// model take turns: the second finds the first's native form (estimatorPaths reads the
// newest committed rows, not the statement's snapshot).
func (sess *Session) lockModelForNativize(modelID int64) (*nativizedModel, error) {
	rows, err := sess.query(`SELECT m.algorithm, m.runtime, p.task, m.snapshot_id, m.num_features
		FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1 FOR UPDATE OF m`, modelID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Errorf(StateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	r := rows[0]
	task, err := algorithms.ParseTask(r.Str(2))
	if err != nil {
		return nil, fmt.Errorf("pgml: model %d: %w", modelID, err)
	}
	m := &nativizedModel{id: modelID, algorithm: r.Str(0), runtime: r.Str(1), task: task, hasSnapshot: !r[3].Null, numFeatures: int(r.Int64(4))}
	if m.hasSnapshot {
		m.snapshotID = r.Int64(3)
	}
	return m, nil
}

// estimatorPaths lists the paths of the model's estimator files (not its preprocessing).
func (sess *Session) estimatorPaths(modelID int64) ([]string, error) {
	rows, err := sess.query(`SELECT DISTINCT path FROM pgml.files WHERE model_id = $1 AND path <> $2 ORDER BY path`, modelID, pipelinePath)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(rows))
	for i, r := range rows {
		paths[i] = r.Str(0)
	}
	return paths, nil
}

// converts reports whether the model's only estimator file is of a runtime that converts.
func (sess *Session) converts(paths []string) bool {
	if len(paths) != 1 || paths[0] == NativeFormPath {
		return false
	}
	rt, ok := sess.Runtimes.forFile(paths[0], nil)
	if !ok {
		return false
	}
	_, ok = rt.(NativeConverter)
	return ok
}

// heldOutRows reads the model's snapshot again as its training did, as the caller, and returns
// the rows of its test split, preprocessed as the model's predictions are. The relation's
// rows as they are now: what matters is that the runtime and the native form predict the
// same rows. The rows read are admitted against the training budget, as a training's.
func (sess *Session) heldOutRows(ctx context.Context, m *nativizedModel) (algorithms.Matrix, error) {
	var none algorithms.Matrix
	var snap *snapshot
	var err error
	if m.hasSnapshot {
		if snap, err = sess.snapshotByID(m.snapshotID); err != nil {
			return none, err
		}
	}
	if snap == nil {
		return none, WithHint(Errorf(StateNotInPrerequisite, "model %d cannot be converted: its snapshot was deleted, so there are no test rows to check a native form against", m.id),
			"Retrain the model: a training with runtime => 'python' stores the native form it can verify.")
	}
	rel, err := sess.snapshotRelation(snap)
	if err != nil {
		return none, err
	}
	features, labels, err := rel.splitColumns(snap.yColumns)
	if err != nil {
		return none, err
	}
	admit := &admission{budget: sess.trainingBudget(), describe: "the conversion of model " + fmt.Sprint(m.id),
		// the rows read, and the copy of the test rows
		need: func(rows, width int) int64 { return 2 * BytesOf(rows, width+len(labels)) }}
	data, err := sess.readTrainingData(ctx, rel.qualifiedName(), features, labels, admit)
	if err != nil {
		return none, err
	}
	var stratifyBy []float64
	if m.task == algorithms.Classification && data.y.Cols == 1 {
		stratifyBy = data.y.Data
	}
	_, testRows, err := sampling.SplitContext(ctx, data.x.Rows, stratifyBy, snap.testSize, snap.testSampling, splitSeed)
	if err != nil {
		return none, err
	}
	held, err := gatherRows(ctx, data.x, testRows)
	if err != nil {
		return none, err
	}
	data = nil // only the test rows are needed from here
	pipeline, err := sess.loadPipeline(m.id)
	if err != nil {
		return none, err
	}
	if pipeline != nil && pipeline.InputWidth() != held.Cols {
		return none, relationChanged(m, snap, held.Cols, pipeline.InputWidth())
	}
	if pipeline != nil && !pipeline.Identity() && held.Rows > 0 {
		if held, err = transformRows(ctx, pipeline, held); err != nil {
			return none, err
		}
	}
	if held.Cols != m.numFeatures {
		return none, relationChanged(m, snap, held.Cols, m.numFeatures)
	}
	return held, nil
}

func relationChanged(m *nativizedModel, snap *snapshot, got, want int) error {
	return WithHint(Errorf(StateNotInPrerequisite, "model %d cannot be converted: its snapshot's relation %s now gives %d feature values, the model was trained on %d",
		m.id, snap.relationName, got, want), "Retrain the model: a training with runtime => 'python' stores the native form it can verify.")
}

// reopenAndConvert hands the verified estimator to its runtime and checks the native form it
// offers on the held rows. Without held rows there is nothing to check it against.
func (sess *Session) reopenAndConvert(ctx context.Context, m *nativizedModel, held algorithms.Matrix) (nativeConversion, error) {
	if held.Rows == 0 {
		reason := "there were no held-out rows to check its native form against"
		return nativeConversion{status: reason}, sess.info("the %s model predicts through its runtime, not natively: %s", m.algorithm, reason)
	}
	rt, bytes, err := sess.verifiedEstimator(m.id)
	if err != nil {
		return nativeConversion{}, err
	}
	converter, ok := rt.(NativeConverter)
	if !ok {
		return nativeConversion{}, fmt.Errorf("pgml: model %d's estimator changed while it was converted", m.id)
	}
	trained, err := converter.Reopen(ctx, &Reopen{Algorithm: m.algorithm, Task: m.task, Bytes: bytes, Held: held, Budget: sess.trainingBudget()})
	if err != nil {
		return nativeConversion{}, err
	}
	defer closeModel(trained)
	return sess.convertToNative(ctx, trained, held)
}
