package lifecycle

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// isHubName replaces a regexp (datasets.go says why): it must accept exactly what the
// expression accepts.
func TestIsHubNameMatchesItsExpression(t *testing.T) {
	pattern := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$`)
	check := func(s string) {
		t.Helper()
		if got, want := isHubName(s), pattern.MatchString(s); got != want {
			t.Fatalf("isHubName(%q) = %v, the expression says %v", s, got, want)
		}
	}
	for _, s := range []string{"", "iris", "owner/name", "Owner-1/my.data_set", "-owner/name", "_o/n",
		"o/", "/n", "o//n", "o/n/m", "o/n\n", "ö/n", "o/ n", "0/-", "o.b/..", "a/b c"} {
		check(s)
	}
	alphabet := []byte("aZ09_.-/ \n\xc3")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		b := make([]byte, rng.IntN(10))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(b))
	}
}
