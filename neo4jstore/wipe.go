package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// wipeBatch deletes some nodes with their relations; repeated until it
// deletes none, it empties the database in transactions of bounded size.
const wipeBatch = `
MATCH (n) WITH n LIMIT 10000
DETACH DELETE n
RETURN count(*) AS deleted`

// Wipe deletes every node and relationship of the database, whoever wrote
// them; constraints and indexes stay. It is for benchmarks and tests that
// need an empty database (scripts/bench/loadbench), never for serving.
func Wipe(ctx context.Context, s *Store) error {
	for {
		sess := s.session(ctx, neo4j.AccessModeWrite)
		n, err := neo4j.ExecuteWrite(ctx, sess, func(tx neo4j.ManagedTransaction) (int64, error) {
			res, err := tx.Run(ctx, wipeBatch, nil)
			if err != nil {
				return 0, err
			}
			rec, err := res.Single(ctx)
			if err != nil {
				return 0, err
			}
			n, _, err := neo4j.GetRecordValue[int64](rec, "deleted")
			return n, err
		})
		closeSession(ctx, sess)
		if err != nil {
			return classify(err)
		}
		if n == 0 {
			return nil
		}
	}
}
