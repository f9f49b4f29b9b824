package treeensemble

import (
	"fmt"
	"math"
	"strconv"
)

// maxFeatures bounds what a stored model may claim, far above any table.
const maxFeatures = 1 << 24

// XGBoostModel is an XGBoost model read by ReadXGBoost.
type XGBoostModel struct {
	*Ensemble
	Objective string
	Booster   string // gbtree, dart or gblinear
}

// xgboostTransforms maps the objectives whose prediction ReadXGBoost
// knows to their output transform and the link XGBoost 1.7 applies to
// base_score (ObjFunction::ProbToMargin) to get the base margin.
var xgboostTransforms = map[string]struct {
	transform Transform
	link      func(float32) float32
}{
	"reg:squarederror":     {Identity, nil},
	"reg:linear":           {Identity, nil},
	"reg:squaredlogerror":  {Identity, nil},
	"reg:pseudohubererror": {Identity, nil},
	"reg:absoluteerror":    {Identity, nil},
	"reg:logistic":         {Sigmoid, logit32},
	"binary:logistic":      {Sigmoid, logit32},
	"binary:logitraw":      {Identity, nil}, // 1.7 adds base_score to the margin as it is
	"binary:hinge":         {Hinge, nil},
	"count:poisson":        {Exp, log32},
	"reg:gamma":            {Exp, log32},
	"reg:tweedie":          {Exp, log32},
	"multi:softprob":       {Softmax, nil},
	"multi:softmax":        {ArgMax, nil},
}

// logit32 is -logf(1/p - 1) in float32, as XGBoost computes it.
func logit32(p float32) float32 { return float32(-math.Log(float64(1/p - 1))) }

func log32(p float32) float32 { return float32(math.Log(float64(p))) }

// ReadXGBoost reads a model saved by XGBoost 1.7 as UBJSON
// (XGBoosterSaveModelToBuffer with format ubj).
func ReadXGBoost(ubj []byte) (*XGBoostModel, error) {
	v, err := parseUBJSON(ubj)
	if err != nil {
		return nil, fmt.Errorf("xgboost model: %w", err)
	}
	d := doc{path: "model"}
	learner := d.object(v, "learner")
	params := d.object(learner, "learner_model_param")
	features := d.intString(params, "num_feature")
	classes := d.intString(params, "num_class")
	targets := d.intString(params, "num_target")
	base := d.floatString(params, "base_score")
	objective := d.str(d.object(learner, "objective"), "name")
	booster := d.object(learner, "gradient_booster")
	kind := d.str(booster, "name")
	if d.err != nil {
		return nil, d.err
	}
	if features < 1 || features > maxFeatures {
		return nil, fmt.Errorf("xgboost model: %d features", features)
	}
	outputs := max(classes, targets, 1)
	if outputs > 1<<20 || (classes > 1 && targets > 1) {
		return nil, fmt.Errorf("xgboost model: %d classes and %d targets", classes, targets)
	}
	how, ok := xgboostTransforms[objective]
	if !ok {
		return nil, fmt.Errorf("xgboost model: objective %q is not supported", objective)
	}
	if (how.transform == Softmax || how.transform == ArgMax) != (classes > 0) {
		return nil, fmt.Errorf("xgboost model: objective %q with num_class %d", objective, classes)
	}
	margin := base
	if how.link != nil {
		margin = how.link(base)
	}
	if math.IsNaN(float64(margin)) || math.IsInf(float64(margin), 0) {
		return nil, fmt.Errorf("xgboost model: base_score %g is out of the range of objective %q", base, objective)
	}
	e := &Ensemble{features: features, outputs: outputs, baseMargin: margin, transform: how.transform}
	switch kind {
	case "gbtree":
		err = e.readTrees(&d, d.object(booster, "model"), nil)
	case "dart":
		weights := d.floats(booster, "weight_drop")
		err = e.readTrees(&d, d.object(d.object(booster, "gbtree"), "model"), weights)
	case "gblinear":
		err = e.readLinear(&d, d.object(booster, "model"))
	default:
		err = fmt.Errorf("xgboost model: booster %q is not supported", kind)
	}
	if err == nil {
		err = d.err
	}
	if err != nil {
		return nil, err
	}
	return &XGBoostModel{Ensemble: e, Objective: objective, Booster: kind}, nil
}

func (e *Ensemble) readLinear(d *doc, model map[string]any) error {
	weights := d.floats(model, "weights")
	if d.err != nil {
		return d.err
	}
	if len(weights) != (e.features+1)*e.outputs {
		return fmt.Errorf("xgboost model: %d linear weights for %d features and %d outputs", len(weights), e.features, e.outputs)
	}
	e.linear = weights
	return nil
}

func (e *Ensemble) readTrees(d *doc, model map[string]any, weights []float32) error {
	trees := d.array(model, "trees")
	info := d.ints(model, "tree_info")
	if d.err != nil {
		return d.err
	}
	if len(info) != len(trees) {
		return fmt.Errorf("xgboost model: tree_info has %d entries for %d trees", len(info), len(trees))
	}
	if weights != nil && len(weights) != len(trees) {
		return fmt.Errorf("xgboost model: weight_drop has %d entries for %d trees", len(weights), len(trees))
	}
	e.treeWeight = weights
	for t, tree := range trees {
		if info[t] < 0 || info[t] >= int64(e.outputs) {
			return fmt.Errorf("xgboost model: tree %d adds to output %d of %d", t, info[t], e.outputs)
		}
		e.treeOutput = append(e.treeOutput, int32(info[t]))
		td := doc{path: fmt.Sprintf("tree %d", t)}
		if err := e.appendTree(&td, td.asObject(tree)); err != nil {
			return err
		}
	}
	return nil
}

// appendTree copies the nodes reachable from the root, depth first (a
// row's path stays close in memory), checking that they form a tree.
func (e *Ensemble) appendTree(d *doc, tree map[string]any) error {
	left := d.ints(tree, "left_children")
	right := d.ints(tree, "right_children")
	feature := d.ints(tree, "split_indices")
	threshold := d.floats(tree, "split_conditions")
	defaultLeft := d.ints(tree, "default_left")
	splitType := d.optionalInts(tree, "split_type")
	var lossChanges []float32
	if _, ok := tree["loss_changes"]; ok {
		lossChanges = d.floats(tree, "loss_changes")
	}
	if d.err != nil {
		return d.err
	}
	n := len(left)
	if n == 0 || len(right) != n || len(feature) != n || len(threshold) != n || len(defaultLeft) != n ||
		(len(splitType) != 0 && len(splitType) != n) || (lossChanges != nil && len(lossChanges) != n) {
		return fmt.Errorf("xgboost model: %s: node arrays of different lengths", d.path)
	}
	if len(e.nodes)+n > math.MaxInt32 {
		return fmt.Errorf("xgboost model: too many nodes")
	}
	seen := make([]bool, n)
	base := int32(len(e.nodes))
	e.roots = append(e.roots, base)
	// pending holds (old index, new index) of nodes to copy.
	type pendingNode struct{ old, at int32 }
	pending := []pendingNode{{0, base}}
	e.nodes = append(e.nodes, node{})
	seen[0] = true
	for len(pending) > 0 {
		p := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		i := p.old
		if left[i] == -1 {
			e.nodes[p.at] = node{left: -1, threshold: threshold[i]}
			continue
		}
		if len(splitType) != 0 && splitType[i] != 0 {
			return fmt.Errorf("xgboost model: %s: categorical splits are not supported", d.path)
		}
		l, r := left[i], right[i]
		if l < 0 || l >= int64(n) || r < 0 || r >= int64(n) || seen[l] || seen[r] || l == r {
			return fmt.Errorf("xgboost model: %s: node %d has bad children %d and %d", d.path, i, l, r)
		}
		if feature[i] < 0 || feature[i] >= int64(e.features) {
			return fmt.Errorf("xgboost model: %s: node %d splits on feature %d of %d", d.path, i, feature[i], e.features)
		}
		seen[l], seen[r] = true, true
		if lossChanges != nil {
			e.addGain(int(feature[i]), float64(lossChanges[i]))
		}
		at := int32(len(e.nodes))
		e.nodes = append(e.nodes, node{}, node{})
		nd := node{feature: int32(feature[i]), threshold: threshold[i], left: at, right: at + 1, missing: at + 1}
		if defaultLeft[i] != 0 {
			nd.missing = at
		}
		e.nodes[p.at] = nd
		pending = append(pending, pendingNode{int32(r), at + 1}, pendingNode{int32(l), at})
	}
	return nil
}

// doc reads fields of the decoded model and keeps the first error.
type doc struct {
	path string
	err  error
}

func (d *doc) fail(key, want string, v any) {
	if d.err == nil {
		d.err = fmt.Errorf("xgboost model: %s: %q is %T, want %s", d.path, key, v, want)
	}
}

func (d *doc) asObject(v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		d.fail("", "an object", v)
	}
	return m
}

func (d *doc) object(parent any, key string) map[string]any {
	m, _ := parent.(map[string]any)
	v, ok := m[key].(map[string]any)
	if !ok {
		d.fail(key, "an object", m[key])
	}
	return v
}

func (d *doc) str(m map[string]any, key string) string {
	s, ok := m[key].(string)
	if !ok {
		d.fail(key, "a string", m[key])
	}
	return s
}

// intString reads XGBoost's parameters, which it saves as strings.
func (d *doc) intString(m map[string]any, key string) int {
	s := d.str(m, key)
	n, err := strconv.Atoi(s)
	if d.err == nil && (err != nil || n < 0) {
		d.err = fmt.Errorf("xgboost model: %s: %q is %q, want a count", d.path, key, s)
	}
	return n
}

func (d *doc) floatString(m map[string]any, key string) float32 {
	s := d.str(m, key)
	f, err := strconv.ParseFloat(s, 32)
	if d.err == nil && (err != nil || math.IsNaN(f) || math.IsInf(f, 0)) {
		d.err = fmt.Errorf("xgboost model: %s: %q is %q, want a finite number", d.path, key, s)
	}
	return float32(f)
}

func (d *doc) array(m map[string]any, key string) []any {
	a, ok := m[key].([]any)
	if !ok {
		d.fail(key, "an array", m[key])
	}
	return a
}

// floats reads an array of float32: typed, or plain (XGBoost writes
// dart's weight_drop as a plain array of numbers).
func (d *doc) floats(m map[string]any, key string) []float32 {
	return numbers(d, m, key, "an array of numbers", func(f float64) float32 { return float32(f) })
}

// ints reads an array of integers: typed, or plain (XGBoost writes
// tree_info as a plain array).
func (d *doc) ints(m map[string]any, key string) []int64 {
	return numbers(d, m, key, "an array of integers", func(n int64) int64 { return n })
}

// numbers reads m[key] as a typed array of T, or as a plain array of the
// values (E) the UBJSON reader decodes a plain array's numbers to.
func numbers[T, E any](d *doc, m map[string]any, key, want string, convert func(E) T) []T {
	switch a := m[key].(type) {
	case []T:
		return a
	case []any:
		out := make([]T, len(a))
		for i, v := range a {
			e, ok := v.(E)
			if !ok {
				d.fail(key, want, v)
				return nil
			}
			out[i] = convert(e)
		}
		return out
	}
	d.fail(key, want, m[key])
	return nil
}

func (d *doc) optionalInts(m map[string]any, key string) []int64 {
	if _, ok := m[key]; !ok {
		return nil
	}
	return d.ints(m, key)
}
