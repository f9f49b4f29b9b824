package preprocess

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Kind is how the caller encoded a source column in the input matrix.
type Kind int

const (
	// Numeric columns hold their values, NULL as NaN.
	Numeric Kind = iota + 1
	// Categorical columns hold a code: 0 for NULL, i+1 for Categories[i],
	// NaN for a value not seen in training.
	Categorical
)

func (k Kind) String() string {
	switch k {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText encodes k as "numeric" or "categorical".
func (k Kind) MarshalText() ([]byte, error) {
	if k != Numeric && k != Categorical {
		return nil, fmt.Errorf("invalid column kind %d", int(k))
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes the names written by MarshalText.
func (k *Kind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "numeric":
		*k = Numeric
	case "categorical":
		*k = Categorical
	default:
		return fmt.Errorf("unknown column kind %q: allowed values are \"numeric\" and \"categorical\"", b)
	}
	return nil
}

// Column describes one source column of the input matrix.
type Column struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
	// Width is the number of matrix columns it occupies: the array length
	// for arrays, otherwise 1.
	Width int `json:"width"`
	// Categories are the distinct non-NULL training values of a categorical
	// column, in the order that defines the codes.
	Categories []string `json:"categories,omitempty"`
}

// Impute is how missing values are replaced.
type Impute int

const (
	ImputeError Impute = iota // the default: a missing value is an error
	ImputeMean
	ImputeMedian
	ImputeMode
	ImputeMin
	ImputeMax
	ImputeZero
)

var imputeNames = []string{"error", "mean", "median", "mode", "min", "max", "zero"}

func (i Impute) String() string { return enumName(imputeNames, int(i), "Impute") }

// Encode is how a categorical column becomes numbers.
type Encode int

const (
	EncodeNative  Encode = iota // the default: the category code
	EncodeTarget                // the mean target of the category's training rows
	EncodeOneHot                // one indicator column per category
	EncodeOrdinal               // the position in Spec.Ordinal
)

var encodeNames = []string{"native", "target", "one_hot", "ordinal"}

func (e Encode) String() string { return enumName(encodeNames, int(e), "Encode") }

// Scale is the affine map applied to each output column.
type Scale int

const (
	ScalePreserve Scale = iota // the default: no scaling
	ScaleStandard              // (x - mean) / standard deviation
	ScaleMinMax                // (x - min) / (max - min)
	ScaleMaxAbs                // x / max |x|
	ScaleRobust                // (x - median) / (p75 - p25)
)

var scaleNames = []string{"preserve", "standard", "min_max", "max_abs", "robust"}

func (s Scale) String() string { return enumName(scaleNames, int(s), "Scale") }

func enumName(names []string, i int, typ string) string {
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", typ, i)
}

// Spec is the preprocessing of one column. The zero Spec is PostgresML's
// default: impute "error", encode "native", scale "preserve".
type Spec struct {
	Impute Impute
	Encode Encode
	// Ordinal is the order of the values under EncodeOrdinal.
	Ordinal []string
	Scale   Scale
}

func (s Spec) isDefault() bool {
	return s.Impute == ImputeError && s.Encode == EncodeNative && s.Scale == ScalePreserve
}

// MarshalJSON writes s in the shape of the preprocess argument, with every
// key present so that stored snapshots show the defaults.
func (s Spec) MarshalJSON() ([]byte, error) {
	if err := s.checkEnums(""); err != nil {
		return nil, err
	}
	var encode any = s.Encode.String()
	if s.Encode == EncodeOrdinal {
		ordinal := s.Ordinal
		if ordinal == nil {
			ordinal = []string{}
		}
		encode = map[string][]string{"ordinal": ordinal}
	}
	return json.Marshal(struct {
		Impute string `json:"impute"`
		Encode any    `json:"encode"`
		Scale  string `json:"scale"`
	}{s.Impute.String(), encode, s.Scale.String()})
}

// UnmarshalJSON reads one column's object of the preprocess argument.
func (s *Spec) UnmarshalJSON(b []byte) error {
	v, err := parseSpec("", b)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSpecs parses the preprocess argument of pgml.train: a JSON object
// keyed by column name (or "" for none). Names that are not among cols are
// returned in ignored, sorted, rather than rejected, as PostgresML 2.x does;
// their settings must still be well formed. specs holds an entry for each
// configured column of cols.
func ParseSpecs(raw string, cols []Column) (specs map[string]Spec, ignored []string, err error) {
	if err := validateColumns(cols); err != nil {
		return nil, nil, err
	}
	specs = map[string]Spec{}
	text := bytes.TrimSpace([]byte(raw))
	if len(text) == 0 || string(text) == "null" {
		return specs, nil, nil
	}
	if text[0] != '{' {
		return nil, nil, fmt.Errorf("preprocess must be a JSON object keyed by column name, such as {\"price\": {\"impute\": \"mean\"}}, got %s", excerpt(text))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(text, &obj); err != nil {
		return nil, nil, fmt.Errorf("preprocess is not valid JSON: %v", err)
	}
	byName := make(map[string]Column, len(cols))
	for _, c := range cols {
		byName[c.Name] = c
	}
	for _, name := range sortedKeys(obj) {
		s, err := parseSpec(name, obj[name])
		if err != nil {
			return nil, nil, err
		}
		c, ok := byName[name]
		if !ok {
			ignored = append(ignored, name)
			continue
		}
		if err := validateSpec(c, s); err != nil {
			return nil, nil, err
		}
		specs[name] = s
	}
	return specs, ignored, nil
}

// forColumn names the column in a parse error; UnmarshalJSON has no name.
func forColumn(name string) string {
	if name == "" {
		return ""
	}
	return fmt.Sprintf(" for column %q", name)
}

func parseSpec(name string, raw []byte) (Spec, error) {
	raw = bytes.TrimSpace(raw)
	var obj map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil {
		return Spec{}, fmt.Errorf("preprocess%s must be a JSON object with the keys \"impute\", \"encode\" or \"scale\", such as {\"impute\": \"mean\"}, got %s",
			forColumn(name), excerpt(raw))
	}
	var s Spec
	for _, key := range sortedKeys(obj) {
		var err error
		switch key {
		case "impute":
			var i int
			i, err = parseEnum(name, key, obj[key], imputeNames)
			s.Impute = Impute(i)
		case "scale":
			var i int
			i, err = parseEnum(name, key, obj[key], scaleNames)
			s.Scale = Scale(i)
		case "encode":
			s.Encode, s.Ordinal, err = parseEncode(name, obj[key])
		default:
			err = fmt.Errorf("unknown preprocess key %q%s: allowed keys are \"impute\", \"encode\" and \"scale\"", key, forColumn(name))
		}
		if err != nil {
			return Spec{}, err
		}
	}
	return s, nil
}

func parseEnum(name, key string, raw json.RawMessage, names []string) (int, error) {
	var v string
	if isJSONString(raw) && json.Unmarshal(raw, &v) == nil {
		for i, n := range names {
			if n == v {
				return i, nil
			}
		}
		return 0, fmt.Errorf("unknown %s %q%s: allowed values are %s", key, v, forColumn(name), quoteList(names))
	}
	return 0, fmt.Errorf("%s%s must be one of %s, got %s", key, forColumn(name), quoteList(names), excerpt(raw))
}

const encodeAllowed = `"native", "target", "one_hot" and {"ordinal": ["first", "second", …]}`

func parseEncode(name string, raw json.RawMessage) (Encode, []string, error) {
	raw = bytes.TrimSpace(raw)
	var v string
	if isJSONString(raw) && json.Unmarshal(raw, &v) == nil {
		switch v {
		case "native":
			return EncodeNative, nil, nil
		case "target":
			return EncodeTarget, nil, nil
		case "one_hot":
			return EncodeOneHot, nil, nil
		case "ordinal":
			return 0, nil, fmt.Errorf("encode \"ordinal\"%s needs the order of the values: {\"encode\": {\"ordinal\": [\"first\", \"second\", …]}}", forColumn(name))
		}
		return 0, nil, fmt.Errorf("unknown encode %q%s: allowed values are %s", v, forColumn(name), encodeAllowed)
	}
	var obj map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &obj) != nil || len(obj) != 1 || obj["ordinal"] == nil {
		return 0, nil, fmt.Errorf("encode%s must be one of %s, got %s", forColumn(name), encodeAllowed, excerpt(raw))
	}
	// Decode element by element: encoding/json turns a null element into ""
	// silently, which would make NULL look like an empty text.
	var elems []json.RawMessage
	list := bytes.TrimSpace(obj["ordinal"])
	if len(list) == 0 || list[0] != '[' || json.Unmarshal(list, &elems) != nil {
		return 0, nil, fmt.Errorf("ordinal%s must be an array of texts, got %s", forColumn(name), excerpt(list))
	}
	ordinal := make([]string, len(elems))
	for i, e := range elems {
		if !isJSONString(e) || json.Unmarshal(e, &ordinal[i]) != nil {
			return 0, nil, fmt.Errorf("ordinal%s must be an array of texts, element %d is %s", forColumn(name), i+1, excerpt(e))
		}
	}
	return EncodeOrdinal, ordinal, nil
}

func (s Spec) checkEnums(name string) error {
	switch {
	case s.Impute < 0 || int(s.Impute) >= len(imputeNames):
		return fmt.Errorf("invalid impute %d%s", int(s.Impute), forColumn(name))
	case s.Encode < 0 || int(s.Encode) >= len(encodeNames):
		return fmt.Errorf("invalid encode %d%s", int(s.Encode), forColumn(name))
	case s.Scale < 0 || int(s.Scale) >= len(scaleNames):
		return fmt.Errorf("invalid scale %d%s", int(s.Scale), forColumn(name))
	}
	return nil
}

// validateSpec checks s against the column it configures.
func validateSpec(c Column, s Spec) error {
	if err := s.checkEnums(c.Name); err != nil {
		return err
	}
	if s.Encode != EncodeOrdinal && len(s.Ordinal) > 0 {
		return fmt.Errorf("an ordinal list is given for column %q, which is encoded with %q", c.Name, s.Encode)
	}
	if c.Kind == Numeric {
		if s.Encode != EncodeNative {
			return fmt.Errorf("It does not make sense to encode a continuous variable %q with {\"encode\": %q}: encode applies to text columns. Please use the default \"native\", and \"scale\" if the values need it.", c.Name, s.Encode)
		}
		return nil
	}
	switch s.Impute {
	case ImputeMean, ImputeMedian, ImputeMin, ImputeMax:
		if s.Encode != EncodeTarget {
			return fmt.Errorf("You can not specify {\"impute\": %q} for a categorical variable unless it is also encoded using `target`: column %q has no %s category. {\"impute\": \"mode\"} is a valid alternative, since there is a most common category; so is {\"encode\": \"target\"}, which imputes the %s of the target encodings.",
				s.Impute, c.Name, s.Impute, s.Impute)
		}
	}
	if s.Encode == EncodeOrdinal {
		pos := make(map[string]bool, len(s.Ordinal))
		for _, v := range s.Ordinal {
			if pos[v] {
				return fmt.Errorf("ordinal for column %q lists %q twice", c.Name, v)
			}
			pos[v] = true
		}
		for _, v := range c.Categories {
			if !pos[v] {
				return fmt.Errorf("column %q: value is not present in ordinal: %q", c.Name, v)
			}
		}
	}
	return nil
}

func validateColumns(cols []Column) error {
	if len(cols) == 0 {
		return fmt.Errorf("preprocess needs at least one column")
	}
	seen := make(map[string]bool, len(cols))
	for i, c := range cols {
		switch {
		case c.Name == "":
			return fmt.Errorf("column %d has no name", i+1)
		case seen[c.Name]:
			return fmt.Errorf("column %q appears twice", c.Name)
		case c.Kind != Numeric && c.Kind != Categorical:
			return fmt.Errorf("column %q has an invalid kind %d", c.Name, int(c.Kind))
		case c.Width < 1:
			return fmt.Errorf("column %q has width %d, want at least 1", c.Name, c.Width)
		case c.Kind == Categorical && c.Width != 1:
			return fmt.Errorf("categorical column %q has width %d, want 1: arrays of text are not supported", c.Name, c.Width)
		case c.Kind == Numeric && len(c.Categories) > 0:
			return fmt.Errorf("numeric column %q has categories", c.Name)
		}
		seen[c.Name] = true
		distinct := make(map[string]bool, len(c.Categories))
		for _, v := range c.Categories {
			if distinct[v] {
				return fmt.Errorf("column %q lists the category %q twice", c.Name, v)
			}
			distinct[v] = true
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// isJSONString reports whether raw is a string rather than null, which
// encoding/json would quietly decode as "".
func isJSONString(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}

// quoteList renders "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// excerpt shortens user JSON for an error message.
func excerpt(b []byte) string {
	const max = 60
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "nothing"
	}
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
