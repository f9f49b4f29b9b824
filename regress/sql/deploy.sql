-- Deployment strategies, automatic deploy, rollback, deploy by id, and the views.
SET client_min_messages = warning;

SELECT * FROM pgml.load_dataset('diabetes');
-- Model 1 learns from all features; model 2 from a view that hides most of them, so it is worse.
CREATE VIEW diabetes_weak AS SELECT age, sex, 0::real AS bmi, 0::real AS bp, 0::real AS s1, 0::real AS s2, 0::real AS s3,
       0::real AS s4, 0::real AS s5, 0::real AS s6, target FROM pgml.diabetes;
SELECT * FROM pgml.train('Deploys', 'regression', 'pgml.diabetes', 'target');
-- Automatic deploy compares r2 as numbers: the weaker model is not deployed.
SELECT * FROM pgml.train('Deploys', relation_name => 'diabetes_weak', y_column_name => 'target');
SELECT * FROM pgml.train('Deploys', relation_name => 'pgml.diabetes', y_column_name => 'target', automatic_deploy => false);

CREATE FUNCTION deployed_model(project text) RETURNS bigint LANGUAGE sql AS $$
    SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
    WHERE p.name = project ORDER BY d.id DESC LIMIT 1 $$;
CREATE FUNCTION model_rank(id bigint) RETURNS bigint LANGUAGE sql AS $$
    SELECT id - (SELECT min(m.id) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Deploys') + 1 $$;

SELECT model_rank(deployed_model('Deploys')) AS deployed;
SELECT * FROM pgml.deploy('Deploys', 'most_recent');
SELECT model_rank(deployed_model('Deploys')) AS deployed;
SELECT * FROM pgml.deploy('Deploys', 'rollback');
SELECT model_rank(deployed_model('Deploys')) AS deployed;
-- best_score picks the best r2 (model 1 or 3: the same data and split give the same r2).
SELECT * FROM pgml.deploy('Deploys', 'best_score');
SELECT model_rank(deployed_model('Deploys')) IN (1, 3) AS best_deployed;
-- The 1.0 default strategy is best_score, and positional arguments work.
SELECT * FROM pgml.deploy('Deploys');
SELECT * FROM pgml.deploy('Deploys', 'most_recent', 'linear');
-- Deploy one model by id.
SELECT * FROM pgml.deploy((SELECT min(id) + 1 FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Deploys')));
SELECT model_rank(deployed_model('Deploys')) AS deployed;
-- Rollback goes back to the previously deployed model, then forth again.
SELECT * FROM pgml.deploy('Deploys', 'rollback');
SELECT model_rank(deployed_model('Deploys')) AS deployed;
SELECT * FROM pgml.deploy('Deploys', 'rollback');
SELECT model_rank(deployed_model('Deploys')) AS deployed;

-- Predict follows deployments in this session at once, and a rolled-back deploy is undone.
SELECT pgml.predict('Deploys', ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) =
       pgml.predict(deployed_model('Deploys'), ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) AS follows_deployment;
BEGIN;
SELECT * FROM pgml.deploy((SELECT min(id) FROM pgml.models WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Deploys')));
SELECT pgml.predict('Deploys', ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) =
       pgml.predict(deployed_model('Deploys'), ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) AS follows_in_transaction;
ROLLBACK;
SELECT model_rank(deployed_model('Deploys')) AS deployed_after_rollback,
       pgml.predict('Deploys', ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) =
       pgml.predict(deployed_model('Deploys'), ARRAY[0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05]) AS follows_after_rollback;

-- Views (PostgresML 2.x columns).
SELECT name, task, algorithm, runtime FROM pgml.deployed_models WHERE name = 'Deploys';
SELECT model_rank(id) AS model, name, algorithm, runtime, test_sampling, test_size, deployed
FROM pgml.trained_models WHERE name = 'Deploys' ORDER BY id;
SELECT count(*) AS deployments FROM pgml.overview WHERE name = 'Deploys';
SELECT strategy, count(*) FROM pgml.deployments WHERE project_id = (SELECT id FROM pgml.projects WHERE name = 'Deploys')
GROUP BY strategy ORDER BY strategy;
