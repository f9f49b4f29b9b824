-- Vector functions and aggregates (extension/shim_vector.c). Values are chosen so that every
-- answer can be checked by hand; float output is the shortest exact form, so it is stable.

-- PostgresML 1.0's calls, written with numeric literals: each resolves to one function (the
-- numeric[] overloads) and computes in double precision.
SELECT pgml.add(ARRAY[1.0, 2.0, 3.0], 3) AS add,
       pgml.subtract(ARRAY[1.0, 2.0, 3.0], 3) AS subtract,
       pgml.multiply(ARRAY[1.0, 2.0, 3.0], 3) AS multiply,
       pgml.divide(ARRAY[1.0, 2.0, 3.0], 100) AS divide;
SELECT pgml.add(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS add,
       pgml.subtract(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS subtract,
       pgml.multiply(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS multiply,
       pgml.divide(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS divide;
SELECT pgml.norm_l0(ARRAY[1.0, 2.0, 3.0]) AS norm_l0,
       pgml.norm_l1(ARRAY[1.0, 2.0, 3.0]) AS norm_l1,
       pgml.norm_l2(ARRAY[1.0, 2.0, 3.0]) AS norm_l2,
       pgml.norm_max(ARRAY[1.0, 2.0, 3.0]) AS norm_max;
SELECT pgml.normalize_l1(ARRAY[1.0, 2.0, 3.0]) AS normalize_l1,
       pgml.normalize_l2(ARRAY[1.0, 2.0, 3.0]) AS normalize_l2,
       pgml.normalize_max(ARRAY[1.0, 2.0, 3.0]) AS normalize_max;
SELECT pgml.distance_l1(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS distance_l1,
       pgml.distance_l2(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS distance_l2,
       pgml.dot_product(ARRAY[1.0, 2.0, 3.0], ARRAY[4.0, 5.0, 6.0]) AS dot_product,
       pgml.cosine_similarity(ARRAY[1.0, 2.0, 3.0], ARRAY[1.0, 2.0, 3.0]) AS cosine_similarity;
SELECT pg_typeof(pgml.add(ARRAY[1.0, 2.0, 3.0], 3)) AS array_result,
       pg_typeof(pgml.norm_l2(ARRAY[1.0, 2.0, 3.0])) AS scalar_result;
-- numeric values outside double precision's range become Infinity, as in the other overloads.
SELECT pgml.add(ARRAY[1e400, 'NaN', '-Infinity', 0.5], 0.25) AS numeric_specials;

-- Integer literals resolve too (integer[] and bigint[] overloads, double precision results).
SELECT pgml.add(ARRAY[1, 2, 3], 3) AS add_int,
       pgml.add(ARRAY[1, 2, 3], 0.5) AS add_fraction,
       pgml.divide(ARRAY[1, 2, 3], 2) AS divide_int,
       pgml.subtract(ARRAY[1, 2, 3], ARRAY[3, 2, 1]) AS subtract_int,
       pg_typeof(pgml.multiply(ARRAY[1, 2, 3], 2)) AS result_type;
SELECT pgml.norm_l0(ARRAY[0, 2, -3]) AS norm_l0, pgml.norm_l1(ARRAY[0, 2, -3]) AS norm_l1,
       pgml.norm_l2(ARRAY[0, 3, -4]) AS norm_l2, pgml.norm_max(ARRAY[0, 2, -3]) AS norm_max,
       pgml.normalize_l1(ARRAY[1, -3]) AS normalize_l1, pgml.normalize_l2(ARRAY[3, 4]) AS normalize_l2,
       pgml.normalize_max(ARRAY[1, -4]) AS normalize_max;
SELECT pgml.distance_l1(ARRAY[1, 2], ARRAY[4, 6]) AS distance_l1, pgml.distance_l2(ARRAY[1, 2], ARRAY[4, 6]) AS distance_l2,
       pgml.dot_product(ARRAY[1, 2], ARRAY[4, 6]) AS dot_product, pgml.cosine_similarity(ARRAY[1, 2, 3], ARRAY[2, 4, 6]) AS cosine_similarity;
SELECT pgml.add(ARRAY[10000000000, 1], 1) AS add_bigint,
       pgml.multiply(ARRAY[1, 2]::bigint[], ARRAY[3, 4]::bigint[]) AS multiply_bigint,
       pgml.norm_l1(ARRAY[-10000000000, 1]) AS norm_l1_bigint,
       pgml.dot_product(ARRAY[1, 2]::bigint[], ARRAY[3, 4]::bigint[]) AS dot_bigint,
       pgml.normalize_max(ARRAY[2, -4]::bigint[]) AS normalize_max_bigint;

-- real[] in, real out; double precision[] in, double precision out.
CREATE TABLE vec_pairs (id int, a real[], b real[], a8 double precision[], b8 double precision[]);
INSERT INTO vec_pairs VALUES
    (1, '{1,2,3}', '{4,5,6}', '{1,2,3}', '{4,5,6}'),
    (2, '{3,-4}', '{0.5,2}', '{3,-4}', '{0.5,2}'),
    (3, '{1,2,3}', '{10,20}', '{1,2,3}', '{10,20}'),        -- different lengths: the shorter one wins
    (4, '{0.1,0.2}', '{0.3,0.4,0.5}', '{0.1,0.2}', '{0.3,0.4,0.5}'),
    (5, '{}', '{1,2}', '{}', '{1,2}');                      -- empty
SELECT id, pgml.add(a, 3) AS add, pgml.subtract(a, 3) AS subtract, pgml.multiply(a, 3) AS multiply, pgml.divide(a, 4) AS divide,
       pgml.add(a, b) AS add_v, pgml.subtract(a, b) AS subtract_v, pgml.multiply(a, b) AS multiply_v, pgml.divide(a, b) AS divide_v
FROM vec_pairs ORDER BY id;
SELECT id, pgml.add(a8, 3) AS add, pgml.subtract(a8, 3) AS subtract, pgml.multiply(a8, 3) AS multiply, pgml.divide(a8, 4) AS divide,
       pgml.add(a8, b8) AS add_v, pgml.subtract(a8, b8) AS subtract_v, pgml.multiply(a8, b8) AS multiply_v, pgml.divide(a8, b8) AS divide_v
FROM vec_pairs ORDER BY id;
SELECT id, pgml.norm_l0(a) AS l0, pgml.norm_l1(a) AS l1, pgml.norm_l2(a) AS l2, pgml.norm_max(a) AS max,
       pgml.normalize_l1(a) AS normalize_l1, pgml.normalize_l2(a) AS normalize_l2, pgml.normalize_max(a) AS normalize_max
FROM vec_pairs ORDER BY id;
SELECT id, pgml.norm_l0(a8) AS l0, pgml.norm_l1(a8) AS l1, pgml.norm_l2(a8) AS l2, pgml.norm_max(a8) AS max,
       pgml.normalize_l1(a8) AS normalize_l1, pgml.normalize_l2(a8) AS normalize_l2, pgml.normalize_max(a8) AS normalize_max
FROM vec_pairs ORDER BY id;
SELECT id, pgml.distance_l1(a, b) AS distance_l1, pgml.distance_l2(a, b) AS distance_l2, pgml.dot_product(a, b) AS dot_product,
       pgml.cosine_similarity(a, b) AS cosine_similarity, pgml.cosine_similarity(a, a) AS cosine_self
FROM vec_pairs ORDER BY id;
SELECT id, pgml.distance_l1(a8, b8) AS distance_l1, pgml.distance_l2(a8, b8) AS distance_l2, pgml.dot_product(a8, b8) AS dot_product,
       pgml.cosine_similarity(a8, b8) AS cosine_similarity, pgml.cosine_similarity(a8, a8) AS cosine_self
FROM vec_pairs ORDER BY id;
SELECT pg_typeof(pgml.add(a, 1)) AS add, pg_typeof(pgml.add(a, b)) AS add_v, pg_typeof(pgml.norm_l2(a)) AS norm,
       pg_typeof(pgml.normalize_l2(a)) AS normalize, pg_typeof(pgml.cosine_similarity(a, b)) AS cosine,
       pg_typeof(pgml.add(a8, 1)) AS add8, pg_typeof(pgml.add(a8, b8)) AS add_v8, pg_typeof(pgml.norm_l2(a8)) AS norm8,
       pg_typeof(pgml.normalize_l2(a8)) AS normalize8, pg_typeof(pgml.cosine_similarity(a8, b8)) AS cosine8
FROM vec_pairs WHERE id = 1;
-- Opposite and orthogonal vectors.
SELECT pgml.cosine_similarity('{1,2,3}'::real[], '{-2,-4,-6}') AS opposite,
       pgml.cosine_similarity('{1,0}'::double precision[], '{0,5}') AS orthogonal;

-- PostgresML 2.x parameter names, subtract's misspelled "subtahend" included.
SELECT pgml.add(vector => '{1,2}'::real[], addend => 1) AS add,
       pgml.subtract(vector => '{1,2}'::real[], subtahend => 1) AS subtract,
       pgml.multiply(vector => '{1,2}'::double precision[], multiplicand => '{3,4}') AS multiply,
       pgml.divide(vector => '{1,2}'::double precision[], dividend => 2) AS divide,
       pgml.norm_l2(vector => '{3,4}'::real[]) AS norm_l2,
       pgml.distance_l1(vector => '{1,2}'::real[], other => '{3,5}') AS distance_l1;

-- Empty arrays: arithmetic gives {}, norms 0, normalization {}; the cosine of nothing is NaN.
SELECT pgml.add('{}'::real[], 1) AS add, pgml.divide('{}'::double precision[], 0) AS divide,
       pgml.multiply('{}'::real[], '{1,2}') AS multiply_v, pgml.add(ARRAY[]::numeric[], 1) AS add_numeric,
       pgml.norm_l0('{}'::real[]) AS l0, pgml.norm_l1('{}'::real[]) AS l1, pgml.norm_l2('{}'::double precision[]) AS l2,
       pgml.norm_max('{}'::double precision[]) AS max, pgml.normalize_l1('{}'::real[]) AS normalize_l1,
       pgml.normalize_l2('{}'::real[]) AS normalize_l2, pgml.normalize_max('{}'::double precision[]) AS normalize_max;
SELECT pgml.distance_l1('{}'::real[], '{}') AS distance_l1, pgml.distance_l2('{}'::double precision[], '{1}') AS distance_l2,
       pgml.dot_product('{}'::real[], '{1}') AS dot_product, pgml.cosine_similarity('{}'::real[], '{}') AS cosine_similarity;

-- Division by zero is IEEE, not an ERROR.
SELECT pgml.divide('{1,-1,0}'::real[], 0) AS real_scalar, pgml.divide('{1,-1,0}'::double precision[], '{0,0,0}') AS double_vector,
       pgml.divide(ARRAY[1.0, -1.0, 0.0], 0) AS numeric_scalar, pgml.divide(ARRAY[1, 2], ARRAY[0, 2]) AS integer_vector;
SELECT pgml.normalize_l1('{0,0}'::real[]) AS normalize_l1, pgml.normalize_l2('{0,0}'::double precision[]) AS normalize_l2,
       pgml.normalize_max('{0,-0}'::real[]) AS normalize_max, pgml.cosine_similarity('{0,0}'::real[], '{1,1}') AS cosine_zero;

-- NaN, Infinity, -0, and magnitudes whose squares overflow or underflow double precision.
SELECT pgml.norm_l0('{0,-0,NaN,1}'::real[]) AS l0, pgml.norm_max('{1,NaN,-5}'::real[]) AS max_nan,
       pgml.norm_l2('{1,-Infinity}'::double precision[]) AS l2_inf, pgml.norm_l1('{1,NaN}'::double precision[]) AS l1_nan,
       pgml.multiply('{1e30}'::real[], 1e30::real) AS real_overflow;
SELECT pgml.norm_l2('{3e200,4e200}'::double precision[]) AS l2_huge, pgml.norm_l2('{3e-200,4e-200}'::double precision[]) AS l2_tiny,
       pgml.normalize_l2('{3e200,4e200}'::double precision[]) AS normalize_huge,
       pgml.distance_l2('{1e200}'::double precision[], '{-1e200}') AS distance_huge,
       pgml.cosine_similarity('{1e200,1e200}'::double precision[], '{2e200,2e200}') AS cosine_huge,
       pgml.cosine_similarity('{1e-200,0}'::double precision[], '{-3e-200,0}') AS cosine_tiny;

-- Multi-dimensional arrays are read flattened; results are one-dimensional, lower bound 1.
SELECT pgml.add('{{1,2},{3,4}}'::real[], 1) AS add, pgml.norm_l1('{{1,2},{3,4}}'::double precision[]) AS l1,
       pgml.dot_product('{{1,2},{3,4}}'::real[], '{1,1,1,1}') AS dot, pgml.add('[0:2]={1,2,3}'::real[], '[5:6]={10,20}') AS lower_bounds;

-- NULL arguments give NULL (STRICT); NULL elements are an ERROR naming the function.
SELECT pgml.add(NULL::real[], 1) IS NULL AS null_vector, pgml.add('{1}'::real[], NULL::real) IS NULL AS null_addend,
       pgml.cosine_similarity('{1}'::real[], NULL) IS NULL AS null_other, pgml.norm_l2(NULL::double precision[]) IS NULL AS null_norm;
SELECT pgml.add('{1,NULL,3}'::real[], 1);
SELECT pgml.subtract('{1,2}'::double precision[], '{1,NULL}');
SELECT pgml.multiply(ARRAY[1.0, NULL], 2);
SELECT pgml.divide(ARRAY[NULL, 1], 2);
SELECT pgml.norm_l2('{NULL}'::real[]);
SELECT pgml.normalize_max('{{1,2},{NULL,4}}'::double precision[]);
SELECT pgml.dot_product('{1,2}'::real[], '{1,2,NULL}');   -- even beyond the shorter length
SELECT pgml.cosine_similarity(ARRAY[1.0, NULL], ARRAY[1.0, 2.0]);
SELECT pgml.add(array_replace('{1,NULL,3}'::real[], NULL, 0), 1) AS after_array_replace;

-- Ambiguous on purpose: smallint[] could be any of the overloads, and so could NULL.
SELECT pgml.norm_l2(ARRAY[1, 2]::smallint[]);
SELECT pgml.add(NULL, 1);

-- Aggregates: element-wise over rows, for real[] and double precision[].
CREATE TABLE vec_rows (id int, g int, r real[], d double precision[]);
INSERT INTO vec_rows VALUES
    (1, 1, '{1,-2,3}', '{1,-2,3}'),
    (2, 1, NULL, NULL),                       -- NULL rows are ignored
    (3, 1, '{-4,5}', '{-4,5}'),               -- shorter: updates a prefix
    (4, 2, '{0.5,0.25,-7}', '{0.5,0.25,-7}'),
    (5, 2, '{10,-20,30}', '{10,-20,30}'),
    (6, 3, NULL, NULL);                       -- only NULLs: {}
SELECT g, pgml.sum(r) AS sum, pgml.min(r) AS min, pgml.max(r) AS max, pgml.min_abs(r) AS min_abs, pgml.max_abs(r) AS max_abs
FROM vec_rows GROUP BY g ORDER BY g;
SELECT g, pgml.sum(d) AS sum, pgml.min(d) AS min, pgml.max(d) AS max, pgml.min_abs(d) AS min_abs, pgml.max_abs(d) AS max_abs
FROM vec_rows GROUP BY g ORDER BY g;
SELECT pg_typeof(pgml.sum(r)) AS real_sum, pg_typeof(pgml.max_abs(r)) AS real_max_abs,
       pg_typeof(pgml.sum(d)) AS double_sum, pg_typeof(pgml.min(d)) AS double_min FROM vec_rows;
-- No rows at all: {}.
SELECT pgml.sum(r) AS sum, pgml.min(r) AS min, pgml.max(d) AS max, pgml.min_abs(d) AS min_abs, pgml.max_abs(r) AS max_abs
FROM vec_rows WHERE false;
-- The average is a division.
SELECT pgml.divide(pgml.sum(d), count(d)) AS average FROM vec_rows WHERE g = 2;
-- The first array fixes the length: a longer later one is an ERROR.
SELECT pgml.sum(r ORDER BY id DESC) FROM vec_rows WHERE g = 1;
SELECT pgml.max(d ORDER BY id DESC) FROM vec_rows WHERE id IN (1, 3);
SELECT pgml.sum(v) FROM (VALUES (1, '{}'::real[]), (2, '{1}')) x(i, v);
SELECT pgml.min_abs(d ORDER BY id) FROM (VALUES (1, '{1,2}'::double precision[]), (2, '{NULL}')) x(id, d);
-- Shorter arrays after the first, across groups.
SELECT pgml.max(d ORDER BY id) AS max FROM vec_rows;
-- Multi-dimensional rows are flattened.
SELECT pgml.sum(v) FROM (VALUES ('{{1,2},{3,4}}'::real[]), ('{10,10,10,10}')) x(v);
-- min and max order NaN above every number, whatever the row order.
SELECT pgml.min(v ORDER BY i) AS min, pgml.max(v ORDER BY i) AS max, pgml.min(v ORDER BY i DESC) AS min_desc, pgml.max(v ORDER BY i DESC) AS max_desc
FROM (VALUES (1, '{NaN,1,NaN}'::double precision[]), (2, '{2,NaN,NaN}')) x(i, v);
-- real[] accumulates in real, as PostgresML: 2^24 + 1 is not representable.
SELECT pgml.sum(v) AS real_sum FROM (VALUES ('{16777216}'::real[]), ('{1}')) x(v);
SELECT pgml.sum(v) AS double_sum FROM (VALUES ('{16777216}'::double precision[]), ('{1}')) x(v);
-- As window aggregates (the state changes in place; earlier rows keep their results).
SELECT id, pgml.sum(d) OVER (ORDER BY id) AS running_sum,
       pgml.max_abs(r) OVER (ORDER BY id DESC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS max_abs_pair
FROM vec_rows WHERE g = 2 OR id = 1 ORDER BY id;
-- The support functions called directly do not change their arguments.
WITH s AS (SELECT '{1,2}'::real[] AS a)
SELECT pgml.vector_sum_trans(a, '{5}') AS trans, pgml.vector_sum_trans(NULL, a) AS first, pgml.vector_sum_trans(a, NULL) AS null_row,
       pgml.vector_max_abs_combine('{1}'::real[], '{-3,4}') AS combine_longer, pgml.vector_sum_combine(a, '{1}') AS combine,
       pgml.vector_agg_final(NULL::real[]) AS final_empty, a
FROM s;

-- Parallel aggregation: workers' states are combined. Integer values keep the sums exact.
CREATE TABLE vec_many AS
SELECT i, ARRAY[i % 7, -(i % 11), (i % 4) * 0.5, 1]::real[] AS r,
       ARRAY[i % 7, -(i % 11), (i % 4) * 0.5, 1]::double precision[] AS d
FROM generate_series(1, 100000) i;
INSERT INTO vec_many VALUES (0, NULL, NULL);
ANALYZE vec_many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT pgml.sum(d) FROM vec_many;
SELECT pgml.sum(d) AS sum, pgml.min(d) AS min, pgml.max(d) AS max, pgml.min_abs(d) AS min_abs, pgml.max_abs(d) AS max_abs FROM vec_many;
SELECT pgml.sum(r) AS sum, pgml.min(r) AS min, pgml.max(r) AS max, pgml.min_abs(r) AS min_abs, pgml.max_abs(r) AS max_abs FROM vec_many;
SELECT i % 3 AS g, pgml.sum(d) AS sum, pgml.max_abs(r) AS max_abs FROM vec_many GROUP BY 1 ORDER BY 1;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
-- The same without workers.
SELECT pgml.sum(d) AS sum, pgml.min(d) AS min, pgml.max(d) AS max, pgml.min_abs(d) AS min_abs, pgml.max_abs(d) AS max_abs FROM vec_many;
-- Checked against plain SQL.
SELECT sum(i % 7) AS s0, -sum(i % 11) AS s1, sum((i % 4) * 0.5) AS s2, count(*) AS s3 FROM generate_series(1, 100000) i;

DROP TABLE vec_pairs, vec_rows, vec_many;
