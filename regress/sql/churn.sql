-- An analyst's churn workflow on 50,000 generated rows (NULLs in numeric columns, text
-- columns): train with preprocessing, retrain with another algorithm without repeating it,
-- and predict from rows matched to the training columns by name.
SET client_min_messages = warning;

-- Deterministic pseudo-random values: hashint4 of the row number and a salt, in [0, 1).
CREATE FUNCTION churn_u(i int, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE
AS $$ SELECT (hashint4(i * 31 + salt) & 65535) / 65536.0 $$;

CREATE TABLE churn AS
SELECT i AS id,
       (1 + floor(churn_u(i, 1) * 72))::int AS tenure,
       CASE WHEN churn_u(i, 2) < 0.04 THEN NULL ELSE round((20 + churn_u(i, 3) * 100)::numeric, 2)::real END AS monthly_spend,
       CASE WHEN churn_u(i, 4) < 0.03 THEN NULL ELSE floor(churn_u(i, 5) * 6)::int END AS support_calls,
       (ARRAY['basic', 'standard', 'premium'])[1 + floor(churn_u(i, 6) * 3)::int] AS plan,
       (ARRAY['north', 'south', 'east', 'west', 'central'])[1 + floor(churn_u(i, 7) * 5)::int] AS region
FROM generate_series(1, 50000) i;
-- Churn rises with support calls, spend and the basic plan, falls with tenure (plus noise).
ALTER TABLE churn ADD COLUMN churned int;
UPDATE churn SET churned = (
    coalesce(support_calls, 2) * 0.6 + coalesce(monthly_spend, 70) / 40.0 - tenure / 18.0
    + CASE plan WHEN 'basic' THEN 1.0 WHEN 'standard' THEN 0.3 ELSE 0 END
    + CASE region WHEN 'south' THEN 0.4 ELSE 0 END
    + (churn_u(id, 8) - 0.5) * 2 > 1.5)::int;
SELECT count(*) AS rows, count(*) FILTER (WHERE monthly_spend IS NULL) > 1000 AS spend_nulls,
       count(*) FILTER (WHERE support_calls IS NULL) > 1000 AS call_nulls,
       avg(churned) BETWEEN 0.2 AND 0.8 AS balanced
FROM churn;

-- What the model learns from: every column but the id.
CREATE VIEW churn_training AS
SELECT tenure, monthly_spend, support_calls, plan, region, churned FROM churn;

SELECT project, task, algorithm FROM pgml.train('Churn', 'classification', 'churn_training', 'churned',
    preprocess => '{"monthly_spend": {"impute": "mean", "scale": "standard"},
                    "support_calls": {"impute": "median"},
                    "tenure": {"scale": "standard"},
                    "plan": {"encode": "one_hot"},
                    "region": {"encode": "target", "impute": "mode"}}');
-- Retraining names neither the relation nor the preprocessing: both are the project's.
SELECT project, task, algorithm FROM pgml.train('Churn', algorithm => 'xgboost');
SELECT m.algorithm, (m.metrics->>'f1')::float > 0.7 AS good_f1, m.num_features,
       m.snapshot_id = min(m.snapshot_id) OVER () AS same_snapshot
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'Churn' ORDER BY m.id;
-- The rest predicts with the xgboost model (one_hot and target encodings inside).
SELECT project, algorithm FROM pgml.deploy('Churn', 'most_recent');

-- Predicting from a view row: an extra id column and the columns in another order are fine,
-- fields are matched to the training columns by name.
CREATE VIEW churn_scoring AS
SELECT id, region, plan, support_calls, monthly_spend, tenure FROM churn;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE (pgml.predict_proba('Churn', s))[2] > 0.5) = count(*) FILTER (WHERE pgml.predict('Churn', s) = 1) AS proba_agrees,
       avg((((pgml.predict_proba('Churn', s))[2] > 0.5)::int = c.churned)::int) > 0.8 AS accurate
FROM churn_scoring s JOIN churn c USING (id)
WHERE id <= 2000;
-- The same rows as the table's own row type, and as a batch of rows, agree.
SELECT count(*) FILTER (WHERE pgml.predict('Churn', c) = pgml.predict('Churn', s)) AS same
FROM churn c JOIN churn_scoring s USING (id) WHERE id <= 500;
SELECT count(*) AS rows, sum(p) = (SELECT sum(pgml.predict('Churn', s)) FROM churn_scoring s WHERE id <= 500) AS batch_agrees
FROM pgml.predict_batch('Churn', (SELECT array_agg(s ORDER BY id) FROM churn_scoring s WHERE id <= 500)) p;

-- A named row whose two numeric columns are swapped against training predicts like the
-- training order: matching is by name. An anonymous ROW(...) is positional, so swapping its
-- fields changes the answer.
CREATE TYPE churn_case AS (monthly_spend real, tenure int, support_calls int, plan text, region text);
SELECT pgml.predict_proba('Churn', ROW(95, 3, 5, 'basic', 'south')::churn_case)
     = pgml.predict_proba('Churn', ROW(3, 95::real, 5, 'basic'::text, 'south'::text)) AS by_name,
       pgml.predict_proba('Churn', ROW(3, 95::real, 5, 'basic'::text, 'south'::text))
    <> pgml.predict_proba('Churn', ROW(95, 3::real, 5, 'basic'::text, 'south'::text)) AS anonymous_is_positional;
-- A subquery's row has names too.
SELECT pgml.predict_proba('Churn', r) = pgml.predict_proba('Churn', ROW(60, 40::real, 1, 'premium'::text, 'north'::text)) AS subquery_by_name
FROM (SELECT 'north'::text AS region, 1 AS support_calls, 'premium'::text AS plan, 40::real AS monthly_spend, 60 AS tenure) r;

-- An unseen category is a missing value: region imputes it (its mode), plan has no imputer.
SELECT pgml.predict_proba('Churn', ROW(12, 80::real, 2, 'basic'::text, 'atlantis'::text)) IS NOT NULL AS unseen_region_imputed;
SELECT pgml.predict_proba('Churn', ROW(12, 80::real, 2, 'platinum'::text, 'north'::text));
-- In a batch of rows too, the unseen region is imputed and the unseen plan names itself.
SELECT count(*) AS predicted FROM pgml.predict_batch('Churn', ARRAY[ROW(12, 80::real, 2, 'basic'::text, 'atlantis'::text), ROW(1, 20::real, 0, 'premium'::text, 'north'::text)]);
SELECT count(*) FROM pgml.predict_batch('Churn', ARRAY[ROW(12, 80::real, 2, 'basic'::text, 'north'::text), ROW(1, 20::real, 0, 'gold'::text, 'north'::text)]);

-- Missing fields are named; an anonymous row of the wrong width shows the expected columns.
CREATE VIEW churn_partial AS SELECT id, tenure, plan FROM churn;
SELECT pgml.predict_proba('Churn', p) FROM churn_partial p WHERE id = 1;
SELECT pgml.predict_proba('Churn', ROW(12, 80::real, 2));
SELECT pgml.predict_batch('Churn', ARRAY[ROW(12, 80::real, 2, 'basic'::text, 'north'::text), NULL]);

DROP VIEW churn_partial, churn_scoring, churn_training;
DROP TYPE churn_case;
DROP TABLE churn;
DROP FUNCTION churn_u(int, int);
