package dashboard

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"time"
)

// svgElements parses a chart as XML (so it is well-formed) and counts its elements by
// name and class ("rect.bar"), and by name alone ("circle").
func svgElements(t *testing.T, svg string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed SVG: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, a := range se.Attr {
				if a.Name.Local == "class" {
					for _, c := range strings.Fields(a.Value) {
						counts[se.Name.Local+"."+c]++
					}
				}
			}
		}
	}
	return counts
}

// A hand-made analysis of the documented shape: three classes, ROC and PR curves for two,
// regression parts, and a feature whose name must be escaped.
const analysisDoc = `{"version": 1,
 "confusion_matrix": {"labels": [0, 1, "virginica"], "counts": [[10, 2, 0], [1, 12, 3], [0, 0, 9]]},
 "roc": [{"class": 0, "fpr": [0, 0.1, 1], "tpr": [0, 0.9, 1], "auc": 0.94},
         {"class": 1, "fpr": [0, 0.2, 0.5, 1], "tpr": [0, 0.5, 0.8, 1], "auc": 0.71}],
 "precision_recall": [{"class": 0, "recall": [1, 0.5, 0], "precision": [0.3, 0.8, 1], "average_precision": 0.77}],
 "predicted_vs_actual": {"actual": [1, 2, 3, 4, 5], "predicted": [1.1, 1.9, 3.5, 3.8, 5.2]},
 "residual_quantiles": {"q": [0, 0.25, 0.5, 0.75, 1], "value": [-0.7, -0.2, 0.1, 0.2, 0.5]},
 "feature_importance": {"method": "permutation", "features": ["a", "<script>alert(1)</script>", "c"], "importance": [0.1, -0.4, 0.3]}}`

func TestAnalysisChartsRenderEveryPartOfTheDocumentedShape(t *testing.T) {
	charts, err := AnalysisCharts([]byte(analysisDoc))
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string]map[string]int{}
	for _, c := range charts {
		svg := string(c.SVG)
		kind := svg[strings.Index(svg, `data-chart="`)+12:]
		kind = kind[:strings.Index(kind, `"`)]
		byKind[kind] = svgElements(t, svg)
		if strings.Contains(svg, "<script>") {
			t.Errorf("%s: a feature name reached the SVG unescaped", kind)
		}
	}
	for kind, want := range map[string]map[string]int{
		"confusion-matrix":    {"rect.cell": 9, "text.cell-count": 9},
		"roc":                 {"polyline.series": 2, "polyline.diagonal": 1},
		"precision-recall":    {"polyline.series": 1, "polyline.diagonal": 0},
		"predicted-vs-actual": {"circle.point": 5, "polyline.diagonal": 1},
		"residual-quantiles":  {"polyline.series": 1, "circle": 5},
		"feature-importance":  {"rect.bar": 3, "text.bar-label": 3},
	} {
		got, ok := byKind[kind]
		if !ok {
			t.Errorf("no %s chart", kind)
			continue
		}
		for el, n := range want {
			if got[el] != n {
				t.Errorf("%s: %d %s, want %d", kind, got[el], el, n)
			}
		}
	}
	if len(charts) != 6 {
		t.Errorf("%d charts, want 6", len(charts))
	}
	if !strings.Contains(string(charts[1].SVG), "class 0 (AUC 0.94)") {
		t.Error("the ROC legend lacks the class's AUC")
	}
}

func TestFeatureImportanceIsOrderedByMagnitudeAndBounded(t *testing.T) {
	names, values := topByMagnitude([]string{"a", "b", "c", "d"}, []float64{0.1, -0.4, 0.3, 0}, 3)
	if strings.Join(names, ",") != "b,c,a" || values[0] != -0.4 {
		t.Fatalf("got %v %v, want b,c,a with b's -0.4 first", names, values)
	}
}

func TestAnalysisChartsSkipAbsentPartsAndRejectOtherShapes(t *testing.T) {
	charts, err := AnalysisCharts([]byte(`{"version": 1, "feature_importance": {"method": "gain", "features": ["x"], "importance": [1]}}`))
	if err != nil || len(charts) != 1 || charts[0].Title != "Feature importance" {
		t.Fatalf("got %d charts (%v), want only the feature importance", len(charts), err)
	}
	if _, err := AnalysisCharts([]byte(`{"confusion_matrix": "oops"}`)); err == nil {
		t.Fatal("a confusion matrix that is a string was accepted")
	}
}

func TestChartsSkipNonFiniteValues(t *testing.T) {
	nan := math.NaN()
	s := string(Scatter("s", "t", "x", "y", []float64{1, nan, 3, math.Inf(1)}, []float64{1, 2, nan, 4}))
	if got := svgElements(t, s)["circle.point"]; got != 1 {
		t.Errorf("%d points drawn, want only the one finite pair", got)
	}
	if strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
		t.Error("a non-finite coordinate reached the SVG")
	}
	b := string(Bars("b", "t", []string{"x", "y"}, []float64{nan, 2}))
	if got := svgElements(t, b)["rect.bar"]; got != 1 {
		t.Errorf("%d bars, want 1", got)
	}
}

func TestHistogramBarsAreProportionalToTheCounts(t *testing.T) {
	s := string(Histogram("histogram", "h", []int{1, 4, 2}, 0, 3))
	if got := svgElements(t, s)["rect.bar"]; got != 3 {
		t.Fatalf("%d bars, want 3", got)
	}
	var heights []float64
	for _, part := range strings.Split(s, `<rect class="bar"`)[1:] {
		h := part[strings.Index(part, `height="`)+8:]
		var v float64
		if _, err := fmt.Sscan(h[:strings.Index(h, `"`)], &v); err != nil {
			t.Fatal(err)
		}
		heights = append(heights, v)
	}
	if math.Abs(heights[1]/heights[0]-4) > 0.05 || math.Abs(heights[2]/heights[0]-2) > 0.05 {
		t.Errorf("bar heights %v are not in the ratio 1:4:2", heights)
	}
}

func TestTimelineHasOneMarkerPerDeploymentInTimeOrder(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	events := []TimelineEvent{{t0, "model 1"}, {t0.Add(time.Hour), "model 2"}, {t0.Add(3 * time.Hour), "model 1"}}
	s := string(Timeline("deployments", "t", events, t0.Add(4*time.Hour)))
	if got := svgElements(t, s)["circle.event"]; got != 3 {
		t.Fatalf("%d markers, want 3", got)
	}
	var xs []float64
	for _, part := range strings.Split(s, `<circle class="event" cx="`)[1:] {
		var v float64
		if _, err := fmt.Sscan(part[:strings.Index(part, `"`)], &v); err != nil {
			t.Fatal(err)
		}
		xs = append(xs, v)
	}
	// At 0 h, 1 h and 3 h of a 4 h span: the gaps are 1:2.
	if !(xs[0] < xs[1] && xs[1] < xs[2]) || math.Abs((xs[2]-xs[1])/(xs[1]-xs[0])-2) > 0.05 {
		t.Errorf("markers at %v, want gaps in the ratio 1:2", xs)
	}
}

func TestNiceTicksAreRoundAndCoverTheRange(t *testing.T) {
	ticks := niceTicks(0.13, 0.87, 5)
	want := []float64{0.2, 0.4, 0.6, 0.8}
	if len(ticks) != len(want) {
		t.Fatalf("ticks %v, want %v", ticks, want)
	}
	for i := range want {
		if math.Abs(ticks[i]-want[i]) > 1e-12 {
			t.Fatalf("ticks %v, want %v", ticks, want)
		}
	}
}

func TestQuantileInterpolatesLikeNumpy(t *testing.T) {
	// numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 1]) = [1, 1.75, 2.5, 4]
	for q, want := range map[float64]float64{0: 1, 0.25: 1.75, 0.5: 2.5, 1: 4} {
		if got := quantile([]float64{1, 2, 3, 4}, q); math.Abs(got-want) > 1e-12 {
			t.Errorf("quantile %g = %g, want %g", q, got, want)
		}
	}
}

func TestSortModelsPutsModelsWithoutTheMetricLast(t *testing.T) {
	ms := []ModelSummary{{ID: 1, Metrics: Metrics{"r2": 0.5}}, {ID: 2, Metrics: Metrics{}}, {ID: 3, Metrics: Metrics{"r2": 0.9}}, {ID: 4, Metrics: Metrics{"r2": 0.1}}}
	for _, tc := range []struct {
		desc bool
		want string
	}{{true, "3,1,4,2"}, {false, "4,1,3,2"}} {
		SortModels(ms, "r2", tc.desc)
		var got []string
		for _, m := range ms {
			got = append(got, FormatNumber(float64(m.ID)))
		}
		if strings.Join(got, ",") != tc.want {
			t.Errorf("descending=%v: %v, want %s", tc.desc, got, tc.want)
		}
	}
}
