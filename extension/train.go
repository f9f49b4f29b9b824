package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/faults"
	"github.com/pgml-go/pgml/algorithms/sampling"
)

// splitSeed makes every split reproducible: the same relation gives the same split.
const splitSeed = 42

// trainRequest is pgml.train's arguments after decoding.
type trainRequest struct {
	projectName         string
	task                string
	taskGiven           bool
	relationName        string
	relationGiven       bool
	yColumns            []string
	joint               bool
	algorithm           string
	hyperparams         algorithms.Hyperparams
	hyperparamsJSON     string
	search              string
	searchGiven         bool
	searchParams        string
	searchArgs          string
	testSize            float64
	testSampling        string
	runtime             string
	runtimeGiven        bool
	automaticDeploy     bool
	materializeSnapshot bool
	preprocess          string
}

type trainResult struct {
	project   string
	task      string
	algorithm string
	deployed  bool
}

//export pgmlGoTrain
func pgmlGoTrain(args *C.PgmlTrainArgs, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		req, err := decodeTrainArgs(args)
		if err != nil {
			return err
		}
		var result *trainResult
		err = withInterrupts(func(ctx context.Context) error {
			var err error
			result, err = train(ctx, req)
			return err
		})
		releaseMemory()
		if err != nil {
			return err
		}
		setResultText(out, 0, result.project)
		setResultText(out, 1, result.task)
		setResultText(out, 2, result.algorithm)
		out.flag = C.bool(result.deployed)
		return nil
	})
}

func decodeTrainArgs(args *C.PgmlTrainArgs) (*trainRequest, error) {
	req := &trainRequest{joint: bool(args.joint), automaticDeploy: bool(args.automatic_deploy), materializeSnapshot: bool(args.materialize_snapshot)}
	var ok bool
	if req.projectName, ok = goText(args.project_name); !ok {
		return nil, newError(stateNullValue, "project_name must not be NULL")
	}
	req.task, req.taskGiven = goText(args.task)
	req.relationName, req.relationGiven = goText(args.relation_name)
	if args.y_columns != nil {
		for _, t := range unsafeSlice(args.y_columns, int(args.n_y_columns)) {
			name, _ := goText(t)
			req.yColumns = append(req.yColumns, name)
		}
	}
	if req.algorithm, ok = goText(args.algorithm); !ok {
		req.algorithm = "linear" // PostgresML 1.0 treats NULL as the default
	}
	req.hyperparamsJSON, _ = goText(args.hyperparams)
	hp, err := decodeHyperparams(req.hyperparamsJSON)
	if err != nil {
		return nil, err
	}
	req.hyperparams = hp
	req.search, req.searchGiven = goText(args.search)
	req.searchParams, _ = goText(args.search_params)
	req.searchArgs, _ = goText(args.search_args)
	req.testSize = 0.25
	if !bool(args.test_size_isnull) {
		req.testSize = float64(args.test_size)
	}
	if req.testSampling, ok = goText(args.test_sampling); !ok {
		req.testSampling = "stratified"
	}
	req.runtime, req.runtimeGiven = goText(args.runtime)
	req.preprocess, _ = goText(args.preprocess)
	return req, nil
}

func decodeHyperparams(s string) (algorithms.Hyperparams, error) {
	if s == "" {
		return algorithms.Hyperparams{}, nil
	}
	hp, err := algorithms.DecodeHyperparams(s)
	if err != nil {
		return nil, newError(stateInvalidParameter, "%s", err.Error())
	}
	return hp, nil
}

func isEmptyJSONObject(s string) bool {
	var m map[string]any
	return s == "" || (json.Unmarshal([]byte(s), &m) == nil && len(m) == 0)
}

func train(ctx context.Context, req *trainRequest) (*trainResult, error) {
	proj, err := projectForTraining(req.projectName, req.task, req.taskGiven)
	if err != nil {
		return nil, err
	}
	algorithm, err := normalizeAlgorithm(req.algorithm)
	if err != nil {
		return nil, err
	}
	algorithm = defaultAlgorithm(algorithm, proj.task)
	rt, err := chooseRuntime(req.runtime, req.runtimeGiven, algorithm, proj.task)
	if err != nil {
		return nil, err
	}
	plan, err := planSearch(req)
	if err != nil {
		return nil, err
	}
	budget := newTrainingAdmission(rt, algorithm, proj.task, req, plan)
	snap, data, err := snapshotAndRead(ctx, proj, req, budget)
	if err != nil {
		return nil, err
	}
	if !proj.task.Supervised() {
		// Labels named for an unsupervised task are left out of the features, and unused.
		data.y = algorithms.Matrix{Rows: data.x.Rows}
	}
	if proj.task == algorithms.Classification && data.y.Cols != 1 {
		return nil, newError(stateInvalidParameter, "classification takes exactly one label column, got %d", data.y.Cols)
	}
	if proj.task == algorithms.Regression {
		for i, c := range data.labels {
			if data.labelCategories[i] != nil {
				return nil, withHint(newError(stateDatatypeMismatch, "regression needs numeric labels, but %q is %s", c.name, c.typeName),
					"Text labels are classes: train a classification project, or cast the column to a number in a view.")
			}
		}
	}

	trainSet, testSet, err := splitInPlace(ctx, data, proj.task, snap)
	if err != nil {
		return nil, err
	}
	if err := enter(phasePreprocessing); err != nil {
		return nil, err
	}
	// A search fits the preprocessing again on each fold's training rows, so that no held-out
	// row contributes to the statistics it is scored with.
	rawTrain, rawTest := trainSet, testSet
	prepare := func(fit, held dataSplit) (dataSplit, dataSplit, error) {
		_, fit, held, err := preprocessSplits(ctx, data, req.preprocess, fit, held, false)
		return fit, held, err
	}
	pipeline, trainSet, testSet, err := preprocessSplits(ctx, data, req.preprocess, trainSet, testSet, true)
	if err != nil {
		return nil, err
	}
	if plan == nil {
		rawTrain, rawTest = dataSplit{}, dataSplit{} // only a search needs the raw rows again
	}
	if err := completeSnapshot(snap, data, pipeline, trainSet.x.Rows, testSet.x.Rows); err != nil {
		return nil, err
	}
	if err := budget.checkShape(trainSet, testSet, data); err != nil {
		return nil, err
	}
	// The data is in the heap already: what the fit may add is the rest of the admitted need.
	// Storing is not in that need (it serializes the model beside it), so the hold ends
	// with scoring.
	releaseHeap := holdHeapTo(budget.admitted - bytesOf(data.x.Rows, data.x.Cols+data.y.Cols))
	defer releaseHeap()
	if err := info("Training %s %s on %d rows × %d features (%d test rows)", algorithm, proj.task, trainSet.x.Rows, trainSet.x.Cols, testSet.x.Rows); err != nil {
		return nil, err
	}

	hyperparams := req.hyperparams
	var searchResults map[string]any
	if plan != nil {
		if err := enter(phaseSearching); err != nil {
			return nil, err
		}
		if hyperparams, searchResults, err = runSearch(ctx, plan, rt, algorithm, proj.task, rawTrain, rawTest, prepare); err != nil {
			return nil, err
		}
		rawTrain, rawTest = dataSplit{}, dataSplit{}
	}
	if err := stallIfInjected(faults.StallFitting); err != nil {
		return nil, err
	}
	fit, err := fitAndScore(ctx, rt, algorithm, proj.task, trainSet, testSet, hyperparams, true)
	if err != nil {
		return nil, err
	}
	defer closeModel(fit.model)
	model, used, metrics := fit.model, fit.used, fit.metrics
	releaseHeap()

	if err := enter(phaseStoring); err != nil {
		return nil, err
	}
	modelID, err := storeModel(ctx, proj, snap, algorithm, rt, used, req, model, metrics, searchResults)
	if err != nil {
		return nil, err
	}
	if err := storePipeline(modelID, pipeline); err != nil {
		return nil, err
	}
	deployed := false
	if req.automaticDeploy {
		if deployed, err = deployIfAllowedAndBetter(proj, modelID, metrics); err != nil {
			return nil, err
		}
	}
	return &trainResult{project: proj.name, task: proj.task.String(), algorithm: algorithm, deployed: deployed}, nil
}

// splitInPlace reorders the rows so that the training set comes first and the test set
// after it, and returns both as views of the same storage: the split copies nothing.
func splitInPlace(ctx context.Context, data *trainingData, task algorithms.Task, snap *snapshot) (dataSplit, dataSplit, error) {
	if err := enter(phaseSplitting); err != nil {
		return dataSplit{}, dataSplit{}, err
	}
	var stratifyBy []float64
	if task == algorithms.Classification {
		stratifyBy = data.y.Data
	}
	trainRows, testRows, err := sampling.SplitContext(ctx, data.x.Rows, stratifyBy, snap.testSize, snap.testSampling, splitSeed)
	if err != nil {
		return dataSplit{}, dataSplit{}, interrupted(ctx, newError(stateInvalidParameter, "%s", err.Error()))
	}
	if err := sampling.Arrange(ctx, append(trainRows, testRows...), data.x, data.y); err != nil {
		return dataSplit{}, dataSplit{}, interrupted(ctx, err)
	}
	n := len(trainRows)
	return dataSplit{rowsOf(data.x, 0, n), rowsOf(data.y, 0, n)}, dataSplit{rowsOf(data.x, n, data.x.Rows), rowsOf(data.y, n, data.y.Rows)}, nil
}

// rowsOf is rows [lo, hi) of m, sharing its storage.
func rowsOf(m algorithms.Matrix, lo, hi int) algorithms.Matrix {
	return algorithms.Matrix{Rows: hi - lo, Cols: m.Cols, Data: m.Data[lo*m.Cols : hi*m.Cols : hi*m.Cols]}
}

// interrupted reports a cancelled context as an interrupt for C to handle, other errors as is.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errInterrupted
	}
	return err
}

// defaultAlgorithm applies PostgresML 2.x's defaults: `linear` means kmeans for clustering
// and pca for decomposition.
func defaultAlgorithm(algorithm string, task algorithms.Task) string {
	if algorithm != "linear" {
		return algorithm
	}
	switch task {
	case algorithms.Clustering:
		return "kmeans"
	case algorithms.Decomposition:
		return "pca"
	}
	return algorithm
}

// snapshotAndRead records a snapshot (or reuses the project's last one) and reads its rows.
func snapshotAndRead(ctx context.Context, proj *project, req *trainRequest, admit *trainingAdmission) (*snapshot, *trainingData, error) {
	if err := enter(phaseSnapshot); err != nil {
		return nil, nil, err
	}
	var snap *snapshot
	var rel *relation
	var err error
	if req.relationGiven {
		if len(req.yColumns) == 0 && proj.task.Supervised() {
			return nil, nil, newError(stateInvalidParameter, "You must pass a `y_column_name` when you pass a `relation_name` for a supervised task.")
		}
		if rel, err = resolveRelation(req.relationName); err != nil {
			return nil, nil, err
		}
		if err := rel.checkReadable(""); err != nil {
			return nil, nil, err
		}
		snap = &snapshot{relationName: req.relationName, yColumns: req.yColumns, testSize: req.testSize, testSampling: req.testSampling, materialized: req.materializeSnapshot}
		if err := validateSplitArgs(snap); err != nil {
			return nil, nil, err
		}
		if err := insertSnapshot(snap, "in_progress"); err != nil {
			return nil, nil, err
		}
	} else {
		if snap, err = lastSnapshot(proj.id); err != nil {
			return nil, nil, err
		}
		if len(req.yColumns) > 0 && strings.Join(req.yColumns, "\x00") != strings.Join(snap.yColumns, "\x00") {
			if err := notice("y_column_name is ignored without relation_name: the project's last snapshot (%s, labels %s) is reused",
				snap.relationName, strings.Join(snap.yColumns, ", ")); err != nil {
				return nil, nil, err
			}
		}
		name := snap.relationName
		if snap.materialized {
			name = snap.tableName()
		}
		if rel, err = resolveRelation(name); err != nil {
			return nil, nil, err
		}
		hint := ""
		if snap.materialized {
			hint = "The project's last snapshot is a copy that another role materialized: GRANT SELECT ON " + snap.tableName() +
				" to this role, or pass relation_name to train on a relation it may read."
		}
		if err := rel.checkReadable(hint); err != nil {
			return nil, nil, err
		}
	}
	features, labels, err := rel.splitColumns(snap.yColumns)
	if err != nil {
		return nil, nil, err
	}
	source := rel.qualifiedName()
	if req.relationGiven && snap.materialized {
		if err := materialize(snap, source, append(features, labels...)); err != nil {
			return nil, nil, err
		}
		source = snap.tableName()
	}
	if err := enter(phaseReading); err != nil {
		return nil, nil, err
	}
	if err := stallIfInjected(faults.StallReading); err != nil {
		return nil, nil, err
	}
	data, err := readTrainingData(ctx, source, features, labels, admit.reading(len(labels)))
	if err != nil {
		return nil, nil, err
	}
	if data.x.Rows == 0 {
		return nil, nil, newError(stateNoData, "Relation `%s` contains no rows. Did you pass the correct `relation_name`?", snap.relationName)
	}
	return snap, data, nil
}

func validateSplitArgs(s *snapshot) error {
	if math.IsNaN(s.testSize) || s.testSize <= 0 {
		return newError(stateInvalidParameter, "test_size must be a positive fraction (<= 1) or row count (> 1), got %g", s.testSize)
	}
	switch s.testSampling {
	case "random", "first", "last", "stratified":
		return nil
	}
	return newError(stateInvalidParameter, "unknown test_sampling `%s`, available options are: random, first, last, stratified", s.testSampling)
}

// gatherRows copies the given rows of m into a new matrix.
func gatherRows(ctx context.Context, m algorithms.Matrix, rows []int) (algorithms.Matrix, error) {
	out := algorithms.Matrix{Rows: len(rows), Cols: m.Cols, Data: make([]float64, len(rows)*m.Cols)}
	check := cancel.New(ctx)
	for i, r := range rows {
		copy(out.Data[i*m.Cols:(i+1)*m.Cols], m.Data[r*m.Cols:(r+1)*m.Cols])
		if err := check.Add(m.Cols); err != nil {
			return algorithms.Matrix{}, errInterrupted
		}
	}
	return out, nil
}
