package lifecycle

import (
	"fmt"
	"sort"

	"github.com/pgml-go/pgml/algorithms"
)

// admission decides whether a training fits its memory budget, as its shape becomes known:
// before reading (from the planner's row estimate), after every batch read (from the rows
// read so far), and before fitting (from the exact shape and number of classes).
type admission struct {
	budget MemoryBudget
	// need is the training's peak in bytes with rows rows of width feature values.
	need func(rows, width int) int64
	// describe names the training in messages, e.g. "random_forest classification".
	describe string
}

// check refuses a training whose need with rows × width exceeds the budget. partial says the
// rows are those read so far, so the real need is larger still.
func (a *admission) check(rows, width int, partial bool) error {
	need := a.need(rows, width)
	if need <= a.budget.Bytes {
		return nil
	}
	rowsText := fmt.Sprintf("%d rows", rows)
	if partial {
		rowsText = fmt.Sprintf("more than %d rows (reading stopped there)", rows)
	}
	return WithHint(&Error{State: StateOutOfMemory,
		Msg: fmt.Sprintf("training %s on %s × %d features needs about %s of memory, more than the %s it may use",
			a.describe, rowsText, width, FormatBytes(need), FormatBytes(a.budget.Bytes)),
		Detail: "The limit is " + a.budget.Origin + "."},
		"Train on a sample (e.g. a view with TABLESAMPLE or LIMIT) or on fewer columns, or have a superuser raise pgml.training_memory_limit if the server has the memory.")
}

// maxRows is the largest row count of the given width that check admits.
func (a *admission) maxRows(width int) int {
	const ceiling = 1 << 40
	return sort.Search(ceiling, func(rows int) bool { return a.need(rows+1, width) > a.budget.Bytes })
}

// BytesOf is the size of a rows × cols float64 matrix, saturating instead of overflowing.
func BytesOf(rows, cols int) int64 {
	n := int64(rows) * int64(cols)
	if rows != 0 && n/int64(rows) != int64(cols) || n > 1<<60 {
		return 1 << 62
	}
	return 8 * n
}

// trainingAdmission holds what a training's memory need depends on besides its shape.
type trainingAdmission struct {
	budget     MemoryBudget
	rt         Runtime
	algorithm  string
	task       algorithms.Task
	candidates []algorithms.Hyperparams // the fit's hyperparameters, or every search candidate
	search     bool
	preprocess bool
	// admitted is the need checked before the fit; 0 until then.
	admitted int64
}

func newTrainingAdmission(budget MemoryBudget, rt Runtime, algorithm string, task algorithms.Task, hp algorithms.Hyperparams, preprocess string, plan *searchPlan) *trainingAdmission {
	t := &trainingAdmission{budget: budget, rt: rt, algorithm: algorithm, task: task,
		candidates: []algorithms.Hyperparams{hp}, preprocess: !isEmptyJSONObject(preprocess)}
	if plan != nil {
		t.candidates, t.search = plan.candidates, true
	}
	return t
}

// need is the peak of a training on rows rows (all of them: training and test) of width raw
// feature values, encoded into encoded values, with nlabels label columns and outputs model
// outputs (classes for a classifier). The parts live at the same time at the peak: the rows
// read, their preprocessed copy, one search fold's copies, the fit's own allocations and the
// test predictions. The training split is counted as all rows: test_size only lowers it.
func (t *trainingAdmission) need(rows, width, encoded, nlabels, outputs int) int64 {
	total := BytesOf(rows, width+nlabels)
	if t.preprocess || encoded != width {
		total += BytesOf(rows, encoded)
	}
	if t.search {
		total += BytesOf(rows, width+nlabels)
		if t.preprocess || encoded != width {
			total += BytesOf(rows, encoded)
		}
	}
	var fit int64
	for _, hp := range t.candidates {
		fit = max(fit, t.rt.Estimate(t.algorithm, t.task, rows, encoded, outputs, hp))
	}
	return total + fit + 2*BytesOf(rows, max(outputs, 1))
}

func (t *trainingAdmission) describe() string {
	return t.algorithm + " " + t.task.String()
}

// reading is the admission asked while rows are read, before the encoding and the classes
// are known: the encoded width is taken as the raw width, and a classifier as binary.
func (t *trainingAdmission) reading(nlabels int) *admission {
	outputs := max(nlabels, 1)
	if t.task == algorithms.Classification {
		outputs = 2
	}
	return &admission{budget: t.budget, describe: t.describe(), need: func(rows, width int) int64 {
		return t.need(rows, width, width, nlabels, outputs)
	}}
}

// checkShape admits the fit once the encoded width and the classes are known.
func (t *trainingAdmission) checkShape(train, test dataSplit, data *trainingData) error {
	outputs := max(data.y.Cols, 1)
	if t.task == algorithms.Classification {
		outputs = countClasses(train.y.Data)
	}
	rows := train.x.Rows + test.x.Rows
	a := &admission{budget: t.budget, describe: t.describe(), need: func(rows, width int) int64 {
		return t.need(rows, data.x.Cols, width, data.y.Cols, outputs)
	}}
	if err := a.check(rows, train.x.Cols, false); err != nil {
		return err
	}
	t.admitted = a.need(rows, train.x.Cols)
	return nil
}

// countClasses counts distinct labels, stopping past maxCountedClasses (the estimate is
// then already far above any budget for realistic widths).
func countClasses(labels []float64) int {
	const maxCountedClasses = 1 << 20
	seen := make(map[float64]struct{})
	for _, v := range labels {
		seen[v] = struct{}{}
		if len(seen) > maxCountedClasses {
			break
		}
	}
	return len(seen)
}
