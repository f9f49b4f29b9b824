package lifecycle

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// deployFixture is a project with models, each with r2 given as JSON text ("" for none).
type deployFixture struct {
	sess   *Session
	store  *memStore
	proj   *projectRow
	models map[string]*modelRow
}

type fixtureModel struct {
	name, algorithm, status, r2 string
}

func newDeployFixture(t *testing.T, task string, models ...fixtureModel) *deployFixture {
	sess, store, _ := newTestSession(t)
	f := &deployFixture{sess: sess, store: store, proj: store.addProject("P", task), models: map[string]*modelRow{}}
	for _, m := range models {
		metrics := "{}"
		if m.r2 != "" {
			metrics = fmt.Sprintf(`{"%s": %s, "fit_time": 0.1}`, targetMetric(mustTask(t, task)), m.r2)
		}
		f.models[m.name] = store.addModel(f.proj.id, m.algorithm, m.status, metrics)
	}
	return f
}

func (f *deployFixture) deploy(names ...string) {
	for _, n := range names {
		f.store.addDeployment(f.proj.id, f.models[n].id, "specific")
	}
}

// deployed is the model of the project's last deployment and its strategy.
func (f *deployFixture) deployed(t *testing.T) (string, string) {
	t.Helper()
	ds := f.store.projectDeployments(f.proj.id)
	if len(ds) == 0 {
		return "", ""
	}
	for name, m := range f.models {
		if m.id == ds[0].modelID {
			return name, ds[0].strategy
		}
	}
	t.Fatalf("deployed model %d is no fixture model", ds[0].modelID)
	return "", ""
}

func (f *deployFixture) strategy(t *testing.T, strategy, algorithm string, want string) {
	t.Helper()
	before := len(f.store.deployments)
	res, err := f.sess.DeployStrategy("P", strategy, algorithm, algorithm != "")
	if err != nil {
		t.Fatalf("%s %q: %v", strategy, algorithm, err)
	}
	got, recorded := f.deployed(t)
	if got != want || recorded != strategy || len(f.store.deployments) != before+1 {
		t.Fatalf("%s %q deployed %s (strategy %s, %d new deployments), want %s", strategy, algorithm, got, recorded, len(f.store.deployments)-before, want)
	}
	if *res != (DeployResult{Project: "P", Strategy: strategy, Algorithm: f.models[want].algorithm}) {
		t.Fatalf("%s returned %+v", strategy, res)
	}
}

func successful(name, algorithm, r2 string) fixtureModel {
	return fixtureModel{name, algorithm, "successful", r2}
}

func TestBestScoreRanksByMetricAsNumber(t *testing.T) {
	// As text "-10" sorts after "-1.5": the number must decide.
	f := newDeployFixture(t, "regression", successful("a", "linear", "-1.5"), successful("b", "linear", "-10"))
	f.strategy(t, "best_score", "", "a")
}

func TestBestScoreOrder(t *testing.T) {
	f := newDeployFixture(t, "regression",
		successful("low", "linear", "0.5"),
		successful("tie_old", "linear", "0.9"),
		successful("none", "linear", ""),
		successful("text", "linear", `"0.99"`),
		successful("tie_new", "linear", "0.9"),
		fixtureModel{"failed", "linear", "error", "0.999"},
		successful("ridge", "ridge", "0.7"),
		successful("ridge_none", "ridge", ""),
	)
	f.strategy(t, "best_score", "", "tie_new")
	f.strategy(t, "best_score", "ridge", "ridge")
}

func TestBestScoreWithoutMetricsTakesNewest(t *testing.T) {
	f := newDeployFixture(t, "classification", successful("old", "linear", ""), successful("new", "linear", ""))
	f.strategy(t, "best_score", "", "new")
	// Classification ranks by f1: a model with only r2 has no metric.
	f.store.models[0].metrics = `{"f1": 0.2, "r2": 0.9}`
	f.store.models[1].metrics = `{"r2": 0.95}`
	f.strategy(t, "best_score", "", "old")
}

func TestMostRecent(t *testing.T) {
	f := newDeployFixture(t, "regression", successful("a", "linear", "0.9"), successful("b", "linear", "0.1"),
		successful("c", "ridge", "0.5"), fixtureModel{"d", "linear", "error", "0.5"})
	f.strategy(t, "most_recent", "", "c")
	f.strategy(t, "most_recent", "linear", "b")
	// Created in the same microsecond: the higher id wins.
	f.models["a"].created = f.models["b"].created
	f.models["c"].created = 0
	f.strategy(t, "most_recent", "", "b")
	// created_at decides before ids.
	f.models["a"].created = f.models["b"].created + 1
	f.strategy(t, "most_recent", "", "a")
}

func TestRollback(t *testing.T) {
	f := newDeployFixture(t, "regression", successful("a", "linear", "0.1"), successful("b", "ridge", "0.2"), successful("c", "linear", "0.3"))
	f.deploy("a", "b", "a", "c")
	f.strategy(t, "rollback", "", "a")
	f.strategy(t, "rollback", "", "c")
	f.strategy(t, "rollback", "", "a")
	// History c, a (current): rollback with an algorithm skips b.
	f.strategy(t, "rollback", "ridge", "b")
	f.strategy(t, "rollback", "linear", "a")
}

func TestRollbackWithoutAnotherModel(t *testing.T) {
	noData := "No qualified models exist for this deployment."
	f := newDeployFixture(t, "regression", successful("a", "linear", "0.1"), successful("b", "ridge", "0.2"))
	_, err := f.sess.DeployStrategy("P", "rollback", "", false)
	wantError(t, err, StateNoData, noData)
	f.deploy("a", "a")
	_, err = f.sess.DeployStrategy("P", "rollback", "", false)
	wantError(t, err, StateNoData, noData)
	f.deploy("b", "a")
	_, err = f.sess.DeployStrategy("P", "rollback", "xgboost", true)
	wantError(t, err, StateNoData, regressError(t, "errors.out", "No qualified models"))
	if len(f.store.deployments) != 4 {
		t.Fatalf("a refused rollback inserted a deployment: %d rows", len(f.store.deployments))
	}
}

func TestDeployStrategyErrors(t *testing.T) {
	f := newDeployFixture(t, "regression", successful("a", "linear", "0.1"))
	cases := []struct {
		project, strategy, algorithm string
		state, msg                   string
	}{
		{"P", "worst_score", "", StateInvalidParameter, regressError(t, "errors.out", "unknown strategy")},
		{"P", "new_score", "", StateInvalidParameter, regressError(t, "errors.out", "invalid strategy `new_score`")},
		{"P", "specific", "", StateInvalidParameter, "invalid strategy `specific`: it is recorded by pgml.train and pgml.deploy(model_id), not chosen by name"},
		{"P", "best_score", "no_such_algorithm", StateInvalidParameter, regressError(t, "errors.out", "unknown algorithm `no_such_algorithm`")},
		{"No Such Project", "best_score", "", StateUndefinedObject, regressError(t, "errors.out", "Project named")},
		{"P", "best_score", "xgboost", StateNoData, "No qualified models exist for this deployment."},
	}
	for _, c := range cases {
		_, err := f.sess.DeployStrategy(c.project, c.strategy, c.algorithm, c.algorithm != "")
		wantError(t, err, c.state, c.msg)
	}
	if len(f.store.deployments) != 0 {
		t.Fatalf("refused deploys inserted %d deployments", len(f.store.deployments))
	}
}

func TestDeployModel(t *testing.T) {
	f := newDeployFixture(t, "regression", successful("a", "ridge", "0.1"), fixtureModel{"bad", "linear", "error", ""})
	res, err := f.sess.DeployModel(f.models["a"].id)
	if err != nil {
		t.Fatal(err)
	}
	if got, strategy := f.deployed(t); got != "a" || strategy != "specific" || *res != (DeployResult{"P", "specific", "ridge"}) {
		t.Fatalf("deployed %s with %s, returned %+v", got, strategy, res)
	}
	_, err = f.sess.DeployModel(-1)
	wantError(t, err, StateUndefinedObject, regressError(t, "errors.out", "pgml.models WHERE id = -1"))
	_, err = f.sess.DeployModel(f.models["bad"].id)
	wantError(t, err, StateInvalidParameter, fmt.Sprintf("model %d has status error and cannot be deployed", f.models["bad"].id))
	if len(f.store.deployments) != 1 {
		t.Fatalf("%d deployments, want 1", len(f.store.deployments))
	}
}

func TestAutomaticDeployRule(t *testing.T) {
	cases := []struct {
		name        string
		deployedR2  string // "" none deployed, "{}" deployed without r2
		newMetrics  map[string]float64
		mayDeploy   bool
		wantDeploy  bool
		wantNotices []string // {id} is the deployed model's id
	}{
		{"first model", "", map[string]float64{"r2": 0.1}, true, true, nil},
		{"better", "0.8", map[string]float64{"r2": 0.9}, true, true, nil},
		{"equal", "0.8", map[string]float64{"r2": 0.8}, true, true, nil},
		{"worse", "0.9", map[string]float64{"r2": 0.8}, true, false,
			[]string{"not deploying: the deployed model {id} has r2 0.9, better than this model's 0.8"}},
		{"new without metric", "0.9", map[string]float64{"mse": 1}, true, false,
			[]string{"not deploying: the new model has no r2, the deployed model {id} has one"}},
		{"new NaN", "0.9", map[string]float64{"r2": math.NaN()}, true, false,
			[]string{"not deploying: the new model has no r2, the deployed model {id} has one"}},
		{"deployed without metric", "{}", map[string]float64{"r2": -5}, true, true, nil},
		{"deployed metric as text", `"0.99"`, map[string]float64{"r2": 0.1}, true, true, nil},
		{"role may not deploy", "", map[string]float64{"r2": 0.9}, false, false,
			[]string{"not deploying the new model: this role may train but not deploy (it has no EXECUTE on pgml.deploy)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var models []fixtureModel
			if c.deployedR2 != "" {
				models = append(models, successful("deployed", "linear", c.deployedR2))
			}
			models = append(models, successful("new", "linear", ""))
			f := newDeployFixture(t, "regression", models...)
			deployedID := int64(0)
			if c.deployedR2 != "" {
				if c.deployedR2 == "{}" {
					f.models["deployed"].metrics = "{}"
				}
				f.deploy("deployed")
				deployedID = f.models["deployed"].id
			}
			f.store.mayDeploy = c.mayDeploy
			proj := &project{id: f.proj.id, name: "P", task: mustTask(t, "regression")}
			got, err := f.sess.deployIfAllowedAndBetter(proj, f.models["new"].id, c.newMetrics)
			if err != nil {
				t.Fatal(err)
			}
			current, strategy := f.deployed(t)
			if got != c.wantDeploy || (current == "new") != c.wantDeploy || (c.wantDeploy && strategy != "new_score") {
				t.Fatalf("deployed %v, current %s (%s), want deployed %v", got, current, strategy, c.wantDeploy)
			}
			notices := f.store.reported(Notice)
			if len(notices) != len(c.wantNotices) {
				t.Fatalf("notices %q, want %q", notices, c.wantNotices)
			}
			for i, n := range c.wantNotices {
				if want := strings.ReplaceAll(n, "{id}", fmt.Sprint(deployedID)); notices[i] != want {
					t.Fatalf("notice %q, want %q", notices[i], want)
				}
			}
		})
	}
}

func TestAutomaticDeployUsesTaskMetric(t *testing.T) {
	f := newDeployFixture(t, "classification", successful("deployed", "linear", "0.9"), successful("new", "linear", ""))
	f.deploy("deployed")
	proj := &project{id: f.proj.id, name: "P", task: mustTask(t, "classification")}
	// A better r2 does not matter for classification: f1 decides.
	deployed, err := f.sess.deployIfBetter(proj, f.models["new"].id, map[string]float64{"f1": 0.5, "r2": 1})
	if err != nil || deployed {
		t.Fatalf("deployed %v, %v; want not deployed on f1", deployed, err)
	}
	want := fmt.Sprintf("not deploying: the deployed model %d has f1 0.9, better than this model's 0.5", f.models["deployed"].id)
	if n := f.store.reported(Notice); len(n) != 1 || n[0] != want {
		t.Fatalf("notices %q, want %q", n, want)
	}
}
