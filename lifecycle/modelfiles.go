package lifecycle

// IndexedModelFiles is a Store that reads a model's rows of pgml.files through the tables'
// indexes with the statement's snapshot rather than with SQL (the extension:
// extension/shim_model_files.c). Loading a model to predict uses it when the store has it:
// parsing and planning the listing and reading queries was most of the first predict of a
// connection.
type IndexedModelFiles interface {
	// ModelFiles returns the model's project name and its rows of pgml.files in filePartsSQL's
	// columns, ordered by path and part, and whether the table has its digest column; found is
	// false when no model has the id.
	ModelFiles(modelID int64) (project string, rows []Row, signed, found bool, err error)
	// ModelFileSlice appends to dst length bytes from offset (0-based) of the data of
	// pgml.files row id; found is false when the row is no longer visible.
	ModelFileSlice(id, offset, length int64, dst []byte) (data []byte, found bool, err error)
}

// modelFiles lists the rows of pgml.files of a model and names its project; found is false
// when the model does not exist.
func (sess *Session) modelFiles(modelID int64) (listed *storedFiles, project string, found bool, err error) {
	if indexed, ok := sess.Store.(IndexedModelFiles); ok {
		project, rows, signed, found, err := indexed.ModelFiles(modelID)
		if err != nil || !found {
			return nil, "", false, err
		}
		return &storedFiles{modelID: modelID, rows: rows, signed: signed, slices: indexed.ModelFileSlice}, project, true, nil
	}
	rows, err := sess.queryReadOnly(`SELECT p.name FROM pgml.models m JOIN pgml.projects p ON p.id = m.project_id WHERE m.id = $1`, modelID)
	if err != nil || len(rows) == 0 {
		return nil, "", false, err
	}
	listed, err = sess.listModelFiles(modelID)
	if err != nil {
		return nil, "", false, err
	}
	return listed, rows[0].Str(0), true, nil
}
