// Package search does the bookkeeping of pgml.train's hyperparameter search:
// it reads the search and search_args arguments, expands search_params into
// candidate hyperparameters, cuts the training rows into cross-validation
// folds, and collects the scores into the search_results JSON that
// PostgresML 2.x stores with a model.
//
// The package fits nothing itself. The caller trains each candidate on each
// fold (or, without folds, on the training split) and reports the target
// metric and timings through Results.Record:
//
//	args, err := search.ParseArgs(searchArgs, method != "")
//	cands, keys, err := search.Candidates(hyperparams, searchParams, method, args.NIter, seed)
//	folds, err := search.Folds(numTrainRows, args.CV) // nil: score on the test split
//	res := search.NewResults(cands, keys, len(folds))
//	... res.Record(candidate, fold, score, fitSeconds, scoreSeconds) ...
//	best := cands[res.Best()]
//	searchResults := res.Summary()
//
// It follows PostgresML with one deliberate difference: PostgresML 2.x keeps
// the candidate that scored best on any single fold, which rewards a lucky
// split; this package keeps the one with the best mean over all folds, as
// scikit-learn's GridSearchCV does. search_results also gains
// rank_test_score, and its params and param_<key> entries list only the
// searched keys.
package search
