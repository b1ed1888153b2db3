package redemption

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
)

// OfflineScan is one redemption a staff device made without a network. ScanNonce is
// the device's unique id of the scan: uploading the same scan again counts once.
type OfflineScan struct {
	ScanNonce string
	DeviceID  string
	Code      string // token or numeric code as scanned
	ScannedAt time.Time
}

// UploadResult says what became of an upload.
type UploadResult struct {
	Redeemed   int
	Duplicates int
	Conflicts  []ScanOutcome // the code was already redeemed (online or by another offline scan)
	Rejected   []ScanOutcome // invalid, revoked, expired at scan time, out of scope
}

// ScanOutcome names a scan and why it did not redeem.
type ScanOutcome struct {
	ScanNonce string
	CodeID    uuid.UUID
	Code      string // error code, e.g. CODE_ALREADY_USED
}

// MaxOfflineScans is how many scans one upload carries; a device with more sends them
// in several uploads (each scan counts once, whatever the batching).
const MaxOfflineScans = 100

// UploadOfflineRedemptions records scans made offline by the staff viewer. Each is
// redeemed as of its scan time; a second redemption of one code is kept as a conflict
// for staff to resolve instead of being dropped.
func (s *Service) UploadOfflineRedemptions(ctx context.Context, scans []OfflineScan) (UploadResult, error) {
	var res UploadResult
	v, err := access.Staff(ctx)
	if err != nil {
		return res, err
	}
	if len(scans) > MaxOfflineScans {
		return res, errs.Invalid("input.scans", "at most %d scans per upload, got %d", MaxOfflineScans, len(scans))
	}
	for i, sc := range scans {
		if l := len(sc.ScanNonce); l < 8 || l > 64 {
			return res, errs.Invalid("input.scans."+strconv.Itoa(i)+".scanNonce", "scan nonce must have 8 to 64 characters")
		}
		if err := s.uploadOne(ctx, v, sc, &res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (s *Service) uploadOne(ctx context.Context, v *auth.Viewer, sc OfflineScan, res *UploadResult) error {
	c, err := s.lookup(ctx, s.db.Pool, sc.Code)
	merchantID := uuid.Nil
	if err == nil {
		merchantID, err = s.scope(ctx, v, c)
	}
	if e, ok := errs.As(err); ok && e.Kind == errs.KindUser {
		res.Rejected = append(res.Rejected, ScanOutcome{ScanNonce: sc.ScanNonce, CodeID: c.ID, Code: e.Code})
		return nil
	} else if err != nil {
		return err
	}
	at := sc.ScannedAt
	if now := s.now(); at.IsZero() || at.After(now) {
		at = now
	}
	var (
		r        Redemption
		redeemed bool
	)
	err = s.db.InTx(ctx, func(tx pgx.Tx) (err error) {
		r, redeemed, err = s.recordScanTx(ctx, tx, v, sc, c, merchantID, at, res)
		return err
	})
	if err == nil && redeemed {
		s.publish(ctx, eventOf("redeemed", r))
	}
	return err
}

// recordScanTx records scan sc of code c once (a scan nonce seen before counts as a
// duplicate) and redeems the code as of at; it reports whether the scan redeemed it.
func (s *Service) recordScanTx(ctx context.Context, tx pgx.Tx, v *auth.Viewer, sc OfflineScan, c Code, merchantID uuid.UUID,
	at time.Time, res *UploadResult) (Redemption, bool, error) {
	q := queries.New(tx)
	n, err := q.InsertOfflineScan(ctx, queries.InsertOfflineScanParams{ScanNonce: sc.ScanNonce, CodeID: c.ID,
		StaffID: v.ID, DeviceID: sc.DeviceID, ScannedAt: at})
	if err != nil || n == 0 {
		if err == nil {
			res.Duplicates++
		}
		return Redemption{}, false, err
	}
	r, err := s.redeemTx(ctx, tx, c, v.ID, merchantID, at, true)
	result, detail, err := tally(sc, c, err, res)
	if err != nil {
		return r, false, err
	}
	return r, result == ScanRedeemed, q.SetOfflineScanOutcome(ctx, queries.SetOfflineScanOutcomeParams{
		ScanNonce: sc.ScanNonce, Outcome: string(result), Detail: detail})
}

// tally counts the outcome of redeeming scan sc of code c (err: redeemTx's error) in
// res and returns its result and error code; an error that is not a business outcome
// is returned as is.
func tally(sc OfflineScan, c Code, err error, res *UploadResult) (ScanResult, string, error) {
	e, ok := errs.As(err)
	switch {
	case err == nil:
		res.Redeemed++
		return ScanRedeemed, "", nil
	case errors.Is(err, ErrCodeUsed):
		res.Conflicts = append(res.Conflicts, ScanOutcome{ScanNonce: sc.ScanNonce, CodeID: c.ID, Code: e.Code})
		return ScanConflict, e.Code, nil
	case ok && e.Kind == errs.KindUser:
		res.Rejected = append(res.Rejected, ScanOutcome{ScanNonce: sc.ScanNonce, CodeID: c.ID, Code: e.Code})
		return ScanRejected, e.Code, nil
	}
	return "", "", err
}

// CodeChange is a code whose status changed: offline devices treat redeemed and revoked
// codes as unusable, and a code back to issued (voided) as usable again. Devices match
// changes to scanned tokens by code id; numeric codes are not listed.
type CodeChange struct {
	CodeID uuid.UUID
	Status string // a CodeStatus, as devices read it
	Seq    int64
}

// ChangesSince lists status changes of a mall's codes after cursor (0 for all), oldest
// first, at most limit; pass the last Seq as the next cursor. For the mall's staff and
// the staff of its merchants.
//
// Sequence numbers are given after commit (see sequenceChanges), in the order changes
// became visible, so a cursor never passes a change that was still being written: a
// device that always passes its last Seq misses nothing. A code changed again gets a
// new, higher Seq and is listed again with its latest status.
func (s *Service) ChangesSince(ctx context.Context, mallID uuid.UUID, cursor int64, limit int) ([]CodeChange, error) {
	if err := s.CanReadMall(ctx, mallID); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	if err := s.sequenceChanges(ctx); err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).CodeChanges(ctx, queries.CodeChangesParams{Cursor: cursor, MallID: mallID,
		MaxRows: int32(limit)})
	if err != nil {
		return nil, err
	}
	out := make([]CodeChange, len(rows))
	for i, r := range rows {
		out[i] = CodeChange{CodeID: r.ID, Status: r.Status, Seq: r.ChangeSeq}
	}
	return out, nil
}

// changeSequencerLock is the advisory lock that makes numbering changes serial.
const changeSequencerLock = 0x61747269756d01 // "atrium" + 1

// sequenceChanges numbers the committed, not yet numbered changes (change_seq = -1).
// One numbering runs at a time (an advisory lock; a caller that finds one running
// skips: what it would number shows up at the next read), and it skips codes that a
// running transaction is changing again, so it never waits and never deadlocks. Every
// number it gives is therefore above every number given and visible before it.
func (s *Service) sequenceChanges(ctx context.Context) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		if locked, err := q.TryChangeSequencerLock(ctx, changeSequencerLock); err != nil || !locked {
			return err
		}
		return q.SequenceChanges(ctx)
	})
}
