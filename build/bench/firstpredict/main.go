// Command firstpredict measures what a new connection pays to predict once (make bench,
// build/bench/python-models.sh): for each case, in fresh connections, the time to connect and
// predict once, the first predict alone, and the backend's memory afterwards (VmRSS and Pss,
// read by the backend itself from /proc/self: the connection must be a superuser's).
//
//	firstpredict -runs 11 'label=SQL[;SQL…]' …
//
// Each case's statements run in order in one new connection; the timed predict is the first.
// Connection parameters come from the PG* environment variables. Output: one tab-separated
// line per case: label, then the medians of connect+first ms, first ms, backend CPU ms,
// VmRSS kB, Pss kB.
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
	connectAndFirst, first time.Duration
	cpuMS, rssKB, pssKB    float64
}

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
		fmt.Printf("%s\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\n", label,
			median(samples, func(s sample) float64 { return ms(s.connectAndFirst) }),
			median(samples, func(s sample) float64 { return ms(s.first) }),
			median(samples, func(s sample) float64 { return s.cpuMS }),
			median(samples, func(s sample) float64 { return s.rssKB }),
			median(samples, func(s sample) float64 { return s.pssKB }))
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
	connected := time.Now()
	for i, sql := range statements {
		if _, err := conn.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return s, fmt.Errorf("%s: %w", sql, err)
		}
		if i == 0 {
			s.connectAndFirst, s.first = time.Since(start), time.Since(connected)
		}
	}
	var status, rollup string
	if err := conn.QueryRow(ctx, `SELECT split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::float8 / 1e6,
		pg_read_file('/proc/self/status'), pg_read_file('/proc/self/smaps_rollup')`).Scan(&s.cpuMS, &status, &rollup); err != nil {
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
