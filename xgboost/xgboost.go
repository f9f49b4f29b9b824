// Package xgboost trains XGBoost models ("xgboost" and
// "xgboost_random_forest") through XGBoost's C API, without Python, and
// predicts them natively in Go: the boosters XGBoost saves are read into
// algorithms/treeensemble, so loading and predicting never touch
// libxgboost (issue 11).
//
// libxgboost.so.0 (Debian package libxgboost0) is not linked: it is
// dlopen'ed RTLD_LOCAL when a training starts, so pgml.so loads on servers
// without it, predicts stored xgboost models there, and only training
// fails, with an error naming the package.
//
// Threads: OpenMP threads are limited by nthread (default 1, hyperparameter
// nthread or n_jobs) and live in the training's child process
// (train_child.go); prediction runs on the calling thread.
package xgboost

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/modelfile"
	"github.com/pgml-go/pgml/algorithms/treeensemble"
)

const (
	algXGBoost = "xgboost"
	algRF      = "xgboost_random_forest"
)

// Algorithms returns the algorithms this package trains for task.
func Algorithms(task algorithms.Task) []string {
	if task == algorithms.Regression || task == algorithms.Classification {
		return []string{algXGBoost, algRF}
	}
	return nil
}

// Hyperparameter names of PostgresML's rust runtime (aliases map to the
// xgboost name).
var treeKeys = map[string]string{
	"eta": "eta", "learning_rate": "eta",
	"gamma": "gamma", "min_split_loss": "gamma",
	"max_depth": "max_depth", "min_child_weight": "min_child_weight",
	"max_delta_step": "max_delta_step", "subsample": "subsample",
	"colsample_bytree": "colsample_bytree", "colsample_bylevel": "colsample_bylevel",
	"colsample_bynode": "colsample_bynode",
	"lambda":           "lambda", "reg_lambda": "lambda",
	"alpha": "alpha", "reg_alpha": "alpha",
	"tree_method": "tree_method", "sketch_eps": "sketch_eps",
	"scale_pos_weight": "scale_pos_weight", "updater": "updater",
	"refresh_leaf": "refresh_leaf", "process_type": "process_type",
	"grow_policy": "grow_policy", "predictor": "predictor",
	"max_leaves": "max_leaves", "max_bin": "max_bin",
}

var linearKeys = map[string]string{
	"eta": "eta", "learning_rate": "eta",
	"lambda": "lambda", "reg_lambda": "lambda",
	"alpha": "alpha", "reg_alpha": "alpha",
	"updater": "updater", "feature_selector": "feature_selector", "top_k": "top_k",
}

var dartKeys = map[string]string{
	"rate_drop": "rate_drop", "one_drop": "one_drop", "skip_drop": "skip_drop",
	"sample_type": "sample_type", "normalize_type": "normalize_type",
}

// Keys accepted with every booster (handled specially or passed through).
var commonKeys = []string{"n_estimators", "boost_rounds", "booster", "random_state",
	"objective", "eval_metric", "nthread", "n_jobs"}

type param struct{ k, v string }

type config struct {
	rounds    int // boosting rounds
	nthread   int
	booster   string
	objective string
	params    []param // in application order
}

// formatValue renders a JSON value as an xgboost parameter string.
func formatValue(key string, v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case bool:
		if t {
			return "1", nil
		}
		return "0", nil
	}
	if f, ok := algorithms.Number(v); ok {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "", fmt.Errorf("hyperparameter %q must be finite", key)
		}
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), 10), nil
		}
		return strconv.FormatFloat(f, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("hyperparameter %q must be a number, string or boolean, got %s", key, algorithms.Describe(v))
}

func parseConfig(algorithm string, task algorithms.Task, nclass int, hp algorithms.Hyperparams) (*config, error) {
	c := &config{booster: "gbtree", nthread: 1, rounds: 100}
	if v, ok := hp["booster"]; ok {
		s, _ := v.(string)
		switch s {
		case "gbtree", "dart":
			c.booster = s
		case "linear", "gblinear":
			c.booster = "gblinear"
		default:
			return nil, fmt.Errorf("hyperparameter \"booster\" must be \"gbtree\", \"linear\" or \"dart\", got %s", algorithms.Describe(v))
		}
		if algorithm == algRF && c.booster != "gbtree" {
			return nil, fmt.Errorf("xgboost_random_forest only supports booster \"gbtree\"")
		}
	}
	keys := map[string]string{}
	switch c.booster {
	case "gbtree":
		keys = treeKeys
	case "gblinear":
		keys = linearKeys
	case "dart":
		for k, v := range treeKeys {
			keys[k] = v
		}
		for k, v := range dartKeys {
			keys[k] = v
		}
	}
	allowed := append([]string(nil), commonKeys...)
	for k := range keys {
		allowed = append(allowed, k)
	}
	if err := hp.CheckKeys(allowed...); err != nil {
		return nil, fmt.Errorf("%s (booster %s): %w", algorithm, c.booster, err)
	}
	for _, pair := range [][2]string{{"n_estimators", "boost_rounds"}, {"nthread", "n_jobs"}} {
		if _, a := hp[pair[0]]; a {
			if _, b := hp[pair[1]]; b {
				return nil, fmt.Errorf("hyperparameters %q and %q are aliases: give only one", pair[0], pair[1])
			}
		}
	}
	n, err := hp.IntInRange("n_estimators", 100, 1, algorithms.MaxEstimators)
	if err != nil {
		return nil, err
	}
	if n, err = hp.IntInRange("boost_rounds", n, 1, algorithms.MaxEstimators); err != nil {
		return nil, err
	}
	if c.nthread, err = hp.IntInRange("nthread", 1, 1, math.MaxInt32); err != nil {
		return nil, err
	}
	if c.nthread, err = hp.IntInRange("n_jobs", c.nthread, 1, math.MaxInt32); err != nil {
		return nil, err
	}
	// Capped, not refused: the model does not depend on the thread count.
	c.nthread = algorithms.Workers(c.nthread)
	seed := "0"
	if v, ok := hp["random_state"]; ok {
		f, ok := algorithms.Number(v)
		if !ok || f != math.Trunc(f) || f < 0 || f > math.MaxInt32 {
			return nil, fmt.Errorf("hyperparameter \"random_state\" must be a non-negative integer, got %s", algorithms.Describe(v))
		}
		seed = strconv.FormatInt(int64(f), 10)
	}

	// Defaults of xgboost's scikit-learn wrappers (1.7).
	set := map[string]string{}
	var order []string
	put := func(k, v string) {
		if _, ok := set[k]; !ok {
			order = append(order, k)
		}
		set[k] = v
	}
	put("booster", c.booster)
	switch task {
	case algorithms.Regression:
		put("objective", "reg:squarederror")
	case algorithms.Classification:
		if nclass > 2 {
			put("objective", "multi:softprob")
		} else {
			put("objective", "binary:logistic")
		}
	}
	c.rounds = n
	if algorithm == algRF { // XGBRFRegressor / XGBRFClassifier
		put("eta", "1")
		put("subsample", "0.8")
		put("colsample_bynode", "0.8")
		put("lambda", "1e-05")
		put("num_parallel_tree", strconv.Itoa(n))
		c.rounds = 1
	}
	put("seed", seed)
	put("nthread", strconv.Itoa(c.nthread))

	names := make([]string, 0, len(hp))
	for k := range hp {
		names = append(names, k)
	}
	sort.Strings(names)
	var metrics []string
	for _, k := range names {
		v := hp[k]
		switch k {
		case "n_estimators", "boost_rounds", "booster", "random_state", "nthread", "n_jobs":
			continue
		case "eval_metric":
			list, ok := v.([]any)
			if !ok {
				list = []any{v}
			}
			for _, m := range list {
				s, ok := m.(string)
				if !ok || s == "" {
					return nil, fmt.Errorf("hyperparameter \"eval_metric\" must be a string or an array of strings, got %s", algorithms.Describe(v))
				}
				if err := checkMetric(s); err != nil {
					return nil, err
				}
				metrics = append(metrics, s)
			}
			continue
		case "objective":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("hyperparameter \"objective\" must be a string, got %s", algorithms.Describe(v))
			}
			if err := checkObjective(task, nclass, s); err != nil {
				return nil, err
			}
			put("objective", s)
			continue
		}
		if err := checkValue(k, keys[k], v, c.booster); err != nil {
			return nil, err
		}
		s, err := formatValue(k, v)
		if err != nil {
			return nil, err
		}
		put(keys[k], s)
	}
	c.objective = set["objective"]
	if c.objective == "multi:softprob" || c.objective == "multi:softmax" {
		put("num_class", strconv.Itoa(nclass))
	}
	for _, k := range order {
		c.params = append(c.params, param{k, set[k]})
	}
	for _, m := range metrics { // repeated eval_metric parameters accumulate
		c.params = append(c.params, param{"eval_metric", m})
	}
	return c, nil
}

var classObjectives = map[string]bool{
	"binary:logistic": true, "binary:logitraw": true, "binary:hinge": true,
	"multi:softprob": true, "multi:softmax": true,
}

func checkObjective(task algorithms.Task, nclass int, obj string) error {
	if task == algorithms.Classification {
		if !classObjectives[obj] {
			return fmt.Errorf("objective %q is not supported for classification: use binary:logistic, binary:logitraw or binary:hinge (2 classes), multi:softprob or multi:softmax", obj)
		}
		if (nclass > 2) != strings.HasPrefix(obj, "multi:") {
			return fmt.Errorf("objective %q does not fit a problem with %d classes", obj, nclass)
		}
		return nil
	}
	if !regressionObjectives[obj] {
		return fmt.Errorf("objective %q is not supported for regression: use one of %s", obj, strings.Join(sortedKeys(regressionObjectives), ", "))
	}
	return nil
}

// Train fits an XGBoost model. x is n×p; y is n×1 for classification (class
// labels) and n×k for regression (one booster per target). The boosting
// runs in a child process (train_child.go), which a done ctx kills at once.
func Train(ctx context.Context, algorithm string, task algorithms.Task, x, y algorithms.Matrix, hp algorithms.Hyperparams) (algorithms.Model, error) {
	if algorithm != algXGBoost && algorithm != algRF {
		return nil, fmt.Errorf("xgboost: unknown algorithm %q", algorithm)
	}
	if !task.Valid() {
		return nil, fmt.Errorf("xgboost: unsupported task %v", task)
	}
	if err := x.Validate("x"); err != nil {
		return nil, err
	}
	if err := y.Validate("y"); err != nil {
		return nil, err
	}
	if y.Rows != x.Rows {
		return nil, fmt.Errorf("x has %d rows but y has %d", x.Rows, y.Rows)
	}
	if task == algorithms.Classification && y.Cols != 1 {
		return nil, fmt.Errorf("classification takes one label column, got %d", y.Cols)
	}
	m := &model{algorithm: algorithm, task: task, nFeatures: x.Cols, nTargets: y.Cols}
	labels := y.Data
	if task == algorithms.Classification {
		m.classes = distinct(y.Data)
		if err := algorithms.CheckClasses(len(m.classes)); err != nil {
			return nil, err
		}
		labels = make([]float64, y.Rows)
		for i, v := range y.Data {
			labels[i] = float64(sort.SearchFloat64s(m.classes, v))
		}
	}
	cfg, err := parseConfig(algorithm, task, len(m.classes), hp)
	if err != nil {
		return nil, err
	}
	m.objective, m.inplace = cfg.objective, cfg.booster != "gblinear"
	if err := Available(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	blobs, err := trainInChild(ctx, x, labels, y.Cols, cfg.params, cfg.rounds, cfg.nthread)
	if err != nil {
		return nil, err
	}
	if err := m.readBoosters(blobs); err != nil {
		return nil, err
	}
	return m.wrap(), nil
}

func distinct(v []float64) []float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	out := s[:0]
	for i, f := range s {
		if i == 0 || f != s[i-1] {
			out = append(out, f)
		}
	}
	return append([]float64(nil), out...)
}

type model struct {
	mu        sync.Mutex
	algorithm string
	task      algorithms.Task
	nFeatures int
	nTargets  int
	classes   []float64 // classification only
	objective string
	// inplace records how libxgboost predicted before issue 11
	// (XGBoosterPredictFromDense, i.e. not gblinear); kept so that the
	// stored bytes round-trip.
	inplace  bool
	perRow   int      // outputs per row of each booster
	blobs    [][]byte // the UBJSON models XGBoost saved, one per booster
	boosters []rawPredictor
	buf      []float64 // scratch
	margins  []float32 // scratch
}

// classifier adds class probabilities; regressors are plain *model so
// that a type assertion to algorithms.Classifier tells them apart.
type classifier struct{ *model }

var (
	_ algorithms.Model      = (*model)(nil)
	_ algorithms.Classifier = classifier{}
)

// wrap returns m as the interface matching its task.
func (m *model) wrap() algorithms.Model {
	if m.task == algorithms.Classification {
		return classifier{m}
	}
	return m
}

func (m *model) Algorithm() string     { return m.algorithm }
func (m *model) Task() algorithms.Task { return m.task }
func (m *model) NumFeatures() int      { return m.nFeatures }

func (m *model) NumOutputs() int {
	if m.task == algorithms.Classification {
		return 1
	}
	return m.nTargets
}

// Classes returns the sorted training labels.
func (c classifier) Classes() []float64 { return c.classes }

// objectiveAliases are the objectives XGBoost saves under another name.
var objectiveAliases = map[string]string{"reg:linear": "reg:squarederror"}

// readBoosters reads the saved boosters into the native engine and checks
// that they fit the model: its features, and the values per row that
// Predict and PredictProba read (one per class for multi:softprob, else
// one).
func (m *model) readBoosters(blobs [][]byte) error {
	want := 1
	switch {
	case m.objective == "multi:softprob":
		want = len(m.classes)
	case m.task == algorithms.Regression && len(blobs) == 1:
		// One booster for every target: XGBoost's own multi-output regression (saved.go).
		want = m.nTargets
	}
	for i, blob := range blobs {
		b, err := treeensemble.ReadXGBoost(blob)
		if err != nil {
			return fmt.Errorf("xgboost: booster %d: %w", i, err)
		}
		switch {
		case b.NumFeatures() != m.nFeatures:
			return fmt.Errorf("xgboost: booster has %d features, want %d", b.NumFeatures(), m.nFeatures)
		case b.Objective != m.objective && objectiveAliases[m.objective] != b.Objective:
			return fmt.Errorf("xgboost: booster's objective is %q, want %q", b.Objective, m.objective)
		case b.NumOutputs() != want:
			return fmt.Errorf("xgboost: model predicts %d values per row, want %d", b.NumOutputs(), want)
		}
		m.boosters = append(m.boosters, nativeBooster{b})
		m.margins = make([]float32, max(len(m.margins), b.ScratchSize()))
	}
	m.blobs = blobs
	m.perRow = want
	return nil
}

// rawPredictor predicts what libxgboost's predict returns for a booster:
// its outputs after the objective's transform. The product predicts with
// nativeBooster; the tests swap in referenceBooster (libxgboost itself) to
// compare the two through the same Predict and PredictProba.
type rawPredictor interface {
	predictRaw(dst, x []float64, rows, cols int, margins []float32) error
}

type nativeBooster struct{ *treeensemble.XGBoostModel }

func (b nativeBooster) predictRaw(dst, x []float64, _, _ int, margins []float32) error {
	b.Predict(dst, x, margins)
	return nil
}

// raw predicts the booster outputs for x into m.buf (locked by the caller).
func (m *model) raw(b rawPredictor, x []float64, rows int) []float64 {
	n := rows * m.perRow
	if cap(m.buf) < n {
		m.buf = make([]float64, n)
	}
	buf := m.buf[:n]
	if err := b.predictRaw(buf, x, rows, m.nFeatures, m.margins); err != nil {
		panic(fmt.Sprintf("xgboost: prediction failed: %v", err))
	}
	return buf
}

func (m *model) rows(x []float64) int {
	if len(x)%m.nFeatures != 0 {
		panic(fmt.Sprintf("xgboost: %d values are not rows of %d features", len(x), m.nFeatures))
	}
	return len(x) / m.nFeatures
}

// Predict writes the predicted target(s) or class labels.
func (m *model) Predict(dst, x []float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rows := m.rows(x)
	if len(dst) != rows*m.NumOutputs() {
		panic(fmt.Sprintf("xgboost: destination holds %d values, want %d", len(dst), rows*m.NumOutputs()))
	}
	if rows == 0 {
		return
	}
	if m.task == algorithms.Regression {
		// One booster per target, or one booster of every target (perRow = nTargets).
		for t, b := range m.boosters {
			out := m.raw(b, x, rows)
			for i := 0; i < rows; i++ {
				copy(dst[i*m.nTargets+t*m.perRow:i*m.nTargets+(t+1)*m.perRow], out[i*m.perRow:(i+1)*m.perRow])
			}
		}
		return
	}
	out := m.raw(m.boosters[0], x, rows)
	k := len(m.classes)
	for i := 0; i < rows; i++ {
		var c int
		switch m.objective {
		case "multi:softprob":
			p := out[i*k : (i+1)*k]
			for j := range p {
				if p[j] > p[c] {
					c = j
				}
			}
		case "multi:softmax":
			c = int(out[i])
		case "binary:logistic", "binary:hinge":
			if out[i] > 0.5 {
				c = 1
			}
		case "binary:logitraw":
			if out[i] > 0 {
				c = 1
			}
		}
		if c < 0 || c >= k {
			c = 0
		}
		dst[i] = m.classes[c]
	}
}

// PredictProba writes one probability per class, in the order of Classes.
// Objectives without probabilities (binary:hinge, multi:softmax) give 0/1.
func (c classifier) PredictProba(dst, x []float64) {
	m := c.model
	m.mu.Lock()
	defer m.mu.Unlock()
	rows := m.rows(x)
	k := len(m.classes)
	if len(dst) != rows*k {
		panic(fmt.Sprintf("xgboost: destination holds %d values, want %d", len(dst), rows*k))
	}
	if rows == 0 {
		return
	}
	out := m.raw(m.boosters[0], x, rows)
	for i := 0; i < rows; i++ {
		d := dst[i*k : (i+1)*k]
		switch m.objective {
		case "multi:softprob":
			copy(d, out[i*k:(i+1)*k])
		case "multi:softmax":
			clear(d)
			if c := int(out[i]); c >= 0 && c < k {
				d[c] = 1
			}
		default:
			p := out[i]
			switch m.objective {
			case "binary:logitraw":
				p = 1 / (1 + math.Exp(-p))
			case "binary:hinge":
				if p > 0.5 {
					p = 1
				} else {
					p = 0
				}
			}
			d[0], d[1] = 1-p, p
		}
	}
}

// Payload after the modelfile header (all little-endian):
//
//	u8  payload version (1)
//	u32 features, u32 targets, u8 inplace
//	u32 len + objective
//	u32 class count + f64 classes
//	u32 booster count, then per booster u32 len + xgboost UBJSON model
//	u32 CRC-32 (IEEE) of everything above after the header
//
// The checksum catches corrupted bytes before the UBJSON reader sees them
// (which checks everything anyway: algorithms/treeensemble/ubjson.go).
const payloadVersion = 1

// MarshalBinary returns the modelfile encoding.
func (m *model) MarshalBinary() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := modelfile.NewEncoder(modelfile.Header{Algorithm: m.algorithm, Task: m.task}).Bytes()
	start := len(out)
	le := binary.LittleEndian
	out = append(out, payloadVersion)
	out = le.AppendUint32(out, uint32(m.nFeatures))
	out = le.AppendUint32(out, uint32(m.nTargets))
	if m.inplace {
		out = append(out, 1)
	} else {
		out = append(out, 0)
	}
	out = le.AppendUint32(out, uint32(len(m.objective)))
	out = append(out, m.objective...)
	out = le.AppendUint32(out, uint32(len(m.classes)))
	for _, c := range m.classes {
		out = le.AppendUint64(out, math.Float64bits(c))
	}
	out = le.AppendUint32(out, uint32(len(m.blobs)))
	for _, blob := range m.blobs {
		out = le.AppendUint32(out, uint32(len(blob)))
		out = append(out, blob...)
	}
	return le.AppendUint32(out, crc32.ChecksumIEEE(out[start:])), nil
}

type reader struct {
	b   []byte
	err bool
}

func (r *reader) next(n int) []byte {
	if r.err || n < 0 || n > len(r.b) {
		r.err = true
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *reader) u8() uint8 {
	if p := r.next(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u32() int {
	if p := r.next(4); p != nil {
		return int(binary.LittleEndian.Uint32(p))
	}
	return 0
}

// Load rebuilds a model from MarshalBinary's bytes.
func Load(b []byte) (algorithms.Model, error) {
	h, payload, err := modelfile.ReadHeader(b)
	if err != nil {
		return nil, err
	}
	if h.Algorithm != algXGBoost && h.Algorithm != algRF {
		return nil, fmt.Errorf("xgboost: cannot load a %q model", h.Algorithm)
	}
	corrupt := func(what string) error { return fmt.Errorf("xgboost: corrupt model: %s", what) }
	if len(payload) < 4 {
		return nil, corrupt("truncated")
	}
	body, sum := payload[:len(payload)-4], binary.LittleEndian.Uint32(payload[len(payload)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, corrupt("checksum mismatch")
	}
	r := &reader{b: body}
	if v := r.u8(); v != payloadVersion {
		return nil, corrupt(fmt.Sprintf("unknown payload version %d", v))
	}
	m := &model{algorithm: h.Algorithm, task: h.Task}
	m.nFeatures, m.nTargets = r.u32(), r.u32()
	m.inplace = r.u8() == 1
	m.objective = string(r.next(r.u32()))
	nc := r.u32()
	if nc > len(r.b)/8 {
		return nil, corrupt("class count")
	}
	for i := 0; i < nc; i++ {
		m.classes = append(m.classes, math.Float64frombits(binary.LittleEndian.Uint64(r.next(8))))
	}
	nb := r.u32()
	if nb > len(r.b)/4 {
		return nil, corrupt("booster count")
	}
	blobs := make([][]byte, nb)
	for i := range blobs {
		blobs[i] = r.next(r.u32())
	}
	switch {
	case r.err:
		return nil, corrupt("truncated")
	case len(r.b) != 0:
		return nil, corrupt("trailing bytes")
	case m.nFeatures < 1 || m.nTargets < 1:
		return nil, corrupt("shape")
	case m.task == algorithms.Classification && (nc < 2 || nb != 1 || m.nTargets != 1 || !classObjectives[m.objective]):
		return nil, corrupt("classifier")
	case m.task == algorithms.Regression && (nc != 0 || (nb != m.nTargets && nb != 1)):
		return nil, corrupt("regressor")
	}
	if m.task == algorithms.Classification {
		if err := checkObjective(m.task, nc, m.objective); err != nil {
			return nil, corrupt(strings.TrimPrefix(err.Error(), "xgboost: "))
		}
	}
	if err := m.readBoosters(blobs); err != nil {
		return nil, corrupt(strings.TrimPrefix(err.Error(), "xgboost: "))
	}
	return m.wrap(), nil
}

// FeatureImportance is XGBoost's gain importance (its scikit-learn interface's
// feature_importances_): each feature's mean gain over its splits in every booster,
// normalized to sum 1. A gblinear model has no splits, and no gain importance.
func (m *model) FeatureImportance() (method string, importance []float64, ok bool) {
	total, splits := make([]float64, m.nFeatures), make([]float64, m.nFeatures)
	for _, b := range m.boosters {
		nb, isNative := b.(nativeBooster)
		if !isNative {
			return "", nil, false
		}
		t, s := nb.SplitGains()
		for j := range t {
			total[j] += t[j]
			splits[j] += s[j]
		}
	}
	sum := 0.0
	for j := range total {
		if splits[j] > 0 {
			total[j] /= splits[j]
		}
		sum += total[j]
	}
	if sum <= 0 {
		return "", nil, false
	}
	for j := range total {
		total[j] /= sum
	}
	return "gain", total, true
}
