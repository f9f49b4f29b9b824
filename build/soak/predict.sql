-- One prediction by project name, logged with the deployment the same statement sees by id.
\set input random(1, 200)
INSERT INTO soak_log (input_id, seen_model, prediction)
SELECT i.id,
       (SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
        WHERE p.name = 'soak' ORDER BY d.id DESC LIMIT 1),
       pgml.predict('soak', i.features)
FROM soak_inputs i WHERE i.id = :input;
