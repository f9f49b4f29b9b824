// Package openblas makes gonum use OpenBLAS for the expensive BLAS routines
// (Dgemm, Dsyrk, Dtrsm, mid-sized Dgemv) while keeping gonum's pure-Go code
// for everything else and for small problems.
//
// # Why a separate helper library
//
// OpenBLAS is not linked into the Go extension itself. It lives in a small
// helper shared library, libpgml_blas.so, built from helper/pgml_blas.c and
// the static Debian archive libopenblas.a (see Makefile.inc), for two
// measured reasons:
//
//   - TLS: the extension (go build -buildmode=c-shared) is dlopen'ed by
//     PostgreSQL backends with RTLD_GLOBAL. With the static OpenBLAS linked
//     into the Go .so, dlopen fails with "cannot allocate memory in static
//     TLS block". In its own shared object OpenBLAS' thread-local data uses
//     the dynamic TLS model and loads fine.
//
//   - Symbol clashes: the same backend later loads numpy/scipy (through the
//     embedded Python), which bring their own BLAS. Because our library is
//     loaded with RTLD_GLOBAL, every BLAS symbol it exported (~162 of them:
//     cblas_*, dgemm_, openblas_*, ...) would be preferred by the dynamic
//     linker and numpy/scipy would bind to our copy. The helper is therefore
//     linked with -Wl,--exclude-libs,ALL and the version script
//     helper/pgml_blas.map, and exports only the prefixed pgml_blas_* API;
//     `nm -D --defined-only libpgml_blas.so` shows nothing else (TestExports).
//
// The archive's LAPACK (Fortran) objects need libgfortran, but only BLAS
// objects are pulled in by the helper, so with --as-needed the library ends up
// depending on libc/libm only. The gfortran runtime is still named on the link
// line (-l:libgfortran.so.5; Debian 12 has no libgfortran.so dev symlink) in
// case a future routine pulls in LAPACK code.
//
// # Threads
//
// OpenBLAS must run single threaded inside a backend: parallelism comes from
// PostgreSQL backends, and OpenBLAS worker threads would also receive signals
// meant for the backend. The pthread OpenBLAS starts its pool (number of
// CPUs - 1 threads, or OPENBLAS_NUM_THREADS - 1) in its library constructor,
// i.e. at dlopen time, before any Go code could call openblas_set_num_threads
// (which in 0.3.21 never stops threads once started). pgml_blas.c therefore
// presets OpenBLAS' thread counters to 1 in a prioritised constructor that the
// loader runs before OpenBLAS' own. Verified with a C program that dlopens the
// helper with RTLD_GLOBAL and counts /proc/self/task (TestThreadsDlopen): 1
// thread before dlopen, after dlopen and after a 1000×1000 dgemm, also with
// OPENBLAS_NUM_THREADS=4 in the environment; the same library built without
// the constructor, like the system libopenblas.so.0, has 2 threads right after
// dlopen on a 2-CPU machine. The process environment is not modified, so a
// later numpy is not affected. The loader additionally calls
// pgml_blas_set_num_threads(1).
//
// # Building and testing
//
// The package does not link the helper: it dlopen()s libpgml_blas.so (RTLD_LOCAL) on the first
// call large enough for OpenBLAS, so a backend that only predicts never loads it (loading it
// was 25 MB mapped, 11,000 relocations and OpenBLAS' constructor in every backend's first
// pgml call; docs/native-inference.md, first predict). The name is resolved through the
// extension's RUNPATH ($ORIGIN: libpgml_blas.so next to pgml.so), or LD_LIBRARY_PATH for the
// tests, whose TestMain fails when the helper cannot be loaded. Without the helper every
// routine runs in gonum's pure Go (Loaded says why). From the repository root:
//
//	make -f openblas/Makefile.inc BLAS_OUT_DIR=/tmp/blas
//	CGO_LDFLAGS=-L/tmp/blas LD_LIBRARY_PATH=/tmp/blas go test ./openblas/
//	CGO_LDFLAGS=-L/tmp/blas LD_LIBRARY_PATH=/tmp/blas go test -run '^$' -bench . -cpu 1 ./openblas/
//
// # Performance and thresholds
//
// Single thread (-cpu 1), shared 2-CPU VM (noisy), OpenBLAS 0.3.21 with
// Cooperlake kernels, square Dgemm, gonum vs OpenBLAS: n=1000 312–735 ms vs
// 41–64 ms (7.7–11×), n=256 4.9–9.5 ms vs 0.73–0.83 ms (6.7–11×), n=64
// 83–92 µs vs 11–12 µs (7.4–7.8×); n=8 0.44–0.66 µs vs 0.10–0.12 µs. With
// GOMAXPROCS=2 gonum's goroutine-parallel Dgemm at n=1000 takes 370–500 ms.
// The crossover is near n=5 for Dgemm, n=6 for Dsyrk and n=12 for Dtrsm.
// Dgemv is memory bound and gains only 1.1–1.6× between 64² and 1000²
// elements, and nothing beyond. The thresholds
// (DgemmMinWork etc.) are set accordingly; below them, and for every invalid
// or degenerate call (zero sizes, alpha == 0), the embedded gonum method runs,
// so validation and panics are exactly gonum's.
package openblas
