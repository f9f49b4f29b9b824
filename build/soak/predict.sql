-- Predictions by project name, logged with the deployment the same statement sees by id: one
-- row per statement, or (one time in four) ten rows that must all use that deployment.
\set first random(1, 191)
\set wide random(0, 3)
\set last :first + (:wide / 3) * 9
INSERT INTO soak_log (input_id, seen_model, prediction)
SELECT i.id,
       (SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
        WHERE p.name = 'soak' ORDER BY d.id DESC LIMIT 1),
       pgml.predict('soak', i.features)
FROM soak_inputs i WHERE i.id BETWEEN :first AND :last;
