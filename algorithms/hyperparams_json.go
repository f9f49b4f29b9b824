package algorithms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// DecodeHyperparams reads the hyperparams argument of pgml.train: a JSON object whose numbers
// become float64 (JSON null means none). The errors are written for the SQL user: they name
// the key, and quote the JSON rather than Go's rendering of it.
func DecodeHyperparams(text string) (Hyperparams, error) {
	d := json.NewDecoder(strings.NewReader(text))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("hyperparams is not valid JSON: %s", jsonSyntaxProblem(err))
	}
	if d.More() {
		return nil, fmt.Errorf("hyperparams must be one JSON object, got %s", excerpt(text, 60))
	}
	switch obj := v.(type) {
	case nil:
		return Hyperparams{}, nil
	case map[string]any:
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		hp := make(Hyperparams, len(obj))
		for _, k := range keys {
			value, err := DecodeNumbers(obj[k])
			if err != nil {
				return nil, fmt.Errorf("hyperparameter %q is out of range: %w", k, err)
			}
			hp[k] = value
		}
		return hp, nil
	}
	return nil, fmt.Errorf(`hyperparams must be a JSON object such as {"max_depth": 3}, got %s`, excerpt(text, 60))
}

// DecodeNumbers turns every json.Number inside v (decoded with UseNumber) into a float64,
// refusing numbers beyond double precision by name.
func DecodeNumbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		// Numbers below the smallest double round to zero, as JSON parsers do; only overflow is refused.
		if errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s is beyond the range of double precision (±%.1e)", numberExcerpt(string(x)), math.MaxFloat64)
		}
		if err != nil {
			return nil, fmt.Errorf("%s is not a number", excerpt(string(x), 30))
		}
		return f, nil
	case []any:
		for i, e := range x {
			d, err := DecodeNumbers(e)
			if err != nil {
				return nil, err
			}
			x[i] = d
		}
	case map[string]any:
		for k, e := range x {
			d, err := DecodeNumbers(e)
			if err != nil {
				return nil, err
			}
			x[k] = d
		}
	}
	return v, nil
}

// numberExcerpt shortens the digits PostgreSQL writes for a number such as 1e400.
func numberExcerpt(s string) string {
	if len(s) <= 24 {
		return s
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return fmt.Sprintf("%s… (a number of %d digits)", s[:12], digits)
}

func excerpt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d characters)", len(s))
}

// jsonSyntaxProblem rewords encoding/json's syntax errors (jsonb's own parser has already
// accepted the text; what remains is nesting deeper than Go's decoder takes).
func jsonSyntaxProblem(err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) && strings.Contains(syntax.Error(), "exceeded max depth") {
		return "it is nested more than 10000 levels deep"
	}
	if errors.As(err, &syntax) {
		return fmt.Sprintf("%s at character %d", strings.TrimPrefix(syntax.Error(), "json: "), syntax.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// describeJSON renders a decoded hyperparameter value as the JSON the user wrote.
func describeJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v) // NaN or Inf, which JSON input cannot hold anyway
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// QuoteList writes allowed values for a message: "a", "b", "c".
func QuoteList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = describeJSON(v)
	}
	return strings.Join(quoted, ", ")
}
