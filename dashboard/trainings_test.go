package dashboard

import (
	"encoding/json"
	"testing"
)

func progressRow(t *testing.T, doc string) TrainingRow {
	t.Helper()
	var f progressFields
	if err := json.Unmarshal([]byte(doc), &f); err != nil {
		t.Fatal(err)
	}
	return f.row()
}

// The view's columns as the extension defines them (sql/pgml--0.2.0--0.3.0.sql), one row as
// to_jsonb writes it.
func TestProgressRowsReadTheExtensionsView(t *testing.T) {
	r := progressRow(t, `{"pid": 4242, "usename": "alice", "datname": "shop", "project": "churn", "project_id": 3,
		"algorithm": "random_forest", "runtime": "go", "phase": "searching", "fold": 2, "folds": 5, "candidate": 3, "candidates": 4,
		"unit": "trees", "units_done": 30, "units_total": 120, "percent_done": 25.0,
		"elapsed": "00:01:02.345678", "phase_elapsed": "00:00:10.5", "estimated_remaining": "00:00:31.000001"}`)
	want := TrainingRow{PID: 4242, User: "alice", Database: "shop", Project: "churn", Algorithm: "random_forest", Runtime: "go",
		Phase: "searching, fold 2/5, candidate 3/4", Unit: "trees", Elapsed: "00:01:02", Remaining: "00:00:31"}
	got := r
	got.Done, got.Total = nil, nil
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if p := r.Percent(); p == nil || *p != 25 {
		t.Errorf("percent %v, want 25", p)
	}
}

// The names the issue first gave the columns, and unknown totals.
func TestProgressRowsReadOtherColumnNamesAndMissingTotals(t *testing.T) {
	r := progressRow(t, `{"pid": 7, "username": "bob", "project": "p", "algorithm": "linear", "runtime": "python",
		"phase": "reading", "done": 10, "total": null, "elapsed": 3.5, "remaining": null}`)
	if r.User != "bob" || r.Phase != "reading" || r.Elapsed != "3.5" || r.Remaining != "" || r.Done == nil || *r.Done != 10 {
		t.Errorf("got %+v", r)
	}
	if r.Percent() != nil {
		t.Error("a percentage without a total")
	}
}
