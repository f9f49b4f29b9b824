-- Setup of the training benchmark (build/bench-train.sh): synthetic tables, the list of jobs
-- and bench_run_job(), which times one algorithm/task in both runtimes. psql variables:
--   rows (main size), svm_rows (linear_svm), warm_rows (warm-up tables), big_rows (0 = none).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION pgml;

-- bench_make(n, suffix): bench_reg_<suffix> (c1..c20 real, target real) and, unless
-- reg_only, bench_cls_<suffix> (c1..c20 real, label int, 3 classes). Features are uniform in
-- [-1, 1); setseed first, so every size is generated from the same stream.
--   target = 3 + Σ w_i·c_i + 1.5·sin(3·c1·c2) + c3² + noise   (w_i fixed, some near 0)
--   label  = tertile-ish bins (±0.3) of 0.8c1 − 0.6c2 + 0.5c3 + 0.4c4c5 + 0.3sin(3c6) + noise
CREATE FUNCTION bench_make(n bigint, suffix text, reg_only boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  cols text := (SELECT string_agg(format('c%s', i), ', ' ORDER BY i) FROM generate_series(1, 20) i);
  gen text := (SELECT string_agg(format('(random()*2 - 1)::real AS c%s', i), ', ' ORDER BY i)
               FROM generate_series(1, 20) i);
  lin text := (SELECT string_agg(format('%s*c%s', round(((i*37) % 19 - 9) / 4.0, 2), i), ' + ' ORDER BY i)
               FROM generate_series(1, 20) i);
BEGIN
  PERFORM setseed(0.42);
  EXECUTE format($q$
    CREATE TABLE bench_x_%1$s AS
    SELECT %2$s,
           (3 + %4$s + 1.5*sin(3*c1*c2) + c3*c3 + 0.5*(random() + random() - 1))::real AS target,
           CASE WHEN s < -0.3 THEN 0 WHEN s < 0.3 THEN 1 ELSE 2 END AS label
    FROM (SELECT *, 0.8*c1 - 0.6*c2 + 0.5*c3 + 0.4*c4*c5 + 0.3*sin(3*c6) + 0.3*(random() - 0.5) AS s
          FROM (SELECT %3$s FROM generate_series(1, %5$s)) g) x$q$, suffix, cols, gen, lin, n);
  EXECUTE format('CREATE TABLE bench_reg_%s AS SELECT %s, target FROM bench_x_%s', suffix, cols, suffix);
  IF NOT reg_only THEN
    EXECUTE format('CREATE TABLE bench_cls_%s AS SELECT %s, label FROM bench_x_%s', suffix, cols, suffix);
  END IF;
  EXECUTE format('DROP TABLE bench_x_%s', suffix);
END $$;

\o /dev/null
SELECT bench_make(:rows, 'main');
SELECT bench_make(:svm_rows, 'svm');
SELECT bench_make(:warm_rows, 'warm');
SELECT bench_make(:big_rows, 'big', true) WHERE :big_rows > 0;
\o
-- Hint bits and statistics now, not during the first timed read.
SELECT format('VACUUM (FREEZE, ANALYZE) %I', tablename) FROM pg_tables
WHERE schemaname = 'public' AND tablename ~ '^bench_(reg|cls)_' ORDER BY 1 \gexec

-- The jobs: one per algorithm and task, both runtimes, the same hyperparameters
-- (scikit-learn's names in both). lasso and elastic_net are regression-only in PostgresML;
-- knn is left out (its fit stores the rows, so a fit time says nothing); lightgbm is native
-- only (the python column says why when the module is missing).
CREATE TABLE bench_jobs (ord int PRIMARY KEY, algorithm text, task text, suffix text, hyperparams jsonb,
                         runtimes text[]);
INSERT INTO bench_jobs (ord, algorithm, task, suffix, hyperparams, runtimes)
SELECT row_number() OVER (ORDER BY a.o, t.o), a.algorithm, t.task, a.suffix, a.hyperparams::jsonb,
       ARRAY['go', 'python']
FROM (VALUES (1, 'linear', 'main', '{}', true),
             (2, 'ridge', 'main', '{}', true),
             (3, 'lasso', 'main', '{}', false),
             (4, 'elastic_net', 'main', '{}', false),
             (5, 'stochastic_gradient_descent', 'main', '{}', true),
             (6, 'linear_svm', 'svm', '{}', true),
             (7, 'random_forest', 'main', '{"n_estimators": 10}', true),
             (8, 'extra_trees', 'main', '{"n_estimators": 10}', true),
             (9, 'gradient_boosting_trees', 'main', '{"n_estimators": 20}', true),
             (10, 'hist_gradient_boosting', 'main', '{"max_iter": 50}', true),
             (11, 'lightgbm', 'main', '{"n_estimators": 50}', true))
     AS a(o, algorithm, suffix, hyperparams, classification)
JOIN (VALUES (1, 'regression'), (2, 'classification')) AS t(o, task)
  ON t.task = 'regression' OR a.classification
WHERE :'only' = '' OR a.algorithm = ANY (string_to_array(replace(:'only', ' ', ''), ','));

-- One row per timed run (run >= 1), or per failure (secs NULL, err = the error's first line;
-- run 0 = the warm-up). bench_done: jobs finished, or abandoned (err) when the session died.
CREATE TABLE bench_runs (ord int, runtime text, run int, secs float8, metrics jsonb, err text);
CREATE TABLE bench_done (ord int PRIMARY KEY, err text);

-- bench_run_job(ord, runs): one warm-up per runtime on bench_*_warm (imports the estimator's
-- python modules, loads libpython on the first python job), then `runs` rounds of one
-- pgml.train per runtime, the order alternating each round so drift hits both alike. Each
-- call is timed by the server clock (clock_timestamp) inside a subtransaction: an error is
-- recorded and ends that runtime's part of the job, never the run.
CREATE FUNCTION bench_run_job(p_ord int, p_runs int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  j bench_jobs;
  rt text;
  order_ text[];
  failed text[] := '{}';
  rel text;
  t0 timestamptz;
  secs float8;
  m jsonb;
  msg text;
  key text;
BEGIN
  SELECT * INTO STRICT j FROM bench_jobs WHERE ord = p_ord;
  rel := CASE j.task WHEN 'regression' THEN 'bench_reg_' ELSE 'bench_cls_' END;
  key := CASE j.task WHEN 'regression' THEN 'r2' ELSE 'f1' END;
  FOR r IN 0..p_runs LOOP
    order_ := CASE WHEN r % 2 = 1 THEN j.runtimes ELSE ARRAY(SELECT x FROM unnest(j.runtimes) WITH ORDINALITY u(x, i) ORDER BY i DESC) END;
    FOREACH rt IN ARRAY order_ LOOP
      CONTINUE WHEN rt = ANY (failed);
      BEGIN
        t0 := clock_timestamp();
        PERFORM * FROM pgml.train('bench-train ' || j.task, j.task,
                                  rel || CASE WHEN r = 0 THEN 'warm' ELSE j.suffix END,
                                  CASE j.task WHEN 'regression' THEN 'target' ELSE 'label' END,
                                  algorithm => j.algorithm, hyperparams => j.hyperparams,
                                  test_sampling => 'last', runtime => rt, automatic_deploy => false);
        secs := extract(epoch FROM clock_timestamp() - t0);
        SELECT metrics INTO m FROM pgml.models ORDER BY id DESC LIMIT 1;
        IF r > 0 THEN
          INSERT INTO bench_runs VALUES (p_ord, rt, r, secs, m, NULL);
        END IF;
        RAISE NOTICE 'bench-train: % % % %: % s, % %', j.algorithm, j.task, rt,
          CASE WHEN r = 0 THEN 'warm-up' ELSE 'run ' || r END, round(secs::numeric, 3),
          key, round((m->>key)::numeric, 4);
      EXCEPTION WHEN OTHERS THEN
        msg := split_part(SQLERRM, E'\n', 1);
        INSERT INTO bench_runs VALUES (p_ord, rt, r, NULL, NULL, msg);
        failed := failed || rt;
        RAISE NOTICE 'bench-train: % % %: n/a: %', j.algorithm, j.task, rt, msg;
      END;
    END LOOP;
  END LOOP;
  INSERT INTO bench_done VALUES (p_ord, NULL);
END $$;
