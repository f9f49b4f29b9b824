package lifecycle

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/progress"
)

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {1499 * time.Millisecond, "1s"}, {59 * time.Second, "59s"}, {65 * time.Second, "1m05s"},
		{3599 * time.Second, "59m59s"}, {2*time.Hour + 3*time.Minute + 40*time.Second, "2h03m"},
	} {
		if got := formatDuration(c.d); got != c.want {
			t.Errorf("formatDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestFormatProgress(t *testing.T) {
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	now := start.Add(65 * time.Second)
	search := &Progress{Phase: "searching", Algorithm: "random_forest", Fold: 2, Folds: 3, Candidate: 4, Candidates: 6,
		Unit: "fits", Done: 9, Total: 18, PhaseStarted: start, EstimatedEnd: now.Add(70 * time.Second)}
	if got, want := formatProgress(search, now), "searching random_forest: fold 2/3, candidate 4/6, 9/18 fits, 1m05s elapsed, about 1m10s left"; got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// Unknown units and end: only the elapsed time; an end already passed is "0s left".
	fit := &Progress{Phase: "fitting", Algorithm: "svm", PhaseStarted: start}
	if got, want := formatProgress(fit, now), "fitting svm: 1m05s elapsed"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	fit.Unit, fit.Done, fit.Total, fit.EstimatedEnd = "trees", 100, 100, now.Add(-time.Second)
	if got, want := formatProgress(fit, now), "fitting svm: 100/100 trees, 1m05s elapsed, about 0s left"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// fakeClock is a tracker's clock that tests move by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestTracker(t *testing.T, interval time.Duration) (*tracker, *memStore, *fakeClock) {
	store := newMemStore(t)
	sess := &Session{Store: store, Settings: Settings{ProgressInterval: interval}}
	sess.startProgress(7, "P", "random_forest", "go")
	clock := &fakeClock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	sess.progress.now = clock.now
	sess.progress.state.Started, sess.progress.lastInfo = clock.t, clock.t
	return sess.progress, store, clock
}

func TestTrackerEstimatesTheEndOfAFit(t *testing.T) {
	tr, store, clock := newTestTracker(t, 0)
	tr.enterPhase(phaseFitting)
	start := clock.t
	ctx := progress.With(context.Background(), &tr.counter)
	progress.Start(ctx, "trees", 100)
	progress.Advance(ctx, 25)
	clock.t = start.Add(10 * time.Second)
	if err := tr.tick(); err != nil {
		t.Fatal(err)
	}
	p := store.published[len(store.published)-1]
	// A quarter done in 10 s: the phase ends 40 s after it started.
	if p.Phase != "fitting" || p.Unit != "trees" || p.Done != 25 || p.Total != 100 || !p.EstimatedEnd.Equal(start.Add(40*time.Second)) {
		t.Fatalf("published %+v", p)
	}
	// Within publishEvery of the last publication nothing is written again.
	n := len(store.published)
	progress.Advance(ctx, 1)
	clock.t = clock.t.Add(publishEvery / 2)
	if err := tr.tick(); err != nil || len(store.published) != n {
		t.Fatalf("published %d times, want %d (%v)", len(store.published), n, err)
	}
	clock.t = clock.t.Add(publishEvery)
	if err := tr.tick(); err != nil || len(store.published) != n+1 || store.published[n].Done != 26 {
		t.Fatalf("published %+v (%v)", store.published[n:], err)
	}
	if len(store.reported(Info)) != 0 {
		t.Fatalf("INFO %q with pgml.progress_interval 0", store.reported(Info))
	}
}

func TestTrackerCountsASearchInFits(t *testing.T) {
	tr, store, clock := newTestTracker(t, 5*time.Second)
	tr.enterPhase(phaseSearching)
	start := clock.t
	ctx := progress.With(context.Background(), &tr.counter)
	// Fit 3 of 4 (fold 2, candidate 1), half of its trees built, 30 s in: 2.5 of 4 fits.
	if err := tr.searchStep(2, 2, 1, 2, 2, 4); err != nil {
		t.Fatal(err)
	}
	progress.Start(ctx, "trees", 10)
	progress.Advance(ctx, 5)
	clock.t = start.Add(30 * time.Second)
	if err := tr.tick(); err != nil {
		t.Fatal(err)
	}
	p := store.published[len(store.published)-1]
	if p.Unit != "fits" || p.Done != 2 || p.Total != 4 || p.Fold != 2 || p.Candidate != 1 || !p.EstimatedEnd.Equal(start.Add(48*time.Second)) {
		t.Fatalf("published %+v", p)
	}
	want := "searching random_forest: fold 2/2, candidate 1/2, 2/4 fits, 30s elapsed, about 18s left"
	if info := store.reported(Info); !slices.Equal(info, []string{want}) {
		t.Fatalf("INFO %q, want %q", info, want)
	}
	// The next line waits for pgml.progress_interval.
	clock.t = clock.t.Add(4 * time.Second)
	if err := tr.tick(); err != nil || len(store.reported(Info)) != 1 {
		t.Fatalf("INFO %q (%v)", store.reported(Info), err)
	}
	// Leaving the search forgets its folds and candidates.
	tr.enterPhase(phaseFitting)
	if p := store.published[len(store.published)-1]; p.Folds != 0 || p.Candidates != 0 || p.Total != 0 || !p.EstimatedEnd.IsZero() {
		t.Fatalf("published %+v after the search", p)
	}
}

func TestLabelSummaries(t *testing.T) {
	labels := []column{{name: "species"}}
	y := algorithms.Matrix{Rows: 5, Cols: 1, Data: []float64{0, 1, 1, 2, 1}}
	got := labelSummaries(algorithms.Classification, y, labels, [][]string{{"setosa", "versicolor", "virginica"}})
	if want := []string{"label species: 3 classes: setosa 1 (20.0%), versicolor 3 (60.0%), virginica 1 (20.0%)"}; !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	got = labelSummaries(algorithms.Classification, y, labels, [][]string{nil})
	if want := "label species: 3 classes: 0 1 (20.0%), 1 3 (60.0%), 2 1 (20.0%)"; got[0] != want {
		t.Errorf("got %q, want %q", got[0], want)
	}
	// Regression: population standard deviation of 1, 2, 3, 4 is sqrt(1.25).
	joint := algorithms.Matrix{Rows: 4, Cols: 2, Data: []float64{1, 10, 2, 10, 3, 10, 4, 10}}
	got = labelSummaries(algorithms.Regression, joint, []column{{name: "a"}, {name: "b"}}, [][]string{nil, nil})
	if want := []string{"label a: mean 2.5, std 1.118, min 1, max 4", "label b: mean 10, std 0, min 10, max 10"}; !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := labelSummaries(algorithms.Clustering, algorithms.Matrix{Rows: 4}, nil, nil); got != nil {
		t.Errorf("clustering: %q", got)
	}
}

func TestClassDistributionListsTheMostFrequentClasses(t *testing.T) {
	var y []float64
	for c := range summaryClasses + 2 {
		for range c + 1 {
			y = append(y, float64(c))
		}
	}
	got := classDistribution(y, nil)
	if !strings.HasPrefix(got, "12 classes: 11 12 (") || !strings.HasSuffix(got, ", 2 more") || strings.Contains(got, " 0 1 (") {
		t.Errorf("got %q: want the 10 most frequent classes first and the 2 rarest counted", got)
	}
}

func TestFormatMetrics(t *testing.T) {
	got := formatMetrics(map[string]float64{"r2": 0.987654, "fit_time": 1.5, "mean_squared_error": 1234.5678, "score_time": 0.1, "log_loss": -0.0})
	if want := "log_loss 0, mean_squared_error 1235, r2 0.9877"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
