package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"

	"github.com/pgml-go/pgml/lifecycle"
)

//export pgmlGoTrain
func pgmlGoTrain(args *C.PgmlTrainArgs, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		req, err := decodeTrainArgs(args)
		if err != nil {
			return err
		}
		sess := newSession()
		var result *lifecycle.TrainResult
		err = sess.WithInterrupts(func(ctx context.Context) error {
			result, err = sess.Train(ctx, req)
			return err
		})
		lifecycle.ReleaseMemory()
		if err != nil {
			return err
		}
		setResultText(out, 0, result.Project)
		setResultText(out, 1, result.Task)
		setResultText(out, 2, result.Algorithm)
		out.flag = C.bool(result.Deployed)
		return nil
	})
}

func decodeTrainArgs(args *C.PgmlTrainArgs) (*lifecycle.TrainRequest, error) {
	req := &lifecycle.TrainRequest{AutomaticDeploy: bool(args.automatic_deploy), MaterializeSnapshot: bool(args.materialize_snapshot)}
	var ok bool
	if req.ProjectName, ok = goText(args.project_name); !ok {
		return nil, nullArgument("project_name")
	}
	req.Task, req.TaskGiven = goText(args.task)
	req.RelationName, req.RelationGiven = goText(args.relation_name)
	req.YColumns = goTexts(args.y_columns, args.n_y_columns)
	if req.Algorithm, ok = goText(args.algorithm); !ok {
		req.Algorithm = "linear" // PostgresML 1.0 treats NULL as the default
	}
	req.Hyperparams, _ = goText(args.hyperparams)
	req.Search, req.SearchGiven = goText(args.search)
	req.SearchParams, _ = goText(args.search_params)
	req.SearchArgs, _ = goText(args.search_args)
	req.TestSize = 0.25
	if !bool(args.test_size_isnull) {
		req.TestSize = float64(args.test_size)
	}
	if req.TestSampling, ok = goText(args.test_sampling); !ok {
		req.TestSampling = "stratified"
	}
	req.Runtime, req.RuntimeGiven = goText(args.runtime)
	req.Preprocess, _ = goText(args.preprocess)
	return req, nil
}

//export pgmlGoSnapshot
func pgmlGoSnapshot(relationArg C.PgmlText, yColumns *C.PgmlText, nY C.int, testSize C.double, testSizeNull C.bool,
	samplingArg, preprocessArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		req := &lifecycle.SnapshotRequest{TestSize: float64(testSize), TestSizeNull: bool(testSizeNull)}
		var ok bool
		req.RelationName, ok = goText(relationArg)
		if !ok || yColumns == nil {
			return lifecycle.Errorf(lifecycle.StateNullValue, "pgml.snapshot needs a relation_name and a y_column_name")
		}
		req.YColumns = goTexts(yColumns, nY)
		req.TestSampling, ok = goText(samplingArg)
		req.SamplingNull = !ok
		req.Preprocess, _ = goText(preprocessArg)
		id, err := newSession().TakeSnapshot(req)
		out.number = C.int64_t(id)
		return err
	})
}
