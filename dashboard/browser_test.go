package dashboard

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromiumPath finds Debian's chromium (build/install-deps.sh installs it); PGML_CHROMIUM
// names another binary.
func chromiumPath() string {
	if p := os.Getenv("PGML_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where the screenshots go: build/artifacts/dashboard of the repository,
// or $PGML_ARTIFACTS_DIR.
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("PGML_ARTIFACTS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "build", "artifacts", "dashboard")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// renderedPage is what the browser shows of a page.
type renderedPage struct {
	Title  string `json:"title"`
	Text   string `json:"text"`
	Charts []struct {
		Kind   string  `json:"kind"`
		Width  float64 `json:"width"`
		Height float64 `json:"height"`
		Shapes int     `json:"shapes"`
	} `json:"charts"`
}

// inspect reads the page's visible text and, for every chart, its drawn size and the number
// of shapes in it.
const inspect = `({
	title: document.title,
	text: document.body.innerText,
	charts: [...document.querySelectorAll("svg.chart")].map(s => {
		const r = s.getBoundingClientRect();
		return {kind: s.dataset.chart, width: r.width, height: r.height,
			shapes: s.querySelectorAll("rect.bar, rect.cell, rect.served, circle, polyline.series").length};
	})
})`

// TestBrowserLoadsEveryPage serves the dashboard over the fixture and loads each page in
// headless Chromium: the key text is on the page, the charts are drawn with a size and
// shapes, and a screenshot of each page is saved.
func TestBrowserLoadsEveryPage(t *testing.T) {
	store := openStore(t, "")
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("chromium is not installed (build/install-deps.sh installs it)")
	}
	srv := httptest.NewServer(NewServer(store))
	defer srv.Close()
	b, err := startBrowser(chromium, t.TempDir(), 1280, 900)
	if err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	defer b.close()

	ctx := context.Background()
	conn := adminConn(t)
	var clsModel, regModel, irisSnapshot int64
	var f1, r2, deployedR2 float64
	var hasAnalysis bool
	err = conn.QueryRow(ctx, `SELECT c.id, (c.metrics->>'f1')::float8, c.snapshot_id, r.id, (r.metrics->>'r2')::float8,
		EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pgml.models'::regclass AND attname = 'analysis')
		FROM pgml.deployed_models dc JOIN pgml.models c ON c.id = dc.id, pgml.models r
		WHERE dc.name = $1 AND r.search = 'grid'`, classificationProject).Scan(&clsModel, &f1, &irisSnapshot, &regModel, &r2, &hasAnalysis)
	if err != nil {
		t.Fatal(err)
	}
	var irisColumns int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'pgml' AND table_name = 'iris'").Scan(&irisColumns); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT (m.metrics->>'r2')::float8 FROM pgml.deployed_models d JOIN pgml.models m ON m.id = d.id WHERE d.name = $1",
		regressionProject).Scan(&deployedR2); err != nil {
		t.Fatal(err)
	}
	metric := func(v float64) string { return fmt.Sprintf("%.4g", v) }

	pages := []struct {
		file, path string
		texts      []string
		charts     map[string]int // kind -> how many, each drawn and non-empty
	}{
		{"projects", "/", []string{classificationProject, regressionProject, metric(f1), metric(deployedR2)}, nil},
		{"project-classification", "/projects/" + url.PathEscape(classificationProject), []string{classificationProject, "deployed", metric(f1)},
			map[string]int{"deployments": 1}},
		{"project-regression", "/projects/" + url.PathEscape(regressionProject), []string{regressionProject, "ridge", "lasso", metric(r2)},
			map[string]int{"deployments": 1}},
		{"model-classification", fmt.Sprintf("/models/%d", clsModel), []string{fmt.Sprintf("Model #%d", clsModel), "f1", metric(f1)}, nil},
		{"model-regression", fmt.Sprintf("/models/%d", regModel), []string{fmt.Sprintf("Model #%d", regModel), metric(r2), "Search results", "alpha"}, nil},
		{"snapshot", fmt.Sprintf("/snapshots/%d", irisSnapshot), []string{"pgml.iris", "sepal_length", "target"}, map[string]int{"histogram": irisColumns}},
		// Reloading paused: a reload must not race the screenshot (TestTrainingsPageShowsARunningTraining checks it).
		{"trainings", "/trainings?refresh=0", []string{"Running trainings", "No training is running"}, nil},
	}
	if !hasAnalysis {
		pages[3].texts = append(pages[3].texts, "No analysis stored")
	} else {
		pages[3].charts = map[string]int{"confusion-matrix": 1, "feature-importance": 1}
		pages[4].charts = map[string]int{"predicted-vs-actual": 1, "feature-importance": 1}
	}

	dir := artifactsDir(t)
	for _, p := range pages {
		pctx, cancel := context.WithTimeout(ctx, 120*time.Second) // a loaded test machine is slow
		if err := b.open(pctx, srv.URL+p.path); err != nil {
			cancel()
			t.Fatalf("%s: %v", p.path, err)
		}
		var got renderedPage
		if err := b.eval(pctx, inspect, &got); err != nil {
			cancel()
			t.Fatalf("%s: %v", p.path, err)
		}
		for _, want := range p.texts {
			// innerText is as displayed: headings are upper-cased by the stylesheet.
			if !strings.Contains(strings.ToLower(got.Text), strings.ToLower(want)) {
				t.Errorf("%s: the page does not show %q", p.path, want)
			}
		}
		if strings.Contains(got.Title, "Something went wrong") || strings.Contains(got.Text, "Something went wrong") {
			t.Errorf("%s: an error page", p.path)
		}
		drawn := map[string]int{}
		for _, c := range got.Charts {
			if c.Width > 0 && c.Height > 0 && c.Shapes > 0 {
				drawn[c.Kind]++
			} else {
				t.Errorf("%s: the %s chart is empty (%gx%g px, %d shapes)", p.path, c.Kind, c.Width, c.Height, c.Shapes)
			}
		}
		for kind, n := range p.charts {
			if drawn[kind] != n {
				t.Errorf("%s: %d drawn %s charts, want %d", p.path, drawn[kind], kind, n)
			}
		}
		shot := filepath.Join(dir, p.file+".png")
		if err := b.screenshot(pctx, shot); err != nil {
			t.Errorf("%s: screenshot: %v", p.path, err)
		} else {
			fmt.Printf("dashboard screenshot: %s\n", shot)
		}
		cancel()
	}
}
