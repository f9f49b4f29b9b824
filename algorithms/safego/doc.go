// Package safego starts goroutines that cannot take the server down.
//
// pgml runs inside a PostgreSQL backend: a panic that escapes any goroutine
// aborts the process, and the postmaster then restarts every session of the
// server. So no code in this repository uses a bare go statement (a test in
// this package fails on any): goroutines start through Group.Go or Go, which
// recover a panic and hand it to whoever waits for the work, as a *PanicError
// that the extension reports as an internal ERROR.
package safego
