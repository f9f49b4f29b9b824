package harness

import (
	"os"
	osexec "os/exec"
	"strings"
	"testing"
)

// knownSoakFailures are checks of build/soak/check.sql that fail because of bugs being fixed
// elsewhere: build/soak.sh reports them without failing. Remove an entry when its fix lands.
var knownSoakFailures []string

// TestSoak runs the short form of the soak test (make soak runs 60 s with 8 clients): pgbench
// predicting by name while other clients retrain, deploy and churn projects; every prediction
// must be the one of the deployment its statement sees, with no undocumented error, no
// aborted client and no restart.
func TestSoak(t *testing.T) {
	if os.Getenv("PGHOST") == "" {
		t.Skip("PGHOST is not set: run with a cluster's environment, e.g. eval \"$(build/cluster.sh env)\"")
	}
	cmd := osexec.Command("../../build/soak.sh", "12", "4")
	cmd.Env = append(os.Environ(), "PGML_SOAK_KNOWN="+strings.Join(knownSoakFailures, ","))
	out, err := cmd.CombinedOutput()
	t.Logf("build/soak.sh 12 4:\n%s", out)
	if err != nil {
		t.Fatalf("the soak test failed (%v): see its output above", err)
	}
}
