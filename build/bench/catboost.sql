-- catboost against hist_gradient_boosting and xgboost (make bench-catboost): default
-- hyperparameters, pgml.train's default split (25% random test rows; the three algorithms of a
-- dataset share one snapshot, so one split), the model's test metric and fit time as stored
-- in pgml.models, and pgml.predict's cost per row over the whole table (the model cached by a
-- warm-up; best of three passes). Run by build/bench-catboost.sh.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT * FROM pgml.load_dataset('diabetes') \g /dev/null
SELECT * FROM pgml.load_dataset('breast_cancer') \g /dev/null
SELECT * FROM pgml.load_dataset('iris') \g /dev/null
SELECT * FROM pgml.load_dataset('digits') \g /dev/null
SELECT * FROM pgml.load_dataset('wine') \g /dev/null
SELECT * FROM pgml.load_dataset('linnerud') \g /dev/null
SELECT * FROM pgml.load_dataset('california_housing') \g /dev/null

CREATE TEMP TABLE bench_sets (ord int, name text, task text, labels text[]);
INSERT INTO bench_sets VALUES
    (1, 'diabetes', 'regression', '{target}'),
    (2, 'breast_cancer', 'classification', '{malignant}'),
    (3, 'iris', 'classification', '{target}'),
    (4, 'digits', 'classification', '{target}'),
    (5, 'wine', 'classification', '{target}'),
    (6, 'linnerud', 'regression', '{weight,waste,pulse}'),
    (7, 'california_housing', 'regression', '{target}');
CREATE TEMP TABLE bench_results (ord int, name text, algorithm text, metric float8, fit_s float8, predict_us float8, err text);

DO $$
DECLARE
    s record;
    a text;
    project text;
    features text;
    model bigint;
    joint boolean;
    t0 timestamptz;
    best float8;
    n bigint;
    m jsonb;
BEGIN
    FOR s IN SELECT * FROM bench_sets ORDER BY ord LOOP
        project := 'bench catboost ' || s.name;
        joint := cardinality(s.labels) > 1;
        -- The features in table order: one array column as is, else an array of the columns.
        SELECT CASE WHEN count(*) = 1 AND bool_and(data_type = 'ARRAY') THEN string_agg(quote_ident(column_name), '')
                    ELSE 'ARRAY[' || string_agg(quote_ident(column_name) || '::real', ', ' ORDER BY ordinal_position) || ']' END
        INTO features
        FROM information_schema.columns
        WHERE table_schema = 'pgml' AND table_name = s.name AND column_name <> ALL (s.labels);
        FOREACH a IN ARRAY ARRAY['catboost', 'hist_gradient_boosting', 'xgboost'] LOOP
            BEGIN
                IF joint THEN
                    PERFORM * FROM pgml.train_joint(project, s.task, 'pgml.' || s.name, s.labels, algorithm => a, automatic_deploy => false);
                ELSIF a = 'catboost' THEN
                    PERFORM * FROM pgml.train(project, s.task, 'pgml.' || s.name, s.labels[1], algorithm => a, automatic_deploy => false);
                ELSE
                    PERFORM * FROM pgml.train(project, algorithm => a, automatic_deploy => false);
                END IF;
                SELECT mo.id, mo.metrics INTO model, m FROM pgml.models mo JOIN pgml.projects p ON p.id = mo.project_id
                WHERE p.name = project AND mo.algorithm = a ORDER BY mo.id DESC LIMIT 1;
                EXECUTE format('SELECT count(p) FROM (SELECT %s(%s, %s) AS p FROM pgml.%I) x',
                               CASE WHEN joint THEN 'pgml.predict_joint' ELSE 'pgml.predict' END, model, features, s.name) INTO n;
                best := 'Infinity';
                FOR pass IN 1..3 LOOP
                    t0 := clock_timestamp();
                    EXECUTE format('SELECT count(p) FROM (SELECT %s(%s, %s) AS p FROM pgml.%I) x',
                                   CASE WHEN joint THEN 'pgml.predict_joint' ELSE 'pgml.predict' END, model, features, s.name) INTO n;
                    best := least(best, extract(epoch FROM clock_timestamp() - t0));
                END LOOP;
                INSERT INTO bench_results VALUES (s.ord, s.name, a,
                    (m->>CASE WHEN s.task = 'regression' THEN 'r2' ELSE 'f1' END)::float8,
                    (m->>'fit_time')::float8, best * 1e6 / n, NULL);
            EXCEPTION WHEN OTHERS THEN
                INSERT INTO bench_results VALUES (s.ord, s.name, a, NULL, NULL, NULL, split_part(SQLERRM, E'\n', 1));
            END;
        END LOOP;
    END LOOP;
END $$;

\pset footer off
SELECT s.name AS dataset, CASE WHEN s.task = 'regression' THEN 'r2' ELSE 'f1' END AS metric,
       to_char(c.metric, 'FM0.0000') AS catboost, to_char(h.metric, 'FM0.0000') AS hgb, coalesce(to_char(x.metric, 'FM0.0000'), 'n/a') AS xgboost,
       to_char(c.fit_s, 'FM990.00') AS "catboost fit s", to_char(h.fit_s, 'FM990.00') AS "hgb fit s", coalesce(to_char(x.fit_s, 'FM990.00'), 'n/a') AS "xgboost fit s",
       to_char(c.predict_us, 'FM9990.0') AS "catboost µs/row", to_char(h.predict_us, 'FM9990.0') AS "hgb µs/row",
       coalesce(to_char(x.predict_us, 'FM9990.0'), 'n/a') AS "xgboost µs/row"
FROM bench_sets s
LEFT JOIN bench_results c ON c.ord = s.ord AND c.algorithm = 'catboost'
LEFT JOIN bench_results h ON h.ord = s.ord AND h.algorithm = 'hist_gradient_boosting'
LEFT JOIN bench_results x ON x.ord = s.ord AND x.algorithm = 'xgboost'
ORDER BY s.ord;
SELECT name, algorithm, err FROM bench_results WHERE err IS NOT NULL ORDER BY ord, algorithm;
