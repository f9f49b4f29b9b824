# pgml: PGXS conventions (PG_CONFIG=... honoured), with pgml.so built by the Go toolchain.
#   make              build pgml.so, libpgml_blas.so and the pgml-dashboard program
#   make dashboard    only the pgml-dashboard program (a web UI over the pgml schema; see README)
#   make install      install them, pgml.control and sql/ into pg_config's directories
#   make installcheck run the pg_regress suites in regress/ against a running server
#   make tapcheck     the TAP tests in t/ (crashes, standbys), each on clusters of its own
#   make test         everything, from a fresh Debian 12 machine (see README)
#   make demo         a local server, a dataset, a trained model, predictions
#   make bench        prediction cost per row against a C floor
#   make bench-train  native training time and memory against scikit-learn
#   make bench-catboost  catboost against hist_gradient_boosting and xgboost (docs/catboost.md)
#   make soak         60 s of pgbench: predictions while retraining, deploying, churning projects
#   make scale-out    a primary, two hot standbys and pgpool-II on loopback: same predictions, throughput, a standby failing (docs/scale-out.md)
#   make fuzz         the long fuzz run of every SQL function (time-based seed; see regress/harness/fuzz_test.go)

EXTENSION    = pgml
MODULES      = pgml libpgml_blas libpgml_python
DATA         = $(sort $(wildcard sql/pgml--*.sql))
REGRESS      = $(patsubst regress/sql/%.sql,%,$(sort $(wildcard regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=regress --outputdir=regress --load-extension=pgml
# Progress INFO lines depend on timing: off in the suites, whose outputs must not. The backend
# keeps the placeholder until pgml.so defines the setting, which then takes its value.
installcheck: export PGOPTIONS += -c pgml.progress_interval=0

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
# pgml.so is not built from C by PGXS, so there is no LLVM bitcode to install.
override with_llvm = no
include $(PGXS)

GO         ?= go
PG_INCLUDE := $(shell $(PG_CONFIG) --includedir-server)
GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
GO_SOURCES := go.mod go.sum $(shell find extension lifecycle runtimes datasets modelcache sqlname algorithms openblas pybridge xgboost -name '*.go' -o -name '*.c' -o -name '*.h' -o -name '*.py')

BLAS_OUT_DIR := .
include openblas/Makefile.inc
# libpgml_python.so holds every use of libpython; pgml.so loads it on first python use only.
PYTHON_OUT_DIR := .
include pybridge/Makefile.inc

# Rule 4 (async preemption off) and rule 11 (only the entry points exported) in docs/architecture.md.
# memprofilerate=0: pgml.so links no memory profiler, so the runtime turns sampling off anyway, but
# only at the end of its start; before that its first allocation is sampled, a stack walk that
# faults in unwinding tables while LOAD 'pgml' waits (docs/native-inference.md, "The first
# predict of a connection"). Take it out if pgml.so ever serves heap profiles.
GO_LDFLAGS = -X=runtime.godebugDefault=asyncpreemptoff=1,memprofilerate=0 -X=main.buildCommit=$(GIT_COMMIT) \
	-extldflags=-Wl,--version-script=$(CURDIR)/extension/exports.map

# The go tool does not know about exports.map and keeps an output whose Go inputs are unchanged:
# remove it, so that a changed map is linked in.
pgml.so: $(GO_SOURCES) extension/exports.map $(BLAS_LIB)
	rm -f $@
	CGO_ENABLED=1 CGO_CFLAGS="-I$(PG_INCLUDE) -O2 -fno-strict-aliasing -fwrapv" \
	CGO_LDFLAGS="-L$(CURDIR) -Wl,--exclude-libs,ALL -Wl,-rpath,\$$ORIGIN" \
	$(GO) build -buildmode=c-shared -trimpath -ldflags "$(GO_LDFLAGS)" -o $@ ./extension
	rm -f pgml.h

# The dashboard is a separate, pure-Go program: not part of pgml.so, not installed with it.
DASHBOARD_SOURCES := go.mod go.sum $(shell find cmd/pgml-dashboard dashboard -type f)
all: pgml-dashboard
dashboard: pgml-dashboard
pgml-dashboard: $(DASHBOARD_SOURCES)
	CGO_ENABLED=0 $(GO) build -trimpath -o $@ ./cmd/pgml-dashboard

EXTRA_CLEAN = pgml-dashboard pgml.h regress/results regress/regression.diffs regress/regression.out

# Pure-Go packages, and the OpenBLAS binding against the helper library.
GO_TEST_PKGS = ./algorithms/... ./lifecycle/... ./runtimes/... ./datasets/... ./modelcache/... ./sqlname/... ./openblas/... ./pybridge/... ./xgboost/... ./dashboard/...
.PHONY: dashboard gotest check-exports test demo bench bench-train bench-catboost deps tapcheck soak fuzz scale-out
gotest: $(BLAS_LIB) $(PYTHON_LIB)
	CGO_LDFLAGS="-L$(CURDIR)" LD_LIBRARY_PATH=$(CURDIR) PGML_PYTHON_LIBRARY=$(CURDIR)/$(notdir $(PYTHON_LIB)) \
	$(GO) test $(GO_TEST_PKGS)

check-exports: pgml.so $(BLAS_LIB) $(PYTHON_LIB)
	build/check-exports.sh

deps:
	build/install-deps.sh

# PROVE comes from PGXS; PG_CONFIG names the installation the tests start clusters from.
tapcheck:
	PG_CONFIG="$(PG_CONFIG)" PROVE="$(PROVE)" build/tapcheck.sh

test:
	build/test.sh

demo:
	build/demo.sh

bench:
	build/bench.sh

bench-train:
	build/bench-train.sh

bench-catboost:
	build/bench-catboost.sh

soak:
	build/soak.sh

fuzz:
	build/fuzz.sh

scale-out:
	PG_CONFIG="$(PG_CONFIG)" build/scale-out.sh
