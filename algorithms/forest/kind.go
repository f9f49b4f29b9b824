package forest

import "fmt"

// Kind selects how a forest chooses split thresholds.
type Kind uint8

const (
	// RandomForest trains each tree on a bootstrap sample and picks the best
	// threshold of each candidate feature (sklearn's RandomForest*).
	RandomForest Kind = iota + 1
	// ExtraTrees trains each tree on all rows and draws one random threshold
	// per candidate feature (sklearn's ExtraTrees*).
	ExtraTrees
)

// Registry names of the two algorithms.
const (
	RandomForestName = "random_forest"
	ExtraTreesName   = "extra_trees"
)

// Name is the registry name, e.g. "random_forest".
func (k Kind) Name() string {
	switch k {
	case RandomForest:
		return RandomForestName
	case ExtraTrees:
		return ExtraTreesName
	}
	return fmt.Sprintf("forest.Kind(%d)", int(k))
}

func (k Kind) String() string { return k.Name() }

// Valid reports whether k is one of the defined kinds.
func (k Kind) Valid() bool { return k == RandomForest || k == ExtraTrees }
