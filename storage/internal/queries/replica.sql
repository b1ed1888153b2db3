-- name: ReplicaLag :one
-- On a standby: whether it is in recovery, and its replay lag in milliseconds (0 when it
-- has replayed all it received, else the age of the last transaction it replayed; -1
-- when unknown, as on a server that is not a standby).
SELECT pg_is_in_recovery()::boolean AS recovery,
    coalesce(CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
          ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000 END, -1)::float8 AS lag_ms;

-- name: WALPosition :one
-- On the primary: the position of the WAL it has written until now.
SELECT pg_current_wal_lsn()::text AS lsn;

-- name: ReplayedTo :one
-- On a standby: whether it has replayed the WAL up to lsn (false when not a standby).
SELECT coalesce(pg_last_wal_replay_lsn() >= sqlc.arg(lsn)::text::pg_lsn, false)::boolean AS replayed;
