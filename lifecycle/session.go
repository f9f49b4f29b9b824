package lifecycle

import (
	"fmt"
	"os"
	"time"
)

// Session is one call of a pgml function: the store through which it reaches PostgreSQL,
// the runtimes that train and load models, and the settings read for this call.
type Session struct {
	Store    Store
	Runtimes *Runtimes
	Settings Settings
	// progress follows a running training (progress.go); nil in other calls.
	progress *tracker
}

// Settings are the server's values a call depends on, read by the boundary when it starts.
type Settings struct {
	// TrainingMemoryLimit is pgml.training_memory_limit in bytes; 0 means automatic.
	TrainingMemoryLimit int64
	// DataDirectory holds the cluster's model signing key (modelkey.go).
	DataDirectory string
	// InRecovery is true on a hot standby, which must not create a key.
	InRecovery bool
	// FileMode is the mode of files the server creates (group access or not).
	FileMode os.FileMode
	// ProgressInterval is pgml.progress_interval: the least time between two progress INFO
	// lines of a training; 0 turns them off.
	ProgressInterval time.Duration
}

func (sess *Session) query(sql string, args ...any) ([]Row, error) {
	return sess.Store.Query(sql, args...)
}

func (sess *Session) queryReadOnly(sql string, args ...any) ([]Row, error) {
	return sess.Store.QueryReadOnly(sql, args...)
}

func (sess *Session) queryAsCaller(sql string, args ...any) ([]Row, error) {
	return sess.Store.QueryAsCaller(sql, args...)
}

func (sess *Session) report(level Level, format string, args ...any) error {
	return sess.Store.Report(level, fmt.Sprintf(format, args...))
}

func (sess *Session) info(format string, args ...any) error {
	return sess.report(Info, format, args...)
}

func (sess *Session) notice(format string, args ...any) error {
	return sess.report(Notice, format, args...)
}

// checkInterrupts is for loops on the main thread between store calls.
func (sess *Session) checkInterrupts() error {
	if sess.Store.InterruptPending() {
		return ErrInterrupted
	}
	return nil
}
