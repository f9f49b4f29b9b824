package pybridge

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pgml-go/pgml/algorithms"
)

// The tests need the helper library: build it and point PGML_PYTHON_LIBRARY
// at it, e.g.
//
//	make -f pybridge/Makefile.inc PYTHON_OUT_DIR=/tmp/pyb
//	PGML_PYTHON_LIBRARY=/tmp/pyb/libpgml_python.so go test ./pybridge/
//
// Without it the tests that need Python are skipped.

func init() {
	// TestMain runs on the main goroutine; keep it on the process's main
	// thread, which plays the PostgreSQL backend's main thread: the
	// interpreter starts there and interrupts are delivered there.
	runtime.LockOSThread()
}

var (
	mainQueue   = make(chan func())
	startupTime time.Duration
	startupRSS  string
	startupErr  error
	haveLibrary bool
)

// onMain runs f on the main thread (the one that started Python) and waits.
// f must not call t.Fatal.
func onMain(f func()) {
	done := make(chan struct{})
	mainQueue <- func() { defer close(done); f() }
	<-done
}

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) != "" {
		os.Exit(runHelper())
	}
	haveLibrary = os.Getenv(EnvLibrary) != ""
	if haveLibrary {
		t0 := time.Now()
		startupErr = Available()
		startupTime = time.Since(t0)
		startupRSS = procStatus("VmRSS")
	}
	done := make(chan int)
	go func() { done <- m.Run() }()
	for {
		select {
		case f := <-mainQueue:
			f()
		case code := <-done:
			os.Exit(code)
		}
	}
}

func needPython(t testing.TB) {
	t.Helper()
	if !haveLibrary {
		t.Skipf("%s not set: build the helper (make -f pybridge/Makefile.inc) to run this test", EnvLibrary)
	}
	if startupErr != nil {
		t.Fatalf("python runtime did not start: %v", startupErr)
	}
}

func procStatus(key string) string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "?"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// loadCSV reads algorithms/testdata/<name>.csv.gz; columns named in labels
// form y (in that order), the others x. true/false become 1/0.
func loadCSV(t testing.TB, name string, labels ...string) (x, y algorithms.Matrix) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "algorithms", "testdata", name+".csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(gz).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	isLabel := map[int]int{}
	for k, l := range labels {
		found := false
		for i, h := range recs[0] {
			if h == l {
				isLabel[i], found = k, true
			}
		}
		if !found {
			t.Fatalf("%s: no column %q", name, l)
		}
	}
	parse := func(s string) float64 {
		switch s {
		case "true", "t":
			return 1
		case "false", "f":
			return 0
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	for _, rec := range recs[1:] {
		row := make([]float64, len(labels))
		for i, s := range rec {
			if k, ok := isLabel[i]; ok {
				row[k] = parse(s)
			} else {
				x.Data = append(x.Data, parse(s))
			}
		}
		y.Data = append(y.Data, row...)
	}
	x.Rows, y.Rows = len(recs)-1, len(recs)-1
	x.Cols, y.Cols = len(recs[0])-len(labels), len(labels)
	return x, y
}

// head returns the first n rows of m.
func head(m algorithms.Matrix, n int) algorithms.Matrix {
	if n > m.Rows {
		n = m.Rows
	}
	return algorithms.Matrix{Rows: n, Cols: m.Cols, Data: m.Data[:n*m.Cols]}
}

// synthetic returns a deterministic regression problem.
func synthetic(rows, cols int) (x, y algorithms.Matrix) {
	x = algorithms.Matrix{Rows: rows, Cols: cols, Data: make([]float64, rows*cols)}
	y = algorithms.Matrix{Rows: rows, Cols: 1, Data: make([]float64, rows)}
	s := uint64(42)
	next := func() float64 {
		s = s*6364136223846793005 + 1442695040888963407
		return float64(s>>11)/float64(1<<53) - 0.5
	}
	for i := 0; i < rows; i++ {
		sum := 0.0
		for j := 0; j < cols; j++ {
			v := next()
			x.Data[i*cols+j] = v
			sum += v * float64(j+1)
		}
		y.Data[i] = sum + 0.1*next()
	}
	return x, y
}

func fmtFloats(v []float64, n int) string {
	if len(v) > n {
		v = v[:n]
	}
	return fmt.Sprint(v)
}
