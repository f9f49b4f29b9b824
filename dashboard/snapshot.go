package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// sampleRows bounds the rows a snapshot page reads for its histograms.
const sampleRows = 10000

// histogramBins is the number of bars of a numeric column's histogram.
const histogramBins = 20

// ColumnView is one column of a snapshot with its statistics.
type ColumnView struct {
	Name, Type string
	Label      bool
	Array      bool
	Numeric    bool
	Nulls      *int
	Distinct   *int
	Mean, Std  *float64
	Quantiles  []*float64 // min, p25, median, p75, max
	Histogram  template.HTML
	Source     string // where the statistics come from
}

// SnapshotPage is a snapshot, its columns and the models trained on it.
type SnapshotPage struct {
	ID            int64
	Relation      string
	YColumns      []string
	TestSize      float32
	TestSampling  string
	Status        string
	Materialized  bool
	Created       time.Time
	Counts        string // the stored analysis: rows in the splits
	Columns       []ColumnView
	ColumnsHidden bool   // snapshots.columns is not readable by this role
	SampleNote    string // how the histograms were computed, or why there are none
	Models        []ModelSummary
}

// storedColumn is an entry of pgml.snapshots.columns (lifecycle/snapshot.go writes them).
type storedColumn struct {
	Name       string     `json:"name"`
	PgType     string     `json:"pg_type"`
	Label      bool       `json:"label"`
	Array      bool       `json:"array"`
	Categories []string   `json:"categories"`
	Statistics []struct { // one per array position; NaN is null
		Mean     *float64 `json:"mean"`
		StdDev   *float64 `json:"std_dev"`
		Min      *float64 `json:"min"`
		P25      *float64 `json:"p25"`
		Median   *float64 `json:"median"`
		P75      *float64 `json:"p75"`
		Max      *float64 `json:"max"`
		Missing  *int     `json:"missing"`
		Distinct *int     `json:"distinct"`
	} `json:"statistics"`
}

// Snapshot reads a snapshot and a bounded sample of its rows.
func (s *Store) Snapshot(ctx context.Context, id int64) (*SnapshotPage, error) {
	page := &SnapshotPage{ID: id}
	err := s.read(ctx, func(tx pgx.Tx) error {
		var counts []byte
		var readable bool
		err := tx.QueryRow(ctx, `SELECT relation_name, coalesce(y_column_name, '{}'), test_size, test_sampling, status,
			       coalesce(materialized, false), created_at, analysis::text,
			       pg_catalog.has_column_privilege('pgml.snapshots', 'columns', 'SELECT')
			FROM pgml.snapshots WHERE id = $1`, id).Scan(&page.Relation, &page.YColumns, &page.TestSize, &page.TestSampling,
			&page.Status, &page.Materialized, &page.Created, &counts, &readable)
		if err == pgx.ErrNoRows {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		page.Counts = string(counts)
		var stored []storedColumn
		if readable {
			var doc []byte
			if err := tx.QueryRow(ctx, "SELECT columns::text FROM pgml.snapshots WHERE id = $1", id).Scan(&doc); err != nil {
				return err
			}
			_ = json.Unmarshal(doc, &stored)
		} else {
			page.ColumnsHidden = true
		}
		source := page.Relation
		if page.Materialized {
			source = fmt.Sprintf("pgml.snapshot_%d", id)
		}
		if err := page.sample(ctx, tx, source, stored, s.timeout); err != nil {
			return err
		}
		page.Models, err = models(ctx, tx, "snapshot_id = $1", id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// numericTypes are the column types a histogram is drawn for (as format_type and
// snapshots.columns spell them).
var numericTypes = map[string]bool{"smallint": true, "integer": true, "bigint": true, "real": true, "double precision": true,
	"numeric": true, "boolean": true, "int2": true, "int4": true, "int8": true, "float4": true, "float8": true, "bool": true}

// sample fills page.Columns from the stored descriptors (or, when they are not readable, the
// relation's own columns) and from at most sampleRows rows of the relation, read within half
// the page's statement timeout.
func (page *SnapshotPage) sample(ctx context.Context, tx pgx.Tx, source string, stored []storedColumn, timeout time.Duration) error {
	var rel, kind string
	var tuples float64
	var canRead bool
	err := tx.QueryRow(ctx, `SELECT c.oid::regclass::text, c.relkind::text, c.reltuples, pg_catalog.has_table_privilege(c.oid, 'SELECT')
		FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass($1)`, source).Scan(&rel, &kind, &tuples, &canRead)
	if err == pgx.ErrNoRows {
		page.SampleNote = "the relation " + source + " no longer exists: no histograms"
	} else if err != nil {
		return err
	}
	if len(stored) == 0 && rel != "" {
		rows, err := tx.Query(ctx, `SELECT attname::text, pg_catalog.format_type(atttypid, atttypmod), attndims > 0 OR typcategory = 'A'
			FROM pg_catalog.pg_attribute JOIN pg_catalog.pg_type t ON t.oid = atttypid
			WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, rel)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c storedColumn
			if err := rows.Scan(&c.Name, &c.PgType, &c.Array); err != nil {
				return err
			}
			for _, y := range page.YColumns {
				c.Label = c.Label || y == c.Name
			}
			stored = append(stored, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, c := range stored {
		v := ColumnView{Name: c.Name, Type: c.PgType, Label: c.Label, Array: c.Array, Numeric: numericTypes[c.PgType] && !c.Array}
		if len(c.Statistics) > 0 {
			st := c.Statistics[0]
			v.Mean, v.Std, v.Nulls, v.Distinct = st.Mean, st.StdDev, st.Missing, st.Distinct
			v.Quantiles = []*float64{st.Min, st.P25, st.Median, st.P75, st.Max}
			v.Source = "training rows"
			if c.Array {
				v.Source = fmt.Sprintf("training rows, position 1 of %d", len(c.Statistics))
			}
		}
		page.Columns = append(page.Columns, v)
	}
	if rel == "" {
		return nil
	}
	if !canRead {
		page.SampleNote = "this role may not read " + rel + ": no histograms (GRANT SELECT ON " + rel + " to show them)"
		return nil
	}
	// In a savepoint, with part of the page's time: a relation too slow to sample costs the
	// histograms, not the page.
	sub, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	err = setStatementTimeout(ctx, sub, timeout/2)
	if err == nil {
		err = page.histograms(ctx, sub, rel, kind, tuples)
	}
	if err != nil {
		if rbErr := sub.Rollback(ctx); rbErr != nil {
			return rbErr
		}
		page.SampleNote = "reading a sample of " + rel + " failed (" + err.Error() + "): no histograms"
		return nil
	}
	if err := sub.Commit(ctx); err != nil {
		return err
	}
	return setStatementTimeout(ctx, tx, timeout)
}

// histograms reads a bounded sample of the scalar columns and draws each one's histogram.
func (page *SnapshotPage) histograms(ctx context.Context, tx pgx.Tx, rel, kind string, tuples float64) error {
	var exprs []string
	var cols []int
	for i, c := range page.Columns {
		if c.Array {
			continue
		}
		e := pgx.Identifier{c.Name}.Sanitize()
		switch {
		case c.Type == "boolean" || c.Type == "bool":
			e += "::int::float8"
		case c.Numeric:
			e += "::float8"
		default:
			e += "::text"
		}
		exprs = append(exprs, e)
		cols = append(cols, i)
	}
	if len(exprs) == 0 {
		return nil
	}
	from := rel
	page.SampleNote = "histograms and the statistics of columns without stored ones: "
	if (kind == "r" || kind == "m") && tuples > 2*sampleRows {
		// SYSTEM sampling reads whole pages: a big table costs about what the sample costs.
		from += fmt.Sprintf(" TABLESAMPLE SYSTEM (%g)", math.Min(100, 200*sampleRows/tuples))
		page.SampleNote += "a random sample of "
	} else if tuples > sampleRows || kind == "v" {
		page.SampleNote += "the first "
	} else {
		page.SampleNote += "all "
	}
	rows, err := tx.Query(ctx, "SELECT "+strings.Join(exprs, ", ")+" FROM "+from+fmt.Sprintf(" LIMIT %d", sampleRows))
	if err != nil {
		return err
	}
	numbers := make([][]float64, len(cols))
	texts := make([]map[string]int, len(cols))
	nulls := make([]int, len(cols))
	n := 0
	for rows.Next() {
		values, err := rows.Values()
		if err != nil {
			return err
		}
		n++
		for j, v := range values {
			switch v := v.(type) {
			case nil:
				nulls[j]++
			case float64:
				numbers[j] = append(numbers[j], v)
			case string:
				if texts[j] == nil {
					texts[j] = map[string]int{}
				}
				texts[j][v]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	page.SampleNote += fmt.Sprintf("%d rows of %s", n, rel)
	for j, i := range cols {
		c := &page.Columns[i]
		if c.Nulls == nil {
			c.Nulls = &nulls[j]
		}
		if c.Numeric {
			c.describe(numbers[j])
		} else if texts[j] != nil {
			c.categories(texts[j])
		}
	}
	return nil
}

// describe sets a numeric column's missing statistics and its histogram from sampled values.
func (c *ColumnView) describe(values []float64) {
	if len(values) == 0 {
		return
	}
	sort.Float64s(values)
	if c.Mean == nil {
		var sum, sq float64
		for _, v := range values {
			sum += v
		}
		mean := sum / float64(len(values))
		for _, v := range values {
			sq += (v - mean) * (v - mean)
		}
		std := math.Sqrt(sq / float64(len(values)))
		distinct := 1
		for i := 1; i < len(values); i++ {
			if values[i] != values[i-1] {
				distinct++
			}
		}
		c.Mean, c.Std, c.Distinct = &mean, &std, &distinct
		c.Quantiles = nil
		for _, q := range []float64{0, 0.25, 0.5, 0.75, 1} {
			v := quantile(values, q)
			c.Quantiles = append(c.Quantiles, &v)
		}
		c.Source = "sample"
	}
	lo, hi := values[0], values[len(values)-1]
	counts := make([]int, histogramBins)
	for _, v := range values {
		b := 0
		if hi > lo {
			b = min(int((v-lo)/(hi-lo)*histogramBins), histogramBins-1)
		}
		counts[b]++
	}
	c.Histogram = Histogram("histogram", "Histogram of "+c.Name, counts, lo, hi)
}

// quantile interpolates linearly between the sorted values (numpy's default).
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (pos-float64(i))*(sorted[i+1]-sorted[i])
}

// categories draws a text column's most frequent values.
func (c *ColumnView) categories(counts map[string]int) {
	type kv struct {
		value string
		n     int
	}
	var all []kv
	for k, n := range counts {
		all = append(all, kv{k, n})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].n > all[j].n || all[i].n == all[j].n && all[i].value < all[j].value })
	distinct := len(all)
	if c.Distinct == nil {
		c.Distinct = &distinct
	}
	var labels []string
	var values []float64
	for _, e := range all[:min(len(all), 8)] {
		labels = append(labels, e.value)
		values = append(values, float64(e.n))
	}
	c.Histogram = Bars("categories", "Most frequent values of "+c.Name, labels, values)
}
