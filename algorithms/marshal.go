package algorithms

import "context"

// ContextMarshaler is a Model whose encoding stops once a context is done:
// a forest of millions of nodes, or an SVM keeping most rows as support
// vectors, takes seconds to write.
type ContextMarshaler interface {
	MarshalBinaryContext(ctx context.Context) ([]byte, error)
}

// MarshalContext encodes m, stopping once ctx is done when m supports it
// (small models are encoded at once).
func MarshalContext(ctx context.Context, m Model) ([]byte, error) {
	if cm, ok := m.(ContextMarshaler); ok {
		return cm.MarshalBinaryContext(ctx)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.MarshalBinary()
}
