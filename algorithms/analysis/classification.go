package analysis

import (
	"context"
	"errors"
	"slices"
	"sort"

	"github.com/pgml-go/pgml/algorithms/cancel"
	"github.com/pgml-go/pgml/algorithms/metrics"
)

// MaxClasses bounds the classes a confusion matrix and the one-vs-rest curves cover: beyond
// it a k×k table stops being readable and k curves cost k sorts of the test set.
const MaxClasses = 100

// MaxCurvePoints bounds the points stored of each curve (endpoints kept).
const MaxCurvePoints = 200

// ErrTooManyClasses is returned for more labels than MaxClasses.
var ErrTooManyClasses = errors.New("analysis: too many classes")

// ConfusionMatrix counts the test rows of actual class Labels[i] predicted as Labels[j] in
// Counts[i][j], as sklearn.metrics.confusion_matrix.
type ConfusionMatrix struct {
	Labels []float64 `json:"labels"`
	Counts [][]int64 `json:"counts"`
}

// NewConfusionMatrix counts yTrue against yPred over labels, which must be sorted; nil
// labels means every value seen in either (sklearn's default). Values outside labels are
// not counted.
func NewConfusionMatrix(ctx context.Context, yTrue, yPred, labels []float64) (*ConfusionMatrix, error) {
	if labels == nil {
		labels = distinct(yTrue, yPred)
	}
	if len(labels) > MaxClasses {
		return nil, ErrTooManyClasses
	}
	counts := make([][]int64, len(labels))
	for i := range counts {
		counts[i] = make([]int64, len(labels))
	}
	check := cancel.New(ctx)
	for r, t := range yTrue {
		if err := check.Add(16); err != nil {
			return nil, err
		}
		i, okT := slices.BinarySearch(labels, t)
		j, okP := slices.BinarySearch(labels, yPred[r])
		if okT && okP {
			counts[i][j]++
		}
	}
	return &ConfusionMatrix{Labels: append([]float64(nil), labels...), Counts: counts}, nil
}

func distinct(a, b []float64) []float64 {
	all := append(append([]float64(nil), a...), b...)
	sort.Float64s(all)
	return slices.Compact(all)
}

// ROCCurve is sklearn.metrics.roc_curve (drop_intermediate=True) of one class against the
// rest, downsampled to MaxCurvePoints; AUC is computed before downsampling.
type ROCCurve struct {
	Class float64   `json:"class"`
	FPR   []float64 `json:"fpr"`
	TPR   []float64 `json:"tpr"`
	AUC   float64   `json:"auc"`
}

// PRCurve is sklearn.metrics.precision_recall_curve of one class against the rest, in its
// order (recall decreasing, ending at recall 0, precision 1), downsampled to
// MaxCurvePoints; AveragePrecision (average_precision_score) is computed before.
type PRCurve struct {
	Class            float64   `json:"class"`
	Recall           []float64 `json:"recall"`
	Precision        []float64 `json:"precision"`
	AveragePrecision float64   `json:"average_precision"`
}

// counts are the cumulative true and false positives at each distinct score, from the
// highest score down (sklearn's _binary_clf_curve).
type counts struct{ tps, fps []float64 }

func binaryCounts(ctx context.Context, positive []bool, score []float64) (counts, error) {
	order, err := metrics.SortedOrder(ctx, score)
	if err != nil {
		return counts{}, err
	}
	var c counts
	var tp, fp float64
	for k := len(order) - 1; k >= 0; k-- {
		if positive[order[k]] {
			tp++
		} else {
			fp++
		}
		if k == 0 || score[order[k-1]] != score[order[k]] {
			c.tps = append(c.tps, tp)
			c.fps = append(c.fps, fp)
		}
	}
	return c, nil
}

// Curves returns the ROC and precision-recall curves of class given the scores of being
// it; ok is false when the test rows hold no row of the class or none of the others (the
// curves are undefined).
func Curves(ctx context.Context, class float64, positive []bool, score []float64) (roc ROCCurve, pr PRCurve, ok bool, err error) {
	c, err := binaryCounts(ctx, positive, score)
	if err != nil || len(c.tps) == 0 {
		return roc, pr, false, err
	}
	last := len(c.tps) - 1
	if c.tps[last] == 0 || c.fps[last] == 0 {
		return roc, pr, false, nil
	}
	roc = rocCurve(class, c)
	pr = prCurve(class, c)
	return roc, pr, true, nil
}

func rocCurve(class float64, c counts) ROCCurve {
	tps, fps := c.tps, c.fps
	if len(fps) > 2 {
		// Points on a straight segment add nothing to the curve or its area.
		keep := []int{0}
		for i := 1; i < len(fps)-1; i++ {
			if fps[i+1]-2*fps[i]+fps[i-1] != 0 || tps[i+1]-2*tps[i]+tps[i-1] != 0 {
				keep = append(keep, i)
			}
		}
		keep = append(keep, len(fps)-1)
		tps, fps = pick(tps, keep), pick(fps, keep)
	}
	n := len(tps) + 1
	fpr, tpr := make([]float64, n), make([]float64, n)
	totalP, totalN := tps[len(tps)-1], fps[len(fps)-1]
	for i := range tps {
		fpr[i+1] = fps[i] / totalN
		tpr[i+1] = tps[i] / totalP
	}
	auc := 0.0
	for i := 1; i < n; i++ {
		auc += (fpr[i] - fpr[i-1]) * (tpr[i] + tpr[i-1]) / 2
	}
	idx := downsample(n, MaxCurvePoints)
	return ROCCurve{Class: class, FPR: pick(fpr, idx), TPR: pick(tpr, idx), AUC: auc}
}

func prCurve(class float64, c counts) PRCurve {
	n := len(c.tps)
	totalP := c.tps[n-1]
	precision, recall := make([]float64, n+1), make([]float64, n+1)
	for i := range c.tps {
		k := n - 1 - i // recall decreasing
		if ps := c.tps[i] + c.fps[i]; ps != 0 {
			precision[k] = c.tps[i] / ps
		}
		recall[k] = c.tps[i] / totalP
	}
	precision[n], recall[n] = 1, 0
	ap := 0.0
	for i := 0; i < n; i++ {
		ap -= (recall[i+1] - recall[i]) * precision[i]
	}
	idx := downsample(n+1, MaxCurvePoints)
	return PRCurve{Class: class, Recall: pick(recall, idx), Precision: pick(precision, idx), AveragePrecision: ap}
}

// ClassCurves returns the curves of every class from probabilities (len(classes) per row,
// in the order of classes) and the actual labels: the positive class alone for two classes,
// each class against the rest for more.
func ClassCurves(ctx context.Context, classes, yTrue, probs []float64) ([]ROCCurve, []PRCurve, error) {
	k := len(classes)
	if k > MaxClasses {
		return nil, nil, ErrTooManyClasses
	}
	first := 0
	if k == 2 {
		first = 1
	}
	positive := make([]bool, len(yTrue))
	score := make([]float64, len(yTrue))
	var rocs []ROCCurve
	var prs []PRCurve
	for c := first; c < k; c++ {
		for r, y := range yTrue {
			positive[r] = y == classes[c]
			score[r] = probs[r*k+c]
		}
		roc, pr, ok, err := Curves(ctx, classes[c], positive, score)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			rocs = append(rocs, roc)
			prs = append(prs, pr)
		}
	}
	return rocs, prs, nil
}
