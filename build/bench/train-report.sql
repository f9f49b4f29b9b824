-- The table of the training benchmark (build/bench-train.sh), from bench_jobs/bench_runs/
-- bench_done (build/bench/train.sql). psql variables: runs.
\set ON_ERROR_STOP 1
\pset footer off
WITH ok AS (
  SELECT ord, runtime, percentile_cont(0.5) WITHIN GROUP (ORDER BY secs) AS med,
         min(secs) AS lo, max(secs) AS hi, count(*) AS n,
         (array_agg(metrics ORDER BY run DESC))[1] AS metrics
  FROM bench_runs WHERE err IS NULL AND run > 0 GROUP BY ord, runtime
), bad AS (
  SELECT DISTINCT ON (ord, runtime) ord, runtime, err FROM bench_runs WHERE err IS NOT NULL ORDER BY ord, runtime, run
), cell AS (
  SELECT j.ord, rt.runtime,
         CASE WHEN b.err IS NULL AND d.err IS NULL AND o.n IS NOT NULL THEN o.med END AS med,
         CASE WHEN b.err IS NULL AND d.err IS NULL AND o.n IS NOT NULL
              THEN round((o.metrics->>(CASE j.task WHEN 'regression' THEN 'r2' ELSE 'f1' END))::numeric, 4)::text
              ELSE 'n/a' END AS metric,
         coalesce(b.err, d.err, CASE WHEN o.n IS NULL THEN 'not run' END) AS err
  FROM bench_jobs j CROSS JOIN unnest(j.runtimes) AS rt(runtime)
  LEFT JOIN ok o ON o.ord = j.ord AND o.runtime = rt.runtime
  LEFT JOIN bad b ON b.ord = j.ord AND b.runtime = rt.runtime
  LEFT JOIN bench_done d ON d.ord = j.ord
)
SELECT j.algorithm, j.task,
       to_char(CASE j.suffix WHEN 'svm' THEN :svm_rows ELSE :rows END, 'FM9,999,999,999') AS rows,
       coalesce(to_char(g.med, 'FM999990.000'), 'n/a') AS "go s",
       coalesce(to_char(p.med, 'FM999990.000'), 'n/a') AS "python s",
       CASE WHEN g.med > 0 AND p.med IS NOT NULL THEN to_char(p.med / g.med, 'FM999990.00') ELSE 'n/a' END AS "python/go",
       g.metric AS "go metric", p.metric AS "python metric",
       concat_ws('; ', 'go: ' || g.err, 'python: ' || p.err) AS "n/a because"
FROM bench_jobs j
JOIN cell g ON g.ord = j.ord AND g.runtime = 'go'
JOIN cell p ON p.ord = j.ord AND p.runtime = 'python'
ORDER BY j.ord;

\echo 'spread of the timed runs (min..max s), for judging the noise:'
SELECT j.algorithm, j.task,
       string_agg(r.runtime || ' ' || to_char(min_s, 'FM999990.000') || '..' || to_char(max_s, 'FM999990.000'), ', '
                  ORDER BY r.runtime) AS "min..max s"
FROM bench_jobs j
JOIN (SELECT ord, runtime, min(secs) AS min_s, max(secs) AS max_s FROM bench_runs
      WHERE err IS NULL AND run > 0 GROUP BY ord, runtime) r ON r.ord = j.ord
GROUP BY j.ord, j.algorithm, j.task ORDER BY j.ord;
