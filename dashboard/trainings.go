package dashboard

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// TrainingRow is one running training from pgml.training_progress.
type TrainingRow struct {
	PID                                      int
	User, Project, Algorithm, Runtime, Phase string
	Done, Total                              *float64
	Elapsed, Remaining                       string
}

// Percent is the share of units done, when the total is known.
func (r TrainingRow) Percent() *float64 {
	if r.Done == nil || r.Total == nil || *r.Total <= 0 {
		return nil
	}
	p := 100 * *r.Done / *r.Total
	return &p
}

// ActivityRow is a backend whose query calls pgml.train, from pg_stat_activity.
type ActivityRow struct {
	PID                   int
	User, Database, State string
	Running               string
	Query                 string
}

// TrainingsPage lists running trainings: from pgml.training_progress when the extension has
// it, otherwise the backends running pgml.train.
type TrainingsPage struct {
	FromView  bool
	ViewError string
	Rows      []TrainingRow
	Activity  []ActivityRow
	Refresh   int // seconds between reloads of the page; 0: none
}

// Trainings reads the running trainings.
func (s *Store) Trainings(ctx context.Context) (*TrainingsPage, error) {
	page := &TrainingsPage{}
	err := s.read(ctx, func(tx pgx.Tx) error {
		exists, err := relationExists(ctx, tx, "pgml.training_progress")
		if err != nil {
			return err
		}
		if exists {
			// A savepoint: a view of another shape than expected falls back to pg_stat_activity.
			sub, err := tx.Begin(ctx)
			if err != nil {
				return err
			}
			page.Rows, err = progressRows(ctx, sub)
			if err == nil {
				page.FromView = true
				return sub.Commit(ctx)
			}
			page.ViewError = err.Error()
			if err := sub.Rollback(ctx); err != nil {
				return err
			}
		}
		page.Activity, err = activityRows(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

func progressRows(ctx context.Context, tx pgx.Tx) ([]TrainingRow, error) {
	rows, err := tx.Query(ctx, `SELECT pid::int, username::text, project::text, algorithm::text, runtime::text, phase::text,
		       done::float8, total::float8, elapsed::text, remaining::text
		FROM pgml.training_progress ORDER BY pid`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TrainingRow, error) {
		var t TrainingRow
		var user, project, algorithm, runtime, phase, elapsed, remaining *string
		err := r.Scan(&t.PID, &user, &project, &algorithm, &runtime, &phase, &t.Done, &t.Total, &elapsed, &remaining)
		t.User, t.Project, t.Algorithm, t.Runtime = deref(user), deref(project), deref(algorithm), deref(runtime)
		t.Phase, t.Elapsed, t.Remaining = deref(phase), deref(elapsed), deref(remaining)
		return t, err
	})
}

func activityRows(ctx context.Context, tx pgx.Tx) ([]ActivityRow, error) {
	rows, err := tx.Query(ctx, `SELECT pid, coalesce(usename::text, ''), coalesce(datname::text, ''), coalesce(state, ''),
		       coalesce(date_trunc('second', pg_catalog.clock_timestamp() - query_start)::text, ''), left(query, 300)
		FROM pg_catalog.pg_stat_activity
		WHERE pid <> pg_catalog.pg_backend_pid() AND state = 'active' AND query ~* 'pgml\.train'
		ORDER BY query_start`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ActivityRow, error) {
		var a ActivityRow
		return a, r.Scan(&a.PID, &a.User, &a.Database, &a.State, &a.Running, &a.Query)
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
