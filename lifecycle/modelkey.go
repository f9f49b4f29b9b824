package lifecycle

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The key that signs model files (integrity.go) is one per cluster, in the data directory:
// only the server's OS user can read it (SQL roles only through pg_read_file, i.e. superusers
// and pg_read_server_files). So a dump carries digests but never the key, a dump restored into
// another database of the same cluster still verifies, and a tampered dump cannot carry a valid
// digest. CREATE EXTENSION creates it, so base backups taken afterwards (hot standbys) carry
// it; pg_upgrade does not copy it. docs/privileges.md tells administrators what to do.
const (
	modelKeyFile = "pgml_model_hmac.key"
	modelKeySize = 32
)

// verifyingKey is this backend's copy of the key for checking digests, read on first use and
// again when a check fails (an administrator may have replaced the file since).
var verifyingKey []byte

func (sess *Session) modelKeyPath() string {
	return filepath.Join(sess.Settings.DataDirectory, modelKeyFile)
}

// keyForSigning reads the key file on every call, so that a replaced key (a rotation) signs
// at once, and creates it when the cluster has none.
func (sess *Session) keyForSigning() ([]byte, error) {
	key, exists, err := sess.readModelKey()
	if !exists {
		if err := sess.createModelKey(); err != nil {
			return nil, err
		}
		key, _, err = sess.readModelKey()
	}
	if err != nil {
		return nil, err
	}
	verifyingKey = key
	return key, nil
}

// keyForVerifying returns the cached key, reading the file (reload: again) when needed. A
// missing key is an error that says what to do: without it no model can be verified.
func (sess *Session) keyForVerifying(reload bool) ([]byte, error) {
	if verifyingKey != nil && !reload {
		return verifyingKey, nil
	}
	key, _, err := sess.readModelKey()
	if err != nil {
		return nil, err
	}
	verifyingKey = key
	return key, nil
}

// readModelKey reads the key file; exists is false when there is none (err then says what to do).
func (sess *Session) readModelKey() (key []byte, exists bool, err error) {
	path := sess.modelKeyPath()
	key, err = os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		standby := ""
		if sess.Settings.InRecovery {
			standby = " On a hot standby, copy the file from the primary: base backups taken after CREATE EXTENSION pgml carry it."
		}
		return nil, false, WithHint(Errorf(StateUndefinedFile,
			"pgml's model signing key %s does not exist, so no stored model can be verified", path),
			"The key is created by CREATE EXTENSION pgml and by the first training of a cluster."+standby+
				" After pg_upgrade, copy "+modelKeyFile+" from the old data directory; after restoring a trusted dump into a new cluster, a superuser runs SELECT pgml.sign_models().")
	}
	if err != nil {
		return nil, true, Errorf(StateUndefinedFile, "reading pgml's model signing key: %v", err)
	}
	if len(key) != modelKeySize {
		return nil, true, WithHint(Errorf(StateDataCorrupted, "pgml's model signing key %s has %d bytes, not %d", path, len(key), modelKeySize),
			"Restore the file from a backup of this cluster; a new key would make every stored model unverifiable.")
	}
	return key, true, nil
}

// createModelKey writes a new random key atomically: a temporary file, flushed, then linked
// to the key's name, which fails if another backend created it first (then that key wins).
func (sess *Session) createModelKey() error {
	if sess.Settings.InRecovery {
		return WithHint(Errorf(StateUndefinedFile, "pgml's model signing key %s does not exist on this standby", sess.modelKeyPath()),
			"Copy the file from the primary's data directory.")
	}
	key := make([]byte, modelKeySize)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("pgml: generating the model signing key: %w", err)
	}
	path := sess.modelKeyPath()
	temporary := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	if err := writeSynced(temporary, key, sess.Settings.FileMode); err != nil {
		return fmt.Errorf("pgml: writing the model signing key: %w", err)
	}
	defer os.Remove(temporary)
	if err := os.Link(temporary, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("pgml: installing the model signing key: %w", err)
	}
	return syncDirectory(filepath.Dir(path))
}

func writeSynced(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDirectory(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
