// Package native is the registry of algorithms implemented in Go: the
// extension trains, lists and loads models through it without knowing the
// estimator packages.
package native
