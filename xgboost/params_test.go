package xgboost

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// metricName replaces a regexp (params.go says why): it must accept exactly what the
// expression accepts, with the same name.
func TestMetricNameMatchesItsExpression(t *testing.T) {
	pattern := regexp.MustCompile(`^([a-z-]+)(@[0-9]{1,9}(\.[0-9]{1,9})?-?)?$`)
	check := func(s string) {
		t.Helper()
		name, ok := metricName(s)
		m := pattern.FindStringSubmatch(s)
		if ok != (m != nil) || ok && name != m[1] {
			t.Fatalf("metricName(%q) = %q, %v; the expression gives %q", s, name, ok, m)
		}
	}
	for _, s := range []string{"", "rmse", "ndcg@5", "ndcg@5-", "error@0.7", "map@123456789",
		"map@1234567890", "error@0.1234567890", "error@.5", "error@5.", "ndcg@-", "ndcg-", "@5",
		"ndcg@5--", "NDCG", "ndcg@5 ", " ndcg", "poisson-nloglik", "ndcg@5\n", "a@1.2-", "a@1.2.3"} {
		check(s)
	}
	alphabet := []byte("az-@09.Z \n")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := make([]byte, rng.IntN(14))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(b))
	}
}
