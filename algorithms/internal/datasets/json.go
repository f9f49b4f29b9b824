package datasets

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// ReadJSON decodes the fixture file name of algorithms/testdata (written by a script there)
// into v.
func ReadJSON(name string, v any) error {
	b, err := os.ReadFile(filepath.Join(Dir(), name))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
