package lifecycle

import (
	"encoding/json"
	"math"
)

// The deploy rules: which model a strategy picks, and whether a new model replaces the
// deployed one. The store lists candidates; the choice is made here, in Go, so that
// deploy_test.go checks every rule without a database.

// DeployResult is pgml.deploy's result row.
type DeployResult struct {
	Project   string
	Strategy  string
	Algorithm string
}

// candidate is a model a strategy may choose, as the store lists it.
type candidate struct {
	id        int64
	algorithm string
	// metric is the task's metric when the model's metrics hold it as a number.
	metric    float64
	hasMetric bool
	created   int64 // microseconds since the epoch
}

// strategies of pgml.deploy(project, strategy, algorithm) that pick a model by name;
// algorithm "" means any.
var strategies = map[string]func(sess *Session, proj *project, algorithm string) (*candidate, error){
	"best_score":  (*Session).bestScore,
	"most_recent": (*Session).mostRecent,
	"rollback":    (*Session).rollback,
}

// DeployStrategy is pgml.deploy(project, strategy, algorithm); without an algorithm (given
// false) the strategy chooses among all.
func (sess *Session) DeployStrategy(projectName, strategy, algorithm string, given bool) (*DeployResult, error) {
	choose, known := strategies[strategy]
	if !known {
		if strategy == "new_score" || strategy == "specific" {
			return nil, Errorf(StateInvalidParameter, "invalid strategy `%s`: it is recorded by pgml.train and pgml.deploy(model_id), not chosen by name", strategy)
		}
		return nil, Errorf(StateInvalidParameter, "unknown strategy `%s`, available options are: best_score, most_recent, rollback", strategy)
	}
	if given {
		canonical, err := NormalizeAlgorithm(algorithm)
		if err != nil {
			return nil, err
		}
		algorithm = canonical
	}
	proj, err := sess.findProject(projectName)
	if err != nil {
		return nil, err
	}
	if proj == nil {
		return nil, Errorf(StateUndefinedObject, "Project named `%s` does not exist.", projectName)
	}
	chosen, err := choose(sess, proj, algorithm)
	if err != nil {
		return nil, err
	}
	if chosen == nil {
		return nil, Errorf(StateNoData, "No qualified models exist for this deployment.")
	}
	if err := sess.insertDeployment(proj.id, chosen.id, strategy); err != nil {
		return nil, err
	}
	return &DeployResult{Project: projectName, Strategy: strategy, Algorithm: chosen.algorithm}, nil
}

// DeployModel is pgml.deploy(model_id): the strategy recorded is "specific".
func (sess *Session) DeployModel(modelID int64) (*DeployResult, error) {
	rows, err := sess.query(`SELECT m.project_id, p.name, m.algorithm, m.status FROM pgml.models m
		JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`, modelID)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Errorf(StateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	if rows[0].Str(3) != "successful" {
		return nil, Errorf(StateInvalidParameter, "model %d has status %s and cannot be deployed", modelID, rows[0].Str(3))
	}
	if err := sess.insertDeployment(rows[0].Int64(0), modelID, "specific"); err != nil {
		return nil, err
	}
	return &DeployResult{Project: rows[0].Str(1), Strategy: "specific", Algorithm: rows[0].Str(2)}, nil
}

// successfulModels lists the project's successful models (of algorithm, unless "") with the
// task's metric.
func (sess *Session) successfulModels(proj *project, algorithm string) ([]candidate, error) {
	rows, err := sess.query(`SELECT m.id, m.algorithm, m.metrics -> $2, (extract(epoch FROM m.created_at) * 1000000)::int8
		FROM pgml.models m WHERE m.project_id = $1 AND m.status = 'successful'`, proj.id, targetMetric(proj.task))
	if err != nil {
		return nil, err
	}
	var models []candidate
	for _, r := range rows {
		if algorithm != "" && r.Str(1) != algorithm {
			continue
		}
		c := candidate{id: r.Int64(0), algorithm: r.Str(1), created: r.Int64(3)}
		c.metric, c.hasMetric = metricNumber(r[2])
		models = append(models, c)
	}
	return models, nil
}

// metricNumber reads a jsonb metric value: a number, or nothing (NULL, a string, NaN).
func metricNumber(v Value) (float64, bool) {
	var f float64
	if v.Null || json.Unmarshal([]byte(v.Text), &f) != nil || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// bestScore ranks by the task's metric as a number (PostgresML compared its text), models
// without one last, the newest model first among equals.
func (sess *Session) bestScore(proj *project, algorithm string) (*candidate, error) {
	models, err := sess.successfulModels(proj, algorithm)
	if err != nil {
		return nil, err
	}
	return best(models, func(a, b *candidate) bool {
		if a.hasMetric != b.hasMetric {
			return a.hasMetric
		}
		if a.hasMetric && a.metric != b.metric {
			return a.metric > b.metric
		}
		return a.id > b.id
	}), nil
}

// mostRecent picks the model created last.
func (sess *Session) mostRecent(proj *project, algorithm string) (*candidate, error) {
	models, err := sess.successfulModels(proj, algorithm)
	if err != nil {
		return nil, err
	}
	return best(models, func(a, b *candidate) bool {
		if a.created != b.created {
			return a.created > b.created
		}
		return a.id > b.id
	}), nil
}

// best is the candidate that better ranks before every other, nil when there is none.
func best(models []candidate, better func(a, b *candidate) bool) *candidate {
	var chosen *candidate
	for i := range models {
		if chosen == nil || better(&models[i], chosen) {
			chosen = &models[i]
		}
	}
	return chosen
}

// rollback picks the most recently deployed model other than the current one.
func (sess *Session) rollback(proj *project, algorithm string) (*candidate, error) {
	rows, err := sess.query(`SELECT d.model_id, m.algorithm FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id
		WHERE d.project_id = $1 ORDER BY d.id DESC`, proj.id)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	current := rows[0].Int64(0)
	for _, r := range rows[1:] {
		if r.Int64(0) != current && (algorithm == "" || r.Str(1) == algorithm) {
			return &candidate{id: r.Int64(0), algorithm: r.Str(1)}, nil
		}
	}
	return nil, nil
}

// deployIfAllowedAndBetter deploys automatically for a role that may deploy (EXECUTE on
// pgml.deploy): training and deploying are separate privileges (docs/privileges.md).
func (sess *Session) deployIfAllowedAndBetter(proj *project, modelID int64, m map[string]float64) (bool, error) {
	allowed, err := sess.callerMayDeploy()
	if err != nil {
		return false, err
	}
	if !allowed {
		return false, sess.notice("not deploying the new model: this role may train but not deploy (it has no EXECUTE on pgml.deploy)")
	}
	return sess.deployIfBetter(proj, modelID, m)
}

// deployIfBetter applies PostgresML 2.x's rule: deploy unless the deployed model is strictly
// better on the task's metric, compared as numbers.
func (sess *Session) deployIfBetter(proj *project, modelID int64, m map[string]float64) (bool, error) {
	key := targetMetric(proj.task)
	rows, err := sess.query(`SELECT m.id, m.metrics -> $2
		FROM pgml.deployments d JOIN pgml.models m ON m.id = d.model_id
		WHERE d.project_id = $1 ORDER BY d.id DESC LIMIT 1`, proj.id, key)
	if err != nil {
		return false, err
	}
	newValue, newOK := m[key]
	newOK = newOK && !math.IsNaN(newValue)
	if len(rows) == 1 {
		deployedValue, deployedHas := metricNumber(rows[0][1])
		switch {
		case deployedHas && !newOK:
			return false, sess.notice("not deploying: the new model has no %s, the deployed model %s has one", key, rows[0].Str(0))
		case deployedHas && newOK && deployedValue > newValue:
			return false, sess.notice("not deploying: the deployed model %s has %s %.6g, better than this model's %.6g", rows[0].Str(0), key, deployedValue, newValue)
		}
	}
	if err := sess.insertDeployment(proj.id, modelID, "new_score"); err != nil {
		return false, err
	}
	return true, nil
}

func (sess *Session) insertDeployment(projectID, modelID int64, strategy string) error {
	_, err := sess.query(`INSERT INTO pgml.deployments (project_id, model_id, strategy) VALUES ($1, $2, $3)`, projectID, modelID, strategy)
	return err
}
