// Package dashboard serves pgml's web dashboard: projects, models, snapshots and running
// trainings, read from the pgml schema over a read-only connection and rendered as HTML with
// server-side SVG charts (cmd/pgml-dashboard runs it).
package dashboard

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned for a project, model or snapshot that does not exist.
var ErrNotFound = errors.New("not found")

// Store reads the pgml schema. Every request runs in a READ ONLY transaction with a
// statement timeout, on sessions whose default_transaction_read_only is on: the dashboard
// cannot write even if a query were wrong.
type Store struct {
	pool    *pgxpool.Pool
	timeout time.Duration
}

// Open connects to the database named by connString (a libpq URL or key=value string; empty
// means the PG* environment variables) with at most maxConns sessions.
func Open(ctx context.Context, connString string, timeout time.Duration, maxConns int32) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("connection string: %w", err)
	}
	cfg.MaxConns = maxConns
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "pgml-dashboard"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool, timeout: timeout}, nil
}

// Close releases the sessions.
func (s *Store) Close() { s.pool.Close() }

// read runs fn in a read-only transaction that is always rolled back.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout+time.Second)
	defer cancel()
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := setStatementTimeout(ctx, tx, s.timeout); err != nil {
		return err
	}
	return fn(tx)
}

// setStatementTimeout sets statement_timeout until the end of the transaction.
func setStatementTimeout(ctx context.Context, tx pgx.Tx, d time.Duration) error {
	_, err := tx.Exec(ctx, "SELECT pg_catalog.set_config('statement_timeout', $1, true)", fmt.Sprintf("%dms", max(d.Milliseconds(), 1)))
	return err
}

// columnExists reports whether a column is present: pgml.models.analysis and the like
// appear with newer extension versions.
func columnExists(ctx context.Context, tx pgx.Tx, table, column string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
		WHERE attrelid = pg_catalog.to_regclass($1) AND attname = $2 AND NOT attisdropped AND attnum > 0)`,
		table, column).Scan(&ok)
	return ok, err
}

// relationExists reports whether a table or view exists.
func relationExists(ctx context.Context, tx pgx.Tx, name string) (bool, error) {
	var ok bool
	err := tx.QueryRow(ctx, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", name).Scan(&ok)
	return ok, err
}
