package svm

// Name is the registry name of both estimators, as in PostgresML.
const Name = "svm"
