package harness

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// fuzzVectors is the table the aggregates also run over, with parallel plans allowed: 20,000
// rows of 8 elements, one in 1,000 NULL.
const fuzzVectors = `CREATE TABLE fuzz.vecs AS SELECT g AS id,
	CASE WHEN g % 1000 = 0 THEN NULL ELSE ARRAY[(g % 7)::real, ((g * 3) % 11)::real / 4, (g % 5)::real - 2, g::real / 1000,
		((g * 13) % 17)::real, -((g % 9)::real), ((g * 7) % 3)::real, 1.5::real] END AS r,
	CASE WHEN g % 1000 = 0 THEN NULL ELSE ARRAY[(g % 7)::float8, ((g * 3) % 11)::float8 / 4, (g % 5)::float8 - 2, g::float8 / 1000,
		((g * 13) % 17)::float8, -((g % 9)::float8), ((g * 7) % 3)::float8, 1.5::float8] END AS d
	FROM generate_series(1, 20000) AS g`

// fuzzPlan sizes the generated run.
type fuzzPlan struct {
	calls int  // random calls after the systematic ones
	long  bool // every algorithm × task × runtime, every relation × algorithm family
}

// generate returns the calls of one run: the systematic ones first (every function with valid
// arguments and with NULL in each position, every algorithm × task, every data shape × task,
// out-of-range hyperparameters of every native algorithm), then plan.calls random calls.
func (g *fuzzGen) generate(funcs []*fuzzFunc, plan fuzzPlan) []*fuzzCase {
	var cases []*fuzzCase
	add := func(c *fuzzCase) {
		c.index = len(cases) + 1
		cases = append(cases, c)
	}
	for _, fn := range funcs {
		add(g.call(fn, "valid arguments", 0, -1))
		for i := range fn.argTypes {
			add(g.call(fn, fmt.Sprintf("NULL %s", argName(fn, i)), 0, i))
		}
	}

	train := findFunc(funcs, "train", "project_name text, task text, relation_name text, y_column_name text,")
	if train != nil {
		v := &g.fx.vocab
		for _, algorithm := range v.algorithms {
			tasks := v.tasks
			if !plan.long {
				tasks = []string{pickFrom(g, v.tasks)}
			}
			for _, task := range tasks {
				runtimes := []string{""}
				if plan.long {
					runtimes = append(runtimes, v.runtimes...)
				}
				for _, runtime := range runtimes {
					add(g.training(train, "algorithm × task", task, algorithm, runtime, g.relationFor(task)))
				}
			}
		}
		for i := range g.fx.relations {
			rel := &g.fx.relations[i]
			for _, task := range v.tasks {
				algorithms := []string{""}
				if plan.long {
					algorithms = append(algorithms, v.nativeByTask[task]...)
				}
				for _, algorithm := range algorithms {
					add(g.training(train, "data shape: "+rel.shape, task, algorithm, "", rel))
				}
			}
		}
		var bounds []*fuzzCase
		for _, task := range v.tasks {
			for _, algorithm := range v.nativeByTask[task] {
				for _, key := range union(v.hyperparams[algorithm], resourceKeys) {
					for _, value := range []string{"0", "-1", "1e6", "1e9", "1e400"} {
						c := g.training(train, "hyperparameter out of range", task, algorithm, "", g.relationFor(task))
						c.args[train.argIndex("hyperparams")] = jsonArg(fmt.Sprintf("{%q: %s}", key, value), "")
						bounds = append(bounds, c)
					}
				}
			}
		}
		if !plan.long {
			g.rng.Shuffle(len(bounds), func(i, j int) { bounds[i], bounds[j] = bounds[j], bounds[i] })
			bounds = bounds[:min(len(bounds), 40)]
		}
		for _, c := range bounds {
			add(c)
		}
	}

	weights := make([]int, len(funcs))
	total := 0
	for i, fn := range funcs {
		weights[i] = funcWeight(fn)
		total += weights[i]
	}
	for systematic := len(cases); len(cases) < systematic+plan.calls; {
		r := g.pick(total)
		i := 0
		for ; r >= weights[i]; i++ {
			r -= weights[i]
		}
		add(g.call(funcs[i], "random", 0.35, -1))
	}
	return cases
}

func argName(fn *fuzzFunc, i int) string {
	if fn.argNames[i] != "" {
		return fn.argNames[i]
	}
	return fmt.Sprintf("$%d", i+1)
}

// funcWeight makes the random phase spend its calls where inputs are richest.
func funcWeight(fn *fuzzFunc) int {
	switch {
	case fn.isTrigger():
		return 1
	case fn.name == "train" || fn.name == "train_joint":
		return 40
	case strings.HasPrefix(fn.name, "predict") || fn.name == "decompose" || fn.name == "model_predict":
		return 12
	case strings.HasPrefix(fn.name, "sklearn_"):
		return 15
	case fn.isAggregate():
		return 10
	case fn.name == "deploy" || fn.name == "snapshot" || fn.name == "snapshot_copy" || fn.name == "load_dataset":
		return 10
	}
	return 4
}

func findFunc(funcs []*fuzzFunc, name, identityPrefix string) *fuzzFunc {
	for _, fn := range funcs {
		if fn.name == name && strings.HasPrefix(fn.identity, identityPrefix) {
			return fn
		}
	}
	return nil
}

func (g *fuzzGen) relationFor(task string) *fuzzRelation {
	name := "fuzz.reg"
	if task == "classification" {
		name = "fuzz.cls"
	}
	for i := range g.fx.relations {
		if g.fx.relations[i].name == name {
			return &g.fx.relations[i]
		}
	}
	return &g.fx.relations[0]
}

// training is a valid call of train on rel, with algorithm and runtime when not "".
func (g *fuzzGen) training(train *fuzzFunc, purpose, task, algorithm, runtime string, rel *fuzzRelation) *fuzzCase {
	cx := &caseContext{relation: rel, task: task, chosenAlgorithm: algorithm}
	c := &fuzzCase{fn: train, named: true, form: formFrom, purpose: purpose}
	for i := range train.argTypes {
		arg := fuzzArg{omit: true}
		switch train.argNames[i] {
		case "project_name":
			arg = textArg(fmt.Sprintf("fuzz %s %s", task, rel.shape))
		case "task":
			arg = textArg(task)
		case "relation_name":
			arg = textArg(rel.name)
		case "y_column_name":
			if task == "regression" || task == "classification" {
				arg = textArg(rel.labels[0])
			}
		case "algorithm":
			if algorithm != "" {
				arg = textArg(algorithm)
			}
		case "runtime":
			if runtime != "" {
				arg = textArg(runtime)
			}
		case "automatic_deploy":
			arg = fuzzArg{sql: "false", label: "false", value: false}
		case "hyperparams":
			arg = g.hyperparams(cx.chosenAlgorithm, modeValid)
		}
		c.args = append(c.args, arg)
	}
	return c
}

// call generates one call of fn: arguments hostile with probability hostile, NULL at position
// nullAt (-1: none).
func (g *fuzzGen) call(fn *fuzzFunc, purpose string, hostile float64, nullAt int) *fuzzCase {
	c := &fuzzCase{fn: fn, purpose: purpose, form: formSelect}
	if fn.isAggregate() {
		return g.aggregateCall(c, hostile)
	}
	if fn.retset && g.chance(0.7) {
		c.form = formFrom
	}
	cx := g.newContext(fn)
	// About two hostile arguments per call at most: with more, the first one refused hides
	// what the others would reach.
	if n := len(fn.argTypes); n > 0 {
		hostile = min(hostile, 2.0/float64(n))
	}
	modeOf := func() int {
		if g.chance(hostile) {
			return modeHostile
		}
		return modeValid
	}
	args := make([]fuzzArg, len(fn.argTypes))
	// The algorithm first: hyperparameters use its keys.
	if i := fn.argIndex("algorithm"); i >= 0 {
		args[i] = g.value(cx, fn, i, modeOf())
		if s, ok := args[i].value.(string); ok && slices.Contains(g.fx.vocab.algorithms, s) {
			cx.chosenAlgorithm = s
		}
	}
	for i := range fn.argTypes {
		switch {
		case i == nullAt:
			args[i] = nullArg(fn.argTypes[i])
		case args[i].sql != "":
		case hostile > 0 && g.chance(0.03):
			args[i] = nullArg(fn.argTypes[i])
		default:
			args[i] = g.value(cx, fn, i, modeOf())
		}
	}
	c.args = args
	named := true
	for _, n := range fn.argNames {
		named = named && n != ""
	}
	if named && len(fn.argTypes) > 0 && (fn.nDefaults > 0 || g.chance(0.3)) && g.chance(0.6) {
		c.named = true
		// Leave some defaulted arguments out; never the NULL one under test.
		for i := range args {
			if fn.hasDefault(i) && i != nullAt && g.chance(0.4) {
				c.args[i].omit = true
			}
		}
	}
	return c
}

// aggregateCall aggregates rows of arrays, in one of the aggregate forms.
func (g *fuzzGen) aggregateCall(c *fuzzCase, hostile float64) *fuzzCase {
	typ := c.fn.argTypes[0]
	switch g.pick(6) {
	case 0:
		c.form = formAggTable
		col := "r"
		if typ == "double precision[]" {
			col = "d"
		}
		c.column, c.table = col, "fuzz.vecs"
		if g.chance(0.5) {
			c.table = "fuzz.vecs WHERE id % " + strconv.Itoa(2+g.pick(5)) + " = 0"
		}
		return c
	case 1:
		c.form = formWindow
	case 2:
		c.form = formAggGrouped
	default:
		c.form = formAggregate
	}
	cx := &caseContext{length: 1 + g.pick(6)}
	n := g.pick(6)
	elem := strings.TrimSuffix(typ, "[]")
	for i := 0; i < n; i++ {
		switch {
		case g.chance(0.1):
			c.rows = append(c.rows, nullArg(typ))
		case g.chance(hostile):
			c.rows = append(c.rows, g.arrayValue(cx, c.fn, "", elem, modeHostile))
		default:
			c.rows = append(c.rows, g.arrayValue(cx, c.fn, "", elem, modeValid))
		}
	}
	return c
}
