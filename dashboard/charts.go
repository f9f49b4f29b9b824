package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"time"
)

// Series is one named curve of a line chart.
type Series struct {
	Name string
	X, Y []float64
}

// Curves draws line series on [0,1]×[0,1] (ROC and precision-recall curves), with the
// chance diagonal when diagonal is set.
func Curves(kind, title, xTitle, yTitle string, series []Series, diagonal bool) template.HTML {
	p := newPlot(kind, 420, 340)
	p.setRange(0, 1, 0, 1)
	p.axes(xTitle, yTitle)
	if diagonal {
		p.polyline([]float64{0, 1}, []float64{0, 1}, "#9ca3af", "diagonal")
	}
	var names []string
	for i, s := range series {
		p.polyline(s.X, s.Y, color(i), "series")
		names = append(names, s.Name)
	}
	// ROC curves leave the bottom-right corner empty, precision-recall curves the bottom-left.
	p.legend(names, diagonal)
	return p.svg(title)
}

// Lines draws series on the range of their values (residual quantiles).
func Lines(kind, title, xTitle, yTitle string, series []Series) template.HTML {
	p := newPlot(kind, 420, 300)
	var xs, ys [][]float64
	for _, s := range series {
		xs, ys = append(xs, s.X), append(ys, s.Y)
	}
	x0, x1 := extent(xs...)
	y0, y1 := extent(ys...)
	p.setRange(x0, x1, y0, y1)
	p.axes(xTitle, yTitle)
	for i, s := range series {
		p.polyline(s.X, s.Y, color(i), "series")
		for j := range min(len(s.X), len(s.Y)) {
			if finite(s.X[j]) && finite(s.Y[j]) {
				p.printf(`<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`, num(p.x(s.X[j])), num(p.y(s.Y[j])), color(i))
			}
		}
	}
	return p.svg(title)
}

// Scatter draws points with the identity line y = x (predicted against actual).
func Scatter(kind, title, xTitle, yTitle string, xs, ys []float64) template.HTML {
	p := newPlot(kind, 420, 340)
	lo, hi := extent(xs, ys)
	p.setRange(lo, hi, lo, hi)
	p.axes(xTitle, yTitle)
	p.polyline([]float64{lo, hi}, []float64{lo, hi}, "#9ca3af", "diagonal")
	for i := range min(len(xs), len(ys)) {
		if finite(xs[i]) && finite(ys[i]) {
			p.printf(`<circle class="point" cx="%s" cy="%s" r="3" fill="%s" fill-opacity="0.6"><title>actual %s, predicted %s</title></circle>`,
				num(p.x(xs[i])), num(p.y(ys[i])), color(0), label(xs[i]), label(ys[i]))
		}
	}
	return p.svg(title)
}

// Bars draws one horizontal bar per label, longest first as given (feature importances,
// category counts). Negative values extend left of zero.
func Bars(kind, title string, labels []string, values []float64) template.HTML {
	const rowHeight = 20.0
	n := min(len(labels), len(values))
	p := newPlot(kind, 480, 40+rowHeight*float64(max(n, 1)))
	p.left, p.top, p.bottom = 150, 8, 28
	lo, hi := extent(append([]float64{0}, values[:n]...))
	p.setRange(lo, hi, 0, 1)
	for _, t := range niceTicks(lo, hi, 4) {
		p.printf(`<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(p.x(t)), num(p.x(t)), num(p.top), num(p.height-p.bottom))
		p.text(p.x(t), p.height-p.bottom+14, "middle", "tick", label(t))
	}
	for i := range n {
		y := p.top + rowHeight*float64(i)
		p.text(p.left-6, y+rowHeight*0.7, "end", "bar-label", labels[i])
		v := values[i]
		if !finite(v) {
			continue
		}
		x0, x1 := p.x(math.Min(0, v)), p.x(math.Max(0, v))
		p.printf(`<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
			num(x0), num(y+3), num(math.Max(x1-x0, 0.5)), num(rowHeight-6), color(0), html.EscapeString(labels[i]), label(v))
	}
	return p.svg(title)
}

// Histogram draws counts of equal-width bins spanning [lo, hi].
func Histogram(kind, title string, counts []int, lo, hi float64) template.HTML {
	p := newPlot(kind, 240, 110)
	p.left, p.right, p.top, p.bottom = 36, 6, 6, 20
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	if !(hi > lo) {
		lo, hi = extent([]float64{lo, hi})
	}
	p.setRange(lo, hi, 0, float64(top))
	width := (hi - lo) / float64(max(len(counts), 1))
	for i, c := range counts {
		x0, x1 := p.x(lo+width*float64(i)), p.x(lo+width*float64(i+1))
		p.printf(`<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>[%s, %s): %d</title></rect>`,
			num(x0+0.5), num(p.y(float64(c))), num(math.Max(x1-x0-1, 0.5)), num(p.y(0)-p.y(float64(c))), color(0),
			label(lo+width*float64(i)), label(lo+width*float64(i+1)), c)
	}
	p.printf(`<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(p.left), num(p.width-p.right), num(p.y(0)), num(p.y(0)))
	p.text(p.left, p.height-6, "start", "tick", label(lo))
	p.text(p.width-p.right, p.height-6, "end", "tick", label(hi))
	p.text(p.left-4, p.top+8, "end", "tick", fmt.Sprint(top))
	return p.svg(title)
}

// Heatmap draws a confusion matrix: rows are actual classes, columns predicted ones, cell
// shade proportional to the count's share of its row.
func Heatmap(kind, title string, labels []string, counts [][]float64) template.HTML {
	n := len(labels)
	cell := math.Max(28, math.Min(64, 360/math.Max(float64(n), 1)))
	p := newPlot(kind, 110+cell*float64(n)+16, 90+cell*float64(n))
	p.left, p.top = 110, 40
	for i := range n {
		p.text(p.left+cell*(float64(i)+0.5), p.top-8, "middle", "tick", labels[i])
		p.text(p.left-8, p.top+cell*(float64(i)+0.6), "end", "tick", labels[i])
	}
	for i := range min(n, len(counts)) {
		var rowTotal float64
		for _, c := range counts[i] {
			rowTotal += c
		}
		for j := range min(n, len(counts[i])) {
			share := 0.0
			if rowTotal > 0 {
				share = counts[i][j] / rowTotal
			}
			x, y := p.left+cell*float64(j), p.top+cell*float64(i)
			p.printf(`<rect class="cell" x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%s" stroke="#fff"><title>actual %s, predicted %s: %s</title></rect>`,
				num(x), num(y), num(cell), num(cell), color(0), strconvShare(0.06+0.94*share),
				html.EscapeString(labels[i]), html.EscapeString(labels[j]), label(counts[i][j]))
			class := "cell-count"
			if share > 0.5 {
				class = "cell-count light"
			}
			p.text(x+cell/2, y+cell/2+4, "middle", class, label(counts[i][j]))
		}
	}
	p.text(p.left+cell*float64(n)/2, p.top-24, "middle", "axis-title", "predicted")
	p.printf(`<text transform="translate(14 %s) rotate(-90)" text-anchor="middle" class="axis-title">actual</text>`, num(p.top+cell*float64(n)/2))
	return p.svg(title)
}

func strconvShare(v float64) string { return fmt.Sprintf("%.3f", v) }

// TimelineEvent is one deployment on the deploy history.
type TimelineEvent struct {
	At    time.Time
	Label string
}

// Timeline draws events on a time axis ending at now; the span from each event to the next
// is the period its model served, shaded in the model's color.
func Timeline(kind, title string, events []TimelineEvent, now time.Time) template.HTML {
	p := newPlot(kind, 760, 110)
	p.left, p.right, p.top, p.bottom = 16, 16, 20, 36
	if len(events) == 0 {
		return p.svg(title)
	}
	start := events[0].At
	end := now
	if !end.After(start) {
		end = start.Add(time.Second)
	}
	span := end.Sub(start).Seconds()
	p.setRange(-span*0.02, span*1.02, 0, 1)
	at := func(t time.Time) float64 { return p.x(t.Sub(start).Seconds()) }
	colors := map[string]int{}
	for i, e := range events {
		next := end
		if i+1 < len(events) {
			next = events[i+1].At
		}
		if _, ok := colors[e.Label]; !ok {
			colors[e.Label] = len(colors)
		}
		c := color(colors[e.Label])
		p.printf(`<rect class="served" x="%s" y="%s" width="%s" height="18" fill="%s" fill-opacity="0.35"><title>%s from %s</title></rect>`,
			num(at(e.At)), num(p.top+12), num(math.Max(at(next)-at(e.At), 1)), c, html.EscapeString(e.Label), e.At.Format(time.DateTime))
		p.printf(`<circle class="event" cx="%s" cy="%s" r="5" fill="%s"/>`, num(at(e.At)), num(p.top+21), c)
		p.text(at(e.At), p.top+6, "start", "legend", e.Label)
	}
	p.printf(`<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(p.left), num(p.width-p.right), num(p.top+40), num(p.top+40))
	p.text(at(start), p.height-8, "start", "tick", start.Format(time.DateTime))
	p.text(at(end), p.height-8, "end", "tick", end.Format(time.DateTime))
	return p.svg(title)
}
