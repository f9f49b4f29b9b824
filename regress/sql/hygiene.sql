-- Nothing left behind: a deleted project takes the snapshots its models were trained on (and
-- their tables) along; pgml.snapshot's snapshots are the user's and stay until deleted;
-- DROP EXTENSION pgml refuses while pgml's tables exist and CASCADE drops them; CREATE
-- EXTENSION works after it.
SET client_min_messages = warning;
SELECT * FROM pgml.load_dataset('diabetes');
CREATE TEMP VIEW hygiene_state AS
SELECT (SELECT count(*) FROM pgml.snapshots) AS snapshots,
       (SELECT count(*) FROM pg_class WHERE relnamespace = 'pgml'::regnamespace AND relname ~ '^snapshot_[0-9]+$') AS snapshot_tables,
       (SELECT count(*) FROM pgml.snapshots s WHERE s.columns IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM pgml.models m WHERE m.snapshot_id = s.id)) AS orphans;
CREATE TEMP TABLE hygiene_before AS SELECT * FROM hygiene_state;
SELECT orphans FROM hygiene_before;

-- Project churn: trained (some materialized), retrained from the same snapshot, deleted.
DO $$
BEGIN
    FOR i IN 1..6 LOOP
        PERFORM * FROM pgml.train('Churn ' || i, 'regression', 'pgml.diabetes', 'target', materialize_snapshot => i % 2 = 0);
        PERFORM * FROM pgml.train('Churn ' || i, algorithm => 'ridge');
    END LOOP;
END $$;
SELECT s.snapshots - b.snapshots AS new_snapshots, s.snapshot_tables - b.snapshot_tables AS new_tables
FROM hygiene_state s, hygiene_before b;
DELETE FROM pgml.projects WHERE name LIKE 'Churn %';
SELECT s.snapshots - b.snapshots AS left_snapshots, s.snapshot_tables - b.snapshot_tables AS left_tables, s.orphans
FROM hygiene_state s, hygiene_before b;

-- A snapshot stays while a model uses it.
SELECT * FROM pgml.train('Keep', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true);
SELECT * FROM pgml.train('Keep', algorithm => 'ridge');
SELECT min(m.id) AS first_model, max(m.id) AS second_model, min(m.snapshot_id) AS keep_snapshot, count(DISTINCT m.snapshot_id) AS snapshots_used
FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE p.name = 'Keep' \gset
SELECT :snapshots_used AS snapshots_used;
DELETE FROM pgml.models WHERE id = :first_model;
SELECT count(*) AS snapshot_kept, to_regclass('pgml.snapshot_' || :keep_snapshot) IS NOT NULL AS table_kept
FROM pgml.snapshots WHERE id = :keep_snapshot;
DELETE FROM pgml.models WHERE id = :second_model;
SELECT count(*) AS snapshot_kept, to_regclass('pgml.snapshot_' || :keep_snapshot) IS NOT NULL AS table_kept
FROM pgml.snapshots WHERE id = :keep_snapshot;
DELETE FROM pgml.projects WHERE name = 'Keep';

-- pgml.snapshot's snapshots are the user's: deleting models leaves them, deleting the row
-- drops the copy.
SELECT id AS user_snapshot FROM pgml.snapshot('pgml.diabetes', ARRAY['target']) \gset
SELECT count(*) AS user_snapshot_kept FROM pgml.snapshots WHERE id = :user_snapshot;
DELETE FROM pgml.snapshots WHERE id = :user_snapshot;
SELECT to_regclass('pgml.snapshot_' || :user_snapshot) IS NULL AS table_dropped;
SELECT s.snapshots - b.snapshots AS left_snapshots, s.snapshot_tables - b.snapshot_tables AS left_tables, s.orphans
FROM hygiene_state s, hygiene_before b;

-------------------------------------------------------------------------------
-- DROP EXTENSION, in a database of its own.
-------------------------------------------------------------------------------
SELECT current_database() AS regress_db \gset
DROP DATABASE IF EXISTS regress_pgml_hygiene;
CREATE DATABASE regress_pgml_hygiene;
\c regress_pgml_hygiene
SET client_min_messages = warning;
CREATE EXTENSION pgml;
SELECT * FROM pgml.load_dataset('diabetes');
SELECT project, deployed FROM pgml.train('Drop', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true);
SELECT relation FROM pgml.snapshot('pgml.diabetes', 'target');
-- Refused, naming what it would drop; CASCADE drops it all, and leaves schema pgml empty.
DROP EXTENSION pgml;
DROP EXTENSION pgml CASCADE;
SELECT count(*) AS relations_left FROM pg_class WHERE relnamespace = 'pgml'::regnamespace;
-- A new CREATE EXTENSION starts afresh.
CREATE EXTENSION pgml;
SELECT * FROM pgml.load_dataset('diabetes');
SELECT project, deployed FROM pgml.train('Drop', 'regression', 'pgml.diabetes', 'target', materialize_snapshot => true);
SELECT relation FROM pgml.snapshot('pgml.diabetes', 'target');
SELECT id FROM pgml.snapshots ORDER BY id;
-- A table that an older pgml's DROP EXTENSION left behind: CREATE EXTENSION makes it depend
-- on the extension and keeps new snapshot ids clear of it.
DROP EXTENSION pgml CASCADE;
CREATE TABLE pgml.snapshot_7 AS SELECT 1 AS leftover;
CREATE EXTENSION pgml;
SELECT last_value AS snapshot_id_sequence FROM pgml.snapshots_id_seq;
SELECT id FROM pgml.snapshot('pgml.snapshot_7', ARRAY['leftover']);
DROP EXTENSION pgml;
DROP EXTENSION pgml CASCADE;
\c :regress_db
DROP DATABASE regress_pgml_hygiene;
