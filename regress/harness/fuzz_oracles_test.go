package harness

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// fuzzResult is what a successful call returned: the first rows (decoded by pgx) and the count.
type fuzzResult struct {
	rows  [][]any
	count int
}

// fetchFunc evaluates expressions on the server as flat double precision arrays (NULL for a
// NULL or too large value), so that results can be checked against the real inputs.
type fetchFunc func(exprs []string) ([][]float64, []bool, error)

// errSkipCheck means the inputs could not be read back; the result is not judged.
var errSkipCheck = fmt.Errorf("inputs not checkable")

// errCheckPanicked is a bug of the checks themselves, reported as a failure to fix here.
var errCheckPanicked = fmt.Errorf("the result check panicked (a bug of the fuzz suite)")

// checkResult judges a successful call: nil when the result looks right.
func checkResult(c *fuzzCase, res *fuzzResult, fx *fuzzFixture, fetch fetchFunc) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errCheckPanicked, r)
		}
	}()
	if len(res.rows) < min(res.count, 1000) {
		return errSkipCheck // rows too large to decode
	}
	name := c.fn.name
	switch {
	case c.fn.isAggregate():
		return checkAggregate(c, res, fetch)
	case slices.Contains([]string{"add", "subtract", "multiply", "divide"}, name):
		return checkArithmetic(c, res, fetch)
	case strings.HasPrefix(name, "norm_") || strings.HasPrefix(name, "normalize_") || strings.HasPrefix(name, "distance_") ||
		name == "dot_product" || name == "cosine_similarity":
		return checkVectorScalar(c, res, fetch)
	case strings.HasPrefix(name, "sklearn_"):
		return checkMetrics(c, res, fetch)
	case name == "train" || name == "train_joint":
		return checkTrain(c, res)
	case name == "load_dataset":
		return checkLoadDataset(c, res)
	case strings.HasPrefix(name, "predict") || name == "decompose" || name == "model_predict":
		return checkPrediction(c, res, fx)
	}
	return nil
}

// realResult reports whether the function answers in real (float4) for this call.
func realResult(c *fuzzCase) bool { return strings.HasPrefix(c.fn.argTypes[0], "real") }

// flatFloats turns a decoded pgx value (a number, or an array of numbers, possibly nested)
// into float64s; ok is false for anything else. NULL elements become NaN and set hasNull.
func flatFloats(v any) (out []float64, hasNull, ok bool) {
	switch x := v.(type) {
	case float32:
		return []float64{float64(x)}, false, true
	case float64:
		return []float64{x}, false, true
	case nil:
		return []float64{math.NaN()}, true, true
	case []float32:
		for _, f := range x {
			out = append(out, float64(f))
		}
		return out, false, true
	case []float64:
		return x, false, true
	case []any:
		out = []float64{}
		for _, e := range x {
			inner, null, ok := flatFloats(e)
			if !ok {
				return nil, false, false
			}
			hasNull = hasNull || null
			out = append(out, inner...)
		}
		return out, hasNull, true
	}
	return nil, false, false
}

// sameFloat compares a result with the expected value: NaN matches NaN, infinities match
// exactly, finite values within tol relative to scale (scale 0: relative to want).
func sameFloat(got, want, tol, scale float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	if scale == 0 {
		scale = math.Abs(want)
	}
	return math.Abs(got-want) <= tol*scale+1e-300
}

func roundTo(real bool, v float64) float64 {
	if real {
		return float64(float32(v))
	}
	return v
}

// fetchArgs reads the call's arguments back; scalars come as one-element arrays.
func fetchArgs(c *fuzzCase, fetch fetchFunc) ([][]float64, error) {
	var exprs []string
	for i, a := range c.args {
		if a.omit {
			return nil, errSkipCheck
		}
		if strings.HasSuffix(c.fn.argTypes[i], "[]") {
			exprs = append(exprs, a.sql)
		} else {
			exprs = append(exprs, "ARRAY["+a.sql+"]")
		}
	}
	values, nulls, err := fetch(exprs)
	if err != nil {
		return nil, err
	}
	for _, n := range nulls {
		if n {
			return nil, errSkipCheck
		}
	}
	return values, nil
}

func arith(op string, x, y float64) float64 {
	switch op {
	case "add":
		return x + y
	case "subtract":
		return x - y
	case "multiply":
		return x * y
	}
	return x / y
}

func checkArithmetic(c *fuzzCase, res *fuzzResult, fetch fetchFunc) error {
	args, err := fetchArgs(c, fetch)
	if err != nil {
		return err
	}
	got, _, ok := flatFloats(res.rows[0][0])
	if !ok {
		return fmt.Errorf("result %v is not an array of numbers", res.rows[0][0])
	}
	a, b := args[0], args[1]
	scalar := !strings.HasSuffix(c.fn.argTypes[1], "[]")
	n := len(a)
	if !scalar {
		n = min(len(a), len(b))
	}
	if len(got) != n {
		return fmt.Errorf("%d elements, want %d", len(got), n)
	}
	real := realResult(c)
	for i := range n {
		y := b[0]
		if !scalar {
			y = b[i]
		}
		want := roundTo(real, arith(c.fn.name, a[i], y))
		if !sameFloat(got[i], want, 0, 0) {
			return fmt.Errorf("element %d is %v, want %v (%v %s %v)", i+1, got[i], want, a[i], c.fn.name, y)
		}
	}
	return nil
}

// maxAbs is the largest magnitude, NaN counting as the largest (PostgreSQL's float order).
func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		if math.IsNaN(x) {
			return math.NaN()
		}
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// l2 is the Euclidean norm without overflow or underflow.
func l2(v []float64) float64 {
	s := maxAbs(v)
	if s == 0 || math.IsInf(s, 0) || math.IsNaN(s) {
		return s
	}
	var sum float64
	for _, x := range v {
		sum += (x / s) * (x / s)
	}
	return s * math.Sqrt(sum)
}

func checkVectorScalar(c *fuzzCase, res *fuzzResult, fetch fetchFunc) error {
	args, err := fetchArgs(c, fetch)
	if err != nil {
		return err
	}
	got, _, ok := flatFloats(res.rows[0][0])
	if !ok {
		return fmt.Errorf("result %v is not numeric", res.rows[0][0])
	}
	real := realResult(c)
	tol := 1e-12
	if real {
		tol = 1e-6
	}
	a := args[0]
	var b []float64
	if len(args) > 1 {
		b = args[1]
		n := min(len(a), len(b))
		a, b = a[:n], b[:n]
	}
	diff := a
	if b != nil {
		diff = make([]float64, len(a))
		for i := range a {
			diff[i] = a[i] - b[i]
		}
	}
	var sumAbs float64
	for _, x := range diff {
		sumAbs += math.Abs(x)
	}
	var want float64
	scale := 0.0
	switch c.fn.name {
	case "norm_l0":
		for _, x := range a {
			if x != 0 {
				want++
			}
		}
	case "norm_l1", "distance_l1":
		want, scale = sumAbs, sumAbs
	case "norm_l2", "distance_l2":
		want = l2(diff)
	case "norm_max":
		want = maxAbs(a)
	case "dot_product":
		for i := range a {
			want += a[i] * b[i]
			scale += math.Abs(a[i] * b[i])
		}
	case "cosine_similarity":
		return checkCosine(got[0], a, b, real)
	case "normalize_l1", "normalize_l2", "normalize_max":
		var norm float64
		switch c.fn.name {
		case "normalize_l1":
			norm = sumAbs
		case "normalize_l2":
			norm = l2(a)
		default:
			norm = maxAbs(a)
		}
		if len(got) != len(a) {
			return fmt.Errorf("%d elements, want %d", len(got), len(a))
		}
		for i, x := range a {
			if w := roundTo(real, x/norm); !sameFloat(got[i], w, tol, 0) {
				return fmt.Errorf("element %d is %v, want %v / %v = %v", i+1, got[i], x, norm, w)
			}
		}
		return nil
	default:
		return nil
	}
	if len(got) != 1 {
		return fmt.Errorf("%d values, want one", len(got))
	}
	if want = roundTo(real, want); !sameFloat(got[0], want, tol, roundTo(real, scale)) {
		return fmt.Errorf("got %v, want %v", got[0], want)
	}
	return nil
}

func checkCosine(got float64, a, b []float64, real bool) error {
	sa, sb := maxAbs(a), maxAbs(b)
	want := math.NaN()
	if !(sa == 0 || sb == 0 || math.IsInf(sa, 0) || math.IsInf(sb, 0) || math.IsNaN(sa) || math.IsNaN(sb)) {
		var ab, aa, bb float64
		for i := range a {
			x, y := a[i]/sa, b[i]/sb
			ab, aa, bb = ab+x*y, aa+x*x, bb+y*y
		}
		want = math.Max(-1, math.Min(1, ab/math.Sqrt(aa*bb)))
	}
	tol := 1e-9
	if real {
		tol = 1e-5
	}
	if !sameFloat(got, roundTo(real, want), tol, 1) {
		return fmt.Errorf("cosine similarity %v, want %v", got, want)
	}
	return nil
}

// aggregateRows folds rows as the aggregates do: the first non-NULL row fixes the length, a
// later one may be shorter but not longer (then ok is false: the call should have failed).
func aggregateRows(name string, rows [][]float64, nulls []bool, real bool) (state []float64, ok bool) {
	step := func(s, x float64) float64 {
		switch name {
		case "sum":
			return s + x
		case "min":
			if x < s || math.IsNaN(s) && !math.IsNaN(x) {
				return x
			}
		case "max":
			if x > s || math.IsNaN(x) && !math.IsNaN(s) {
				return x
			}
		case "min_abs":
			if x = math.Abs(x); x < s || math.IsNaN(s) && !math.IsNaN(x) {
				return x
			}
		case "max_abs":
			if x = math.Abs(x); x > s || math.IsNaN(x) && !math.IsNaN(s) {
				return x
			}
		}
		return s
	}
	for i, r := range rows {
		if nulls[i] {
			continue
		}
		if state == nil {
			state = make([]float64, len(r))
			for j, x := range r {
				if strings.HasSuffix(name, "_abs") {
					x = math.Abs(x)
				}
				state[j] = roundTo(real, x)
			}
			continue
		}
		if len(r) > len(state) {
			return nil, false
		}
		for j, x := range r {
			state[j] = roundTo(real, step(state[j], x))
		}
	}
	if state == nil {
		state = []float64{}
	}
	return state, true
}

func sameVector(got, want []float64, tol float64, scale []float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%d elements, want %d (%v)", len(got), len(want), want)
	}
	for i := range want {
		s := 0.0
		if scale != nil {
			s = scale[i]
		}
		if !sameFloat(got[i], want[i], tol, s) {
			return fmt.Errorf("element %d is %v, want %v", i+1, got[i], want[i])
		}
	}
	return nil
}

func checkAggregate(c *fuzzCase, res *fuzzResult, fetch fetchFunc) error {
	real := strings.HasPrefix(c.fn.argTypes[0], "real")
	var exprs []string
	if c.form == formAggTable {
		// array_agg cannot take NULL arrays: a row of NaN stands for one.
		elem := strings.TrimSuffix(c.fn.argTypes[0], "[]")
		exprs = []string{"(SELECT array_agg(coalesce(" + c.column + ", array_fill('NaN'::" + elem + ", ARRAY[8])) ORDER BY id) FROM " + c.table + ")"}
	} else {
		for _, r := range c.rows {
			exprs = append(exprs, r.sql)
		}
	}
	if len(exprs) == 0 {
		if c.form != formAggregate {
			if res.count != 0 {
				return fmt.Errorf("%d rows from no input rows", res.count)
			}
			return nil
		}
		if len(res.rows) != 1 {
			return fmt.Errorf("aggregate over no rows gave %d rows, want one", len(res.rows))
		}
		if got, _, ok := flatFloats(res.rows[0][0]); !ok || len(got) != 0 {
			return fmt.Errorf("aggregate over no rows gave %v, want {}", res.rows[0][0])
		}
		return nil
	}
	values, nulls, err := fetch(exprs)
	if err != nil {
		return err
	}
	var rows [][]float64
	var rowNull []bool
	if c.form == formAggTable {
		// One array of arrays: split it back into rows of the common length 8 (NULL rows are
		// whole NULL arrays, which array_agg keeps as NULL rows; flattening lost them, so
		// compare by folding only the non-NULL rows, which is what the aggregate does).
		if nulls[0] || len(values[0])%8 != 0 {
			return errSkipCheck
		}
		for i := 0; i < len(values[0]); i += 8 {
			row := values[0][i : i+8]
			null := math.IsNaN(row[0]) // the fixture's NULL rows; its values are never NaN
			rows, rowNull = append(rows, row), append(rowNull, null)
		}
	} else {
		rows, rowNull = values, nulls
	}
	tol := 1e-12
	if real {
		tol = 1e-5
	}
	abs := make([][]float64, len(rows))
	for i, r := range rows {
		abs[i] = make([]float64, len(r))
		for j, x := range r {
			abs[i][j] = math.Abs(x)
		}
	}
	scaleOf := func(idx []int) []float64 {
		if c.fn.name != "sum" {
			return nil
		}
		s, _ := aggregateRows("sum", pick(abs, idx), pickBool(rowNull, idx), false)
		return s
	}
	all := make([]int, len(rows))
	for i := range all {
		all[i] = i
	}
	switch c.form {
	case formAggregate, formAggTable:
		if len(res.rows) != 1 {
			return fmt.Errorf("%d rows, want 1", len(res.rows))
		}
		want, ok := aggregateRows(c.fn.name, rows, rowNull, real)
		if !ok {
			return fmt.Errorf("a row longer than the first was accepted")
		}
		got, _, isNum := flatFloats(res.rows[0][0])
		if !isNum {
			return fmt.Errorf("result %v is not an array", res.rows[0][0])
		}
		return sameVector(got, want, tol, scaleOf(all))
	case formWindow:
		if len(res.rows) != len(rows) {
			return fmt.Errorf("%d rows, want %d", len(res.rows), len(rows))
		}
		for i := range rows {
			want, ok := aggregateRows(c.fn.name, rows[:i+1], rowNull[:i+1], real)
			if !ok {
				return fmt.Errorf("row %d: a row longer than the first was accepted", i+1)
			}
			got, _, isNum := flatFloats(res.rows[i][0])
			if !isNum {
				return fmt.Errorf("row %d: result %v is not an array", i+1, res.rows[i][0])
			}
			if err := sameVector(got, want, tol, scaleOf(all[:i+1])); err != nil {
				return fmt.Errorf("row %d: %w", i+1, err)
			}
		}
	case formAggGrouped:
		for g := range 2 {
			var idx []int
			for i := range rows {
				if i%2 == g {
					idx = append(idx, i)
				}
			}
			if len(idx) == 0 {
				continue
			}
			if g >= len(res.rows) {
				return fmt.Errorf("%d groups, want group %d", len(res.rows), g)
			}
			want, ok := aggregateRows(c.fn.name, pick(rows, idx), pickBool(rowNull, idx), real)
			if !ok {
				return fmt.Errorf("group %d: a row longer than the first was accepted", g)
			}
			got, _, isNum := flatFloats(res.rows[g][0])
			if !isNum {
				return fmt.Errorf("group %d: result %v is not an array", g, res.rows[g][0])
			}
			if err := sameVector(got, want, tol, scaleOf(idx)); err != nil {
				return fmt.Errorf("group %d: %w", g, err)
			}
		}
	}
	return nil
}

func pick[T any](list []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

func pickBool(list []bool, idx []int) []bool { return pick(list, idx) }

// Metrics: the checks that need no second implementation of scikit-learn.
func checkMetrics(c *fuzzCase, res *fuzzResult, fetch fetchFunc) error {
	args, err := fetchArgs(c, fetch)
	if err != nil {
		return err
	}
	truth, pred := args[0], args[1]
	n := float64(len(truth))
	var correct, sq, ab, mean float64
	for i := range truth {
		if truth[i] == pred[i] {
			correct++
		}
		d := truth[i] - pred[i]
		sq += d * d
		ab += math.Abs(d)
		mean += truth[i]
	}
	mean /= n
	var tot float64
	for _, t := range truth {
		tot += (t - mean) * (t - mean)
	}
	r2 := 1 - sq/tot
	switch {
	case len(truth) < 2:
		r2 = math.NaN()
	case tot == 0 && sq == 0:
		r2 = 1
	case tot == 0:
		r2 = 0
	}
	within := func(key string, v, lo, hi float64) error {
		if !(v >= lo && v <= hi) {
			return fmt.Errorf("%s = %v, outside [%v, %v]", key, v, lo, hi)
		}
		return nil
	}
	switch c.fn.name {
	case "sklearn_f1_score":
		got, _, _ := flatFloats(res.rows[0][0])
		return within("f1", got[0], 0, 1)
	case "sklearn_r2_score":
		got, _, _ := flatFloats(res.rows[0][0])
		if !sameFloat(got[0], roundTo(true, r2), 1e-4, math.Max(1, math.Abs(r2))) {
			return fmt.Errorf("r2 = %v, want %v", got[0], r2)
		}
		return nil
	}
	text, ok := res.rows[0][0].(map[string]any)
	if !ok {
		return fmt.Errorf("result %v is not a JSON object", res.rows[0][0])
	}
	num := func(key string) (float64, bool) {
		v, present := text[key]
		f, isNum := v.(float64)
		if present && v != nil && !isNum {
			return 0, false
		}
		if !present || v == nil {
			return math.NaN(), true
		}
		return f, true
	}
	if c.fn.name == "sklearn_regression_metrics" {
		for key, want := range map[string]float64{"r2": r2, "mse": sq / n, "mae": ab / n} {
			// Values are rounded to real; beyond its range they are null, like NaN (as 2.x's f32).
			if want = roundTo(true, want); math.IsInf(want, 0) {
				want = math.NaN()
			}
			got, ok := num(key)
			if !ok || !sameFloat(got, want, 1e-4, math.Max(1e-30, math.Abs(want))) {
				return fmt.Errorf("%s = %v, want %v", key, text[key], want)
			}
		}
		return nil
	}
	if got, ok := num("accuracy"); !ok || !sameFloat(got, roundTo(true, correct/n), 1e-6, 1) {
		return fmt.Errorf("accuracy = %v, want %v", text["accuracy"], correct/n)
	}
	for _, key := range []string{"f1", "f1_micro", "precision", "recall", "roc_auc"} {
		if v, ok := num(key); !ok || !math.IsNaN(v) && within(key, v, 0, 1) != nil {
			return fmt.Errorf("%s = %v, want a number in [0, 1]", key, text[key])
		}
	}
	if v, ok := num("mcc"); !ok || !math.IsNaN(v) && within("mcc", v, -1, 1) != nil {
		return fmt.Errorf("mcc = %v, want a number in [-1, 1]", text["mcc"])
	}
	return nil
}

func checkTrain(c *fuzzCase, res *fuzzResult) error {
	if res.count != 1 {
		return fmt.Errorf("%d rows, want one", res.count)
	}
	if c.form != formFrom {
		return nil
	}
	row := res.rows[0]
	if project, ok := c.text("project_name"); ok && row[0] != project {
		return fmt.Errorf("project %v, want %q", row[0], project)
	}
	if row[2] == nil || row[2] == "" || row[3] == nil {
		return fmt.Errorf("row %v has no algorithm or deployed flag", row)
	}
	return nil
}

func checkLoadDataset(c *fuzzCase, res *fuzzResult) error {
	if res.count != 1 || c.form != formFrom {
		return nil
	}
	row := res.rows[0]
	if source, ok := c.text("source"); ok && row[0] != "pgml."+source {
		return fmt.Errorf("table %v, want pgml.%s", row[0], source)
	}
	if limit, ok := c.arg("limit").value.(float64); ok && !c.arg("limit").null && !c.arg("limit").omit {
		if n, _ := row[1].(int64); float64(n) > limit {
			return fmt.Errorf("%d rows loaded, limit %v", n, limit)
		}
	}
	return nil
}

// predictionModel is the fixture model a prediction call names, if it names one.
func predictionModel(c *fuzzCase, fx *fuzzFixture) *fuzzModel {
	id, byID := c.arg("model_id").value.(float64)
	project, byName := c.text("project_name")
	if c.arg("model_id").null || c.arg("project_name").null {
		return nil
	}
	for i := range fx.models {
		m := &fx.models[i]
		if byID && float64(m.id) == id || byName && m.project == project {
			return m
		}
	}
	return nil
}

func checkPrediction(c *fuzzCase, res *fuzzResult, fx *fuzzFixture) error {
	m := predictionModel(c, fx)
	if m == nil || res.count == 0 || len(res.rows[0]) == 0 || res.rows[0][0] == nil {
		return nil
	}
	// By name, only models still deployed are known: the fuzz calls deploy other models.
	if _, byName := c.text("project_name"); byName {
		return nil
	}
	got, _, ok := flatFloats(res.rows[0][0])
	if !ok {
		return fmt.Errorf("result %v is not numeric", res.rows[0][0])
	}
	switch c.fn.name {
	case "predict_proba":
		if len(got) != len(m.classes) {
			return fmt.Errorf("%d probabilities, the model has %d classes", len(got), len(m.classes))
		}
		var sum float64
		for _, p := range got {
			if math.IsNaN(p) {
				return nil // NaN inputs: the NaN policy is decided elsewhere (issue 9)
			}
			if p < 0 || p > 1 {
				return fmt.Errorf("probability %v outside [0, 1]", p)
			}
			sum += p
		}
		if math.Abs(sum-1) > 1e-4 {
			return fmt.Errorf("probabilities sum to %v", sum)
		}
	case "predict":
		if len(m.classes) > 0 && !math.IsNaN(got[0]) && !slices.Contains(m.classes, got[0]) {
			return fmt.Errorf("class %v is not one of the model's classes %v", got[0], m.classes)
		}
	case "decompose", "predict_joint", "model_predict":
		if c.fn.name != "model_predict" && len(got) != m.outputs && len(got)%m.outputs != 0 {
			return fmt.Errorf("%d values, the model has %d outputs", len(got), m.outputs)
		}
	}
	return nil
}

// jsonObject decodes a JSON argument value the generator wrote, for known-bug matching.
func jsonObject(a fuzzArg) map[string]any {
	s, ok := a.value.(string)
	if !ok || a.null || a.omit {
		return nil
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if d.Decode(&m) != nil {
		return nil
	}
	return m
}
