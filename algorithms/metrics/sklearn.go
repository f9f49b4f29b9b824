package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// The functions of this file reproduce scikit-learn's metric functions as
// PostgresML 2.x's pgml.sklearn_* helpers call them (sklearn 1.2, default
// arguments), including the inputs sklearn refuses: they return an error
// wrapping ErrInvalidInput where sklearn raises ValueError. Inputs are
// validated as sklearn does: same non-zero length, finite values and, for
// classification, integer-valued class labels. Classification is "binary"
// when at most two labels occur in y_true and y_pred together: the scores are
// those of the positive label 1 (sklearn's pos_label=1), which must then be
// one of the labels when there are two.

// ErrInvalidInput is wrapped by every error of the sklearn-style functions.
var ErrInvalidInput = errors.New("invalid metric input")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)
}

// checkPair is sklearn's check_consistent_length plus its finiteness check.
func checkPair(yTrue, yPred []float64) error {
	if len(yTrue) != len(yPred) {
		return invalid("y_true and y_pred have different lengths (%d and %d)", len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return invalid("y_true and y_pred are empty")
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"y_true", yTrue}, {"y_pred", yPred}} {
		for i, v := range c.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return invalid("%s contains %v (element %d); metrics need finite values", c.name, v, i+1)
			}
		}
	}
	return nil
}

// checkLabels adds sklearn's type_of_target rule: class labels are integers.
func checkLabels(yTrue, yPred []float64) error {
	if err := checkPair(yTrue, yPred); err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		v    []float64
	}{{"y_true", yTrue}, {"y_pred", yPred}} {
		for i, v := range c.v {
			if v != math.Trunc(v) {
				return invalid("%s contains the non-integer value %s (element %d); classification metrics need class labels",
					c.name, strconv.FormatFloat(v, 'g', -1, 64), i+1)
			}
		}
	}
	return nil
}

// confusion is what the scores need of the confusion matrix over the
// labels seen in either input: its diagonal and its row and column sums.
// The whole k×k matrix is never needed, and with one label per row (100k
// distinct integers) it would not fit in memory.
type confusion struct {
	classes   []float64
	hits      []float64 // rows of class i predicted as i
	trueCount []float64
	predCount []float64
	correct   float64
	n         float64
}

func newConfusion(yTrue, yPred []float64) *confusion {
	c, _ := newConfusionContext(context.Background(), yTrue, yPred)
	return c
}

// newConfusionContext counts in chunks that stop once ctx is done. Classes
// are found with a map (a sort of every label would be one long step).
func newConfusionContext(ctx context.Context, yTrue, yPred []float64) (*confusion, error) {
	check := cancel.New(ctx)
	if err := check.Err(); err != nil {
		return nil, err
	}
	index := map[float64]int{}
	for _, list := range [][]float64{yTrue, yPred} {
		for _, v := range list {
			if err := check.Add(32); err != nil {
				return nil, err
			}
			if _, ok := index[v]; !ok {
				index[v] = len(index)
			}
		}
	}
	classes := make([]float64, 0, len(index))
	for v := range index {
		classes = append(classes, v)
	}
	sort.Float64s(classes)
	for i, v := range classes {
		index[v] = i
	}
	k := len(classes)
	c := &confusion{
		classes:   classes,
		hits:      make([]float64, k),
		trueCount: make([]float64, k),
		predCount: make([]float64, k),
		n:         float64(len(yTrue)),
	}
	for i, t := range yTrue {
		if err := check.Add(64); err != nil {
			return nil, err
		}
		ti, pi := index[t], index[yPred[i]]
		c.trueCount[ti]++
		c.predCount[pi]++
		if ti == pi {
			c.hits[ti]++
			c.correct++
		}
	}
	return c, nil
}

// class returns precision, recall and f1 of the class at index i, with
// sklearn's zero_division behaviour (an undefined ratio counts as 0).
func (c *confusion) class(i int) (precision, recall, f1 float64) {
	tp := c.hits[i]
	precision, recall = ratio(tp, c.predCount[i]), ratio(tp, c.trueCount[i])
	return precision, recall, ratio(2*precision*recall, precision+recall)
}

// averaged returns sklearn's precision, recall and f1 with average="binary"
// (at most two labels) or "macro" (more).
func (c *confusion) averaged() (precision, recall, f1 float64, err error) {
	k := len(c.classes)
	if k > 2 {
		for i := range c.classes {
			p, r, f := c.class(i)
			precision += p
			recall += r
			f1 += f
		}
		m := float64(k)
		return precision / m, recall / m, f1 / m, nil
	}
	i := sort.SearchFloat64s(c.classes, 1)
	if i == k || c.classes[i] != 1 {
		if k == 2 {
			return 0, 0, 0, invalid("pos_label=1 is not a valid label: the labels are %s and %s; binary metrics score the label 1",
				strconv.FormatFloat(c.classes[0], 'g', -1, 64), strconv.FormatFloat(c.classes[1], 'g', -1, 64))
		}
		// One label, not 1: class 1 was neither true nor predicted.
		return 0, 0, 0, nil
	}
	precision, recall, f1 = c.class(i)
	return precision, recall, f1, nil
}

// F1Score is sklearn's f1_score(y_true, y_pred): the binary f1 score of the
// label 1. More than two labels are an error (sklearn: "Target is multiclass
// but average='binary'").
func F1Score(yTrue, yPred []float64) (float64, error) {
	if err := checkLabels(yTrue, yPred); err != nil {
		return 0, err
	}
	c := newConfusion(yTrue, yPred)
	if len(c.classes) > 2 {
		return 0, invalid("the labels are multiclass (%d distinct values) but the f1 score is binary", len(c.classes))
	}
	_, _, f1, err := c.averaged()
	return f1, err
}

// R2Score is sklearn's r2_score(y_true, y_pred): NaN for a single value;
// for constant y_true 1 when the prediction is perfect and 0 otherwise.
func R2Score(yTrue, yPred []float64) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	return Regression(yTrue, yPred)["r2"], nil
}

// RegressionScores returns "r2", "mse" and "mae" (sklearn's r2_score,
// mean_squared_error and mean_absolute_error).
func RegressionScores(yTrue, yPred []float64) (map[string]float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return nil, err
	}
	m := Regression(yTrue, yPred)
	return map[string]float64{
		"r2":  m["r2"],
		"mse": m["mean_squared_error"],
		"mae": m["mean_absolute_error"],
	}, nil
}

// ClassificationScores returns "f1", "precision" and "recall" (binary scores
// of the label 1 with at most two labels, their macro average with more),
// "f1_micro", "accuracy" and "mcc" (sklearn's matthews_corrcoef), as
// PostgresML 2.x's classification_metrics.
func ClassificationScores(yTrue, yPred []float64) (map[string]float64, error) {
	if err := checkLabels(yTrue, yPred); err != nil {
		return nil, err
	}
	c := newConfusion(yTrue, yPred)
	precision, recall, f1, err := c.averaged()
	if err != nil {
		return nil, err
	}
	// Micro averaging over every label: precision = recall = accuracy.
	micro := c.correct / c.n
	return map[string]float64{
		"f1":        f1,
		"f1_micro":  ratio(2*micro*micro, micro+micro),
		"precision": precision,
		"recall":    recall,
		"accuracy":  micro,
		"mcc":       matthews(c.trueCount, c.predCount, c.correct, c.n),
	}, nil
}

// ROCAUCScore is sklearn's roc_auc_score(y_true, y_score) for a binary
// y_true: the probability that a random positive (the larger of y_true's two
// labels) scores higher than a random negative, ties counting one half.
// y_true must hold exactly two labels.
func ROCAUCScore(yTrue, yScore []float64) (float64, error) {
	if err := checkPair(yTrue, yScore); err != nil {
		return 0, err
	}
	labels := distinct(yTrue, nil)
	switch {
	case len(labels) < 2:
		return 0, invalid("only one class is present in y_true; ROC AUC is not defined in that case")
	case len(labels) > 2:
		return 0, invalid("y_true has %d classes; ROC AUC from predicted labels needs exactly two", len(labels))
	}
	if err := checkLabels(yTrue, make([]float64, len(yTrue))); err != nil {
		return 0, err
	}
	positive := make([]bool, len(yTrue))
	for i, v := range yTrue {
		positive[i] = v == labels[1]
	}
	return BinaryROCAUC(positive, yScore), nil
}
