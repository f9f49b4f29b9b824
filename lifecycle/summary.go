package lifecycle

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pgml-go/pgml/algorithms"
)

// summaryClasses bounds the classes a data summary lists one by one.
const summaryClasses = 10

// labelSummaries describe the training rows' labels, one line per label column: for
// classification the classes and how many rows each has, for regression the mean, standard
// deviation and range. Values are rounded (4 significant digits) so that the lines are stable.
func labelSummaries(task algorithms.Task, y algorithms.Matrix, labels []column, categories [][]string) []string {
	if !task.Supervised() || y.Rows == 0 || y.Cols != len(labels) {
		return nil
	}
	lines := make([]string, 0, y.Cols)
	for j, label := range labels {
		values := make([]float64, y.Rows)
		for r := range values {
			values[r] = y.Data[r*y.Cols+j]
		}
		if task == algorithms.Classification {
			lines = append(lines, fmt.Sprintf("label %s: %s", label.name, classDistribution(values, categories[j])))
		} else {
			lines = append(lines, fmt.Sprintf("label %s: %s", label.name, numericSummary(values)))
		}
	}
	return lines
}

// classDistribution is "3 classes: a 33 (33.0%), b 34 (34.0%), c 33 (33.0%)", the most
// frequent classes first when there are too many to list.
func classDistribution(values []float64, names []string) string {
	counts := map[float64]int{}
	for _, v := range values {
		counts[v]++
	}
	classes := make([]float64, 0, len(counts))
	for c := range counts {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	if len(classes) > summaryClasses {
		sort.SliceStable(classes, func(a, b int) bool { return counts[classes[a]] > counts[classes[b]] })
	}
	parts := make([]string, 0, min(len(classes), summaryClasses)+1)
	for i, c := range classes {
		if i == summaryClasses {
			parts = append(parts, fmt.Sprintf("%d more", len(classes)-summaryClasses))
			break
		}
		name := strconv.FormatFloat(c, 'g', -1, 64)
		if i := int(c); names != nil && float64(i) == c && i >= 0 && i < len(names) {
			name = names[i]
		}
		parts = append(parts, fmt.Sprintf("%s %d (%.1f%%)", name, counts[c], 100*float64(counts[c])/float64(len(values))))
	}
	return fmt.Sprintf("%d classes: %s", len(classes), strings.Join(parts, ", "))
}

// numericSummary is "mean 12.34, std 5.678, min 1, max 50" (population standard deviation).
func numericSummary(values []float64) string {
	sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
	for _, v := range values {
		sum += v
		lo, hi = min(lo, v), max(hi, v)
	}
	mean := sum / float64(len(values))
	squares := 0.0
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	std := math.Sqrt(squares / float64(len(values)))
	return fmt.Sprintf("mean %s, std %s, min %s, max %s", round4(mean), round4(std), round4(lo), round4(hi))
}

// round4 is a value with 4 significant digits, without an exponent for everyday magnitudes.
func round4(v float64) string {
	if v == 0 {
		return "0" // not "-0"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// untimedMetrics are the metrics that vary from run to run: left out of the INFO line.
var untimedMetrics = map[string]bool{"fit_time": true, "score_time": true}

// formatMetrics is the final test metrics of a model, sorted by name and rounded:
// "accuracy 0.96, f1 0.9599, precision 0.9608, recall 0.96". Empty without metrics.
func formatMetrics(metrics map[string]float64) string {
	names := make([]string, 0, len(metrics))
	for name := range metrics {
		if !untimedMetrics[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + " " + round4(metrics[name])
	}
	return strings.Join(parts, ", ")
}
