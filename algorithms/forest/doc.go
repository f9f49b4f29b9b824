// Package forest implements pgml's "random_forest" and "extra_trees"
// algorithms: averaged ensembles of CART decision trees matching
// scikit-learn's RandomForest{Regressor,Classifier} and
// ExtraTrees{Regressor,Classifier}.
//
// Trees are grown depth first with exact splits: random forests sort each
// candidate feature within a node and evaluate every threshold between
// distinct values (sklearn's "best" splitter), extra trees draw one threshold
// per candidate feature uniformly between its minimum and maximum in the node
// (sklearn's "random" splitter). Regression minimises squared error summed
// over outputs, so one forest predicts several targets jointly; classification
// uses gini or entropy and predicts the label with the largest averaged
// probability.
//
// Trees are grown in parallel, each from its own random stream derived from
// random_state and the tree's index, so a forest does not depend on n_jobs.
// A fitted forest stores all trees in one flat array of nodes in preorder,
// which keeps prediction allocation free and lets the loader prove that every
// walk from a root ends at a leaf.
package forest
