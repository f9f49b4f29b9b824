package lifecycle

import (
	"context"
	"math"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/search"
)

// searchSeed makes random searches reproducible: the same arguments try the same candidates.
const searchSeed = 42

// searchPlan is pgml.train's search, search_params and search_args after validation.
type searchPlan struct {
	candidates []algorithms.Hyperparams
	keys       []string // the searched keys, sorted
	args       search.Args
}

// planSearch validates the search arguments before any data is read. Without search and
// search_params it returns nil: one fit with the given hyperparameters.
func planSearch(req *TrainRequest, hp algorithms.Hyperparams) (*searchPlan, error) {
	method := ""
	if req.SearchGiven {
		method = req.Search
	}
	if err := search.CheckMethod(method); err != nil {
		return nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	args, err := search.ParseArgs(req.SearchArgs, req.SearchGiven)
	if err != nil {
		return nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	if method == "" && isEmptyJSONObject(req.SearchParams) {
		return nil, nil
	}
	if method != "" && isEmptyJSONObject(req.SearchParams) {
		return nil, WithHint(Errorf(StateInvalidParameter, "search => '%s' needs search_params: the hyperparameter values to try", method),
			`e.g. search_params => '{"max_depth": [2, 4, 6]}'`)
	}
	candidates, keys, err := search.Candidates(hp, req.SearchParams, method, args.NIter, searchSeed)
	if err != nil {
		return nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	return &searchPlan{candidates: candidates, keys: keys, args: args}, nil
}

// runSearch fits every candidate on every fold (or, with cv < 2, on the training split scored
// on the test split) and returns the candidate with the best mean of the task's metric, with
// the search_results to store in the model's metrics.
// train and test hold raw (not preprocessed) rows; prepare fits the preprocessing on a split's
// training rows and applies it to both. Folds are prepared one at a time, so a search holds
// one fold's copy of the data, not all of them.
func (sess *Session) runSearch(ctx context.Context, plan *searchPlan, rt Runtime, algorithm string, task algorithms.Task, train, test dataSplit, budget MemoryBudget,
	prepare func(fit, held dataSplit) (dataSplit, dataSplit, error)) (algorithms.Hyperparams, map[string]any, error) {
	folds, err := search.Folds(train.x.Rows, plan.args.CV)
	if err != nil {
		return nil, nil, Errorf(StateInvalidParameter, "%s", err.Error())
	}
	nsplits := max(len(folds), 1)
	if err := sess.info("Searching %d hyperparameter combinations of %s (%s) over %d split(s)",
		len(plan.candidates), algorithm, strings.Join(plan.keys, ", "), nsplits); err != nil {
		return nil, nil, err
	}
	metric := targetMetric(task)
	results := search.NewResults(plan.candidates, plan.keys, nsplits)
	fitsTotal := nsplits * len(plan.candidates)
	for s := 0; s < nsplits; s++ {
		fit, held, err := searchSplit(ctx, train, test, folds, s, prepare)
		if err != nil {
			return nil, nil, err
		}
		for c, hp := range plan.candidates {
			if ctx.Err() != nil {
				return nil, nil, ErrInterrupted
			}
			if err := sess.progress.searchStep(s+1, nsplits, c+1, len(plan.candidates), s*len(plan.candidates)+c, fitsTotal); err != nil {
				return nil, nil, err
			}
			f, err := sess.fitAndScore(ctx, rt, algorithm, task, fit, held, hp, budget, false)
			if err != nil {
				return nil, nil, err
			}
			closeModel(f.model)
			value, ok := f.metrics[metric]
			if !ok {
				value = math.NaN()
			}
			if err := results.Record(c, s, value, f.metrics["fit_time"], f.metrics["score_time"]); err != nil {
				return nil, nil, err
			}
		}
	}
	best := results.Best()
	return plan.candidates[best], results.Summary(), nil
}

// searchSplit prepares split s of a search: fold s of the training rows, or without folds
// the training split scored on the test split.
func searchSplit(ctx context.Context, train, test dataSplit, folds []search.Fold, s int,
	prepare func(fit, held dataSplit) (dataSplit, dataSplit, error)) (dataSplit, dataSplit, error) {
	if folds == nil {
		return prepare(train, test)
	}
	var fit, held dataSplit
	var err error
	for _, part := range []struct {
		dst  *dataSplit
		rows []int
	}{{&fit, folds[s].Train}, {&held, folds[s].Held}} {
		if part.dst.x, err = gatherRows(ctx, train.x, part.rows); err != nil {
			return dataSplit{}, dataSplit{}, err
		}
		if part.dst.y, err = gatherRows(ctx, train.y, part.rows); err != nil {
			return dataSplit{}, dataSplit{}, err
		}
	}
	return prepare(fit, held)
}
