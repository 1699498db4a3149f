package schema

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// The rewrite keeps gqlgen's arguments, so marshalList must keep
// MarshalSliceConcurrently's signature: this fails to compile when a gqlgen
// upgrade changes it.
var _ = []func(context.Context, int, int64, bool, func(context.Context, int) graphql.Marshaler) graphql.Array{
	graphql.MarshalSliceConcurrently, marshalList,
}

// marshalList marshals a list's elements: on the calling goroutine when
// the request reads an in-process store, as gqlgen's
// graphql.MarshalSliceConcurrently otherwise. That one starts a goroutine
// per element so that the elements' entity reads can join one batch (see
// WithLoaders), which only a store with a round trip needs; in process, the
// goroutines, their stacks and their scheduling were a third of the cost
// of a request for a ranking of 20. The generated code calls it in place
// of graphql.MarshalSliceConcurrently (schema/internal/inlinelists), with
// the same arguments and the same answers: an element whose marshalling
// panics is Null and reports the panic as an error.
func marshalList(ctx context.Context, length int, workerLimit int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	if _, batched := ctx.Value(loaderKey{}).(*entityLoader); batched {
		return graphql.MarshalSliceConcurrently(ctx, length, workerLimit, omitPanicHandler, marshalElement)
	}
	ret := make(graphql.Array, length)
	for i := range length {
		fc := &graphql.FieldContext{Index: &i}
		ctx := graphql.WithFieldContext(ctx, fc)
		func() {
			if !omitPanicHandler {
				defer func() {
					if r := recover(); r != nil {
						graphql.AddError(ctx, graphql.Recover(ctx, r))
						ret[i] = graphql.Null
					}
				}()
			}
			ret[i] = marshalElement(ctx, i)
		}()
	}
	return ret
}
