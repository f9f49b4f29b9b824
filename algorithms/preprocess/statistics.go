package preprocess

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/pgml-go/pgml/algorithms/cancel"
)

// Statistics describe one position of a column over the training rows,
// after encoding and before imputation. The float fields are NaN, and null
// in JSON, when every value is missing. The values are finite, and so are
// their statistics, except the variance of values more than about 1e154
// apart, which is +Inf (see varianceJSON).
type Statistics struct {
	Min, Max, MaxAbs float64
	Mean             float64
	Median           float64
	Mode             float64 // the most frequent value, the smallest on ties
	Variance         float64 // population variance
	StdDev           float64
	Missing          int // NaN values
	Distinct         int
	P25, P75         float64
}

// ColumnStatistics describe one source column.
type ColumnStatistics struct {
	Name       string       `json:"name"`
	Kind       Kind         `json:"kind"`
	Width      int          `json:"width"`
	Categories []string     `json:"categories,omitempty"`
	Preprocess Spec         `json:"preprocess"`
	Positions  []Statistics `json:"positions"` // one per array position
}

// statisticsJSON is Statistics with JSON's spelling of NaN.
type statisticsJSON struct {
	Min      jsonFloat       `json:"min"`
	Max      jsonFloat       `json:"max"`
	MaxAbs   jsonFloat       `json:"max_abs"`
	Mean     jsonFloat       `json:"mean"`
	Median   jsonFloat       `json:"median"`
	Mode     jsonFloat       `json:"mode"`
	Variance json.RawMessage `json:"variance"` // see varianceJSON
	StdDev   jsonFloat       `json:"std_dev"`
	Missing  int             `json:"missing"`
	Distinct int             `json:"distinct"`
	P25      jsonFloat       `json:"p25"`
	P75      jsonFloat       `json:"p75"`
}

// MarshalJSON writes the snake_case names PostgresML uses, NaN as null.
func (s Statistics) MarshalJSON() ([]byte, error) {
	return json.Marshal(statisticsJSON{
		jsonFloat(s.Min), jsonFloat(s.Max), jsonFloat(s.MaxAbs), jsonFloat(s.Mean),
		jsonFloat(s.Median), jsonFloat(s.Mode), varianceJSON(s.Variance, s.StdDev), jsonFloat(s.StdDev),
		s.Missing, s.Distinct, jsonFloat(s.P25), jsonFloat(s.P75),
	})
}

// UnmarshalJSON reads what MarshalJSON writes, null as NaN.
func (s *Statistics) UnmarshalJSON(b []byte) error {
	// Absent fields must not pass for zeros.
	w := statisticsJSON{Missing: -1, Distinct: -1}
	for _, f := range []*jsonFloat{&w.Min, &w.Max, &w.MaxAbs, &w.Mean, &w.Median, &w.Mode, &w.StdDev, &w.P25, &w.P75} {
		*f = jsonFloat(math.Inf(1))
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&w); err != nil {
		return fmt.Errorf("statistics: %w", err)
	}
	for _, f := range []jsonFloat{w.Min, w.Max, w.MaxAbs, w.Mean, w.Median, w.Mode, w.StdDev, w.P25, w.P75} {
		if math.IsInf(float64(f), 0) {
			return fmt.Errorf("statistics: a field is missing")
		}
	}
	variance, err := parseVariance(w.Variance)
	if err != nil {
		return err
	}
	if w.Missing < 0 || w.Distinct < 0 {
		return fmt.Errorf("statistics: missing and distinct must be counts, got %d and %d", w.Missing, w.Distinct)
	}
	*s = Statistics{
		float64(w.Min), float64(w.Max), float64(w.MaxAbs), float64(w.Mean),
		float64(w.Median), float64(w.Mode), variance, float64(w.StdDev),
		w.Missing, w.Distinct, float64(w.P25), float64(w.P75),
	}
	return nil
}

// varianceJSON writes the variance, the one statistic of finite values that may exceed double
// precision (values more than about 1e154 apart): JSON numbers have no such limit, so it is
// then written in decimal from the standard deviation, and reads back as +Inf.
func varianceJSON(variance, stdDev float64) json.RawMessage {
	if !math.IsInf(variance, 1) {
		b, _ := jsonFloat(variance).MarshalJSON()
		return b
	}
	// stdDev² = 10^exp10 with exp10 = 2·log10(stdDev), split into mantissa and exponent.
	frac, exp2 := math.Frexp(stdDev)
	exp10 := 2 * (math.Log10(frac) + float64(exp2)*math.Log10(2))
	whole := math.Floor(exp10)
	return json.RawMessage(strconv.FormatFloat(math.Pow(10, exp10-whole), 'f', 12, 64) + "e" + strconv.Itoa(int(whole)))
}

func parseVariance(raw json.RawMessage) (float64, error) {
	switch s := string(raw); {
	case s == "":
		return 0, fmt.Errorf("statistics: a field is missing")
	case s == "null":
		return math.NaN(), nil
	default:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil && !(errors.Is(err, strconv.ErrRange) && math.IsInf(v, 1)) || v < 0 {
			return 0, fmt.Errorf("statistics: invalid variance %s", excerpt(raw))
		}
		return v, nil
	}
}

// jsonFloat is a float64 that encodes NaN as null; JSON has no NaN and
// encoding/json refuses it.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) {
		return []byte("null"), nil
	}
	if math.IsInf(v, 0) {
		return nil, fmt.Errorf("infinite value %v", v)
	}
	return json.Marshal(v)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = jsonFloat(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return fmt.Errorf("invalid number %s", excerpt(b))
	}
	*f = jsonFloat(v)
	return nil
}

// describe computes the statistics of values, ignoring NaN. scratch is
// reused to sort the values and returned for the next call.
func describe(values, scratch []float64) (Statistics, []float64) {
	st, s, _ := describeChecked(nil, values, scratch, nil)
	return st, s
}

// describeChecked is describe that, given a Checker, consults it between its
// passes over the values and while sorting them (cancel.SortFloat64s, with
// buf of len(values) as scratch), returning its error.
func describeChecked(check *cancel.Checker, values, scratch, buf []float64) (Statistics, []float64, error) {
	pass := func(work int) error {
		if check == nil {
			return nil
		}
		return check.Add(work)
	}
	n0 := len(values)
	if err := pass(n0); err != nil {
		return Statistics{}, scratch, err
	}
	s := scratch[:0]
	for _, v := range values {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	st := Statistics{Missing: len(values) - len(s)}
	if len(s) == 0 {
		nan := math.NaN()
		st.Min, st.Max, st.MaxAbs, st.Mean, st.Median, st.Mode = nan, nan, nan, nan, nan, nan
		st.Variance, st.StdDev, st.P25, st.P75 = nan, nan, nan, nan
		return st, s, nil
	}
	if check == nil {
		slices.Sort(s)
	} else if err := cancel.SortFloat64s(check, s, buf); err != nil {
		return Statistics{}, s, err
	}
	if err := pass(4 * n0); err != nil {
		return Statistics{}, s, err
	}
	n := float64(len(s))
	st.Min, st.Max = s[0], s[len(s)-1]
	st.MaxAbs = math.Max(math.Abs(st.Min), math.Abs(st.Max))
	// Sums run on the values divided by a power of two near MaxAbs, which
	// is exact and keeps sums and squares of values near the largest
	// float64 (a bigint near 2^63 is not, 1e300 is) from overflowing. A
	// variance beyond the largest float64 is +Inf here and written as the
	// decimal number it is (varianceJSON).
	_, exp := math.Frexp(st.MaxAbs)
	scale := math.Ldexp(1, exp-1) // 2^1024 would overflow

	if st.MaxAbs == 0 {
		scale = 1
	}
	var sum float64
	for _, v := range s {
		sum += v / scale
	}
	mean := sum / n
	st.Mean = mean * scale
	// Two passes: the textbook one-pass formula loses the variance of
	// values far from zero.
	var ss float64
	for _, v := range s {
		d := v/scale - mean
		ss += d * d
	}
	st.Variance = ss / n * scale * scale
	st.StdDev = saturate(math.Sqrt(ss/n) * scale)
	st.Median = quantile(s, 0.5)
	st.P25 = quantile(s, 0.25)
	st.P75 = quantile(s, 0.75)

	// Runs of equal values in sorted order give the distinct count and
	// the mode; a later run must be strictly longer to win, so ties go to
	// the smallest value.
	best := 0
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		st.Distinct++
		if j-i > best {
			best, st.Mode = j-i, s[i]
		}
		i = j
	}
	return st, s, nil
}

// describeIndicator is describe of n values of which ones are 1 and the
// others 0.
func describeIndicator(ones, n int) Statistics {
	values := []float64{0, 1}
	if ones == 0 {
		values = values[:1]
	} else if ones == n {
		values = values[1:]
	}
	p := float64(ones) / float64(n)
	st := Statistics{
		Min: values[0], Max: values[len(values)-1], MaxAbs: values[len(values)-1],
		Mean: p, Variance: p * (1 - p), Distinct: len(values),
	}
	st.StdDev = math.Sqrt(st.Variance)
	at := func(q float64) float64 { // quantile of the sorted 0…0 1…1
		pos := q * float64(n-1)
		lo := int(math.Floor(pos))
		v := func(i int) float64 {
			if i >= n-ones {
				return 1
			}
			return 0
		}
		if lo+1 >= n {
			return v(n - 1)
		}
		return lerp(v(lo), v(lo+1), pos-float64(lo))
	}
	st.Median, st.P25, st.P75 = at(0.5), at(0.25), at(0.75)
	st.Mode = 0
	if ones > n-ones {
		st.Mode = 1
	}
	if ones == n {
		st.Mode = 1
	}
	return st
}

// saturate replaces an overflow by the largest float64.
func saturate(v float64) float64 {
	if math.IsInf(v, 1) {
		return math.MaxFloat64
	}
	return v
}

// quantile interpolates linearly between the order statistics of sorted,
// numpy's default method, including its choice of lerp formula, so that
// results agree to the last bit more often than not.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := lo + 1
	if hi >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return lerp(sorted[lo], sorted[hi], pos-float64(lo))
}

// lerp is numpy's linear interpolation between a and b at t ∈ [0, 1).
func lerp(a, b, t float64) float64 {
	d := b - a
	if math.IsInf(d, 0) { // a and b near opposite ends of float64
		return a*(1-t) + b*t
	}
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}
