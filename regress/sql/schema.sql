-- The SQL surface of schema pgml: every function and aggregate with its arguments (names,
-- types, defaults), result, kind, volatility, strictness and parallel safety. Any change of
-- the surface shows up here as a diff.
SELECT p.proname AS name, pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result, p.prokind AS kind,
       p.provolatile AS volatility, p.proisstrict AS strict, p.proparallel AS parallel
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pgml'
ORDER BY p.proname, pg_get_function_arguments(p.oid);
-- Every function is documented.
SELECT p.oid::regprocedure AS undocumented FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'pgml' AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'pgml' AND c.relkind IN ('r', 'v') AND c.relname NOT IN
      ('iris', 'diabetes', 'digits', 'wine', 'breast_cancer', 'linnerud', 'california_housing')
  AND c.relname NOT LIKE 'snapshot\_%'
ORDER BY c.relname;
-- pg_dump keeps the model tables.
SELECT dumped FROM (SELECT unnest(extconfig)::regclass::text AS dumped FROM pg_extension WHERE extname = 'pgml') d ORDER BY dumped;
-- Prediction needs no table privilege: pgml reads model bytes itself, and nobody else may
-- read or write them (privileges.sql).
CREATE ROLE pgml_reader;
SELECT has_table_privilege('pgml_reader', 'pgml.files', 'SELECT') AS can_read,
       has_table_privilege('pgml_reader', 'pgml.files', 'INSERT') AS can_write_files,
       has_table_privilege('pgml_reader', 'pgml.models', 'UPDATE') AS can_update_models;
DROP ROLE pgml_reader;
