package harness

import "testing"

// A deploy committed by one session is used by every other session's next statement, even
// inside an open read-committed transaction that already predicted with the old model.
func TestDeployVisibleToOtherSessions(t *testing.T) {
	a, b := connect(t), connect(t)
	deploy(t, b, model1)

	t.Run("in a transaction", func(t *testing.T) {
		exec(t, a, "BEGIN ISOLATION LEVEL READ COMMITTED")
		defer exec(t, a, "ROLLBACK")
		expectServing(t, a, "A before B's deploy", model1) // fills A's model cache
		deploy(t, b, model2)
		expectServing(t, a, "A after B committed a deploy, same transaction", model2)
	})

	t.Run("autocommit", func(t *testing.T) {
		expectServing(t, a, "A before B's deploy", model2)
		deploy(t, b, model1)
		expectServing(t, a, "A after B committed a deploy", model1)
		deploy(t, b, model2)
		expectServing(t, a, "A after B deployed back", model2)
	})
}

// A rolled-back deploy is visible only inside its own transaction.
func TestRolledBackDeploy(t *testing.T) {
	a, b := connect(t), connect(t)
	deploy(t, b, model2)
	expectServing(t, a, "A before", model2)
	expectServing(t, b, "B before", model2) // both sessions have model 2 cached

	exec(t, b, "BEGIN")
	deploy(t, b, model1)
	expectServing(t, b, "B inside its transaction, after deploying model 1", model1)
	expectServing(t, a, "A while B's deploy is uncommitted", model2)
	exec(t, b, "ROLLBACK")

	expectServing(t, b, "B after ROLLBACK", model2)
	expectServing(t, a, "A after B's ROLLBACK", model2)
}
