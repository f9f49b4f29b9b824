package lifecycle

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Model files are code: a pickle runs when it is loaded, and a native model file drives a
// decoder. Every row of pgml.files carries an HMAC-SHA256 over what it is (model, path, part,
// number of parts, bytes) under the cluster's key (modelkey.go), written by pgml when it
// stores the file and checked before anything decodes it. A row changed outside pgml (an
// UPDATE by a superuser, a tampered dump, rows loaded from elsewhere) is refused.

// fileDigest is the digest of one part of a model file. Lengths frame every field, so no two
// different rows sign the same message.
func fileDigest(key []byte, modelID int64, path string, part, parts int, data []byte) []byte {
	mac := hmac.New(sha256.New, key)
	var number [8]byte
	writeNumber := func(n uint64) {
		binary.BigEndian.PutUint64(number[:], n)
		mac.Write(number[:])
	}
	mac.Write([]byte("pgml model file v1\x00"))
	writeNumber(uint64(modelID))
	writeNumber(uint64(len(path)))
	mac.Write([]byte(path))
	writeNumber(uint64(part))
	writeNumber(uint64(parts))
	writeNumber(uint64(len(data)))
	mac.Write(data)
	return mac.Sum(nil)
}

// filesHaveDigests reports whether pgml.files has its digest column: not before ALTER
// EXTENSION pgml UPDATE to 0.3.0, which signs the rows written until then.
func (sess *Session) filesHaveDigests() (bool, error) {
	rows, err := sess.queryReadOnly(`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
		WHERE attrelid = 'pgml.files'::pg_catalog.regclass AND attname = 'digest' AND NOT attisdropped)`)
	if err != nil {
		return false, err
	}
	return rows[0].Bool(0), nil
}

// filePartBytes bounds one row of pgml.files: PostgreSQL does not check for interrupts while
// it stores one value, so a large model is stored in parts, with a check between them, and
// each part takes a fraction of a second.
const filePartBytes = 16 << 20

// storeModelFile writes a model's file as signed parts of at most filePartBytes.
func (sess *Session) storeModelFile(modelID int64, path string, data []byte) error {
	signed, err := sess.filesHaveDigests()
	if err != nil {
		return err
	}
	var key []byte
	if signed {
		if key, err = sess.keyForSigning(); err != nil {
			return err
		}
	}
	parts := max(1, (len(data)+filePartBytes-1)/filePartBytes)
	for part := 0; part < parts; part++ {
		if err := sess.checkInterrupts(); err != nil {
			return err
		}
		chunk := data[part*filePartBytes : min(len(data), (part+1)*filePartBytes)]
		if !signed {
			_, err = sess.query(`INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, $2, $3, $4)`, modelID, path, part, chunk)
		} else {
			_, err = sess.query(`INSERT INTO pgml.files (model_id, path, part, data, digest) VALUES ($1, $2, $3, $4, $5)`,
				modelID, path, part, chunk, fileDigest(key, modelID, path, part, parts, chunk))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// storedPart is one row of pgml.files as read for loading or checking.
type storedPart struct {
	id      int64
	modelID int64
	path    string
	part    int
	parts   int
	data    []byte
	digest  []byte
	signed  bool // the row has a digest (always, once the schema has the column)
}

// filePartsSQL reads rows of pgml.files with the count of their file's parts, without their
// data (read in slices by readFileData); where is a condition on f, digest NULL::bytea when
// the column does not exist yet.
func filePartsSQL(digest, where string) string {
	return `SELECT f.id, f.model_id, f.path, f.part, octet_length(f.data), pg_column_compression(f.data) IS NOT NULL, ` + digest + `,
		(SELECT count(*) FROM pgml.files o WHERE o.model_id = f.model_id AND o.path = f.path)
		FROM pgml.files f WHERE ` + where
}

// scanParts reads each part's data with read, which reads as the listing did: a read-only
// listing's snapshot may not see rows this statement wrote (pgml.load_all's), query's does.
func (sess *Session) scanParts(read sliceReader, rows []Row) ([]storedPart, error) {
	parts := make([]storedPart, len(rows))
	for i, r := range rows {
		part, err := strconv.Atoi(r.Str(3))
		if err != nil {
			return nil, fmt.Errorf("pgml: pgml.files part %q", r.Str(3))
		}
		count, err := strconv.Atoi(r.Str(7))
		if err != nil {
			return nil, fmt.Errorf("pgml: pgml.files part count %q", r.Str(7))
		}
		data, err := sess.readFileData(read, r.Int64(0), r.Int64(4), r.Bool(5))
		if err != nil {
			return nil, err
		}
		parts[i] = storedPart{id: r.Int64(0), modelID: r.Int64(1), path: r.Str(2), part: part, parts: count,
			data: data, digest: []byte(r.Str(6)), signed: !r[6].Null}
	}
	return parts, nil
}

// problem says why a part does not verify under key, or "" when it does.
func (p *storedPart) problem(key []byte) string {
	switch {
	case !p.signed:
		return "no digest"
	case p.part < 0 || p.part >= p.parts:
		return "part number out of range"
	case !hmac.Equal(p.digest, fileDigest(key, p.modelID, p.path, p.part, p.parts, p.data)):
		return "digest mismatch"
	}
	return ""
}

// storedFiles is the listing of a model's rows of pgml.files, without their data: loading lists
// them once and then reads only the files it decodes.
type storedFiles struct {
	modelID int64
	rows    []Row // filePartsSQL's columns, ordered by path and part
	signed  bool
	slices  sliceReader // reads the rows' data as the listing read them
}

// listModelFiles lists every row of pgml.files of the model (estimator and preprocessing).
func (sess *Session) listModelFiles(modelID int64) (*storedFiles, error) {
	signed, err := sess.filesHaveDigests()
	if err != nil {
		return nil, err
	}
	digest := "NULL::bytea"
	if signed {
		digest = "f.digest"
	}
	rows, err := sess.queryReadOnly(filePartsSQL(digest, "f.model_id = $1 ORDER BY f.path, f.part"), modelID)
	if err != nil {
		return nil, err
	}
	return &storedFiles{modelID: modelID, rows: rows, signed: signed, slices: sess.sqlSlices(sess.queryReadOnly)}, nil
}

// estimatorPaths are the paths of the listed files other than the preprocessing's; of a model
// with a native form beside its runtime's file, only the native form's: predicting needs
// neither the other file's bytes nor its digest checked (a python pickle is megabytes).
func (f *storedFiles) estimatorPaths() []string {
	var paths []string
	for _, r := range f.rows {
		if p := r.Str(2); p != pipelinePath && !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 2 && slices.Contains(paths, NativeFormPath) {
		return []string{NativeFormPath}
	}
	return paths
}

// read reads the listed files of the given paths and checks every part's digest before
// returning their bytes, joined by path.
func (sess *Session) read(f *storedFiles, paths []string) (map[string][]byte, error) {
	var rows []Row
	for _, r := range f.rows {
		if slices.Contains(paths, r.Str(2)) {
			rows = append(rows, r)
		}
	}
	parts, err := sess.scanParts(f.slices, rows)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if len(parts) == 0 {
		return files, nil
	}
	if f.signed {
		if err := sess.verifyParts(parts); err != nil {
			return nil, err
		}
		if err := sess.checkInterrupts(); err != nil {
			return nil, err
		}
	}
	next := map[string]int{}
	for _, p := range parts {
		if p.part != next[p.path] {
			return nil, WithHint(Errorf(StateDataCorrupted, "model %d: its file %s lacks part %d", f.modelID, p.path, next[p.path]),
				"Retrain the model.")
		}
		next[p.path]++
		if p.part == 0 {
			// Most files have one part: keep its bytes rather than copy them (a knn model is
			// tens of megabytes, and every copy of them is page faults before it is work).
			files[p.path] = p.data
			continue
		}
		files[p.path] = append(files[p.path], p.data...)
	}
	return files, nil
}

// verifyParts checks every part, reading the key file again once before refusing (it may have
// been replaced since this backend read it).
func (sess *Session) verifyParts(parts []storedPart) error {
	key, err := sess.keyForVerifying(false)
	if err != nil {
		return err
	}
	for i := range parts {
		if parts[i].problem(key) == "" {
			continue
		}
		if key, err = sess.keyForVerifying(true); err != nil {
			return err
		}
		if problem := parts[i].problem(key); problem != "" {
			return tamperedError(&parts[i], problem)
		}
	}
	return nil
}

func tamperedError(p *storedPart, problem string) error {
	return WithHint(Errorf(StateDataCorrupted,
		"model %d cannot be loaded: its file %s (part %d) was not written by pgml on this cluster (%s)", p.modelID, p.path, p.part, problem),
		fmt.Sprintf("pgml decodes only model files it signed with this cluster's key ($PGDATA/%s), because a stored python model runs code when loaded. "+
			"If the row was changed by an UPDATE or a restored dump, retrain the model. "+
			"If the database came from another cluster (a trusted dump, pg_upgrade), copy that cluster's %s into this data directory, "+
			"or have a superuser run SELECT pgml.sign_models(%d) after checking the rows.", modelKeyFile, modelKeyFile, p.modelID))
}

// verifiedEstimator returns a model's estimator bytes, verified, and the runtime that decodes
// them, chosen by the signed path (pgml.models.runtime is not signed); of a model that has a
// native form beside its runtime's file, the native form.
func (sess *Session) verifiedEstimator(modelID int64) (Runtime, []byte, error) {
	listed, err := sess.listModelFiles(modelID)
	if err != nil {
		return nil, nil, err
	}
	return sess.verifiedEstimatorOf(listed)
}

func (sess *Session) verifiedEstimatorOf(listed *storedFiles) (Runtime, []byte, error) {
	modelID := listed.modelID
	paths := listed.estimatorPaths()
	if len(paths) == 0 {
		return nil, nil, Errorf(StateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	if len(paths) > 1 {
		slices.Sort(paths)
		return nil, nil, Errorf(StateDataCorrupted, "model %d has several estimator files (%s)", modelID, strings.Join(paths, ", "))
	}
	files, err := sess.read(listed, paths)
	if err != nil {
		return nil, nil, err
	}
	bytes := files[paths[0]]
	if rt, ok := sess.Runtimes.forFile(paths[0], bytes); ok {
		return rt, bytes, nil
	}
	return nil, nil, Errorf(StateDataCorrupted, "model %d: pgml has no decoder for its file %s", modelID, paths[0])
}

// signBatchRows bounds the model bytes held at once while signing or checking every row.
const signBatchRows = 16

// eachStoredPart calls fn for the rows of pgml.files (of one model, or all when modelID < 0) in
// batches, checking for interrupts between them.
func (sess *Session) eachStoredPart(modelID int64, fn func(p *storedPart) error) error {
	last := int64(0)
	for {
		if err := sess.checkInterrupts(); err != nil {
			return err
		}
		rows, err := sess.query(filePartsSQL("f.digest", "f.id > $1 AND ($2 < 0 OR f.model_id = $2) ORDER BY f.id LIMIT "+strconv.Itoa(signBatchRows)), last, modelID)
		if err != nil {
			return err
		}
		parts, err := sess.scanParts(sess.sqlSlices(sess.query), rows)
		if err != nil || len(parts) == 0 {
			return err
		}
		for i := range parts {
			if err := fn(&parts[i]); err != nil {
				return err
			}
		}
		last = parts[len(parts)-1].id
	}
}

// SignModels computes the digest of the rows of pgml.files (of one model, or all when
// modelID < 0) as they are: a superuser's statement that they are trusted (the boundary checks
// that the caller is one). It returns the number of rows signed.
func (sess *Session) SignModels(modelID int64) (int64, error) {
	key, err := sess.keyForSigning()
	if err != nil {
		return 0, err
	}
	signed := int64(0)
	err = sess.eachStoredPart(modelID, func(p *storedPart) error {
		if p.problem(key) == "" {
			return nil
		}
		signed++
		_, err := sess.query(`UPDATE pgml.files SET digest = $2 WHERE id = $1`, p.id, fileDigest(key, p.modelID, p.path, p.part, p.parts, p.data))
		return err
	})
	return signed, err
}

// UnverifiedParts lists the rows of pgml.files that pgml would refuse to load, one
// "model_id\tpath\tpart\tproblem" line each.
func (sess *Session) UnverifiedParts() ([]string, error) {
	key, err := sess.keyForVerifying(true)
	if err != nil {
		return nil, err
	}
	var problems []string
	err = sess.eachStoredPart(-1, func(p *storedPart) error {
		if problem := p.problem(key); problem != "" {
			problems = append(problems, fmt.Sprintf("%d\t%s\t%d\t%s", p.modelID, strings.ReplaceAll(p.path, "\t", " "), p.part, problem))
		}
		return nil
	})
	return problems, err
}
