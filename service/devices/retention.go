package devices

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/devices/internal/queries"
)

// Retention is how long the event log and the exactly-once claims are kept.
//
// iot_events is partitioned by UTC month of processed_at; a month is dropped whole once
// all of it is older than Months full months before the current one. iot_event_claims
// (one row per claimed (device, event id), unpartitioned so that its primary key can be
// the de-duplication key) keeps claims for DedupWindow: a device that retries a message
// later than that is processed again. The window must stay longer than any device
// retries (docs/mqtt.md).
type Retention struct {
	Months      int           // event log months kept besides the current one (default 13)
	DedupWindow time.Duration // how long a claim is kept (default 7 days)
	Ahead       int           // months of partitions created ahead of the current one (default 3)
}

// DefaultRetention is 13 months of events, 7 days of claims, 3 months created ahead.
func DefaultRetention() Retention {
	return Retention{Months: 13, DedupWindow: 7 * 24 * time.Hour, Ahead: 3}
}

// RotateReport is what one RotateEvents run did.
type RotateReport struct {
	Created       []string // partitions created (or already there)
	Dropped       []string // partitions dropped
	DefaultPurged int64    // old rows deleted from the default partition
	ClaimsPurged  int64    // claims past the de-duplication window deleted
}

// claimPurgeBatch is how many claims one DELETE removes (short transactions, no long
// lock on the ingest path's table).
const claimPurgeBatch = 10_000

// RotateEvents keeps iot_events' partitions and iot_event_claims in shape at now:
// it creates the partitions of the current month and r.Ahead months after it, drops
// the months past r.Months, deletes old rows that landed in the default partition and
// deletes claims older than r.DedupWindow in batches. Every step is idempotent, so a
// rerun (after a crash or on another replica) does only what is left.
func (s *Service) RotateEvents(ctx context.Context, now time.Time, r Retention) (RotateReport, error) {
	var rep RotateReport
	if r.Months < 1 || r.DedupWindow <= 0 || r.Ahead < 0 {
		return rep, fmt.Errorf("rotate events: bad retention %+v", r)
	}
	existing, err := queries.New(s.db.Pool).EventPartitions(ctx)
	if err != nil {
		return rep, fmt.Errorf("list event partitions: %w", err)
	}
	plan := planPartitions(now, existing, r)
	for _, m := range plan.Create {
		if err := s.eventPartitionDDL(ctx, partitionName(m), m, true); err != nil {
			return rep, fmt.Errorf("create partition %s: %w", partitionName(m), err)
		}
		rep.Created = append(rep.Created, partitionName(m))
	}
	for _, name := range plan.Drop {
		if err := s.eventPartitionDDL(ctx, name, time.Time{}, false); err != nil {
			return rep, fmt.Errorf("drop partition %s: %w", name, err)
		}
		rep.Dropped = append(rep.Dropped, name)
	}
	q := queries.New(s.db.Pool)
	if rep.DefaultPurged, err = q.DeleteOldDefaultEvents(ctx, plan.Cutoff); err != nil {
		return rep, fmt.Errorf("purge old events: %w", err)
	}
	claimCutoff := now.Add(-r.DedupWindow)
	for {
		n, err := q.PurgeEventClaims(ctx, claimCutoff, claimPurgeBatch)
		rep.ClaimsPurged += n
		if err != nil {
			return rep, fmt.Errorf("purge claims: %w", err)
		}
		if n < claimPurgeBatch {
			return rep, nil
		}
	}
}

// eventPartitionDDL creates (create) the partition name for the month from, or drops it.
func (s *Service) eventPartitionDDL(ctx context.Context, name string, from time.Time, create bool) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		p := queries.SetEventPartitionParams{Name: name}
		if create {
			p.FromAt, p.ToAt = from.Format(time.RFC3339), from.AddDate(0, 1, 0).Format(time.RFC3339)
		}
		if err := q.SetEventPartition(ctx, p); err != nil {
			return err
		}
		if create {
			return q.CreateEventPartition(ctx)
		}
		return q.DropEventPartition(ctx)
	})
}

// partitionPlan is what RotateEvents does: the months to create (first days, UTC), the
// partitions to drop, and the cutoff before which no event is kept.
type partitionPlan struct {
	Create []time.Time
	Drop   []string
	Cutoff time.Time
}

// planPartitions decides, from the partitions that exist, which months to create and
// which to drop at now. The months are UTC months (the bounds the migration used);
// the current month and the r.Months before it are kept, so an event is kept at least
// r.Months months and less than r.Months+1. Names that do not parse are left alone.
func planPartitions(now time.Time, existing []string, r Retention) partitionPlan {
	now = now.UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	p := partitionPlan{Cutoff: month.AddDate(0, -r.Months, 0)}
	for i := 0; i <= r.Ahead; i++ {
		p.Create = append(p.Create, month.AddDate(0, i, 0))
	}
	for _, name := range existing {
		m, ok := partitionMonth(name)
		if ok && m.AddDate(0, 1, 0).Compare(p.Cutoff) <= 0 {
			p.Drop = append(p.Drop, name)
		}
	}
	return p
}

// partitionName is iot_events_YYYYMM for the month starting at m.
func partitionName(m time.Time) string { return "iot_events_" + m.UTC().Format("200601") }

// partitionMonth parses iot_events_YYYYMM into the first day of its month.
func partitionMonth(name string) (time.Time, bool) {
	suffix, ok := strings.CutPrefix(name, "iot_events_")
	if !ok || len(suffix) != 6 {
		return time.Time{}, false
	}
	m, err := time.Parse("200601", suffix)
	return m, err == nil
}
