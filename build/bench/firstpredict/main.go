// Command firstpredict measures what a new connection pays to predict once (make bench,
// build/bench/python-models.sh): for each case, in fresh connections, the time to connect and
// predict once, the first predict alone (wall, and the backend's CPU time over all its threads:
// the Go runtime starts its own), and the backend's memory afterwards (VmRSS and Pss, read by
// the backend itself from /proc/self: the connection must be a superuser's).
//
//	firstpredict -runs 11 'label=SQL[;SQL…]' …
//
// Each case's statements run in order in one new connection; the timed predict is the first.
// Before it, the connection reads the backend's CPU time once untimed (so the catalog lookups of
// that query are not charged to the predict) and once as the start. Connection parameters come
// from the PG* environment variables. Output: one tab-separated line per case: label, then the
// medians of connect+first ms, first ms, first's backend CPU ms, VmRSS kB, Pss kB, and the
// backend's CPU ms from its start to the end of the case.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

type sample struct {
	connectAndFirst, first          time.Duration
	firstCPUMS, cpuMS, rssKB, pssKB float64
}

// backendCPU is the backend's CPU time in ms, summed over its threads (/proc/self/schedstat is
// the main thread's alone; the Go runtime's threads, which run its package initialisers, are
// the others).
const backendCPU = `SELECT sum(split_part(pg_read_file('/proc/self/task/' || t || '/schedstat'), ' ', 1)::float8) / 1e6
	FROM pg_ls_dir('/proc/self/task') t`

func main() {
	runs := flag.Int("runs", 11, "fresh connections per case")
	flag.Parse()
	ctx := context.Background()
	for _, arg := range flag.Args() {
		label, sqls, ok := strings.Cut(arg, "=")
		if !ok {
			fail(fmt.Errorf("case %q is not label=SQL", arg))
		}
		statements := strings.Split(sqls, ";")
		var samples []sample
		for i := 0; i < *runs; i++ {
			s, err := measure(ctx, statements)
			if err != nil {
				fail(fmt.Errorf("%s: %w", label, err))
			}
			samples = append(samples, s)
		}
		fmt.Printf("%s\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\t%.2f\n", label,
			median(samples, func(s sample) float64 { return ms(s.connectAndFirst) }),
			median(samples, func(s sample) float64 { return ms(s.first) }),
			median(samples, func(s sample) float64 { return s.firstCPUMS }),
			median(samples, func(s sample) float64 { return s.rssKB }),
			median(samples, func(s sample) float64 { return s.pssKB }),
			median(samples, func(s sample) float64 { return s.cpuMS }))
	}
}

func measure(ctx context.Context, statements []string) (sample, error) {
	var s sample
	start := time.Now()
	conn, err := pgx.Connect(ctx, "")
	if err != nil {
		return s, err
	}
	defer conn.Close(ctx)
	connect := time.Since(start)
	var cpu0, cpu1 float64
	for range 2 {
		if err := conn.QueryRow(ctx, backendCPU, pgx.QueryExecModeSimpleProtocol).Scan(&cpu0); err != nil {
			return s, err
		}
	}
	for i, sql := range statements {
		t0 := time.Now()
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return s, fmt.Errorf("%s: %w", sql, err)
		}
		if i == 0 {
			s.first = time.Since(t0)
			s.connectAndFirst = connect + s.first
			if err := conn.QueryRow(ctx, backendCPU, pgx.QueryExecModeSimpleProtocol).Scan(&cpu1); err != nil {
				return s, err
			}
			s.firstCPUMS = cpu1 - cpu0
		}
	}
	var status, rollup string
	if err := conn.QueryRow(ctx, `SELECT (`+backendCPU+`), pg_read_file('/proc/self/status'), pg_read_file('/proc/self/smaps_rollup')`,
		pgx.QueryExecModeSimpleProtocol).Scan(&s.cpuMS, &status, &rollup); err != nil {
		return s, err
	}
	s.rssKB, s.pssKB = kB(status, "VmRSS"), kB(rollup, "Pss")
	return s, nil
}

// kB reads "field:  <n> kB" from a /proc file.
func kB(text, field string) float64 {
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindStringSubmatch(text)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(samples []sample, value func(sample) float64) float64 {
	v := make([]float64, len(samples))
	for i, s := range samples {
		v[i] = value(s)
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return (v[n/2-1] + v[n/2]) / 2
	}
	return v[len(v)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "firstpredict:", err)
	os.Exit(1)
}
