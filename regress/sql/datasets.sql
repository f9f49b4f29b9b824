-- The seven toy datasets ship inside the extension with PostgresML 1.0's layouts.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('iris');
SELECT * FROM pgml.load_dataset('diabetes');
SELECT * FROM pgml.load_dataset('digits');
SELECT * FROM pgml.load_dataset('wine');
SELECT * FROM pgml.load_dataset('breast_cancer');
SELECT * FROM pgml.load_dataset('linnerud');
SELECT * FROM pgml.load_dataset('california_housing');
SELECT * FROM pgml.load_dataset('iris', "limit" => 10);
-- 1.0's calling form.
SELECT pgml.load_dataset('iris');

SELECT c.relname, count(*) AS columns, string_agg(format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) AS types
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
WHERE n.nspname = 'pgml' AND c.relname IN ('iris', 'diabetes', 'digits', 'wine', 'breast_cancer', 'linnerud', 'california_housing')
  AND a.attnum > 0 AND NOT a.attisdropped
GROUP BY c.relname ORDER BY c.relname;
SELECT (SELECT count(*) FROM pgml.iris) AS iris, (SELECT count(*) FROM pgml.diabetes) AS diabetes,
       (SELECT count(*) FROM pgml.digits) AS digits, (SELECT count(*) FROM pgml.wine) AS wine,
       (SELECT count(*) FROM pgml.breast_cancer) AS breast_cancer, (SELECT count(*) FROM pgml.linnerud) AS linnerud,
       (SELECT count(*) FROM pgml.california_housing) AS california_housing;
SELECT weight, waste, pulse FROM pgml.linnerud ORDER BY weight, waste, pulse LIMIT 3;
SELECT array_dims(image), target FROM pgml.digits LIMIT 1;
SELECT count(*) FILTER (WHERE malignant) AS malignant, count(*) FILTER (WHERE NOT malignant) AS benign FROM pgml.breast_cancer;
SELECT "od280/od315_of_diluted_wines" FROM pgml.wine ORDER BY 1 LIMIT 1;
SELECT obj_description('pgml.iris'::regclass) IS NOT NULL AS commented;
-- Reloading keeps views that depend on a dataset table.
CREATE VIEW setosa AS SELECT * FROM pgml.iris WHERE target = 0;
SELECT * FROM pgml.load_dataset('iris');
SELECT count(*) FROM setosa;
-- Hugging Face hub datasets are not downloaded: a table the user made stands in for one.
SELECT * FROM pgml.load_dataset('someone/not_here');
CREATE TABLE pgml."someone/here" AS SELECT i AS x FROM generate_series(1, 3) i;
SELECT * FROM pgml.load_dataset('someone/here');
DROP TABLE pgml."someone/here";
