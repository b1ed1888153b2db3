package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/atrium-mall/atrium/storage/internal/queries"
)

// Reads off the primary (issue 16, point 4). Reports and exports read a lot and can
// live with data a moment old, so they may be served by a streaming replica: the DB
// gains a second pool (Read) on ATRIUM_DATABASE_READ_URL. A context marked with
// PreferReplica asks for it; a context's list functions take their querier from
// Reader(ctx), which is the replica for a marked context when one is configured and
// the primary otherwise (no replica configured, or an ordinary request). Writes and
// authorization reads always use Pool.

// OpenRead opens the read pool on url (a streaming replica of the primary).
func (db *DB) OpenRead(ctx context.Context, url string, opts ...Option) error {
	pool, err := openPool(ctx, url, opts...)
	if err != nil {
		return err
	}
	db.Read = pool
	return nil
}

type replicaKey struct{}

// PreferReplica marks ctx: reads made with it may be served by the read replica.
func PreferReplica(ctx context.Context) context.Context {
	return context.WithValue(ctx, replicaKey{}, true)
}

// PrefersReplica reports whether ctx was marked by PreferReplica.
func PrefersReplica(ctx context.Context) bool {
	v, _ := ctx.Value(replicaKey{}).(bool)
	return v
}

// Reader is the querier for a read made with ctx: the read pool when ctx prefers the
// replica and one is open, else the primary.
func (db *DB) Reader(ctx context.Context) Querier {
	if db.Read != nil && PrefersReplica(ctx) {
		return db.Read
	}
	return db.Pool
}

// ReadSource says where reads marked PreferReplica go and how far behind that is.
type ReadSource struct {
	Replica bool           // served by the read replica (false: the primary)
	Lag     *time.Duration // the replica's replay lag (nil on the primary)
}

// ReadLag reports where a marked read goes and, on a replica, its lag: zero when it
// has replayed all it has received, else the age of the last transaction it replayed
// (pg_last_xact_replay_timestamp).
func (db *DB) ReadLag(ctx context.Context) (ReadSource, error) {
	if db.Read == nil {
		return ReadSource{}, nil
	}
	r, err := queries.New(db.Read).ReplicaLag(ctx)
	if err != nil {
		return ReadSource{}, fmt.Errorf("replica lag: %w", err)
	}
	out := ReadSource{Replica: r.Recovery}
	if r.Recovery && r.LagMs >= 0 {
		d := time.Duration(r.LagMs * float64(time.Millisecond))
		out.Lag = &d
	}
	return out, nil
}

// WaitReplayed waits (bounded by ctx) until the read replica has replayed the WAL the
// primary has written until now, so that a read through Read sees every write
// committed before the call. Without a read pool it returns at once. A lag of zero
// (ReadLag) is not this: it says only that the replica replayed all it had received.
func (db *DB) WaitReplayed(ctx context.Context) error {
	if db.Read == nil {
		return nil
	}
	lsn, err := queries.New(db.Pool).WALPosition(ctx)
	if err != nil {
		return fmt.Errorf("primary's WAL position: %w", err)
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		done, err := queries.New(db.Read).ReplayedTo(ctx, lsn)
		if err != nil {
			return fmt.Errorf("replica's replay position: %w", err)
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the replica has not replayed the WAL up to %s: %w", lsn, ctx.Err())
		case <-tick.C:
		}
	}
}
