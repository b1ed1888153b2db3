package memberevents

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
)

// Scan is one scan of a member's code at an event's entrance, made online or by a
// device without a network and uploaded later. ScanID is the device's unique id of the
// scan: uploading the same scan again (or in two batches) counts once.
type Scan struct {
	ScanID    string
	DeviceID  string
	Code      string // the member code as scanned (members' signed code)
	ScannedAt time.Time
}

// MaxScans is how many scans one upload carries.
const MaxScans = 200

// ScanOutcome names a scan that did not check anyone in, and why.
type ScanOutcome struct {
	ScanID string
	Code   string // error code: MEMBER_CODE_INVALID, MEMBER_CODE_EXPIRED, NOT_SIGNED_UP, …
}

// CheckInResult says what became of an upload.
type CheckInResult struct {
	CheckedIn  int           // sign-ups checked in by this upload
	Already    int           // scans of members checked in before (another scan, another device)
	Duplicates int           // scans uploaded before (same scan id)
	Rejected   []ScanOutcome // scans that checked nobody in
}

// CheckIn records scans of member codes at an event by staff of its mall (ADMIN,
// MEMBER_OPS, SERVICE_DESK): each scan id once; a code must have been fresh when it was
// scanned (members.MemberIDFromCodeAt) and scanned from an hour before the event starts
// to its end; the member's confirmed sign-up becomes checked in and its deposit comes
// back. A scan's time in the future is taken as now.
func (s *Service) CheckIn(ctx context.Context, eventID uuid.UUID, scans []Scan) (CheckInResult, error) {
	var res CheckInResult
	e, err := loadEvent(ctx, s.db.Pool, eventID, false)
	if err != nil {
		return res, err
	}
	if _, err := s.org.AtMall(ctx, e.MallID, scanRoles...); err != nil {
		return res, err
	}
	if len(scans) == 0 || len(scans) > MaxScans {
		return res, errs.Invalid("input.scans", "1 to %d scans per upload, got %d", MaxScans, len(scans))
	}
	for i, sc := range scans {
		if l := len(sc.ScanID); l < 8 || l > 64 {
			return res, errs.Invalid("input.scans."+strconv.Itoa(i)+".scanId", "a scan id has 8 to 64 characters")
		}
	}
	v := auth.ViewerFrom(ctx)
	for _, sc := range scans {
		err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error { return s.checkInTx(ctx, tx, e, v.ID, sc, &res) })
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func (s *Service) checkInTx(ctx context.Context, tx pgx.Tx, e Event, staff uuid.UUID, sc Scan, res *CheckInResult) error {
	at := sc.ScannedAt
	if now := s.now(); at.IsZero() || at.After(now) {
		at = now
	}
	q := queries.New(tx)
	n, err := q.InsertScan(ctx, queries.InsertScanParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
		ScanID: sc.ScanID, StaffID: staff, DeviceID: sc.DeviceID, ScannedAt: at})
	if err != nil {
		return err
	}
	if n == 0 {
		res.Duplicates++
		return nil
	}
	member, outcome, err := s.checkInMemberTx(ctx, tx, e, sc.Code, at)
	if err != nil {
		return err
	}
	switch outcome {
	case "checked_in":
		res.CheckedIn++
	case "already":
		res.Already++
	default:
		res.Rejected = append(res.Rejected, ScanOutcome{ScanID: sc.ScanID, Code: outcome})
	}
	return q.SetScanOutcome(ctx, queries.SetScanOutcomeParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
		ScanID: sc.ScanID, Outcome: outcome, MemberID: member})
}

// checkInMemberTx checks in the member behind code, scanned at `at`; it returns the
// member (nil when the code is not valid) and the outcome: checked_in, already, or the
// error code of a business refusal.
func (s *Service) checkInMemberTx(ctx context.Context, tx pgx.Tx, e Event, code string, at time.Time) (*uuid.UUID, string, error) {
	memberID, err := s.members.MemberIDFromCodeAt(code, at)
	if e, ok := errs.As(err); ok && e.Kind == errs.KindUser {
		return nil, e.Code, nil
	} else if err != nil {
		return nil, "", err
	}
	if e.Status != "open" || at.Before(e.StartsAt.Add(-time.Hour)) || at.After(e.EndsAt) {
		return &memberID, "CHECKIN_CLOSED", nil
	}
	q := queries.New(tx)
	r, err := q.LockSignup(ctx, queries.LockSignupParams{GroupID: e.GroupID, MallID: e.MallID, EventID: e.ID,
		MemberID: memberID})
	if errors.Is(err, pgx.ErrNoRows) {
		return &memberID, ErrNotSignedUp.Code, nil
	} else if err != nil {
		return nil, "", err
	}
	if SignupStatus(r.Status) == SignupCheckedIn {
		return &memberID, "already", nil
	}
	to, err := signupMachine.Next(EvCheckIn, SignupStatus(r.Status))
	if err != nil {
		return &memberID, ErrSignupTransition.Code, nil
	}
	if err := q.SetSignupStatus(ctx, queries.SetSignupStatusParams{ID: r.ID, Status: string(to), CheckedInAt: &at,
		UpdatedAt: s.now()}); err != nil {
		return nil, "", err
	}
	return &memberID, "checked_in", s.moveDepositTx(ctx, tx, r, EvReturn)
}
