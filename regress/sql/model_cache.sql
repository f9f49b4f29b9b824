-- pgml.model_cache(): the models this backend keeps loaded; pgml.model_cache_size bounds them.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('diabetes');
SHOW pgml.model_cache_size;
-- A new session has loaded no model.
SELECT count(*) AS cached FROM pgml.model_cache();
SELECT project FROM pgml.train('Cache One', 'regression', 'pgml.diabetes', 'target', algorithm => 'ridge');
SELECT project FROM pgml.train('Cache Two', 'regression', 'pgml.diabetes', 'target', algorithm => 'random_forest',
    hyperparams => '{"n_estimators": 3, "max_depth": 3}');
SELECT round(pgml.predict('Cache One', ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])) IS NOT NULL AS predicted
FROM pgml.diabetes LIMIT 3;
SELECT pgml.predict('Cache Two', ARRAY[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]) IS NOT NULL AS predicted;
-- Most recently used first; hits count the calls each model served.
SELECT model_id = (SELECT m.id FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = c.project) AS id_matches,
       project, algorithm, runtime, bytes > 0 AS has_size, hits, last_used >= loaded_at AS used_after_load,
       loaded_at <= now() AS loaded_in_the_past
FROM pgml.model_cache() c;
-- Models by id share the cache with models by name.
SELECT pgml.predict(m.id, ARRAY[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]) IS NOT NULL AS predicted
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Cache One';
SELECT project, hits FROM pgml.model_cache();

-- With no room, a model serves the statement that needs it and is dropped when it ends.
SET pgml.model_cache_size = 0;
SELECT count(*) AS cached_after_set FROM pgml.model_cache();
SELECT pgml.predict('Cache One', ARRAY[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]) IS NOT NULL AS predicted,
       (SELECT count(*) FROM pgml.model_cache()) AS cached_during_statement;
SELECT count(*) AS cached_after_statement FROM pgml.model_cache();
-- Inside a transaction block, until the transaction ends.
BEGIN;
SELECT pgml.predict('Cache Two', ARRAY[0.03, 0.05, 0.06, 0.02, -0.04, -0.03, -0.04, 0.0, 0.02, -0.02]) IS NOT NULL AS predicted;
SELECT project FROM pgml.model_cache();
COMMIT;
SELECT count(*) AS cached_after_commit FROM pgml.model_cache();
RESET pgml.model_cache_size;
SET pgml.model_cache_size = '64MB';
SHOW pgml.model_cache_size;
RESET pgml.model_cache_size;

-- Bounding server memory is the superuser's call; bad values are refused.
SET pgml.model_cache_size = -1;
CREATE ROLE pgml_cache_user;
SET ROLE pgml_cache_user;
SET pgml.model_cache_size = '1GB';
RESET ROLE;
DROP ROLE pgml_cache_user;
