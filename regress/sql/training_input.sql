-- What a training does with values that are not ordinary numbers: NULL is missing (imputed
-- by preprocess or refused naming the column), NaN in a feature is missing too, infinities
-- and values beyond double precision are refused by name; labels must all be numbers.
SET client_min_messages = warning;
CREATE TABLE ti (a float8, b numeric, c bigint, label float8);
INSERT INTO ti SELECT i, i * 2, i * 3, i % 2 FROM generate_series(1, 40) i;

-- Labels: NULL, NaN and infinite values are each named for what they are.
UPDATE ti SET label = NULL WHERE a = 1;
SELECT * FROM pgml.train('TI null label', 'classification', 'ti', 'label');
UPDATE ti SET label = 'NaN' WHERE a = 1;
SELECT * FROM pgml.train('TI nan label', 'classification', 'ti', 'label');
UPDATE ti SET label = 'Infinity' WHERE a = 1;
SELECT * FROM pgml.train('TI inf label', 'regression', 'ti', 'label');
UPDATE ti SET label = 1 WHERE a = 1;

-- Features: an infinite value is refused with its column and count.
UPDATE ti SET a = '-Infinity' WHERE c = 6;
SELECT * FROM pgml.train('TI inf feature', 'classification', 'ti', 'label');
UPDATE ti SET a = 2 WHERE c = 6;

-- A numeric beyond double precision is refused by name, not read as infinity.
UPDATE ti SET b = 1e400 WHERE a = 3;
SELECT * FROM pgml.train('TI huge numeric', 'classification', 'ti', 'label');
-- Large finite values train.
UPDATE ti SET b = 1e300, c = 9223372036854775000 WHERE a = 3;
SELECT project, task, algorithm FROM pgml.train('TI large values', 'classification', 'ti', 'label');
UPDATE ti SET b = a * 2, c = a * 3 WHERE a = 3;

-- NaN in a feature is a missing value: refused without imputation, imputed with it.
UPDATE ti SET a = 'NaN' WHERE c = 15;
UPDATE ti SET a = NULL WHERE c = 18;
SELECT * FROM pgml.train('TI nan feature', 'classification', 'ti', 'label');
SELECT project, task, algorithm FROM pgml.train('TI nan imputed', 'classification', 'ti', 'label',
    preprocess => '{"a": {"impute": "mean"}}');
SELECT (metrics->>'accuracy')::float8 > 0.4 AS trained FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id
WHERE p.name = 'TI nan imputed';
DROP TABLE ti;
