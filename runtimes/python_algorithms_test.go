package runtimes

import (
	"encoding/json"
	"os/exec"
	"slices"
	"testing"

	"github.com/pgml-go/pgml/algorithms"
)

// The python runtime refuses, before reading data, what the bridge has no estimator for: its
// table must be the bridge's (less catboost, whose package is not installed here).
func TestPythonAlgorithmsMatchBridge(t *testing.T) {
	out, err := exec.Command("python3", "-c", "import sys; sys.path.insert(0, '../pybridge'); import bridge; print(bridge.algorithms())").Output()
	if err != nil {
		t.Skipf("python3 with scikit-learn is not available: %v", err)
	}
	var tasksOf map[string][]string
	if err := json.Unmarshal(out, &tasksOf); err != nil {
		t.Fatalf("bridge.algorithms() gave %q: %v", out, err)
	}
	want := map[algorithms.Task][]string{}
	for name, tasks := range tasksOf {
		if slices.Contains(nativeOnly, name) || name == "orthoganl_matching_pursuit" { // 1.0's spelling, normalized before
			continue
		}
		for _, task := range tasks {
			parsed, err := algorithms.ParseTask(task)
			if err != nil {
				t.Fatalf("bridge task %q: %v", task, err)
			}
			want[parsed] = append(want[parsed], name)
		}
	}
	for _, task := range []algorithms.Task{algorithms.Regression, algorithms.Classification, algorithms.Clustering, algorithms.Decomposition} {
		slices.Sort(want[task])
		got := slices.Sorted(slices.Values(Python{}.Algorithms(task)))
		if !slices.Equal(got, want[task]) {
			t.Errorf("%s: python runtime lists %v, the bridge trains %v", task, got, want[task])
		}
	}
	for _, name := range []string{"dbscan", "spectral", "optics", "feature_agglomeration", "catboost"} {
		for _, task := range []algorithms.Task{algorithms.Clustering, algorithms.Regression} {
			if (Python{}).Implements(name, task) {
				t.Errorf("python claims %s for %s", name, task)
			}
		}
	}
}
