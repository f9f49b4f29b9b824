package harness

import (
	"bufio"
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// The SQL examples of README.md and docs/*.md run as pasted. A fenced block's info string says
// what it is:
//
//	```sql            an example: run, in order with the file's other examples, in a fresh
//	                  database with the extension created; any error fails the test
//	```sql error      an example of an error: each statement must fail
//	```sql signature  a function's signature: not run
//
// Examples declare the setup they need (tables, projects) in earlier blocks of the same file,
// and look ids up instead of writing them literally.

// docBlock is one fenced SQL block of a document.
type docBlock struct {
	line int // of the opening fence
	kind string
	sql  string
}

var docBlockKinds = map[string]bool{"sql": true, "sql error": true, "sql signature": true}

// docBlocks reads the fenced SQL blocks of a Markdown file.
func docBlocks(t *testing.T, path string) []docBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []docBlock
	var current *docBlock
	var body strings.Builder
	scanner := bufio.NewScanner(f)
	for line := 1; scanner.Scan(); line++ {
		text := scanner.Text()
		switch {
		case current == nil && strings.HasPrefix(text, "```sql"):
			kind := strings.TrimSpace(strings.TrimPrefix(text, "```"))
			if !docBlockKinds[kind] {
				t.Fatalf("%s:%d: fenced block %q: use sql, sql error or sql signature", path, line, kind)
			}
			current = &docBlock{line: line, kind: kind}
			body.Reset()
		case current != nil && strings.HasPrefix(text, "```"):
			current.sql = body.String()
			blocks = append(blocks, *current)
			current = nil
		case current != nil:
			body.WriteString(text)
			body.WriteByte('\n')
		}
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	if current != nil {
		t.Fatalf("%s:%d: fenced block not closed", path, current.line)
	}
	return blocks
}

func TestDocsExamplesRun(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	bindir := postgresBindir(t)
	for _, path := range append([]string{"../../README.md"}, docs...) {
		blocks := docBlocks(t, path)
		runnable := 0
		for _, b := range blocks {
			if b.kind != "sql signature" {
				runnable++
			}
		}
		if runnable == 0 {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(path), ".md")
		t.Run(name, func(t *testing.T) {
			db := "pgml_harness_docs_" + strings.NewReplacer("-", "_").Replace(strings.ToLower(name))
			conn := scratchDatabase(t, db)
			dropNewRoles(t, conn)
			if !strings.Contains(blocks[0].sql, "CREATE EXTENSION pgml") {
				exec(t, conn, `CREATE EXTENSION pgml`)
			}
			for _, b := range blocks {
				if b.kind == "sql signature" {
					continue
				}
				runDocBlock(t, bindir, db, fmt.Sprintf("%s:%d", filepath.Base(path), b.line), b)
			}
		})
	}
}

// dropNewRoles drops, when the test ends, the roles that the examples created: roles belong to
// the cluster, and the next run creates them again.
func dropNewRoles(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	var before []string
	if err := conn.QueryRow(context.Background(), `SELECT coalesce(array_agg(rolname::text), '{}') FROM pg_roles`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		var created []string
		if err := conn.QueryRow(ctx, `SELECT coalesce(array_agg(rolname::text), '{}') FROM pg_roles WHERE NOT rolname = ANY($1)`, before).Scan(&created); err != nil {
			t.Error(err)
			return
		}
		for _, role := range created {
			quoted := pgx.Identifier{role}.Sanitize()
			if _, err := conn.Exec(ctx, "DROP OWNED BY "+quoted+"; DROP ROLE "+quoted); err != nil {
				t.Errorf("dropping role %s that the examples created: %v", role, err)
			}
		}
	})
}

// runDocBlock runs one block through psql, as a user pasting it would.
func runDocBlock(t *testing.T, bindir, db, where string, b docBlock) {
	t.Helper()
	args := []string{"-X", "-q", "-d", db, "-v", "VERBOSITY=terse"}
	if b.kind == "sql" {
		args = append(args, "-v", "ON_ERROR_STOP=1")
	}
	cmd := osexec.Command(filepath.Join(bindir, "psql"), args...)
	cmd.Stdin = strings.NewReader(b.sql)
	out, err := cmd.CombinedOutput()
	switch b.kind {
	case "sql":
		if err != nil {
			t.Errorf("%s: the example fails as pasted: %v\n%s", where, err, out)
		}
	case "sql error":
		statements := strings.Count(b.sql, ";")
		if errors := strings.Count(string(out), "ERROR:"); errors != statements {
			t.Errorf("%s: %d of the %d statements of an error example failed:\n%s", where, errors, statements, out)
		}
	}
}
