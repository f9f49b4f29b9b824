package main

/*
#include "shim.h"
*/
import "C"

import (
	"context"

	"github.com/pgml-go/pgml/lifecycle"
	"github.com/pgml-go/pgml/modelcache"
)

// pgmlGoNativize is pgml.nativize(model_id) (lifecycle/nativize.go): out.text[0] is the
// model's native_inference status; out.flag says a native form was stored, so that C tells
// every backend to drop the model it loaded through its runtime.
//
//export pgmlGoNativize
func pgmlGoNativize(modelID C.int64_t, out *C.PgmlResultRow, st *C.PgmlStatus) {
	guard(st, func() error {
		sess := newSession()
		var result *lifecycle.NativizeResult
		err := sess.WithInterrupts(func(ctx context.Context) error {
			var err error
			result, err = sess.Nativize(ctx, int64(modelID))
			return err
		})
		lifecycle.ReleaseMemory()
		if err != nil {
			return err
		}
		setResultText(out, 0, result.Status)
		out.flag = C.bool(result.Stored)
		return nil
	})
}

// pgmlGoForgetInterpretedModels drops the cached models that predict through the python
// interpreter: one of them may have been given a native form (pgml.nativize in any backend
// sends a relcache invalidation of pgml.files, shim_model_cache.c). Their next use loads them
// again, natively if they have their native form now.
//
//export pgmlGoForgetInterpretedModels
func pgmlGoForgetInterpretedModels() {
	defer func() { _ = recover() }()
	models.DropWhere(func(d modelcache.Description) bool { return d.Runtime == "python" })
	afterCacheChange()
}
