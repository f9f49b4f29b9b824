-- Deploy another model of soak: rollback, best_score or most_recent.
\set strategy random(0, 2)
SELECT soak_deploy((ARRAY['rollback', 'best_score', 'most_recent'])[:strategy + 1]);
