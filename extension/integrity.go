package main

/*
#include "shim.h"
*/
import "C"

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
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
func filesHaveDigests() (bool, error) {
	rows, err := queryReadOnly(`SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute
		WHERE attrelid = 'pgml.files'::pg_catalog.regclass AND attname = 'digest' AND NOT attisdropped)`)
	if err != nil {
		return false, err
	}
	return rows[0].bool(0), nil
}

// filePartBytes bounds one row of pgml.files: PostgreSQL does not check for interrupts while
// it stores one value, so a large model is stored in parts, with a check between them, and
// each part takes a fraction of a second.
const filePartBytes = 16 << 20

// storeModelFile writes a model's file as signed parts of at most filePartBytes.
func storeModelFile(modelID int64, path string, data []byte) error {
	signed, err := filesHaveDigests()
	if err != nil {
		return err
	}
	var key []byte
	if signed {
		if key, err = keyForSigning(); err != nil {
			return err
		}
	}
	parts := max(1, (len(data)+filePartBytes-1)/filePartBytes)
	for part := 0; part < parts; part++ {
		if err := checkInterrupts(); err != nil {
			return err
		}
		chunk := data[part*filePartBytes : min(len(data), (part+1)*filePartBytes)]
		if !signed {
			_, err = query(`INSERT INTO pgml.files (model_id, path, part, data) VALUES ($1, $2, $3, $4)`, modelID, path, part, chunk)
		} else {
			_, err = query(`INSERT INTO pgml.files (model_id, path, part, data, digest) VALUES ($1, $2, $3, $4, $5)`,
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

// scanParts reads each part's data with read, the function that listed rows: a read-only
// listing's snapshot may not see rows this statement wrote (pgml.load_all's), query's does.
func scanParts(read func(string, ...any) ([]row, error), rows []row) ([]storedPart, error) {
	parts := make([]storedPart, len(rows))
	for i, r := range rows {
		part, err := strconv.Atoi(r.str(3))
		if err != nil {
			return nil, fmt.Errorf("pgml: pgml.files part %q", r.str(3))
		}
		count, err := strconv.Atoi(r.str(7))
		if err != nil {
			return nil, fmt.Errorf("pgml: pgml.files part count %q", r.str(7))
		}
		data, err := readFileData(read, r.int64(0), r.int64(4), r.bool(5))
		if err != nil {
			return nil, err
		}
		parts[i] = storedPart{id: r.int64(0), modelID: r.int64(1), path: r.str(2), part: part, parts: count,
			data: data, digest: []byte(r.str(6)), signed: !r[6].null}
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

// verifiedModelFiles reads the model's files (the estimator's, or only the preprocessing's)
// and checks every part's digest before returning their bytes, joined by path.
func verifiedModelFiles(modelID int64, estimator bool) (map[string][]byte, error) {
	signed, err := filesHaveDigests()
	if err != nil {
		return nil, err
	}
	digest := "NULL::bytea"
	if signed {
		digest = "f.digest"
	}
	condition := "f.model_id = $1 AND f.path = $2 ORDER BY f.path, f.part"
	if estimator {
		condition = "f.model_id = $1 AND f.path <> $2 ORDER BY f.path, f.part"
	}
	rows, err := queryReadOnly(filePartsSQL(digest, condition), modelID, pipelinePath)
	if err != nil {
		return nil, err
	}
	parts, err := scanParts(queryReadOnly, rows)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	if len(parts) == 0 {
		return files, nil
	}
	if signed {
		if err := verifyParts(parts); err != nil {
			return nil, err
		}
	}
	next := map[string]int{}
	for _, p := range parts {
		if p.part != next[p.path] {
			return nil, withHint(newError(stateDataCorrupted, "model %d: its file %s lacks part %d", modelID, p.path, next[p.path]),
				"Retrain the model.")
		}
		next[p.path]++
		files[p.path] = append(files[p.path], p.data...)
	}
	return files, nil
}

// verifyParts checks every part, reading the key file again once before refusing (it may have
// been replaced since this backend read it).
func verifyParts(parts []storedPart) error {
	key, err := keyForVerifying(false)
	if err != nil {
		return err
	}
	for i := range parts {
		if parts[i].problem(key) == "" {
			continue
		}
		if key, err = keyForVerifying(true); err != nil {
			return err
		}
		if problem := parts[i].problem(key); problem != "" {
			return tamperedError(&parts[i], problem)
		}
	}
	return nil
}

func tamperedError(p *storedPart, problem string) error {
	return withHint(newError(stateDataCorrupted,
		"model %d cannot be loaded: its file %s (part %d) was not written by pgml on this cluster (%s)", p.modelID, p.path, p.part, problem),
		fmt.Sprintf("pgml decodes only model files it signed with this cluster's key ($PGDATA/%s), because a stored python model runs code when loaded. "+
			"If the row was changed by an UPDATE or a restored dump, retrain the model. "+
			"If the database came from another cluster (a trusted dump, pg_upgrade), copy that cluster's %s into this data directory, "+
			"or have a superuser run SELECT pgml.sign_models(%d) after checking the rows.", modelKeyFile, modelKeyFile, p.modelID))
}

// verifiedEstimator returns a model's estimator bytes, verified, and the runtime that decodes
// them, chosen by the signed path (pgml.models.runtime is not signed).
func verifiedEstimator(modelID int64) (modelRuntime, []byte, error) {
	files, err := verifiedModelFiles(modelID, true)
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, newError(stateUndefinedObject, "pgml.models WHERE id = %d could not be loaded. Does it exist?", modelID)
	}
	if len(files) > 1 {
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		return nil, nil, newError(stateDataCorrupted, "model %d has several estimator files (%s)", modelID, strings.Join(paths, ", "))
	}
	for path, bytes := range files {
		for _, rt := range []modelRuntime{goRuntime{}, pythonRuntime{}} {
			if rt.modelPath() == path {
				return rt, bytes, nil
			}
		}
		return nil, nil, newError(stateDataCorrupted, "model %d: pgml has no decoder for its file %s", modelID, path)
	}
	return nil, nil, nil // not reached
}

// signBatchRows bounds the model bytes held at once while signing or checking every row.
const signBatchRows = 16

// eachStoredPart calls fn for the rows of pgml.files (of one model, or all when modelID < 0) in
// batches, checking for interrupts between them.
func eachStoredPart(modelID int64, fn func(p *storedPart) error) error {
	last := int64(0)
	for {
		if err := checkInterrupts(); err != nil {
			return err
		}
		rows, err := query(filePartsSQL("f.digest", "f.id > $1 AND ($2 < 0 OR f.model_id = $2) ORDER BY f.id LIMIT "+strconv.Itoa(signBatchRows)), last, modelID)
		if err != nil {
			return err
		}
		parts, err := scanParts(query, rows)
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

// pgmlGoSignModels computes the digest of the rows of pgml.files (of one model, or all when
// modelID < 0) as they are: a superuser's statement that they are trusted. The C entry point
// checked that the caller is a superuser. out.number is the number of rows signed.
//
//export pgmlGoSignModels
func pgmlGoSignModels(modelID C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		key, err := keyForSigning()
		if err != nil {
			return err
		}
		signed := int64(0)
		err = eachStoredPart(int64(modelID), func(p *storedPart) error {
			if p.problem(key) == "" {
				return nil
			}
			signed++
			_, err := query(`UPDATE pgml.files SET digest = $2 WHERE id = $1`, p.id, fileDigest(key, p.modelID, p.path, p.part, p.parts, p.data))
			return err
		})
		out.number = C.int64_t(signed)
		return err
	})
}

// pgmlGoVerifyModels lists the rows of pgml.files that pgml would refuse to load, one
// "model_id\tpath\tpart\tproblem" line each in out.text[0].
//
//export pgmlGoVerifyModels
func pgmlGoVerifyModels(out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		problems, err := unverifiedParts()
		if err != nil {
			return err
		}
		setResultText(out, 0, strings.Join(problems, "\n"))
		out.number = C.int64_t(len(problems))
		return nil
	})
}

func unverifiedParts() ([]string, error) {
	key, err := keyForVerifying(true)
	if err != nil {
		return nil, err
	}
	var problems []string
	err = eachStoredPart(-1, func(p *storedPart) error {
		if problem := p.problem(key); problem != "" {
			problems = append(problems, fmt.Sprintf("%d\t%s\t%d\t%s", p.modelID, strings.ReplaceAll(p.path, "\t", " "), p.part, problem))
		}
		return nil
	})
	return problems, err
}
