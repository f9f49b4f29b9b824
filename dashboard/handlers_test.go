package dashboard

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// get serves one request and returns the status and body.
func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func TestProjectsPageListsEveryProjectWithItsDeployedModelsKeyMetric(t *testing.T) {
	h := NewServer(openStore(t, ""))
	code, body := get(t, h, "/")
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	rows, err := adminConn(t).Query(context.Background(), `SELECT p.name, d.id,
		(m.metrics->>(CASE p.task WHEN 'classification' THEN 'f1' ELSE 'r2' END))::float8
		FROM pgml.projects p JOIN pgml.deployed_models d ON d.name = p.name JOIN pgml.models m ON m.id = d.id`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var name string
		var model int64
		var metric float64
		if err := rows.Scan(&name, &model, &metric); err != nil {
			t.Fatal(err)
		}
		n++
		mustContain(t, body, html.EscapeString(name), fmt.Sprintf(`href="/projects/%s"`, html.EscapeString(url.PathEscape(name))),
			fmt.Sprintf(`href="/models/%d"`, model), fmt.Sprintf("%.4g", metric))
	}
	if n != 2 {
		t.Fatalf("the fixture has %d deployed projects, want 2", n)
	}
	if strings.Contains(body, "<flowers>") {
		t.Error("a project name reached the page unescaped")
	}
}

func TestProjectPageSortsModelsByAnyMetric(t *testing.T) {
	h := NewServer(openStore(t, ""))
	conn := adminConn(t)
	for _, metric := range []string{"r2", "mean_absolute_error"} {
		for _, dir := range []string{"asc", "desc"} {
			var want []string
			rows, err := conn.Query(context.Background(), fmt.Sprintf(`SELECT m.id::text FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
				WHERE p.name = $1 ORDER BY (m.metrics->>$2)::float8 %s`, dir), regressionProject, metric)
			if err != nil {
				t.Fatal(err)
			}
			if want, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
				t.Fatal(err)
			}
			code, body := get(t, h, "/projects/"+url.PathEscape(regressionProject)+"?sort="+metric+"&dir="+dir)
			if code != http.StatusOK {
				t.Fatalf("status %d: %s", code, body)
			}
			var got []string
			for _, m := range regexp.MustCompile(`data-model="(\d+)"`).FindAllStringSubmatch(body, -1) {
				got = append(got, m[1])
			}
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("sorted by %s %s: models %v, want %v", metric, dir, got, want)
			}
		}
	}
}

func TestProjectPageMarksTheDeployedModelAndDrawsTheDeployHistory(t *testing.T) {
	h := NewServer(openStore(t, ""))
	var deployed int64
	var deployments int
	err := adminConn(t).QueryRow(context.Background(), `SELECT (SELECT id FROM pgml.deployed_models WHERE name = $1),
		(SELECT count(*) FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id WHERE p.name = $1)`, regressionProject).Scan(&deployed, &deployments)
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, h, "/projects/"+url.PathEscape(regressionProject))
	if !regexp.MustCompile(fmt.Sprintf(`<tr class="deployed" data-model="%d">`, deployed)).MatchString(body) {
		t.Errorf("model %d is not marked deployed", deployed)
	}
	if got := strings.Count(body, `class="deployed"`); got != 1 {
		t.Errorf("%d rows marked deployed, want 1", got)
	}
	if got := strings.Count(body, `<circle class="event"`); got != deployments {
		t.Errorf("the timeline has %d deployments, want %d", got, deployments)
	}
}

func TestModelPageShowsMetricsHyperparametersAndSearchResults(t *testing.T) {
	h := NewServer(openStore(t, ""))
	var id int64
	var r2, best float64
	var candidates int
	var hasAnalysis bool
	err := adminConn(t).QueryRow(context.Background(), `SELECT id, (metrics->>'r2')::float8,
		jsonb_array_length(metrics->'search_results'->'params'),
		(metrics->'search_results'->'mean_test_score'->((metrics->'search_results'->>'best_index')::int))::float8,
		EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'pgml.models'::regclass AND attname = 'analysis')
		FROM pgml.models WHERE search = 'grid'`).Scan(&id, &r2, &candidates, &best, &hasAnalysis)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, h, fmt.Sprintf("/models/%d", id))
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	mustContain(t, body, fmt.Sprintf(`data-metric="r2">%.4g<`, r2), "<th>alpha</th>", html.EscapeString(regressionProject),
		fmt.Sprintf(`<td class="n">%.4g</td>`, best))
	if got := strings.Count(body, `<td><code>{&#34;alpha&#34;`); got != candidates {
		t.Errorf("the search table has %d candidates, want %d", got, candidates)
	}
	if !hasAnalysis {
		mustContain(t, body, `id="no-analysis"`, "No analysis stored")
	}
}

func TestSnapshotPageDrawsAHistogramPerNumericColumn(t *testing.T) {
	h := NewServer(openStore(t, ""))
	var id int64
	var columns int
	var labelStd float64
	err := adminConn(t).QueryRow(context.Background(), `SELECT s.id, (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'pgml' AND table_name = 'iris'),
		(SELECT stddev_pop(target)::float8 FROM pgml.iris)
		FROM pgml.snapshots s WHERE relation_name = 'pgml.iris'`).Scan(&id, &columns, &labelStd)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, h, fmt.Sprintf("/snapshots/%d", id))
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	if got := strings.Count(body, `data-chart="histogram"`); got != columns {
		t.Errorf("%d histograms, want one for each of the %d columns", got, columns)
	}
	mustContain(t, body, `data-column="sepal_length"`, `data-column="target"`, "all 150 rows of pgml.iris")
	// The label has no stored statistics: they come from the rows read.
	target := body[strings.Index(body, `data-column="target"`):]
	mustContain(t, target[:strings.Index(target, "</tr>")], fmt.Sprintf(`<td class="n">%.4g</td>`, labelStd))
}

func TestErrorsAre404And400(t *testing.T) {
	h := NewServer(openStore(t, ""))
	for path, want := range map[string]int{
		"/models/999999": 404, "/models/abc": 400, "/models/-1": 400, "/snapshots/999999": 404,
		"/projects/no%20such%20project": 404, "/nothing": 404,
	} {
		if code, _ := get(t, h, path); code != want {
			t.Errorf("%s: status %d, want %d", path, code, want)
		}
	}
}

func TestTrainingsPageShowsARunningTraining(t *testing.T) {
	h := NewServer(openStore(t, ""))
	ctx := context.Background()
	conn := adminConn(t)
	// A view that reads slowly keeps a genuine training running for a few seconds.
	_, err := conn.Exec(ctx, `CREATE OR REPLACE VIEW slow_rows AS
		SELECT g::real AS x, (2 * g)::real AS y FROM generate_series(1, 200) g, LATERAL pg_sleep(0.02 * sign(g)) s`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DELETE FROM pgml.projects WHERE name = 'slow project'") })
	done := make(chan error, 1)
	go func() {
		_, err := conn.Exec(ctx, `SELECT * FROM pgml.train('slow project', 'regression', 'slow_rows', 'y')`)
		done <- err
	}()
	deadline := time.Now().Add(4 * time.Second)
	var body string
	for time.Now().Before(deadline) {
		_, body = get(t, h, "/trainings")
		if strings.Contains(body, "slow project") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	mustContain(t, body, "slow project", `<meta http-equiv="refresh"`)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, body = get(t, h, "/trainings"); !strings.Contains(body, `id="no-trainings"`) {
		t.Error("the training still shows after it ended")
	}
}

func TestTheDashboardCannotWrite(t *testing.T) {
	s := openStore(t, "")
	err := s.read(context.Background(), func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), "DELETE FROM pgml.projects")
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "25006" {
		t.Fatalf("a write in a page's transaction: %v, want read_only_sql_transaction", err)
	}
	// Outside the page transactions too, every session defaults to read-only.
	conn, err := s.pool.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	var on string
	if err := conn.QueryRow(context.Background(), "SHOW default_transaction_read_only").Scan(&on); err != nil || on != "on" {
		t.Fatalf("default_transaction_read_only = %q (%v), want on", on, err)
	}
}

func TestAPageQueryStopsAtTheStatementTimeout(t *testing.T) {
	s := openStore(t, "")
	s.timeout = 200 * time.Millisecond
	err := s.read(context.Background(), func(tx pgx.Tx) error {
		_, err := tx.Exec(context.Background(), "SELECT pg_sleep(5)")
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Fatalf("a 5 s query under a 200 ms timeout: %v, want query_canceled", err)
	}
}

// The role README.md documents: LOGIN, plus the grants that show training statistics and
// other users' queries.
func TestEveryPageWorksForTheLeastPrivilegedRole(t *testing.T) {
	if !fixtureReady {
		t.Skip("no test cluster")
	}
	conn := adminConn(t)
	const role = "pgml_dashboard_test_role"
	for _, sql := range []string{
		"DROP ROLE IF EXISTS " + role,
		"CREATE ROLE " + role + " LOGIN",
	} {
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), "DROP ROLE IF EXISTS "+role) })
	h := NewServer(openStore(t, role))
	var model, snapshot int64
	if err := conn.QueryRow(context.Background(), "SELECT max(m.id), max(s.id) FROM pgml.models m JOIN pgml.snapshots s ON s.id = m.snapshot_id WHERE s.relation_name = 'pgml.iris'").Scan(&model, &snapshot); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/projects/" + url.PathEscape(classificationProject), fmt.Sprintf("/models/%d", model),
		fmt.Sprintf("/snapshots/%d", snapshot), "/trainings"} {
		if code, body := get(t, h, path); code != http.StatusOK {
			t.Errorf("%s: status %d: %s", path, code, body)
		}
	}
	_, body := get(t, h, fmt.Sprintf("/snapshots/%d", snapshot))
	mustContain(t, body, "GRANT SELECT (columns) ON pgml.snapshots", `data-chart="histogram"`)
	// With the documented grant, the stored training statistics show.
	if _, err := conn.Exec(context.Background(), "GRANT SELECT (columns) ON pgml.snapshots TO "+role); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), "REVOKE SELECT (columns) ON pgml.snapshots FROM "+role) })
	_, body = get(t, h, fmt.Sprintf("/snapshots/%d", snapshot))
	mustContain(t, body, "training rows")
}

// Where the extension has no pgml.training_progress yet, a stand-in view of its columns
// checks the page's view path end to end.
func TestTrainingsPageShowsTheProgressView(t *testing.T) {
	h := NewServer(openStore(t, ""))
	ctx := context.Background()
	conn := adminConn(t)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('pgml.training_progress') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Skip("the extension has pgml.training_progress: TestTrainingsPageShowsARunningTraining reads it")
	}
	_, err := conn.Exec(ctx, `CREATE VIEW pgml.training_progress AS
		SELECT 4242 AS pid, 'alice'::name AS usename, 'shop'::name AS datname, 'churn <q>' AS project, 'random_forest' AS algorithm,
		       'go' AS runtime, 'fitting' AS phase, 0 AS fold, 0 AS folds, 1 AS candidate, 1 AS candidates, 'trees' AS unit,
		       30::bigint AS units_done, 120::bigint AS units_total, interval '62.5 s' AS elapsed, interval '31 s' AS estimated_remaining`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DROP VIEW pgml.training_progress") })
	code, body := get(t, h, "/trainings")
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	mustContain(t, body, `<td class="n">4242</td>`, "churn &lt;q&gt;", "random_forest", `<progress max="100" value="25">`,
		"30 / 120 trees", "00:01:02", "00:00:31")
}

func TestASnapshotTooSlowToSampleStillShows(t *testing.T) {
	s := openStore(t, "")
	s.timeout = 2 * time.Second
	h := NewServer(s)
	ctx := context.Background()
	conn := adminConn(t)
	// Fast to train on, slow for the dashboard's sessions only.
	_, err := conn.Exec(ctx, `CREATE OR REPLACE VIEW sleepy AS
		SELECT g::real AS x, (2 * g)::real AS y FROM generate_series(1, 50) g,
		LATERAL pg_sleep(CASE WHEN current_setting('application_name') = 'pgml-dashboard' THEN 0.1 * sign(g) ELSE 0 END) s`)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(ctx, "DELETE FROM pgml.projects WHERE name = 'sleepy'") })
	if _, err := conn.Exec(ctx, "SELECT * FROM pgml.train('sleepy', 'regression', 'sleepy', 'y')"); err != nil {
		t.Fatal(err)
	}
	var snapshot int64
	err = conn.QueryRow(ctx, "SELECT id FROM pgml.snapshots WHERE relation_name = 'sleepy'").Scan(&snapshot)
	if err != nil {
		t.Fatal(err)
	}
	code, body := get(t, h, fmt.Sprintf("/snapshots/%d", snapshot))
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, body)
	}
	mustContain(t, body, "reading a sample of sleepy failed", "statement timeout", `data-column="x"`)
}
