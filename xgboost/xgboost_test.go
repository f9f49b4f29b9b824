package xgboost

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/cancel/canceltest"
)

// Runs first (declaration order): the library has not been loaded yet, so
// the public entry points see the missing soname.
func TestUnavailable(t *testing.T) {
	libMu.Lock()
	wasLoaded := loaded
	old := soname
	soname = "libxgboost-missing.so.0"
	libMu.Unlock()
	defer func() { libMu.Lock(); soname = old; libMu.Unlock() }()

	check := func(err error) {
		t.Helper()
		if err == nil || !errors.Is(err, ErrUnavailable) ||
			!strings.Contains(err.Error(), "libxgboost-missing.so.0") || !strings.Contains(err.Error(), "Debian package libxgboost0") {
			t.Fatalf("want a clear unavailable error, got %v", err)
		}
		t.Log(err)
	}
	check(openLibrary("libxgboost-missing.so.0"))
	if wasLoaded {
		t.Skip("library already loaded; only openLibrary checked")
	}
	check(Available())
	x := algorithms.Matrix{Rows: 2, Cols: 1, Data: []float64{0, 1}}
	_, err := Train(context.Background(), "xgboost", algorithms.Regression, x, x, nil)
	check(err)
	_, err = Version()
	check(err)
}

// TestVersion: the library's own version, which python3-xgboost (same Debian source) reports too.
func TestVersion(t *testing.T) {
	v, err := Version()
	if err != nil {
		t.Skip(err)
	}
	if ok, _ := regexp.MatchString(`^[0-9]+\.[0-9]+\.[0-9]+$`, v); !ok {
		t.Fatalf("Version() = %q", v)
	}
	t.Log("xgboost", v)
}

type dataset struct {
	x, y algorithms.Matrix
}

func readCSV(t testing.TB, name, label string) dataset {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "algorithms", "testdata", name+".csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(zr).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	li := -1
	for j, h := range recs[0] {
		if h == label {
			li = j
		}
	}
	if li < 0 {
		t.Fatalf("%s: no column %q", name, label)
	}
	parse := func(s string) float64 {
		switch s {
		case "true":
			return 1
		case "false":
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var d dataset
	d.x.Cols, d.y.Cols = len(recs[0])-1, 1
	for _, r := range recs[1:] {
		for j, s := range r {
			if j == li {
				d.y.Data = append(d.y.Data, parse(s))
			} else {
				d.x.Data = append(d.x.Data, parse(s))
			}
		}
	}
	d.x.Rows, d.y.Rows = len(recs)-1, len(recs)-1
	return d
}

// split puts every fourth row into the test set (25%, like pgml's default test_size).
func split(d dataset) (train, test dataset) {
	add := func(dst *dataset, i int) {
		dst.x.Data = append(dst.x.Data, d.x.Row(i)...)
		dst.y.Data = append(dst.y.Data, d.y.Row(i)...)
		dst.x.Rows++
		dst.y.Rows++
	}
	train.x.Cols, test.x.Cols, train.y.Cols, test.y.Cols = d.x.Cols, d.x.Cols, d.y.Cols, d.y.Cols
	for i := 0; i < d.x.Rows; i++ {
		if i%4 == 3 {
			add(&test, i)
		} else {
			add(&train, i)
		}
	}
	return
}

func train(t testing.TB, alg string, task algorithms.Task, d dataset, hp algorithms.Hyperparams) algorithms.Model {
	t.Helper()
	m, err := Train(context.Background(), alg, task, d.x, d.y, hp)
	if err != nil {
		t.Fatalf("%s: %v", alg, err)
	}
	return m
}

func predict(t testing.TB, m algorithms.Model, x algorithms.Matrix) []float64 {
	dst := make([]float64, x.Rows*m.NumOutputs())
	if err := algorithms.Predict(m, dst, x.Data); err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestMetrics(t *testing.T) {
	diabetes := readCSV(t, "diabetes", "target")
	tr, te := split(diabetes)
	for _, alg := range []string{"xgboost", "xgboost_random_forest"} {
		// python xgboost on the same split: r2 0.396 and 0.351.
		hp := algorithms.Hyperparams{"max_depth": 2.0, "learning_rate": 0.05}
		if alg == "xgboost_random_forest" {
			hp = algorithms.Hyperparams{"max_depth": 4.0, "min_child_weight": 5.0}
		}
		m := train(t, alg, algorithms.Regression, tr, hp)
		if _, ok := m.(algorithms.Classifier); ok {
			t.Fatal("regressor implements Classifier")
		}
		p := predict(t, m, te.x)
		var mean, ssr, sst float64
		for _, v := range te.y.Data {
			mean += v / float64(len(te.y.Data))
		}
		for i, v := range te.y.Data {
			ssr += (v - p[i]) * (v - p[i])
			sst += (v - mean) * (v - mean)
		}
		r2 := 1 - ssr/sst
		t.Logf("diabetes %s r2=%.3f", alg, r2)
		if r2 < 0.3 {
			t.Errorf("diabetes %s: r2 %.3f < 0.3", alg, r2)
		}
	}
	for _, c := range [][2]string{{"iris", "target"}, {"breast_cancer", "malignant"}} {
		tr, te := split(readCSV(t, c[0], c[1]))
		for _, alg := range []string{"xgboost", "xgboost_random_forest"} {
			m := train(t, alg, algorithms.Classification, tr, algorithms.Hyperparams{"n_estimators": 20.0})
			p := predict(t, m, te.x)
			hit := 0
			for i, v := range te.y.Data {
				if p[i] == v {
					hit++
				}
			}
			acc := float64(hit) / float64(len(p))
			t.Logf("%s %s accuracy=%.3f", c[0], alg, acc)
			if acc <= 0.9 {
				t.Errorf("%s %s: accuracy %.3f <= 0.9", c[0], alg, acc)
			}
		}
	}
}

type fixtureCase struct {
	Data         string                 `json:"data"`
	Label        string                 `json:"label"`
	Task         string                 `json:"task"`
	Algorithm    string                 `json:"algorithm"`
	Hyperparams  algorithms.Hyperparams `json:"hyperparams"`
	Predict      []float64              `json:"predict"`
	PredictProba [][]float64            `json:"predict_proba"`
}

// near: same library, same float32 arithmetic; 1e-5 absolute.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-5 }

func TestParityWithPython(t *testing.T) {
	raw, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	for _, c := range fx.Cases {
		task, _ := algorithms.ParseTask(c.Task)
		d := readCSV(t, c.Data, c.Label)
		m := train(t, c.Algorithm, task, d, c.Hyperparams)
		x5 := algorithms.Matrix{Rows: 5, Cols: d.x.Cols, Data: d.x.Data[:5*d.x.Cols]}
		p := predict(t, m, x5)
		for i := range p {
			if !near(p[i], c.Predict[i]) {
				t.Errorf("%s %s %v: predict[%d] = %v, python %v", c.Data, c.Algorithm, c.Hyperparams, i, p[i], c.Predict[i])
			}
		}
		if cl, ok := m.(algorithms.Classifier); ok {
			k := len(cl.Classes())
			pp := make([]float64, 5*k)
			if err := algorithms.PredictProba(cl, pp, x5.Data); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 5; i++ {
				for j := 0; j < k; j++ {
					if !near(pp[i*k+j], c.PredictProba[i][j]) {
						t.Errorf("%s %s: proba[%d][%d] = %v, python %v", c.Data, c.Algorithm, i, j, pp[i*k+j], c.PredictProba[i][j])
					}
				}
			}
		}
	}
	t.Logf("%d python fixtures matched", len(fx.Cases))
}

func TestRoundTrip(t *testing.T) {
	iris := readCSV(t, "iris", "target")
	diabetes := readCSV(t, "diabetes", "target")
	// Two regression targets: target and bmi (column 2).
	multi := dataset{x: diabetes.x, y: algorithms.Matrix{Rows: diabetes.y.Rows, Cols: 2}}
	for i := 0; i < diabetes.y.Rows; i++ {
		multi.y.Data = append(multi.y.Data, diabetes.y.Data[i], diabetes.x.Row(i)[2])
	}
	cases := []struct {
		name string
		alg  string
		task algorithms.Task
		d    dataset
		hp   algorithms.Hyperparams
	}{
		{"iris", "xgboost", algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 5.0}},
		{"iris-rf", "xgboost_random_forest", algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 5.0}},
		{"multi", "xgboost", algorithms.Regression, multi, algorithms.Hyperparams{"n_estimators": 5.0}},
		{"linear", "xgboost", algorithms.Regression, diabetes, algorithms.Hyperparams{"n_estimators": 5.0, "booster": "linear"}},
		{"dart", "xgboost", algorithms.Regression, diabetes, algorithms.Hyperparams{"n_estimators": 5.0, "booster": "dart", "rate_drop": 0.1, "eval_metric": []any{"rmse", "mae"}}},
		{"softmax", "xgboost", algorithms.Classification, iris, algorithms.Hyperparams{"n_estimators": 5.0, "objective": "multi:softmax"}},
	}
	for _, c := range cases {
		m := train(t, c.alg, c.task, c.d, c.hp)
		if m.NumOutputs() != c.d.y.Cols {
			t.Fatalf("%s: NumOutputs %d", c.name, m.NumOutputs())
		}
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := Load(b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if again, err := m2.MarshalBinary(); err != nil || !bytes.Equal(again, b) {
			t.Fatalf("%s: the loaded model marshals to other bytes (%v)", c.name, err)
		}
		if m2.Algorithm() != c.alg || m2.Task() != c.task || m2.NumFeatures() != c.d.x.Cols {
			t.Fatalf("%s: loaded %s %v %d", c.name, m2.Algorithm(), m2.Task(), m2.NumFeatures())
		}
		p1, p2 := predict(t, m, c.d.x), predict(t, m2, c.d.x)
		for i := range p1 {
			if p1[i] != p2[i] {
				t.Fatalf("%s: prediction %d differs after round trip: %v vs %v", c.name, i, p1[i], p2[i])
			}
		}
		// One row at a time agrees with the batch.
		for i := 0; i < 3; i++ {
			one := make([]float64, m.NumOutputs())
			m2.Predict(one, c.d.x.Row(i))
			for j := range one {
				if one[j] != p1[i*m.NumOutputs()+j] {
					t.Fatalf("%s: row %d alone %v, batch %v", c.name, i, one, p1[i*m.NumOutputs():])
				}
			}
		}
		if cl, ok := m2.(algorithms.Classifier); ok {
			pp := make([]float64, 2*len(cl.Classes()))
			cl.PredictProba(pp, c.d.x.Data[:2*c.d.x.Cols])
			t.Logf("%s: proba %v", c.name, pp)
		}
		if c.name == "iris" {
			testCorrupt(t, b)
		}
	}
}

func testCorrupt(t *testing.T, b []byte) {
	bad := map[string][]byte{
		"empty":     nil,
		"truncated": b[:len(b)/2],
		"header":    append([]byte("XXXXXXXX"), b[8:]...),
		"short":     b[:len(b)-1],
	}
	for _, off := range []int{len(b) / 3, len(b) / 2, len(b) - 10} {
		c := append([]byte(nil), b...)
		c[off] ^= 0x5a
		bad["flip"+strconv.Itoa(off)] = c
	}
	for name, c := range bad {
		if _, err := Load(c); err == nil {
			t.Errorf("corrupt %s: loaded", name)
		}
	}
	// A valid checksum over bytes that xgboost rejects.
	h := len(b) - 4
	c := append([]byte(nil), b[:h]...)
	for i := h - 40; i < h; i++ {
		c[i] = 0
	}
	c = appendCRC(t, c, b)
	if _, err := Load(c); err == nil {
		t.Error("garbage booster loaded")
	} else {
		t.Log(err)
	}
}

// appendCRC recomputes the trailing checksum of a modified model file c.
func appendCRC(t *testing.T, c, orig []byte) []byte {
	m, err := Load(orig)
	if err != nil {
		t.Fatal(err)
	}
	start := len("PGMLMODL") + 2 + 2 + len(m.Algorithm()) + 1
	return appendChecksum(c, start)
}

func TestBadHyperparams(t *testing.T) {
	d := readCSV(t, "iris", "target")
	for _, hp := range []algorithms.Hyperparams{
		{"foo": 1.0},
		{"n_estimators": 0.0},
		{"n_estimators": 2.5},
		{"booster": "nope"},
		{"max_depth": "abc"},
		{"objective": "reg:squarederror"},
		{"objective": "binary:logistic"}, // 3 classes
		{"n_jobs": -1.0},
		{"random_state": "x"},
		{"booster": "linear", "max_depth": 3.0},
		{"eval_metric": 3.0},
		{"n_estimators": 3.0, "boost_rounds": 3.0},
	} {
		_, err := Train(context.Background(), "xgboost", algorithms.Classification, d.x, d.y, hp)
		if err == nil {
			t.Errorf("%v: no error", hp)
			continue
		}
		t.Logf("%v: %v", hp, err)
	}
	_, err := Train(context.Background(), "xgboost", algorithms.Regression, d.x, d.y, algorithms.Hyperparams{"colour": 1.0})
	if err == nil || !strings.Contains(err.Error(), "allowed are") || !strings.Contains(err.Error(), "max_depth") {
		t.Errorf("unknown key error should list allowed keys: %v", err)
	}
	_, err = Train(context.Background(), "xgboost_random_forest", algorithms.Regression, d.x, d.y, algorithms.Hyperparams{"booster": "dart"})
	if err == nil {
		t.Error("random forest with dart accepted")
	}
	// The choices are listed as SQL users write them, not as a Go slice (the harness fuzz
	// found `["depthwise" "lossguide"]`).
	_, err = Train(context.Background(), "xgboost", algorithms.Regression, d.x, d.y, algorithms.Hyperparams{"grow_policy": 1e9})
	if want := `hyperparameter "grow_policy" must be one of "depthwise", "lossguide", got 1000000000`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestCancel: a context that becomes done after k consultations stops the
// training, for both algorithms and tasks, whatever XGBoost is doing (the
// rounds are too many to end first), and leaves no training process behind.
func TestCancel(t *testing.T) {
	sets := map[algorithms.Task]dataset{
		algorithms.Regression:     readCSV(t, "diabetes", "target"),
		algorithms.Classification: readCSV(t, "iris", "target"),
	}
	for task, d := range sets {
		for _, alg := range Algorithms(task) {
			hp := algorithms.Hyperparams{"n_estimators": 100000.0}
			if alg == algRF {
				hp = algorithms.Hyperparams{"n_estimators": 100000.0, "max_depth": 12.0}
			}
			for _, k := range []int64{0, 1, 3, 20} {
				ctx := canceltest.NewCountdown(k)
				start := time.Now()
				_, err := Train(ctx, alg, task, d.x, d.y, hp)
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("%s %v done after %d consultations: err %v", alg, task, k, err)
				}
				t.Logf("%s %v done after %d consultations: stopped in %v", alg, task, k, time.Since(start))
				if k > 0 {
					if err := syscall.Kill(lastChild, 0); err != syscall.ESRCH {
						t.Errorf("the training process %d is still there (kill 0: %v)", lastChild, err)
					}
				}
			}
		}
	}
}

// TestLongestGapBetweenChecks: while the training process works, this one
// consults the context every pollInterval, whatever the data.
func TestLongestGapBetweenChecks(t *testing.T) {
	rows, cols := 100_000, 10
	x := algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y := algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	for i := range x.Data {
		x.Data[i] = math.Sin(float64(i) * 1.3)
	}
	for i := range y.Data {
		y.Data[i] = x.Data[i*cols] + math.Cos(float64(i))
	}
	rec := canceltest.NewRecorder()
	_, err := Train(rec, algXGBoost, algorithms.Regression, x, y, algorithms.Hyperparams{"n_estimators": 10.0})
	rec.Stop()
	if err != nil {
		t.Fatal(err)
	}
	g := rec.Longest()
	t.Logf("longest gap %v (wall %v, cpu %v) after %d of %d consultations", g.Longest, g.Wall, g.CPU, g.After, g.Of)
	if g.Longest > 150*time.Millisecond {
		t.Errorf("%v between two consultations, want < 150ms", g.Longest)
	}
}

// TestChildCrash: a crash in the training process is an error of this
// training, not of the process calling it.
func TestChildCrash(t *testing.T) {
	d := readCSV(t, "iris", "target")
	setChildCrash(true)
	defer setChildCrash(false)
	_, err := Train(context.Background(), "xgboost", algorithms.Classification, d.x, d.y, nil)
	if err == nil || !strings.Contains(err.Error(), "killed by signal 11") {
		t.Fatalf("err = %v, want the training process killed by SIGSEGV", err)
	}
	t.Log(err)
}

func TestSpeed(t *testing.T) {
	d := readCSV(t, "breast_cancer", "malignant")
	m := train(t, "xgboost", algorithms.Classification, d, nil)
	one := make([]float64, 1)
	const n = 2000
	start := time.Now()
	for i := 0; i < n; i++ {
		m.Predict(one, d.x.Row(i%d.x.Rows))
	}
	perRow := time.Since(start) / n
	all := make([]float64, d.x.Rows)
	start = time.Now()
	m.Predict(all, d.x.Data)
	batch := time.Since(start) / time.Duration(d.x.Rows)
	t.Logf("breast_cancer, 100 trees depth 6: one row per call %v/row, batch of %d %v/row", perRow, d.x.Rows, batch)

	small := train(t, "xgboost", algorithms.Classification, d, algorithms.Hyperparams{"n_estimators": 1.0, "max_depth": 1.0})
	start = time.Now()
	for i := 0; i < n; i++ {
		small.Predict(one, d.x.Row(i%d.x.Rows))
	}
	t.Logf("one stump, one row per call (fixed overhead): %v/row", time.Since(start)/n)
	masks := threadMasks(t)
	full := 0
	for _, mask := range masks {
		if mask == fullMask {
			full++
		}
	}
	t.Logf("%d OS threads, %d of them with all signals blocked, after training and predicting with nthread=1", len(masks), full)
}

func appendChecksum(c []byte, start int) []byte {
	return binary.LittleEndian.AppendUint32(c, crc32.ChecksumIEEE(c[start:]))
}

// A multi-threaded fit runs its OpenMP workers in the training process:
// the calling process gains no thread that could receive PostgreSQL's
// signals (rule 6 in docs/architecture.md), and the model is the one a
// single thread trains.
func TestThreadsStayInTheChild(t *testing.T) {
	d := readCSV(t, "breast_cancer", "malignant")
	before := threadMasks(t)
	one := train(t, "xgboost", algorithms.Classification, d, algorithms.Hyperparams{"n_estimators": 5.0, "n_jobs": 1.0})
	two := train(t, "xgboost", algorithms.Classification, d, algorithms.Hyperparams{"n_estimators": 5.0, "n_jobs": 2.0})
	after := threadMasks(t)
	for tid, mask := range after {
		if _, ok := before[tid]; !ok && mask == fullMask {
			t.Errorf("new thread %s with every signal blocked: libgomp started workers in this process", tid)
		}
	}
	p1, p2 := predict(t, one, d.x), predict(t, two, d.x)
	for i := range p1 {
		if p1[i] != p2[i] {
			t.Fatalf("row %d: %v with one thread, %v with two", i, p1[i], p2[i])
		}
	}
}

// residentBytes is this process's VmRSS.
func residentBytes(t *testing.T) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Skip("no VmRSS")
	return 0
}

func threadMasks(t *testing.T) map[string]string {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip(err)
	}
	m := map[string]string{}
	for _, e := range ents {
		b, err := os.ReadFile("/proc/self/task/" + e.Name() + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "SigBlk:"); ok {
				m[e.Name()] = strings.TrimSpace(v)
			}
		}
	}
	return m
}

// fullMask is SigBlk with every signal blocked but SIGKILL and SIGSTOP
// (unblockable) and glibc's internal signals 32 and 33.
const fullMask = "fffffffe7ffbfeff"

// TestEstimateFit compares EstimateFit with the training process's peak
// resident memory. The child starts with its parent's pages mapped (most,
// not all: its own RSS may start lower), so the peak must stay within the
// parent's RSS at the fork plus the estimate, and the estimate within 4
// times the peak's growth over the parent's RSS (or 16 MiB, libxgboost's
// own) on a realistic shape.
func TestEstimateFit(t *testing.T) {
	for _, c := range []struct {
		alg  string
		task algorithms.Task
		hp   algorithms.Hyperparams
	}{
		{algXGBoost, algorithms.Regression, algorithms.Hyperparams{"n_estimators": 10.0}},
		{algXGBoost, algorithms.Classification, algorithms.Hyperparams{"n_estimators": 10.0}},
		{algRF, algorithms.Regression, algorithms.Hyperparams{"n_estimators": 10.0}},
		{algXGBoost, algorithms.Regression, algorithms.Hyperparams{"n_estimators": 10.0, "tree_method": "hist", "max_depth": 10.0}},
	} {
		rows, cols := 100_000, 10
		x := algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
		y := algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
		for i := range x.Data {
			x.Data[i] = math.Sin(float64(i) * 0.7)
		}
		outputs := 1
		for i := range y.Data {
			y.Data[i] = x.Data[i*cols] + math.Cos(float64(i))
			if c.task == algorithms.Classification {
				y.Data[i] = float64(i % 3)
				outputs = 3
			}
		}
		est, err := EstimateFit(c.alg, c.task, rows, cols, outputs, c.hp)
		if err != nil {
			t.Fatal(err)
		}
		inherited := residentBytes(t)
		_, err = Train(context.Background(), c.alg, c.task, x, y, c.hp)
		if err != nil {
			t.Fatal(err)
		}
		grown := lastChildMaxRSS - inherited
		t.Logf("%s %v %v: estimate %.1f MiB, training process peak RSS %.1f MiB, %.1f MiB more than its parent's",
			c.alg, c.task, c.hp, float64(est)/(1<<20), float64(lastChildMaxRSS)/(1<<20), float64(grown)/(1<<20))
		if inherited+est < lastChildMaxRSS {
			t.Errorf("the training process's peak %d exceeds the parent's RSS %d plus the estimate %d", lastChildMaxRSS, inherited, est)
		}
		if est > 4*max(grown, 16<<20) {
			t.Errorf("estimate %d more than 4 times the training process's growth %d", est, grown)
		}
	}
	if _, err := EstimateFit(algXGBoost, algorithms.Regression, 100, 4, 1, algorithms.Hyperparams{"max_bin": 1e9}); err == nil {
		t.Error("EstimateFit accepted max_bin 1e9")
	}
}
