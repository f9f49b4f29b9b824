-- PostgresML 2.x's pgml-extension/examples/preprocessing.sql, replayed unchanged: its
-- statements are the file's own, in order. Lines added here: this header, the fresh
-- extension its test.sql starts from, \timing off after its \timing on (times vary), the stand-in table for the hub dataset,
-- \o around the file (its outputs depend on the fitted models and random() orders), and the
-- checks at the end, which print what is stable.
\set ON_ERROR_STOP true
SET client_min_messages = warning;
DROP EXTENSION pgml CASCADE;
CREATE EXTENSION pgml;
-- The stand-in for the Hugging Face dataset, which cannot be downloaded here: diamonds'
-- columns, deterministic rows whose price follows carat and the three categories.
CREATE TABLE pgml."jdxcosta/diamonds" AS
SELECT i AS "Unnamed: 0", carat, cut, color, clarity,
       (58 + (i * 13) % 80 / 10.0)::real AS depth, (53 + (i * 17) % 100 / 10.0)::real AS "table",
       round(400 + 4000 * carat * (1 + 0.1 * cut_rank) * (1 + 0.05 * (7 - color_rank)) * (1 + 0.04 * clarity_rank))::int AS price,
       (3.9 + 2.1 * carat)::real AS x, (3.9 + 2.1 * carat + (i % 7) / 100.0)::real AS y, (2.4 + 1.3 * carat)::real AS z
FROM (SELECT i, (0.2 + ((i * 37) % 300) / 100.0)::real AS carat,
             (ARRAY['Fair', 'Good', 'Very Good', 'Premium', 'Ideal'])[1 + i % 5] AS cut, i % 5 AS cut_rank,
             (ARRAY['D', 'E', 'F', 'G', 'H', 'I', 'J'])[1 + (i * 3) % 7] AS color, (i * 3) % 7 AS color_rank,
             (ARRAY['I1', 'SI2', 'SI1', 'VS2', 'VS1', 'VVS2', 'VVS1', 'IF'])[1 + (i * 5) % 8] AS clarity, (i * 5) % 8 AS clarity_rank
      FROM generate_series(0, 1999) AS i) d;
\o /dev/null
-- ---- the example file starts here ----
-- load the diamonds dataset, that contains text categorical variables
SELECT pgml.load_dataset('jdxcosta/diamonds');

-- view the data
SELECT * FROM pgml."jdxcosta/diamonds" LIMIT 10;

-- drop the Unamed column, since it's not useful for training (you could create a view instead)
ALTER TABLE pgml."jdxcosta/diamonds" DROP COLUMN "Unnamed: 0";

-- train a model using preprocessors to scale the numeric variables, and target encode the categoricals
SELECT pgml.train(
       project_name => 'Diamond prices',
       task => 'regression',
       relation_name => 'pgml.jdxcosta/diamonds',
       y_column_name => 'price',
       algorithm => 'lightgbm',
       preprocess => '{
                      "carat": {"scale": "standard"},
                      "depth": {"scale": "standard"},
                      "table": {"scale": "standard"},
                      "cut": {"encode": "target", "scale": "standard"},
                      "color": {"encode": "target", "scale": "standard"},
                      "clarity": {"encode": "target", "scale": "standard"}
                  }'
);

-- run some predictions, notice we're passing a heterogeneous row (tuple) as input, rather than a homogenous ARRAY[].
SELECT price, pgml.predict('Diamond prices', (carat, cut, color, clarity, depth, "table", x, y, z)) AS prediction
FROM pgml."jdxcosta/diamonds"
LIMIT 10;

-- This is a difficult dataset for more algorithms, which makes it a good challenge for preprocessing, and additional
-- feature engineering. What's next?
-- ---- the example file ends here ----
\o

-- Every train above stored a successful model.
SELECT p.name AS project, p.task, count(*) AS models, count(DISTINCT m.algorithm) AS algorithms,
       bool_and(m.status = 'successful') AS successful
FROM pgml.projects p JOIN pgml.models m ON m.project_id = p.id
GROUP BY p.name, p.task ORDER BY p.name;
-- Target-encoded categories, scaled: the generated prices follow carat and the categories.
SELECT count(*) AS rows, corr(price, prediction) > 0.9 AS correlated
FROM (SELECT price, pgml.predict('Diamond prices', (carat, cut, color, clarity, depth, "table", x, y, z)) AS prediction
      FROM pgml."jdxcosta/diamonds") p;
