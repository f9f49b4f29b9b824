package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// TrainingRow is one running training from pgml.training_progress.
type TrainingRow struct {
	PID                                                int
	User, Database, Project, Algorithm, Runtime, Phase string
	Unit                                               string // what Done and Total count: trees, rounds, fits
	Done, Total                                        *float64
	Elapsed, Remaining                                 string
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

// progressRows reads pgml.training_progress whatever its exact columns: each row as a JSON
// object, its fields looked up under the names the extension's versions use.
func progressRows(ctx context.Context, tx pgx.Tx) ([]TrainingRow, error) {
	rows, err := tx.Query(ctx, "SELECT pg_catalog.to_jsonb(t)::text FROM pgml.training_progress t")
	if err != nil {
		return nil, err
	}
	docs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var out []TrainingRow
	for _, doc := range docs {
		var f progressFields
		if err := json.Unmarshal([]byte(doc), &f); err != nil {
			return nil, fmt.Errorf("pgml.training_progress: %w", err)
		}
		out = append(out, f.row())
	}
	return out, nil
}

// progressFields are the columns of pgml.training_progress, under each name they have had.
type progressFields map[string]any

func (f progressFields) text(names ...string) string {
	for _, n := range names {
		switch v := f[n].(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

func (f progressFields) number(names ...string) *float64 {
	for _, n := range names {
		if v, ok := f[n].(float64); ok {
			return &v
		}
	}
	return nil
}

// duration drops an interval's fraction of a second ("00:01:02.345678" → "00:01:02").
func duration(s string) string {
	if i := strings.LastIndexByte(s, '.'); i > 0 && strings.Contains(s, ":") {
		return s[:i]
	}
	return s
}

func (f progressFields) row() TrainingRow {
	r := TrainingRow{
		User: f.text("usename", "username"), Database: f.text("datname"), Project: f.text("project", "project_name"),
		Algorithm: f.text("algorithm"), Runtime: f.text("runtime"), Phase: f.text("phase"), Unit: f.text("unit"),
		Done: f.number("units_done", "done"), Total: f.number("units_total", "total"),
		Elapsed: duration(f.text("elapsed")), Remaining: duration(f.text("estimated_remaining", "remaining")),
	}
	if pid := f.number("pid"); pid != nil {
		r.PID = int(*pid)
	}
	if folds := f.number("folds"); folds != nil && *folds > 0 {
		r.Phase += fmt.Sprintf(", fold %s/%s", f.text("fold"), f.text("folds"))
	}
	if n := f.number("candidates"); n != nil && *n > 1 {
		r.Phase += fmt.Sprintf(", candidate %s/%s", f.text("candidate"), f.text("candidates"))
	}
	return r
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
