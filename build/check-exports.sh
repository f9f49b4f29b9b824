#!/usr/bin/env bash
# Fails unless pgml.so exports exactly PostgreSQL's entry points: the C symbols that sql/
# names, their pg_finfo_* records, Pg_magic_func and _PG_init. No BLAS, LAPACK or Go runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

expected=$( {
	grep -ohE "'MODULE_PATHNAME', *'[a-z0-9_]+'" sql/pgml--*.sql | sed -E "s/.*'([a-z0-9_]+)'$/\1/" | sort -u |
		while read -r sym; do echo "$sym"; echo "pg_finfo_$sym"; done
	echo Pg_magic_func
	echo _PG_init
} | sort -u)
actual=$(nm -D --defined-only pgml.so | awk '{print $3}' | grep -v '^$' | sort -u)

if [ "$expected" != "$actual" ]; then
	echo "check-exports: pgml.so exports differ from the entry points named in sql/:"
	diff <(echo "$expected") <(echo "$actual") || true
	exit 1
fi
echo "check-exports: pgml.so exports $(echo "$actual" | wc -l) symbols, all PostgreSQL entry points"

blas_bad=$(nm -D --defined-only libpgml_blas.so | awk '{print $3}' | grep -v -E '^(pgml_blas_|PGML_BLAS_)' || true)
if [ -n "$blas_bad" ]; then
	echo "check-exports: libpgml_blas.so exports more than pgml_blas_*:"
	echo "$blas_bad"
	exit 1
fi
echo "check-exports: libpgml_blas.so exports only pgml_blas_* ($(nm -D --defined-only libpgml_blas.so | grep -c pgml_blas_) symbols)"

py_bad=$(nm -D --defined-only libpgml_python.so | awk '{print $3}' | grep -v -E '^(pgml_py_|PGML_PYTHON_)' || true)
if [ -n "$py_bad" ]; then
	echo "check-exports: libpgml_python.so exports more than pgml_py_*:"
	echo "$py_bad"
	exit 1
fi
# A server without Python must still load pgml.so.
if ldd pgml.so | grep -qE "libpython[0-9.]*\.so"; then
	echo "check-exports: pgml.so links libpython; it must only dlopen libpgml_python.so"
	exit 1
fi
echo "check-exports: libpgml_python.so exports only pgml_py_*; pgml.so does not link libpython"
