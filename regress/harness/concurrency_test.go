package harness

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

const (
	concurrentSessions = 16
	predictRounds      = 5
)

// predictAllRows predicts every diabetes row with modelExpr (a project name or a model id),
// keyed by the row's ctid so results of different statements can be compared row by row.
func predictAllRows(ctx context.Context, conn *pgx.Conn, modelExpr any) (map[string]float32, error) {
	// pgml.predict is overloaded on its first argument, so the parameter needs a cast.
	cast := "text"
	if _, isModelID := modelExpr.(int64); isModelID {
		cast = "bigint"
	}
	rows, err := conn.Query(ctx, `SELECT ctid::text, pgml.predict($1::`+cast+`, ARRAY[age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])
		FROM pgml.diabetes`, modelExpr)
	if err != nil {
		return nil, err
	}
	byRow := map[string]float32{}
	var ctid string
	var prediction float32
	_, err = pgx.ForEachRow(rows, []any{&ctid, &prediction}, func() error {
		byRow[ctid] = prediction
		return nil
	})
	return byRow, err
}

// Many sessions predict while another deploys the two models back and forth: no errors, and
// every prediction is the one model 1 or model 2 gives for that row.
func TestConcurrentPredictWhileDeploying(t *testing.T) {
	ctx := context.Background()
	setup := connect(t)
	byModel1, err := predictAllRows(ctx, setup, model1)
	if err != nil {
		t.Fatal(err)
	}
	byModel2, err := predictAllRows(ctx, setup, model2)
	if err != nil {
		t.Fatal(err)
	}

	predictors := make([]*pgx.Conn, concurrentSessions)
	for i := range predictors {
		predictors[i] = connect(t)
	}
	deployer := connect(t)

	var (
		stopDeploying = make(chan struct{})
		deploys       atomic.Int64
		deployErr     error
		deployerDone  = make(chan struct{})
	)
	go func() {
		defer close(deployerDone)
		for i := 0; ; i++ {
			select {
			case <-stopDeploying:
				return
			default:
			}
			id := []int64{model1, model2}[i%2]
			if _, err := deployer.Exec(ctx, "SELECT * FROM pgml.deploy($1::bigint)", id); err != nil {
				deployErr = fmt.Errorf("deploy(%d): %w", id, err)
				return
			}
			deploys.Add(1)
		}
	}()

	var (
		wg             sync.WaitGroup
		mixedStatement atomic.Int64 // statements whose rows were predicted by both models
		errs           = make(chan error, concurrentSessions*predictRounds)
	)
	for i, conn := range predictors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := conn.Exec(ctx, "SELECT pgml.version()"); err != nil {
				errs <- fmt.Errorf("session %d: loading pgml: %w", i, err)
				return
			}
			for round := range predictRounds {
				got, err := predictAllRows(ctx, conn, project)
				if err != nil {
					errs <- fmt.Errorf("session %d round %d: %w", i, round, err)
					return
				}
				if len(got) != len(byModel1) {
					errs <- fmt.Errorf("session %d round %d: %d rows, want %d", i, round, len(got), len(byModel1))
				}
				usedModel1, usedModel2 := false, false
				for ctid, p := range got {
					switch p {
					case byModel1[ctid]:
						usedModel1 = true
					case byModel2[ctid]:
						usedModel2 = true
					default:
						errs <- fmt.Errorf("session %d round %d row %s: predicted %v, model %d gives %v and model %d gives %v",
							i, round, ctid, p, model1, byModel1[ctid], model2, byModel2[ctid])
						return
					}
				}
				if usedModel1 && usedModel2 {
					mixedStatement.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	close(stopDeploying)
	<-deployerDone
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if deployErr != nil {
		t.Error(deployErr)
	}
	t.Logf("%d sessions × %d rounds × %d rows predicted during %d deploys; %d statements used both models",
		concurrentSessions, predictRounds, len(byModel1), deploys.Load(), mixedStatement.Load())
	if deploys.Load() < 2 {
		t.Errorf("only %d deploys happened while predicting: the models never switched", deploys.Load())
	}
}
