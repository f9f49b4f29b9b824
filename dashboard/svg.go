package dashboard

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The charts are plain SVG strings built here on the server: no JavaScript, no build step.
// Every value that reaches the markup is a number formatted by num or a string passed
// through html.EscapeString, so the result is safe to embed as template.HTML.

// palette holds colors that stay distinguishable for the common kinds of color blindness.
var palette = []string{"#2563eb", "#d97706", "#059669", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"}

func color(i int) string { return palette[i%len(palette)] }

// num formats a coordinate compactly.
func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// label formats a data value for a tick or a tooltip.
func label(v float64) string {
	if v == 0 {
		return "0"
	}
	if a := math.Abs(v); a >= 1e5 || a < 1e-3 {
		return strconv.FormatFloat(v, 'e', 1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// extent is the range of the finite values, widened when it is a single point.
func extent(values ...[]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, vs := range values {
		for _, v := range vs {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > hi {
		return 0, 1
	}
	if lo == hi {
		pad := math.Max(math.Abs(lo)*0.1, 0.5)
		return lo - pad, hi + pad
	}
	return lo, hi
}

// niceTicks returns about n round values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 1 {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	return ticks
}

// plot is a chart area with margins and linear scales from data to pixels.
type plot struct {
	kind                     string
	width, height            float64
	left, right, top, bottom float64 // margins
	x0, x1, y0, y1           float64 // data ranges
	body                     strings.Builder
}

func newPlot(kind string, width, height float64) *plot {
	return &plot{kind: kind, width: width, height: height, left: 56, right: 16, top: 16, bottom: 44, x1: 1, y1: 1}
}

func (p *plot) setRange(x0, x1, y0, y1 float64) { p.x0, p.x1, p.y0, p.y1 = x0, x1, y0, y1 }

func (p *plot) x(v float64) float64 {
	return p.left + (v-p.x0)/(p.x1-p.x0)*(p.width-p.left-p.right)
}

func (p *plot) y(v float64) float64 {
	return p.height - p.bottom - (v-p.y0)/(p.y1-p.y0)*(p.height-p.top-p.bottom)
}

func (p *plot) printf(format string, args ...any) { fmt.Fprintf(&p.body, format, args...) }

// text writes an escaped label; anchor is start, middle or end.
func (p *plot) text(x, y float64, anchor, class, s string) {
	p.printf(`<text x="%s" y="%s" text-anchor="%s" class="%s">%s</text>`, num(x), num(y), anchor, class, html.EscapeString(s))
}

// axes draws the frame, grid lines, ticks and axis titles.
func (p *plot) axes(xTitle, yTitle string) {
	for _, t := range niceTicks(p.x0, p.x1, 5) {
		p.printf(`<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(p.x(t)), num(p.x(t)), num(p.top), num(p.height-p.bottom))
		p.text(p.x(t), p.height-p.bottom+14, "middle", "tick", label(t))
	}
	for _, t := range niceTicks(p.y0, p.y1, 5) {
		p.printf(`<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/>`, num(p.left), num(p.width-p.right), num(p.y(t)), num(p.y(t)))
		p.text(p.left-6, p.y(t)+4, "end", "tick", label(t))
	}
	p.printf(`<rect class="frame" x="%s" y="%s" width="%s" height="%s"/>`, num(p.left), num(p.top), num(p.width-p.left-p.right), num(p.height-p.top-p.bottom))
	p.text((p.left+p.width-p.right)/2, p.height-8, "middle", "axis-title", xTitle)
	p.printf(`<text transform="translate(14 %s) rotate(-90)" text-anchor="middle" class="axis-title">%s</text>`,
		num((p.top+p.height-p.bottom)/2), html.EscapeString(yTitle))
}

// polyline draws the finite points of a series as one line.
func (p *plot) polyline(xs, ys []float64, stroke, class string) {
	var pts []string
	for i := range min(len(xs), len(ys)) {
		if finite(xs[i]) && finite(ys[i]) {
			pts = append(pts, num(p.x(xs[i]))+","+num(p.y(ys[i])))
		}
	}
	if len(pts) > 0 {
		p.printf(`<polyline class="%s" fill="none" stroke="%s" points="%s"/>`, class, stroke, strings.Join(pts, " "))
	}
}

// svg wraps the body; title is the accessible name and the hover text.
func (p *plot) svg(title string) template.HTML {
	return template.HTML(fmt.Sprintf(`<svg class="chart" data-chart="%s" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s" xmlns="http://www.w3.org/2000/svg"><title>%s</title>%s</svg>`,
		p.kind, num(p.width), num(p.height), num(p.width), num(p.height), html.EscapeString(title), html.EscapeString(title), p.body.String()))
}

// legend writes one colored entry per name in the bottom-left or bottom-right corner of the plot area.
func (p *plot) legend(names []string, right bool) {
	x := p.left + 10
	if right {
		x = p.width - p.right - 170
	}
	y := p.height - p.bottom - 8 - 16*float64(len(names)-1)
	for i, n := range names {
		yy := y + 16*float64(i)
		p.printf(`<rect x="%s" y="%s" width="10" height="10" fill="%s"/>`, num(x), num(yy-9), color(i))
		p.text(x+14, yy, "start", "legend", n)
	}
}
