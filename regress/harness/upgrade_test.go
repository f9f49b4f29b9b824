package harness

import (
	"context"
	"strings"
	"testing"
)

// TestUpgradeFrom010 installs pgml 0.1.0 in a database of its own, trains and deploys a model,
// runs ALTER EXTENSION pgml UPDATE and checks that the model still serves predictions, that
// the 0.2.0 functions exist, and that the row form explains that a 0.1.0 model has no column
// description (it was stored without one) instead of failing obscurely.
func TestUpgradeFrom010(t *testing.T) {
	ctx := context.Background()
	conn := scratchDatabase(t, "pgml_harness_upgrade")

	exec(t, conn, `CREATE EXTENSION pgml VERSION '0.1.0'`)
	exec(t, conn, `SELECT * FROM pgml.load_dataset('diabetes')`)
	exec(t, conn, `SELECT * FROM pgml.train('Upgrade', 'regression', 'pgml.diabetes', 'target')`)
	// The library installed is the current one, which stores each model's preprocessing;
	// a model written by the 0.1.0 library had none, so take it away.
	exec(t, conn, `DELETE FROM pgml.files WHERE path = 'preprocess.pgml'`)
	const predict = `SELECT pgml.predict('Upgrade', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6]) FROM pgml.diabetes ORDER BY age, bmi LIMIT 1`
	var before, after float32
	if err := conn.QueryRow(ctx, predict).Scan(&before); err != nil {
		t.Fatalf("predict on 0.1.0: %v", err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regprocedure('pgml.torch_cuda_available()') IS NOT NULL`).Scan(&exists); err != nil || exists {
		t.Fatalf("0.1.0 already has torch_cuda_available (%v, %v): the test is not installing 0.1.0", exists, err)
	}

	// What 0.1.0 and 0.2.0 left behind: a materialized snapshot table that does not depend on the
	// extension, and the snapshot of a deleted project.
	exec(t, conn, `SELECT * FROM pgml.train('Materialized', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true)`)
	exec(t, conn, `DELETE FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'n'`)
	exec(t, conn, `SELECT * FROM pgml.train('Deleted', 'regression', 'pgml.diabetes', 'target')`)
	exec(t, conn, `DELETE FROM pgml.projects WHERE name = 'Deleted'`)
	var orphans int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pgml.snapshots s WHERE NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id)`).Scan(&orphans); err != nil || orphans != 1 {
		t.Fatalf("0.1.0 should leave the deleted project's snapshot: %d orphans (%v)", orphans, err)
	}

	exec(t, conn, `ALTER EXTENSION pgml UPDATE`)
	var version string
	if err := conn.QueryRow(ctx, `SELECT extversion FROM pg_extension WHERE extname = 'pgml'`).Scan(&version); err != nil || version != "0.3.0" {
		t.Fatalf("after ALTER EXTENSION UPDATE the version is %q (%v), want 0.3.0", version, err)
	}
	if err := conn.QueryRow(ctx, predict).Scan(&after); err != nil {
		t.Fatalf("predict after the upgrade: %v", err)
	}
	if before != after {
		t.Fatalf("the upgrade changed the deployed model's prediction: %v -> %v", before, after)
	}
	// The upgrade signed the rows written before it, adopted the snapshot and dataset tables,
	// deleted the orphan snapshot, and took the model bytes away from PUBLIC.
	var unsigned, unverified, adopted int
	var publicReadsFiles bool
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pgml.files WHERE digest IS NULL),
		(SELECT count(*) FROM pgml.verify_models()),
		(SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'n'
		   AND objid IN ('pgml.diabetes'::regclass, (SELECT format('pgml.%I', 'snapshot_' || max(id))::regclass FROM pgml.snapshots WHERE materialized))),
		(SELECT count(*) FROM pgml.snapshots s WHERE NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id)),
		has_table_privilege('public', 'pgml.files', 'SELECT')`).Scan(&unsigned, &unverified, &adopted, &orphans, &publicReadsFiles); err != nil {
		t.Fatal(err)
	}
	if unsigned != 0 || unverified != 0 || adopted != 2 || orphans != 0 || publicReadsFiles {
		t.Fatalf("after the upgrade: %d unsigned and %d unverified file rows, %d of 2 tables adopted, %d orphan snapshots, PUBLIC reads files: %v",
			unsigned, unverified, adopted, orphans, publicReadsFiles)
	}
	var cosine float64
	if err := conn.QueryRow(ctx, `SELECT pgml.cosine_similarity(ARRAY[1.0, 2.0], ARRAY[2.0, 4.0])`).Scan(&cosine); err != nil || cosine < 0.999999 {
		t.Fatalf("a 0.2.0 function after the upgrade: %v, %v", cosine, err)
	}
	_, err := conn.Exec(ctx, `SELECT pgml.predict('Upgrade', (1.0::real, 0.0::real, 0.5::real, 0.5::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real))`)
	if err == nil || !strings.Contains(err.Error(), "without its column description") {
		t.Fatalf("row form on a 0.1.0 model gave %v, want the 'without its column description' error", err)
	}
	// A model trained after the upgrade has one.
	exec(t, conn, `SELECT * FROM pgml.train('Upgrade', algorithm => 'ridge')`)
	exec(t, conn, `SELECT * FROM pgml.deploy('Upgrade', 'most_recent')`)
	exec(t, conn, `SELECT pgml.predict('Upgrade', (1.0::real, 0.0::real, 0.5::real, 0.5::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real, 1.0::real))`)
}
