-- Retrain soak on one of its slices: deployed automatically (3 times in 4) when it scores at
-- least as well as the deployed model.
\set slice random(0, 2)
\set alpha random(1, 1000000)
\set deploy random(0, 3)
SELECT soak_retrain(:slice, :alpha / 1000.0, :deploy > 0);
