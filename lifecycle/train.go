package lifecycle

import (
	"context"
	"encoding/json"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/faults"
)

// TrainRequest is pgml.train's arguments; a Given flag is false for a SQL NULL.
type TrainRequest struct {
	ProjectName         string
	Task                string
	TaskGiven           bool
	RelationName        string
	RelationGiven       bool
	YColumns            []string
	Algorithm           string
	Hyperparams         string // JSON
	Search              string
	SearchGiven         bool
	SearchParams        string
	SearchArgs          string
	TestSize            float64
	TestSampling        string
	Runtime             string
	RuntimeGiven        bool
	AutomaticDeploy     bool
	MaterializeSnapshot bool
	Preprocess          string
}

// TrainResult is pgml.train's result row.
type TrainResult struct {
	Project   string
	Task      string
	Algorithm string
	Deployed  bool
}

func decodeHyperparams(s string) (algorithms.Hyperparams, error) {
	if s == "" {
		return algorithms.Hyperparams{}, nil
	}
	hp, err := algorithms.DecodeHyperparams(s)
	if err != nil {
		return nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	return hp, nil
}

func isEmptyJSONObject(s string) bool {
	var m map[string]any
	return s == "" || (json.Unmarshal([]byte(s), &m) == nil && len(m) == 0)
}

// Train is pgml.train: it records a snapshot (or reuses the project's last), reads its rows,
// splits, preprocesses, searches, fits, scores, stores and deploys, entering the phases of
// phases.go in order. ctx is cancelled by an interrupt (WithInterrupts).
func (sess *Session) Train(ctx context.Context, req *TrainRequest) (*TrainResult, error) {
	hp, err := decodeHyperparams(req.Hyperparams)
	if err != nil {
		return nil, err
	}
	proj, err := sess.projectForTraining(req.ProjectName, req.Task, req.TaskGiven)
	if err != nil {
		return nil, err
	}
	algorithm, err := NormalizeAlgorithm(req.Algorithm)
	if err != nil {
		return nil, err
	}
	algorithm = defaultAlgorithm(algorithm, proj.task)
	rt, err := sess.Runtimes.choose(req.Runtime, req.RuntimeGiven, algorithm, proj.task)
	if err != nil {
		return nil, err
	}
	plan, err := planSearch(req, hp)
	if err != nil {
		return nil, err
	}
	sess.startProgress(proj.id, proj.name, algorithm, rt.Name())
	defer sess.endProgress()
	var reused *snapshot
	preprocessArg := req.Preprocess
	if !req.RelationGiven {
		if reused, err = sess.lastSnapshot(proj.id); err != nil {
			return nil, err
		}
		if preprocessArg, err = sess.keptPreprocess(reused, preprocessArg); err != nil {
			return nil, err
		}
	}
	budget := newTrainingAdmission(sess.trainingBudget(), rt, algorithm, proj.task, hp, preprocessArg, plan)
	snap, data, err := sess.snapshotAndRead(ctx, proj, req, reused, budget)
	if err != nil {
		return nil, err
	}
	if !proj.task.Supervised() {
		// Labels named for an unsupervised task are left out of the features, and unused.
		data.y = algorithms.Matrix{Rows: data.x.Rows}
	}
	if proj.task == algorithms.Classification && data.y.Cols != 1 {
		return nil, Errorf(StateInvalidParameter, "classification takes exactly one label column, got %d", data.y.Cols)
	}
	if proj.task == algorithms.Regression {
		for i, c := range data.labels {
			if data.labelCategories[i] != nil {
				return nil, WithHint(Errorf(StateDatatypeMismatch, "regression needs numeric labels, but %q is %s", c.name, c.typeName),
					"Text labels are classes: train a classification project, or cast the column to a number in a view.")
			}
		}
	}

	trainSet, testSet, err := sess.splitInPlace(ctx, data, proj.task, snap)
	if err != nil {
		return nil, err
	}
	if err := sess.enter(phasePreprocessing); err != nil {
		return nil, err
	}
	// A search fits the preprocessing again on each fold's training rows, so that no held-out
	// row contributes to the statistics it is scored with.
	rawTrain, rawTest := trainSet, testSet
	prepare := func(fit, held dataSplit) (dataSplit, dataSplit, error) {
		_, fit, held, err := sess.preprocessSplits(ctx, data, preprocessArg, fit, held, false)
		return fit, held, err
	}
	pipeline, trainSet, testSet, err := sess.preprocessSplits(ctx, data, preprocessArg, trainSet, testSet, true)
	if err != nil {
		return nil, err
	}
	if plan == nil {
		rawTrain, rawTest = dataSplit{}, dataSplit{} // only a search needs the raw rows again
	}
	if err := sess.completeSnapshot(snap, data, pipeline, trainSet.x.Rows, testSet.x.Rows); err != nil {
		return nil, err
	}
	if err := budget.checkShape(trainSet, testSet, data); err != nil {
		return nil, err
	}
	// The data is in the heap already: what the fit may add is the rest of the admitted need.
	// Storing is not in that need (it serializes the model beside it), so the hold ends
	// with scoring.
	releaseHeap := holdHeapTo(budget.admitted - BytesOf(data.x.Rows, data.x.Cols+data.y.Cols))
	defer releaseHeap()
	if err := sess.info("Training %s %s on %d rows × %d features (%d test rows)", algorithm, proj.task, trainSet.x.Rows, trainSet.x.Cols, testSet.x.Rows); err != nil {
		return nil, err
	}
	for _, line := range labelSummaries(proj.task, trainSet.y, data.labels, data.labelCategories) {
		if err := sess.info("%s", line); err != nil {
			return nil, err
		}
	}
	sess.progress.setShape(trainSet.x.Rows, trainSet.x.Cols)

	hyperparams := hp
	var searchResults map[string]any
	if plan != nil {
		if err := sess.enter(phaseSearching); err != nil {
			return nil, err
		}
		if hyperparams, searchResults, err = sess.runSearch(ctx, plan, rt, algorithm, proj.task, rawTrain, rawTest, budget.budget, prepare); err != nil {
			return nil, err
		}
		rawTrain, rawTest = dataSplit{}, dataSplit{}
	}
	if err := sess.stallIfInjected(faults.StallFitting); err != nil {
		return nil, err
	}
	fit, err := sess.fitAndScore(ctx, rt, algorithm, proj.task, trainSet, testSet, hyperparams, budget.budget, true)
	if err != nil {
		return nil, err
	}
	defer closeModel(fit.model)
	model, used, metrics := fit.model, fit.used, fit.metrics
	releaseHeap()
	if line := formatMetrics(metrics); line != "" {
		if err := sess.info("test metrics of %s: %s", algorithm, line); err != nil {
			return nil, err
		}
	}

	if err := sess.enter(phaseStoring); err != nil {
		return nil, err
	}
	native, err := sess.convertToNative(ctx, model, testSet.x)
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	if native.model != nil {
		defer closeModel(native.model)
	}
	analysisJSON, err := analyze(ctx, &trainedForAnalysis{task: proj.task, model: model, native: native.model, train: trainSet, test: testSet,
		predicted: fit.predicted, features: pipeline.OutputNames(), trainTime: metrics["fit_time"] + metrics["score_time"]})
	if err != nil {
		return nil, interrupted(ctx, err)
	}
	modelID, err := sess.storeModel(ctx, proj, snap, algorithm, rt, used, req, model, native, metrics, searchResults, analysisJSON)
	if err != nil {
		return nil, err
	}
	if err := sess.storePipeline(modelID, pipeline); err != nil {
		return nil, err
	}
	deployed := false
	if req.AutomaticDeploy {
		if deployed, err = sess.deployIfAllowedAndBetter(proj, modelID, metrics); err != nil {
			return nil, err
		}
	}
	return &TrainResult{Project: proj.name, Task: proj.task.String(), Algorithm: algorithm, Deployed: deployed}, nil
}

// keptPreprocess is the preprocessing of a retraining on the project's last snapshot: the
// given argument, or without one the preprocessing that snapshot's last training applied,
// announced so that the user sees what is applied.
func (sess *Session) keptPreprocess(last *snapshot, given string) (string, error) {
	if !isEmptyJSONObject(given) {
		return given, nil
	}
	kept, err := last.preprocess()
	if err != nil || kept == "" {
		return given, err
	}
	return kept, sess.info("preprocess kept from the project's last training: %s", kept)
}
