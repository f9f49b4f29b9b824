package lifecycle

import (
	"context"
	"strings"

	"github.com/pgml-go/pgml/algorithms/faults"
)

// snapshotAndRead records a snapshot (or reuses the project's last one) and reads its rows.
// reused is the project's last snapshot when no relation is given.
func (sess *Session) snapshotAndRead(ctx context.Context, proj *project, req *TrainRequest, reused *snapshot, admit *trainingAdmission) (*snapshot, *trainingData, error) {
	if err := sess.enter(phaseSnapshot); err != nil {
		return nil, nil, err
	}
	var snap *snapshot
	var rel *relation
	var err error
	if req.RelationGiven {
		if len(req.YColumns) == 0 && proj.task.Supervised() {
			return nil, nil, Errorf(StateInvalidParameter, "You must pass a `y_column_name` when you pass a `relation_name` for a supervised task.")
		}
		if rel, err = sess.resolveRelation(req.RelationName); err != nil {
			return nil, nil, err
		}
		if err := sess.checkReadable(rel, ""); err != nil {
			return nil, nil, err
		}
		snap = &snapshot{relationName: req.RelationName, yColumns: req.YColumns, testSize: req.TestSize, testSampling: req.TestSampling, materialized: req.MaterializeSnapshot}
		if err := validateSplitArgs(snap); err != nil {
			return nil, nil, err
		}
		if err := sess.insertSnapshot(snap, "in_progress"); err != nil {
			return nil, nil, err
		}
	} else {
		snap = reused
		if len(req.YColumns) > 0 && strings.Join(req.YColumns, "\x00") != strings.Join(snap.yColumns, "\x00") {
			if err := sess.notice("y_column_name is ignored without relation_name: the project's last snapshot (%s, labels %s) is reused",
				snap.relationName, strings.Join(snap.yColumns, ", ")); err != nil {
				return nil, nil, err
			}
		}
		if rel, err = sess.snapshotRelation(snap); err != nil {
			return nil, nil, err
		}
	}
	features, labels, err := rel.splitColumns(snap.yColumns)
	if err != nil {
		return nil, nil, err
	}
	source := rel.qualifiedName()
	if req.RelationGiven && snap.materialized {
		if err := sess.materialize(snap, source, append(features, labels...)); err != nil {
			return nil, nil, err
		}
		source = snap.tableName()
	}
	if err := sess.enter(phaseReading); err != nil {
		return nil, nil, err
	}
	if err := sess.stallIfInjected(faults.StallReading); err != nil {
		return nil, nil, err
	}
	data, err := sess.readTrainingData(ctx, source, features, labels, admit.reading(len(labels)))
	if err != nil {
		return nil, nil, err
	}
	if data.x.Rows == 0 {
		return nil, nil, Errorf(StateNoData, "Relation `%s` contains no rows. Did you pass the correct `relation_name`?", snap.relationName)
	}
	return snap, data, nil
}

// snapshotRelation resolves the relation a recorded snapshot reads (its materialized copy,
// or its source relation) and checks that the caller may read it.
func (sess *Session) snapshotRelation(snap *snapshot) (*relation, error) {
	name := snap.relationName
	if snap.materialized {
		name = snap.tableName()
	}
	rel, err := sess.resolveRelation(name)
	if err != nil {
		return nil, err
	}
	hint := ""
	if snap.materialized {
		hint = "The project's last snapshot is a copy that another role materialized: GRANT SELECT ON " + snap.tableName() +
			" to this role, or pass relation_name to train on a relation it may read."
	}
	if err := sess.checkReadable(rel, hint); err != nil {
		return nil, err
	}
	return rel, nil
}
