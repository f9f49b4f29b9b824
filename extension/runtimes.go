package main

/*
#include "shim.h"
*/
import "C"

import (
	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/runtimes"
)

// registeredRuntimes are the runtimes a training may use, in order of preference: without a
// runtime argument, the native ones win when they have the algorithm.
var registeredRuntimes = lifecycle.NewRuntimes(runtimes.Native{}, runtimes.XGBoost{}, runtimes.Python{Threads: pythonThreads})

// pythonThreads reads pgml.python_threads.
func pythonThreads() int {
	return int(C.pgml_python_threads())
}
