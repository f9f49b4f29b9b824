// Package cancel is how every loop in pgml whose cost grows with the data
// notices that its caller gave up: a PostgreSQL cancel, statement_timeout or
// pg_terminate_backend reach Go only as a done context, and a loop that does
// not look at it keeps the backend busy (and every lock held) until it ends.
//
// The rule (docs/architecture.md, cancellation): a loop over rows, features,
// trees, iterations or candidates takes a context and either
//   - calls Checker.Add with the work of each step (amortized: ctx.Err() is
//     consulted about once per CheckEvery units, so checks cost nothing
//     measurable however small the steps are), or
//   - is split into chunks by Chunks, which sizes the chunks from the time
//     they take, so that one chunk of an expensive step (a nearest-neighbour
//     query among a million rows) is as short as one of a cheap step.
//
// A unit of work is roughly one floating-point operation on one value: a pass
// over an n×p matrix adds n*p; a write or read that misses the cache (a
// transposition) counts as several. The numbers need not be exact; they only
// bound the time between two checks. A function that makes its own Checker
// starts from zero: the work its caller had pending is not carried over, so
// callers consult the context at phase boundaries (Checker.Err).
//
// A Checker belongs to one goroutine; worker goroutines make their own, on
// the context of their safego.Group, whose Err also consults the caller's.
//
// Package canceltest has the contexts that prove a computation stops: one
// done after k consultations, one that records the gaps between them. The
// tests of package native walk every registered algorithm with both.
package cancel
