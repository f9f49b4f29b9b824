package search_test

import (
	"encoding/json"
	"fmt"

	"github.com/pgml-go/pgml/algorithms"
	"github.com/pgml-go/pgml/algorithms/search"
)

func ExampleCandidates() {
	fixed := algorithms.Hyperparams{"learning_rate": 0.1}
	cands, keys, err := search.Candidates(fixed, `{"n_estimators": [10, 20], "max_depth": [1, 2]}`, "grid", 0, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(keys)
	for _, c := range cands {
		fmt.Println(c)
	}
	// Output:
	// [max_depth n_estimators]
	// map[learning_rate:0.1 max_depth:1 n_estimators:10]
	// map[learning_rate:0.1 max_depth:1 n_estimators:20]
	// map[learning_rate:0.1 max_depth:2 n_estimators:10]
	// map[learning_rate:0.1 max_depth:2 n_estimators:20]
}

func ExampleFolds() {
	folds, _ := search.Folds(10, 3)
	for _, f := range folds {
		fmt.Println("train", f.Train, "held", f.Held)
	}
	// Output:
	// train [3 4 5 6 7 8 9] held [0 1 2]
	// train [0 1 2 6 7 8 9] held [3 4 5]
	// train [0 1 2 3 4 5 9] held [6 7 8]
}

// A grid search with 2-fold cross-validation. The fit is faked: the score of
// a candidate on a fold is looked up in a table.
func Example() {
	args, err := search.ParseArgs(`{"cv": 2}`, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	cands, keys, err := search.Candidates(algorithms.Hyperparams{"max_iter": 100.0}, `{"alpha": [0.5, 1]}`, "grid", args.NIter, 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	folds, err := search.Folds(8, args.CV)
	if err != nil {
		fmt.Println(err)
		return
	}
	score := [][]float64{{0.5, 0.75}, {1, 0.5}} // [candidate][fold]
	res := search.NewResults(cands, keys, len(folds))
	for c := range cands {
		for k := range folds {
			// Fit cands[c] on folds[k].Train, score it on folds[k].Held.
			res.Record(c, k, score[c][k], 0.25, 0.125)
		}
	}
	best := res.Best()
	fmt.Println("best:", cands[best], "mean score:", res.MeanScore(best))
	summary, _ := json.Marshal(res.Summary())
	fmt.Println(string(summary))
	// Output:
	// best: map[alpha:1 max_iter:100] mean score: 0.75
	// {"best_index":1,"mean_fit_time":[0.25,0.25],"mean_score_time":[0.125,0.125],"mean_test_score":[0.625,0.75],"n_splits":2,"param_alpha":[0.5,1],"params":[{"alpha":0.5},{"alpha":1}],"rank_test_score":[2,1],"split0_test_score":[0.5,1],"split1_test_score":[0.75,0.5],"std_fit_time":[0,0],"std_score_time":[0,0],"std_test_score":[0.125,0.25]}
}
