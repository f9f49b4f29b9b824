-- Ten predictions in one statement: all of them must use the deployment the statement sees.
\set first random(1, 190)
INSERT INTO soak_log (input_id, seen_model, prediction)
SELECT i.id,
       (SELECT d.model_id FROM pgml.deployments d JOIN pgml.projects p ON p.id = d.project_id
        WHERE p.name = 'soak' ORDER BY d.id DESC LIMIT 1),
       pgml.predict('soak', i.features)
FROM soak_inputs i WHERE i.id BETWEEN :first AND :first + 9;
