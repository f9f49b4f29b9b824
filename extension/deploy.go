package main

/*
#include "shim.h"
*/
import "C"

// Strategies of pgml.deploy(project, strategy, algorithm).
var deployStrategies = map[string]string{
	// best_score ranks by the task's metric as a number (PostgresML compared text).
	"best_score": `SELECT m.id, m.algorithm FROM pgml.models m
		WHERE m.project_id = $1 AND m.status = 'successful' AND ($2::text IS NULL OR m.algorithm = $2)
		ORDER BY CASE WHEN jsonb_typeof(m.metrics -> $3) = 'number' THEN (m.metrics ->> $3)::float8 END DESC NULLS LAST, m.id DESC
		LIMIT 1`,
	"most_recent": `SELECT m.id, m.algorithm FROM pgml.models m
		WHERE m.project_id = $1 AND m.status = 'successful' AND ($2::text IS NULL OR m.algorithm = $2)
		ORDER BY m.created_at DESC, m.id DESC
		LIMIT 1`,
	// rollback: the most recently deployed model other than the current one.
	"rollback": `SELECT m.id, m.algorithm FROM pgml.models m JOIN pgml.deployments d ON d.model_id = m.id
		WHERE d.project_id = $1 AND ($2::text IS NULL OR m.algorithm = $2)
		  AND m.id IS DISTINCT FROM (SELECT model_id FROM pgml.deployments WHERE project_id = $1 ORDER BY id DESC LIMIT 1)
		GROUP BY m.id, m.algorithm
		ORDER BY max(d.id) DESC
		LIMIT 1`,
}

//export pgmlGoDeployStrategy
func pgmlGoDeployStrategy(projectArg, strategyArg, algorithmArg C.PgmlText, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		name, ok := goText(projectArg)
		if !ok {
			return newError(stateNullValue, "project_name must not be NULL")
		}
		strategy, ok := goText(strategyArg)
		if !ok {
			return newError(stateNullValue, "strategy must not be NULL")
		}
		sql, known := deployStrategies[strategy]
		if !known {
			if strategy == "new_score" || strategy == "specific" {
				return newError(stateInvalidParameter, "invalid strategy `%s`: it is recorded by pgml.train and pgml.deploy(model_id), not chosen by name", strategy)
			}
			return newError(stateInvalidParameter, "unknown strategy `%s`, available options are: best_score, most_recent, rollback", strategy)
		}
		var algorithm any
		if a, given := goText(algorithmArg); given {
			canonical, err := normalizeAlgorithm(a)
			if err != nil {
				return err
			}
			algorithm = canonical
		}
		proj, err := findProject(name)
		if err != nil {
			return err
		}
		if proj == nil {
			return newError(stateUndefinedObject, "Project named `%s` does not exist.", name)
		}
		rows, err := query(sql, proj.id, algorithm, targetMetric(proj.task))
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return newError(stateNoData, "No qualified models exist for this deployment.")
		}
		if err := insertDeployment(proj.id, rows[0].int64(0), strategy); err != nil {
			return err
		}
		setResultText(out, 0, name)
		setResultText(out, 1, strategy)
		setResultText(out, 2, rows[0].str(1))
		return nil
	})
}

//export pgmlGoDeployModel
func pgmlGoDeployModel(modelID C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		rows, err := query(`SELECT m.project_id, p.name, m.algorithm, m.status FROM pgml.models m
			JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`, int64(modelID))
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return newError(stateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", int64(modelID))
		}
		if rows[0].str(3) != "successful" {
			return newError(stateInvalidParameter, "model %d has status %s and cannot be deployed", int64(modelID), rows[0].str(3))
		}
		if err := insertDeployment(rows[0].int64(0), int64(modelID), "specific"); err != nil {
			return err
		}
		setResultText(out, 0, rows[0].str(1))
		setResultText(out, 1, "specific")
		setResultText(out, 2, rows[0].str(2))
		return nil
	})
}
