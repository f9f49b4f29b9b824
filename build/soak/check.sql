-- Judges a soak run (build/soak.sh): one row per check, "check|failures|detail"; a check with
-- failures > 0 fails the run unless PGML_SOAK_KNOWN names it.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- What each logged statement should have predicted: the model it saw deployed, by id.
CREATE TEMP TABLE soak_expected AS
SELECT l.id, l.statement, l.input_id, l.seen_model, l.prediction, pgml.predict(l.seen_model, i.features) AS by_seen_model
FROM soak_log l JOIN soak_inputs i ON i.id = l.input_id
WHERE l.seen_model IS NOT NULL;

-- Every prediction any deployed model of soak gives.
CREATE TEMP TABLE soak_deployed_predictions AS
SELECT m.id AS model_id, i.id AS input_id, pgml.predict(m.id, i.features) AS prediction
FROM pgml.models m CROSS JOIN soak_inputs i
WHERE m.id IN (SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id WHERE p.name = 'soak');

-- Errors the scripts may meet: a rollback or best_score with nothing else to deploy.
CREATE TEMP VIEW soak_documented_errors AS
SELECT * FROM soak_errors WHERE sqlstate = '02000' AND message = 'No qualified models exist for this deployment.';

\pset tuples_only on
\pset format unaligned
\pset fieldsep '|'
SELECT 'predictions', 0, count(*) || ' predictions by name in ' || count(DISTINCT statement) || ' statements, '
       || count(DISTINCT seen_model) || ' deployed models seen'
FROM soak_log
UNION ALL
SELECT 'statement_saw_no_deployment', count(*), 'predictions whose statement saw no deployment of soak'
FROM soak_log WHERE seen_model IS NULL
UNION ALL
-- The deployment predict used by name differs from the one the same statement sees by id.
SELECT 'predict_by_name_used_other_deployment', count(*),
       count(*) || ' of ' || (SELECT count(*) FROM soak_expected) || ' predictions (in ' || count(DISTINCT statement) || ' of '
       || (SELECT count(DISTINCT statement) FROM soak_expected) || ' statements) differ from the statement''s deployment'
       || coalesce(' (e.g. soak_log ids ' || string_agg(id::text, ', ' ORDER BY id) FILTER (WHERE rn <= 5) || ')', '')
FROM (SELECT e.*, row_number() OVER (ORDER BY id) AS rn FROM soak_expected e
      WHERE prediction IS DISTINCT FROM by_seen_model) x
UNION ALL
-- Worse: a prediction no deployed model gives for that input.
SELECT 'prediction_of_no_deployed_model', count(*), 'predictions equal to no deployed model''s'
FROM soak_log l
WHERE NOT EXISTS (SELECT 1 FROM soak_deployed_predictions p
                  WHERE p.input_id = l.input_id AND p.prediction IS NOT DISTINCT FROM l.prediction)
UNION ALL
SELECT 'documented_errors', 0, count(*) || ' (' || coalesce(string_agg(DISTINCT script, ', '), 'none') || ')'
FROM soak_documented_errors
UNION ALL
SELECT 'undocumented_errors', count(*),
       coalesce(string_agg(DISTINCT script || ': ' || sqlstate || ' ' || left(message, 200), '; '), 'none')
FROM soak_errors e
WHERE NOT EXISTS (SELECT 1 FROM soak_documented_errors d WHERE d.script = e.script AND d.at = e.at AND d.message = e.message)
UNION ALL
SELECT 'trainings', 0, (SELECT count(*) FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'soak')
       || ' models of soak, ' || (SELECT count(*) FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id WHERE p.name = 'soak')
       || ' deployments'
UNION ALL
-- Every churning project deleted itself: none may be left, nor its models.
SELECT 'churn_left_behind', count(*), coalesce(string_agg(name, ', '), 'none')
FROM pgml.projects WHERE name LIKE 'churn %'
  AND NOT EXISTS (SELECT 1 FROM soak_errors WHERE script = 'churn');
