-- A project of its own: trained, used and deleted (its models, files and deployments cascade).
\set n random(1, 1000000000)
SELECT soak_churn(:client_id, :n);
