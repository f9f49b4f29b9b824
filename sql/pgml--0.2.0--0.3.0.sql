-- pgml 0.2.0 -> 0.3.0: safe inside a production database (issue 9). A fresh install runs
-- pgml--0.1.0.sql, pgml--0.1.0--0.2.0.sql and then this script.
-- Each part below belongs to one concern; keep additions inside their part.
\echo Use "ALTER EXTENSION pgml UPDATE TO '0.3.0'" to load this file. \quit

-------------------------------------------------------------------------------
-- Resource limits and fault injection (settings are defined by the library).
-------------------------------------------------------------------------------



-------------------------------------------------------------------------------
-- Prediction cache.
-------------------------------------------------------------------------------



-------------------------------------------------------------------------------
-- Privileges and model integrity.
-------------------------------------------------------------------------------



-------------------------------------------------------------------------------
-- Lifecycle hygiene: snapshots, dropped projects, DROP EXTENSION.
-------------------------------------------------------------------------------



