/*
 * PostgresML's vector functions (pgml.add, pgml.norm_l2, pgml.cosine_similarity, ...) and
 * element-wise aggregates (pgml.sum, pgml.min, ...) over real[], double precision[], and, so
 * that PostgresML 1.0 calls written with literals resolve, numeric[], integer[] and bigint[].
 *
 * Pure C on purpose: these run once per row on hot paths (nearest-neighbour queries), need no
 * SPI and no model, and must not pay for a trip into Go.
 *
 * Conventions shared by every function here:
 *	- a real[] argument gives real results; every other element type gives double precision
 *	  (the SQL declarations follow the same rule, and the C side reads it from the array
 *	  header, so one C function serves every overload of an operation);
 *	- arithmetic is done in double precision and rounded once on output; for real[] the
 *	  element-wise +, -, *, / therefore give exactly the float4 result, and reductions
 *	  (norms, dot products) are more accurate than float4 accumulation;
 *	- multi-dimensional arrays are read flattened, in storage order, and results are 1-D;
 *	- a NULL element anywhere in an argument is an ERROR;
 *	- functions of two arrays stop at the shorter one;
 *	- division by zero follows IEEE (Infinity or NaN), never an ERROR.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "shim_internal.h"

/* How an argument's elements are read: in place for fixed-size types, converted for numeric. */
typedef enum VectorKind
{
	VECTOR_FLOAT4,
	VECTOR_FLOAT8,
	VECTOR_INT4,
	VECTOR_INT8,
	VECTOR_DOUBLES				/* numeric elements converted into a palloc'd buffer */
} VectorKind;

typedef struct Vector
{
	VectorKind	kind;
	int			n;
	const void *data;
} Vector;

/*
 * Sums of squares outside [L2_SAFE_MIN, +Inf) may have overflowed or lost their small terms
 * to underflow; those (rare) inputs are summed again after scaling by the power of two
 * nearest their largest magnitude (as BLAS nrm2 scales), so that norm_l2('{1e200}') is 1e200
 * and not Infinity.
 */
#define L2_SAFE_MIN 1e-280

/*
 * Reads argument number argno (1-based, as the user wrote it) of function fname. The data of
 * real, double precision, integer and bigint arrays is used in place: without NULLs their
 * elements are contiguous and aligned. numeric elements are converted to double once.
 */
static Vector
vector_read(ArrayType *array, const char *fname, int argno)
{
	Vector		v;
	int			null_at;

	v.n = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	null_at = pgml_array_first_null(array);
	if (null_at > 0)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s does not accept NULL array elements", fname),
				 errdetail("Element %d of argument %d is NULL.", null_at, argno),
				 errhint("Replace NULLs first, e.g. with array_replace(vector, NULL, 0).")));

	switch (ARR_ELEMTYPE(array))
	{
		case FLOAT4OID:
			v.kind = VECTOR_FLOAT4;
			v.data = ARR_DATA_PTR(array);
			break;
		case FLOAT8OID:
			v.kind = VECTOR_FLOAT8;
			v.data = ARR_DATA_PTR(array);
			break;
		case INT4OID:
			v.kind = VECTOR_INT4;
			v.data = ARR_DATA_PTR(array);
			break;
		case INT8OID:
			v.kind = VECTOR_INT8;
			v.data = ARR_DATA_PTR(array);
			break;
		case NUMERICOID:
			{
				Datum	   *elements;
				int			count;
				double	   *values;

				deconstruct_array(array, NUMERICOID, -1, false, TYPALIGN_INT, &elements, NULL, &count);
				values = palloc_extended(sizeof(double) * Max(count, 1), MCXT_ALLOC_HUGE);
				for (int i = 0; i < count; i++)
				{
					/* Converting numerics is slow enough that a huge array should be cancellable. */
					CHECK_FOR_INTERRUPTS();
					/* Out-of-range values become +-Infinity rather than an ERROR, like the rest. */
					values[i] = pgml_number_to_double(elements[i], NUMERICOID, NULL);
				}
				pfree(elements);
				v.kind = VECTOR_DOUBLES;
				v.data = values;
				break;
			}
		default:
			/* Only reachable through a CREATE FUNCTION that does not match this file. */
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("%s does not support arrays of %s", fname, format_type_be(ARR_ELEMTYPE(array)))));
	}
	return v;
}

static pg_attribute_always_inline double
read_element(VectorKind kind, const void *data, int i)
{
	switch (kind)
	{
		case VECTOR_FLOAT4:
			return ((const float4 *) data)[i];
		case VECTOR_INT4:
			return ((const int32 *) data)[i];
		case VECTOR_INT8:
			return (double) ((const int64 *) data)[i];
		case VECTOR_FLOAT8:
		case VECTOR_DOUBLES:
			return ((const double *) data)[i];
	}
	pg_unreachable();
}

static inline double
vector_at(const Vector *v, int i)
{
	return read_element(v->kind, v->data, i);
}

/*
 * Element i of a, or of a - b when b is given: the norms of a difference are the distances.
 * ka and kb are a's and b's kinds, passed apart so that SPECIALIZED can make them constants.
 */
static pg_attribute_always_inline double
element(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int i)
{
	double		x = read_element(ka, a->data, i);

	return b == NULL ? x : x - read_element(kb, b->data, i);
}

/*
 * Calls an always-inline kernel(ka, kb, a, b, n) with the element kinds as constants for
 * real[] and double precision[], so that the compiler emits a loop without a per-element
 * switch for the types that matter (embeddings); about twice as fast. b may be NULL. The SQL
 * signatures give both arguments one type; anything else takes the generic loop.
 */
#define SPECIALIZED(kernel, a, b, n) \
	((a)->kind == VECTOR_FLOAT4 && ((b) == NULL || (b)->kind == VECTOR_FLOAT4) ? \
	 kernel(VECTOR_FLOAT4, VECTOR_FLOAT4, a, b, n) : \
	 (a)->kind == VECTOR_FLOAT8 && ((b) == NULL || (b)->kind == VECTOR_FLOAT8) ? \
	 kernel(VECTOR_FLOAT8, VECTOR_FLOAT8, a, b, n) : \
	 kernel((a)->kind, (b) == NULL ? (a)->kind : (b)->kind, a, b, n))

/*
 * A new 1-D result array of n elements, real when the input was real and double precision
 * otherwise; *data receives its element storage. An empty result is '{}' of that type.
 */
static ArrayType *
result_new(VectorKind input, int n, void **data)
{
	Oid			elemtype = input == VECTOR_FLOAT4 ? FLOAT4OID : FLOAT8OID;
	Size		elemsize = input == VECTOR_FLOAT4 ? sizeof(float4) : sizeof(float8);
	Size		nbytes;
	ArrayType  *result;

	if (n == 0)
	{
		*data = NULL;
		return construct_empty_array(elemtype);
	}
	/* integer[] in, double precision[] out doubles the size: it may not fit a varlena. */
	nbytes = ARR_OVERHEAD_NONULLS(1) + elemsize * n;
	if (!AllocSizeIsValid(nbytes))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("array of %d %s elements exceeds the maximum allowed size", n, format_type_be(elemtype))));
	result = (ArrayType *) palloc(nbytes);
	memset(result, 0, ARR_OVERHEAD_NONULLS(1));
	SET_VARSIZE(result, nbytes);
	result->ndim = 1;
	result->dataoffset = 0;
	result->elemtype = elemtype;
	ARR_DIMS(result)[0] = n;
	ARR_LBOUND(result)[0] = 1;
	*data = ARR_DATA_PTR(result);
	return result;
}

static inline void
result_set(VectorKind input, void *data, int i, double value)
{
	if (input == VECTOR_FLOAT4)
		((float4 *) data)[i] = (float4) value;
	else
		((float8 *) data)[i] = value;
}

/* A scalar result: real for a real[] input, double precision otherwise. */
static Datum
scalar_result(VectorKind input, double value)
{
	if (input == VECTOR_FLOAT4)
		return Float4GetDatum((float4) value);
	return Float8GetDatum(value);
}

/* ---- reductions, in double precision ---- */

/*
 * Largest magnitude among the first n elements (of a - b when b is given), 0 when there are
 * none. NaN counts as the largest value, as in PostgreSQL's float ordering, so a NaN is
 * reported rather than skipped depending on where it is.
 */
static pg_attribute_always_inline double
max_abs_kernel(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int n)
{
	double		result = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		x = fabs(element(ka, kb, a, b, i));

		if (float8_gt(x, result))
			result = x;
	}
	return result;
}

static double
max_abs(const Vector *a, const Vector *b, int n)
{
	return SPECIALIZED(max_abs_kernel, a, b, n);
}

static pg_attribute_always_inline double
sum_abs_kernel(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int n)
{
	double		result = 0.0;

	for (int i = 0; i < n; i++)
		result += fabs(element(ka, kb, a, b, i));
	return result;
}

static double
sum_abs(const Vector *a, const Vector *b, int n)
{
	return SPECIALIZED(sum_abs_kernel, a, b, n);
}

static pg_attribute_always_inline double
sum_squares_kernel(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int n)
{
	double		result = 0.0;

	for (int i = 0; i < n; i++)
	{
		double		x = element(ka, kb, a, b, i);

		result += x * x;
	}
	return result;
}

/* Euclidean length of the first n elements (of a - b when b is given). */
static double
euclidean(const Vector *a, const Vector *b, int n)
{
	double		squares = SPECIALIZED(sum_squares_kernel, a, b, n);
	double		scale;
	int			exponent;
	VectorKind	kb;

	if (squares >= L2_SAFE_MIN && squares < HUGE_VAL)
		return sqrt(squares);

	/* Zero, underflowed, overflowed, or NaN: scale. Zero, Infinity and NaN are the answer. */
	scale = max_abs(a, b, n);
	if (scale == 0.0 || isinf(scale) || isnan(scale))
		return scale;
	/* By a power of two, so that scaling itself rounds nothing. */
	(void) frexp(scale, &exponent);
	kb = b == NULL ? a->kind : b->kind;
	squares = 0.0;
	for (int i = 0; i < n; i++)
	{
		double		x = ldexp(element(a->kind, kb, a, b, i), -exponent);

		squares += x * x;
	}
	return ldexp(sqrt(squares), exponent);
}

static pg_attribute_always_inline double
dot_kernel(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int n)
{
	double		result = 0.0;

	for (int i = 0; i < n; i++)
		result += read_element(ka, a->data, i) * read_element(kb, b->data, i);
	return result;
}

static double
dot(const Vector *a, const Vector *b, int n)
{
	return SPECIALIZED(dot_kernel, a, b, n);
}

typedef struct CosineSums
{
	double		ab;
	double		aa;
	double		bb;
} CosineSums;

static pg_attribute_always_inline CosineSums
cosine_kernel(VectorKind ka, VectorKind kb, const Vector *a, const Vector *b, int n)
{
	CosineSums	sums = {0.0, 0.0, 0.0};

	for (int i = 0; i < n; i++)
	{
		double		x = read_element(ka, a->data, i);
		double		y = read_element(kb, b->data, i);

		sums.ab += x * y;
		sums.aa += x * x;
		sums.bb += y * y;
	}
	return sums;
}

/*
 * a.b / (|a| |b|) over the first n elements. Dividing by sqrt(|a|^2 |b|^2) rather than by
 * |a| |b| makes the similarity of a vector with itself exactly 1 (sqrt of a correctly rounded
 * square is exact), and the result is clamped to [-1, 1] against rounding. A zero or empty
 * vector gives NaN (0/0), as PostgresML does.
 */
static double
cosine(const Vector *a, const Vector *b, int n)
{
	CosineSums	s = SPECIALIZED(cosine_kernel, a, b, n);
	double		result;

	if (!(s.aa >= L2_SAFE_MIN && s.aa < HUGE_VAL && s.bb >= L2_SAFE_MIN && s.bb < HUGE_VAL &&
		  s.aa * s.bb >= L2_SAFE_MIN && s.aa * s.bb < HUGE_VAL))
	{
		/*
		 * Over- or underflow, or zero, Infinity or NaN elements: scale each side by a power
		 * of two to a largest magnitude in [0.5, 1). Zero, Infinity and NaN give NaN.
		 */
		double		sa = max_abs(a, NULL, n);
		double		sb = max_abs(b, NULL, n);
		int			ea;
		int			eb;

		if (sa == 0.0 || sb == 0.0 || isinf(sa) || isinf(sb) || isnan(sa) || isnan(sb))
			return get_float8_nan();
		(void) frexp(sa, &ea);
		(void) frexp(sb, &eb);
		s.ab = s.aa = s.bb = 0.0;
		for (int i = 0; i < n; i++)
		{
			double		x = ldexp(vector_at(a, i), -ea);
			double		y = ldexp(vector_at(b, i), -eb);

			s.ab += x * y;
			s.aa += x * x;
			s.bb += y * y;
		}
	}
	result = s.ab / sqrt(s.aa * s.bb);
	if (result > 1.0)
		return 1.0;
	if (result < -1.0)
		return -1.0;
	return result;
}

/* ---- element-wise arithmetic ---- */

typedef enum ArithOp
{
	ARITH_ADD,
	ARITH_SUBTRACT,
	ARITH_MULTIPLY,
	ARITH_DIVIDE
} ArithOp;

static const char *const arith_names[] = {"pgml.add", "pgml.subtract", "pgml.multiply", "pgml.divide"};

static inline double
arith(ArithOp op, double x, double y)
{
	switch (op)
	{
		case ARITH_ADD:
			return x + y;
		case ARITH_SUBTRACT:
			return x - y;
		case ARITH_MULTIPLY:
			return x * y;
		case ARITH_DIVIDE:
			/* IEEE: x/0 is +-Infinity and 0/0 is NaN, as in PostgresML (Rust floats). */
			return x / y;
	}
	pg_unreachable();
}

/* vector op scalar, element by element. */
static Datum
arith_scalar(FunctionCallInfo fcinfo, ArithOp op, double operand)
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), arith_names[op], 1);
	void	   *out;
	ArrayType  *result = result_new(v.kind, v.n, &out);

	for (int i = 0; i < v.n; i++)
		result_set(v.kind, out, i, arith(op, vector_at(&v, i), operand));
	PG_RETURN_ARRAYTYPE_P(result);
}

/* vector op other, element by element, as long as the shorter one. */
static Datum
arith_pairwise(FunctionCallInfo fcinfo, ArithOp op)
{
	Vector		a = vector_read(PG_GETARG_ARRAYTYPE_P(0), arith_names[op], 1);
	Vector		b = vector_read(PG_GETARG_ARRAYTYPE_P(1), arith_names[op], 2);
	int			n = Min(a.n, b.n);
	void	   *out;
	ArrayType  *result = result_new(a.kind, n, &out);

	for (int i = 0; i < n; i++)
		result_set(a.kind, out, i, arith(op, vector_at(&a, i), vector_at(&b, i)));
	PG_RETURN_ARRAYTYPE_P(result);
}

/* The numeric scalar of the numeric[] forms, in double precision like their elements. */
static double
numeric_arg(FunctionCallInfo fcinfo, int argno)
{
	return pgml_number_to_double(PG_GETARG_DATUM(argno), NUMERICOID, NULL);
}

/*
 * Suffix s: (real[], real); d: (double precision[] or integer[] or bigint[], double
 * precision); n: (numeric[], numeric). The array's own element type picks the result type.
 */
PG_FUNCTION_INFO_V1(pgml_vector_add_scalar_s);
Datum
pgml_vector_add_scalar_s(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_ADD, PG_GETARG_FLOAT4(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_add_scalar_d);
Datum
pgml_vector_add_scalar_d(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_ADD, PG_GETARG_FLOAT8(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_add_scalar_n);
Datum
pgml_vector_add_scalar_n(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_ADD, numeric_arg(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(pgml_vector_subtract_scalar_s);
Datum
pgml_vector_subtract_scalar_s(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_SUBTRACT, PG_GETARG_FLOAT4(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_subtract_scalar_d);
Datum
pgml_vector_subtract_scalar_d(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_SUBTRACT, PG_GETARG_FLOAT8(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_subtract_scalar_n);
Datum
pgml_vector_subtract_scalar_n(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_SUBTRACT, numeric_arg(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(pgml_vector_multiply_scalar_s);
Datum
pgml_vector_multiply_scalar_s(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_MULTIPLY, PG_GETARG_FLOAT4(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_multiply_scalar_d);
Datum
pgml_vector_multiply_scalar_d(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_MULTIPLY, PG_GETARG_FLOAT8(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_multiply_scalar_n);
Datum
pgml_vector_multiply_scalar_n(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_MULTIPLY, numeric_arg(fcinfo, 1));
}

PG_FUNCTION_INFO_V1(pgml_vector_divide_scalar_s);
Datum
pgml_vector_divide_scalar_s(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_DIVIDE, PG_GETARG_FLOAT4(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_divide_scalar_d);
Datum
pgml_vector_divide_scalar_d(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_DIVIDE, PG_GETARG_FLOAT8(1));
}

PG_FUNCTION_INFO_V1(pgml_vector_divide_scalar_n);
Datum
pgml_vector_divide_scalar_n(PG_FUNCTION_ARGS)
{
	return arith_scalar(fcinfo, ARITH_DIVIDE, numeric_arg(fcinfo, 1));
}

/* Two arrays of the same element type, any of the five. */
PG_FUNCTION_INFO_V1(pgml_vector_add);
Datum
pgml_vector_add(PG_FUNCTION_ARGS)
{
	return arith_pairwise(fcinfo, ARITH_ADD);
}

PG_FUNCTION_INFO_V1(pgml_vector_subtract);
Datum
pgml_vector_subtract(PG_FUNCTION_ARGS)
{
	return arith_pairwise(fcinfo, ARITH_SUBTRACT);
}

PG_FUNCTION_INFO_V1(pgml_vector_multiply);
Datum
pgml_vector_multiply(PG_FUNCTION_ARGS)
{
	return arith_pairwise(fcinfo, ARITH_MULTIPLY);
}

PG_FUNCTION_INFO_V1(pgml_vector_divide);
Datum
pgml_vector_divide(PG_FUNCTION_ARGS)
{
	return arith_pairwise(fcinfo, ARITH_DIVIDE);
}

/* ---- norms and normalization ---- */

PG_FUNCTION_INFO_V1(pgml_vector_norm_l0);
Datum
pgml_vector_norm_l0(PG_FUNCTION_ARGS)
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.norm_l0", 1);
	int			count = 0;

	/* NaN is not zero, and counts; -0 is zero. */
	for (int i = 0; i < v.n; i++)
		if (vector_at(&v, i) != 0.0)
			count++;
	PG_RETURN_DATUM(scalar_result(v.kind, count));
}

PG_FUNCTION_INFO_V1(pgml_vector_norm_l1);
Datum
pgml_vector_norm_l1(PG_FUNCTION_ARGS)
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.norm_l1", 1);

	PG_RETURN_DATUM(scalar_result(v.kind, sum_abs(&v, NULL, v.n)));
}

PG_FUNCTION_INFO_V1(pgml_vector_norm_l2);
Datum
pgml_vector_norm_l2(PG_FUNCTION_ARGS)
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.norm_l2", 1);

	PG_RETURN_DATUM(scalar_result(v.kind, euclidean(&v, NULL, v.n)));
}

/* The maximum of no magnitudes is taken as 0, like the other norms of an empty array. */
PG_FUNCTION_INFO_V1(pgml_vector_norm_max);
Datum
pgml_vector_norm_max(PG_FUNCTION_ARGS)
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.norm_max", 1);

	PG_RETURN_DATUM(scalar_result(v.kind, max_abs(&v, NULL, v.n)));
}

/*
 * vector / norm. An all-zero vector divides by zero and gives NaNs (IEEE, as PostgresML);
 * an empty one gives '{}'.
 */
static Datum
normalize(FunctionCallInfo fcinfo, const char *fname, double (*norm) (const Vector *, const Vector *, int))
{
	Vector		v = vector_read(PG_GETARG_ARRAYTYPE_P(0), fname, 1);
	double		divisor = norm(&v, NULL, v.n);
	void	   *out;
	ArrayType  *result = result_new(v.kind, v.n, &out);

	for (int i = 0; i < v.n; i++)
		result_set(v.kind, out, i, vector_at(&v, i) / divisor);
	PG_RETURN_ARRAYTYPE_P(result);
}

PG_FUNCTION_INFO_V1(pgml_vector_normalize_l1);
Datum
pgml_vector_normalize_l1(PG_FUNCTION_ARGS)
{
	return normalize(fcinfo, "pgml.normalize_l1", sum_abs);
}

PG_FUNCTION_INFO_V1(pgml_vector_normalize_l2);
Datum
pgml_vector_normalize_l2(PG_FUNCTION_ARGS)
{
	return normalize(fcinfo, "pgml.normalize_l2", euclidean);
}

PG_FUNCTION_INFO_V1(pgml_vector_normalize_max);
Datum
pgml_vector_normalize_max(PG_FUNCTION_ARGS)
{
	return normalize(fcinfo, "pgml.normalize_max", max_abs);
}

/* ---- distances and similarity: over the shorter of the two arrays ---- */

PG_FUNCTION_INFO_V1(pgml_vector_distance_l1);
Datum
pgml_vector_distance_l1(PG_FUNCTION_ARGS)
{
	Vector		a = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.distance_l1", 1);
	Vector		b = vector_read(PG_GETARG_ARRAYTYPE_P(1), "pgml.distance_l1", 2);

	PG_RETURN_DATUM(scalar_result(a.kind, sum_abs(&a, &b, Min(a.n, b.n))));
}

PG_FUNCTION_INFO_V1(pgml_vector_distance_l2);
Datum
pgml_vector_distance_l2(PG_FUNCTION_ARGS)
{
	Vector		a = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.distance_l2", 1);
	Vector		b = vector_read(PG_GETARG_ARRAYTYPE_P(1), "pgml.distance_l2", 2);

	PG_RETURN_DATUM(scalar_result(a.kind, euclidean(&a, &b, Min(a.n, b.n))));
}

PG_FUNCTION_INFO_V1(pgml_vector_dot_product);
Datum
pgml_vector_dot_product(PG_FUNCTION_ARGS)
{
	Vector		a = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.dot_product", 1);
	Vector		b = vector_read(PG_GETARG_ARRAYTYPE_P(1), "pgml.dot_product", 2);

	PG_RETURN_DATUM(scalar_result(a.kind, dot(&a, &b, Min(a.n, b.n))));
}

PG_FUNCTION_INFO_V1(pgml_vector_cosine_similarity);
Datum
pgml_vector_cosine_similarity(PG_FUNCTION_ARGS)
{
	Vector		a = vector_read(PG_GETARG_ARRAYTYPE_P(0), "pgml.cosine_similarity", 1);
	Vector		b = vector_read(PG_GETARG_ARRAYTYPE_P(1), "pgml.cosine_similarity", 2);

	PG_RETURN_DATUM(scalar_result(a.kind, cosine(&a, &b, Min(a.n, b.n))));
}

/* ---- aggregates ----
 *
 * The transition state is the result array itself (real[] or double precision[]), so no
 * serialization is needed for parallel aggregation. It starts NULL (no INITCOND): the first
 * non-NULL row becomes the state and fixes its length; a later row may be shorter (it updates
 * a prefix) but not longer. Inside an aggregate the state array belongs to the aggregate's
 * memory context and is updated in place, as float8_accum does, instead of copying it per row.
 * real[] states accumulate in float4, like PostgresML.
 */

typedef enum AggOp
{
	AGG_SUM,
	AGG_MIN,
	AGG_MAX,
	AGG_MIN_ABS,
	AGG_MAX_ABS
} AggOp;

static const char *const agg_names[] = {"pgml.sum", "pgml.min", "pgml.max", "pgml.min_abs", "pgml.max_abs"};

/*
 * One element's step. min and max use PostgreSQL's float ordering (NaN above everything), so
 * the result does not depend on row order. The _abs forms keep magnitudes; taking fabs of a
 * state value again is harmless, so the same step also combines two states.
 */
static inline double
agg_step(AggOp op, double state, double x)
{
	switch (op)
	{
		case AGG_SUM:
			return state + x;
		case AGG_MIN:
			return float8_lt(x, state) ? x : state;
		case AGG_MAX:
			return float8_gt(x, state) ? x : state;
		case AGG_MIN_ABS:
			return float8_lt(fabs(x), state) ? fabs(x) : state;
		case AGG_MAX_ABS:
			return float8_gt(fabs(x), state) ? fabs(x) : state;
	}
	pg_unreachable();
}

/* A new state holding input (magnitudes for the _abs forms), 1-D whatever input's shape. */
static ArrayType *
agg_state_new(AggOp op, const Vector *input)
{
	void	   *out;
	ArrayType  *state = result_new(input->kind, input->n, &out);
	bool		magnitudes = op == AGG_MIN_ABS || op == AGG_MAX_ABS;

	for (int i = 0; i < input->n; i++)
	{
		double		x = vector_at(input, i);

		result_set(input->kind, out, i, magnitudes ? fabs(x) : x);
	}
	return state;
}

/* state[i] = step(state[i], input[i]) for the first input->n elements, in place. */
static void
agg_fold(AggOp op, ArrayType *state, const Vector *input)
{
	if (ARR_ELEMTYPE(state) == FLOAT4OID)
	{
		float4	   *s = (float4 *) ARR_DATA_PTR(state);

		for (int i = 0; i < input->n; i++)
			s[i] = (float4) agg_step(op, s[i], vector_at(input, i));
	}
	else
	{
		float8	   *s = (float8 *) ARR_DATA_PTR(state);

		for (int i = 0; i < input->n; i++)
			s[i] = agg_step(op, s[i], vector_at(input, i));
	}
}

/*
 * The state argument, writable: in an aggregate it is the aggregate's own copy (nodeAgg copied
 * it into the aggregate context when this file returned it), so it may change in place; called
 * as a plain function it is copied first. Its length is checked like any vector's: a caller
 * could pass anything as state.
 */
static ArrayType *
agg_state_arg(FunctionCallInfo fcinfo, int argno, const char *fname, Vector *v)
{
	ArrayType  *state;

	if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ARRAYTYPE_P(argno);
	else
		state = PG_GETARG_ARRAYTYPE_P_COPY(argno);
	*v = vector_read(state, fname, argno + 1);
	return state;
}

/* Transition function: not strict, so that the first row can be turned into a state. */
static Datum
agg_transition(FunctionCallInfo fcinfo, AggOp op)
{
	const char *fname = agg_names[op];
	Vector		input;
	Vector		current;
	ArrayType  *state;

	if (PG_ARGISNULL(1))
	{
		/* NULL rows are ignored. */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	input = vector_read(PG_GETARG_ARRAYTYPE_P(1), fname, 1);
	if (PG_ARGISNULL(0))
	{
		/* Allocated in the per-row context; nodeAgg copies a new state into its own. */
		PG_RETURN_ARRAYTYPE_P(agg_state_new(op, &input));
	}

	state = agg_state_arg(fcinfo, 0, fname, &current);
	if (input.n > current.n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: an array of length %d is longer than the first array aggregated (length %d)",
						fname, input.n, current.n),
				 errdetail("The first non-NULL array fixes the length of the result; later arrays may be shorter, not longer.")));
	agg_fold(op, state, &input);
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * Combine function (strict: nodeAgg keeps the non-NULL state when the other is NULL). Each
 * parallel worker's first row fixed its own state's length, and which row is "first" is not
 * defined across workers anyway, so the longer state wins and the shorter updates a prefix.
 */
static Datum
agg_combine(FunctionCallInfo fcinfo, AggOp op)
{
	const char *fname = agg_names[op];
	Vector		current;
	ArrayType  *state = agg_state_arg(fcinfo, 0, fname, &current);
	Vector		other = vector_read(PG_GETARG_ARRAYTYPE_P(1), fname, 2);

	if (other.n > current.n)
	{
		ArrayType  *longer = agg_state_new(op, &other);

		agg_fold(op, longer, &current);
		PG_RETURN_ARRAYTYPE_P(longer);
	}
	agg_fold(op, state, &other);
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * Final function (not strict): no non-NULL rows give '{}'. The state is returned as a copy:
 * in a window aggregate the same state goes on changing in place for the following rows.
 */
static Datum
agg_final(FunctionCallInfo fcinfo, Oid elemtype)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	PG_RETURN_ARRAYTYPE_P(PG_GETARG_ARRAYTYPE_P_COPY(0));
}

PG_FUNCTION_INFO_V1(pgml_vector_sum_trans);
Datum
pgml_vector_sum_trans(PG_FUNCTION_ARGS)
{
	return agg_transition(fcinfo, AGG_SUM);
}

PG_FUNCTION_INFO_V1(pgml_vector_min_trans);
Datum
pgml_vector_min_trans(PG_FUNCTION_ARGS)
{
	return agg_transition(fcinfo, AGG_MIN);
}

PG_FUNCTION_INFO_V1(pgml_vector_max_trans);
Datum
pgml_vector_max_trans(PG_FUNCTION_ARGS)
{
	return agg_transition(fcinfo, AGG_MAX);
}

PG_FUNCTION_INFO_V1(pgml_vector_min_abs_trans);
Datum
pgml_vector_min_abs_trans(PG_FUNCTION_ARGS)
{
	return agg_transition(fcinfo, AGG_MIN_ABS);
}

PG_FUNCTION_INFO_V1(pgml_vector_max_abs_trans);
Datum
pgml_vector_max_abs_trans(PG_FUNCTION_ARGS)
{
	return agg_transition(fcinfo, AGG_MAX_ABS);
}

PG_FUNCTION_INFO_V1(pgml_vector_sum_combine);
Datum
pgml_vector_sum_combine(PG_FUNCTION_ARGS)
{
	return agg_combine(fcinfo, AGG_SUM);
}

PG_FUNCTION_INFO_V1(pgml_vector_min_combine);
Datum
pgml_vector_min_combine(PG_FUNCTION_ARGS)
{
	return agg_combine(fcinfo, AGG_MIN);
}

PG_FUNCTION_INFO_V1(pgml_vector_max_combine);
Datum
pgml_vector_max_combine(PG_FUNCTION_ARGS)
{
	return agg_combine(fcinfo, AGG_MAX);
}

PG_FUNCTION_INFO_V1(pgml_vector_min_abs_combine);
Datum
pgml_vector_min_abs_combine(PG_FUNCTION_ARGS)
{
	return agg_combine(fcinfo, AGG_MIN_ABS);
}

PG_FUNCTION_INFO_V1(pgml_vector_max_abs_combine);
Datum
pgml_vector_max_abs_combine(PG_FUNCTION_ARGS)
{
	return agg_combine(fcinfo, AGG_MAX_ABS);
}

PG_FUNCTION_INFO_V1(pgml_vector_agg_final_s);
Datum
pgml_vector_agg_final_s(PG_FUNCTION_ARGS)
{
	return agg_final(fcinfo, FLOAT4OID);
}

PG_FUNCTION_INFO_V1(pgml_vector_agg_final_d);
Datum
pgml_vector_agg_final_d(PG_FUNCTION_ARGS)
{
	return agg_final(fcinfo, FLOAT8OID);
}
