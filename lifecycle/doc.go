// Package lifecycle is what pgml does with models, from pgml.train's arguments to a deployed
// model a prediction loads: projects, snapshots, reading a relation, splits, preprocessing,
// hyperparameter search, scoring, storing (signed parts of pgml.files), the deploy rules, and
// loading a stored model for prediction. It is pure Go, without cgo: it reaches PostgreSQL
// only through the Store interface (store.go), which extension/spi.go implements with SPI and
// the tests with an in-memory fake, and it trains only through the Runtime interface
// (runtime.go), which the packages of runtimes/ implement.
//
// A Session is one call of a SQL function. Its methods run on the backend's main thread (the
// Store's methods may only be called there); worker goroutines of a fit compute on Go memory
// only. Errors meant for the user are *Error values with a SQLSTATE; ErrInterrupted means a
// cancel or terminate request arrived; any other error (the Store's) is returned unchanged,
// at once.
//
// docs/architecture.md shows the layers and traces pgml.train through them.
package lifecycle
