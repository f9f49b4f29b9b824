package main

/*
#include "shim.h"
*/
import "C"

import "github.com/pgml-go/pgml/lifecycle"

//export pgmlGoDeployStrategy
func pgmlGoDeployStrategy(projectArg, strategyArg, algorithmArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		project, ok := goText(projectArg)
		if !ok {
			return nullArgument("project_name")
		}
		strategy, ok := goText(strategyArg)
		if !ok {
			return nullArgument("strategy")
		}
		algorithm, given := goText(algorithmArg)
		result, err := newSession().DeployStrategy(project, strategy, algorithm, given)
		return deployed(out, result, err)
	})
}

//export pgmlGoDeployModel
func pgmlGoDeployModel(modelID C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		result, err := newSession().DeployModel(int64(modelID))
		return deployed(out, result, err)
	})
}

func deployed(out *C.PgmlResultRow, result *lifecycle.DeployResult, err error) error {
	if err != nil {
		return err
	}
	setResultText(out, 0, result.Project)
	setResultText(out, 1, result.Strategy)
	setResultText(out, 2, result.Algorithm)
	return nil
}
