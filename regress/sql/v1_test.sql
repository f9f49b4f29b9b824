-- PostgresML 1.0's tests/test.sql, replayed unchanged (the examples are the other v1_* suites).
-- Statements whose output depends on the machine run with their output sent to /dev/null;
-- additional statements then print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;

\o /dev/null
SELECT pgml.version();
\o
SELECT pgml.version() ~ '^[0-9]+\.[0-9]+\.[0-9]+ \([0-9a-z]+\)$' AS version_format;
SELECT pgml.torch_cuda_available();

SELECT pgml.load_dataset('diabetes');
SELECT pgml.load_dataset('digits');
SELECT pgml.load_dataset('iris');
SELECT pgml.load_dataset('linnerud');
SELECT pgml.load_dataset('wine');
SELECT pgml.load_dataset('breast_cancer');
SELECT pgml.load_dataset('california_housing');
