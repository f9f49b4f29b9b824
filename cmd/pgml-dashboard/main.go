// Command pgml-dashboard serves a read-only web dashboard of a database's pgml projects,
// models, snapshots and running trainings (see README.md, "Dashboard").
//
//	pgml-dashboard -db 'postgres://dashboard@localhost/mydb' [-listen 127.0.0.1:8080]
//
// Without -db it uses DATABASE_URL, and without that the PG* environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pgml-go/pgml/algorithms/safego"

	"github.com/pgml-go/pgml/dashboard"
)

func main() {
	db := flag.String("db", os.Getenv("DATABASE_URL"), "connection string (URL or key=value); default $DATABASE_URL, else the PG* variables")
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve on; keep it on localhost unless a proxy adds authentication")
	timeout := flag.Duration("statement-timeout", 5*time.Second, "statement_timeout of every page's queries")
	conns := flag.Int("max-conns", 4, "most database sessions open at once")
	flag.Parse()
	if err := run(*db, *listen, *timeout, int32(*conns)); err != nil {
		fmt.Fprintln(os.Stderr, "pgml-dashboard:", err)
		os.Exit(1)
	}
}

func run(db, listen string, timeout time.Duration, conns int32) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := dashboard.Open(ctx, db, timeout, conns)
	if err != nil {
		return fmt.Errorf("connecting: %w", err)
	}
	defer store.Close()
	srv := &http.Server{Addr: listen, Handler: dashboard.NewServer(store), ReadHeaderTimeout: 10 * time.Second}
	safego.Go(func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}, func(p *safego.PanicError) { log.Printf("pgml-dashboard: shutting down: %v", p) })
	log.Printf("pgml-dashboard: serving http://%s/", listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
