package redemption

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Redemption is one redemption of a code.
type Redemption struct {
	ID         uuid.UUID
	CodeID     uuid.UUID
	Kind       Kind
	SubjectID  uuid.UUID
	MemberID   uuid.UUID
	MerchantID uuid.UUID // uuid.Nil when redeemed by mall-level staff
	StaffID    uuid.UUID
	RedeemedAt time.Time
	Offline    bool
	VoidedAt   *time.Time
	VoidReason string
}

// Redeem redeems a scanned token or a typed numeric code for the staff viewer, exactly
// once: concurrent scans race on a conditional UPDATE … WHERE status = 'issued', and only
// one wins. A repeat with the same idempotency key (per staff account) returns the
// first result.
func (s *Service) Redeem(ctx context.Context, code, idempotencyKey string) (Redemption, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return Redemption{}, err
	}
	c, err := s.lookup(ctx, s.db.Pool, code)
	if err != nil {
		return Redemption{}, err
	}
	merchantID, mall, err := s.scopeAt(ctx, v, c)
	if err != nil {
		return Redemption{}, err
	}
	out, replayed, err := once.Do(ctx, s.db, once.Op[Redemption]{Name: "redemption.redeem", Key: idempotencyKey,
		Args: c.ID, Run: func(ctx context.Context, tx pgx.Tx) (Redemption, error) {
			return s.redeemNowTx(ctx, tx, c, mall, v.ID, merchantID, s.now())
		}})
	if err != nil {
		return Redemption{}, err
	}
	if !replayed {
		s.publish(ctx, eventOf("redeemed", out))
	}
	return out, nil
}

// redeemTx redeems code c at time at; it leaves tx usable when it returns a business error.
// The conditional UPDATE (issued → redeemed) decides; the code's status is read only
// when it did not move (or the code is outside its validity), to say why.
func (s *Service) redeemTx(ctx context.Context, tx pgx.Tx, c Code, staffID, merchantID uuid.UUID, at time.Time, offline bool) (Redemption, error) {
	q := queries.New(tx)
	moved := false
	if usable(CodeIssued, c, at) == nil { // within its validity: try to move it
		var err error
		if moved, err = moveCode(ctx, tx, c.ID, CodeRedeem, CodeIssued); err != nil {
			return Redemption{}, err
		}
	}
	if !moved {
		status, err := q.CodeStatus(ctx, c.ID)
		if err != nil {
			return Redemption{}, storage.MapError(err)
		}
		if err := usable(CodeStatus(status), c, at); err != nil {
			return Redemption{}, err
		}
		return Redemption{}, ErrCodeUsed
	}
	r := Redemption{ID: service.NewID(), CodeID: c.ID, Kind: c.Kind, SubjectID: c.SubjectID, MemberID: c.MemberID,
		MerchantID: merchantID, StaffID: staffID, RedeemedAt: at, Offline: offline}
	err := q.InsertRedemption(ctx, queries.InsertRedemptionParams{ID: r.ID, CodeID: r.CodeID, StaffID: nilIfZero(staffID),
		MerchantID: nilIfZero(merchantID), RedeemedAt: at, Offline: offline})
	if err != nil {
		return r, err
	}
	if sub := s.subject(c.Kind); sub != nil {
		err = sub.RedeemTx(ctx, tx, c.SubjectID, at)
	}
	if err == nil {
		err = s.notifyRedeemedTx(ctx, tx, c, r)
	}
	return r, err
}

// redeemNowTx is redeemTx for a redemption whose transaction ends with it (Redeem; a
// business error rolls it back), in one round trip where redeemTx takes four: the
// conditional UPDATE, the redemption row, the member's notification and the stored
// response go in one batch. When the UPDATE moved nothing, the rows queued after it are
// rolled back with the transaction; the code's live redemption refusing ours says it
// was redeemed, else its status is read to say why. mall is the code's mall (read for
// the scope check; its group never changes).
func (s *Service) redeemNowTx(ctx context.Context, tx pgx.Tx, c Code, mall org.Place, staffID, merchantID uuid.UUID,
	at time.Time) (Redemption, error) {
	if usable(CodeIssued, c, at) != nil { // outside its validity: redeemTx says why
		return s.redeemTx(ctx, tx, c, staffID, merchantID, at, false)
	}
	to, err := codeStates.Next(CodeRedeem, CodeIssued)
	if err != nil {
		return Redemption{}, err
	}
	r := Redemption{ID: service.NewID(), CodeID: c.ID, Kind: c.Kind, SubjectID: c.SubjectID, MemberID: c.MemberID,
		MerchantID: merchantID, StaffID: staffID, RedeemedAt: at}
	var b storage.Batch
	moved := false
	b.Queue(func(q storage.Querier) {
		_, _ = queries.New(q).MoveCode(ctx, queries.MoveCodeParams{Status: string(to), ID: c.ID,
			FromStatuses: []string{string(CodeIssued)}})
	}).Exec(func(tag pgconn.CommandTag) error {
		moved = tag.RowsAffected() > 0
		return nil
	})
	b.Queue(func(q storage.Querier) {
		_ = queries.New(q).InsertRedemption(ctx, queries.InsertRedemptionParams{ID: r.ID, CodeID: r.CodeID,
			StaffID: nilIfZero(staffID), MerchantID: nilIfZero(merchantID), RedeemedAt: at})
	})
	sub := s.subject(c.Kind)
	if err := s.queueRedeemed(ctx, &b, c, r, mall); err != nil {
		return r, err
	}
	if sub == nil {
		if err := once.QueueResponse(ctx, &b, r); err != nil {
			return r, err
		}
	}
	err = b.Send(ctx, tx)
	switch {
	case !moved && errors.Is(storage.MapError(err), storage.ErrConflict):
		return Redemption{}, ErrCodeUsed // its live redemption refused ours: the code is redeemed
	case !moved && err == nil:
		return Redemption{}, whyNotMoved(ctx, tx, c, at)
	case err != nil:
		return r, err
	}
	if sub != nil {
		return r, sub.RedeemTx(ctx, tx, c.SubjectID, at)
	}
	return r, nil
}

// whyNotMoved is the error of a code that did not move from issued: its status is not
// redeemable, or it was used.
func whyNotMoved(ctx context.Context, tx pgx.Tx, c Code, at time.Time) error {
	status, err := queries.New(tx).CodeStatus(ctx, c.ID)
	if err != nil {
		return storage.MapError(err)
	}
	if err := usable(CodeStatus(status), c, at); err != nil {
		return err
	}
	return ErrCodeUsed
}

// queueRedeemed is notifyRedeemedTx queued in b, the code's mall already read.
func (s *Service) queueRedeemed(ctx context.Context, b *storage.Batch, c Code, r Redemption, mall org.Place) error {
	if c.MemberID == uuid.Nil || c.MallID == uuid.Nil {
		return nil
	}
	return notify.QueueTx(ctx, b, redeemedEvent(c, r, mall))
}

// notifyRedeemedTx tells the member their code was used (redemption_done), through the
// notify outbox in the redemption's transaction.
func (s *Service) notifyRedeemedTx(ctx context.Context, tx pgx.Tx, c Code, r Redemption) error {
	if c.MemberID == uuid.Nil || c.MallID == uuid.Nil {
		return nil
	}
	p, err := s.org.MallPlace(ctx, tx, c.MallID)
	if err != nil {
		return err
	}
	_, err = notify.EnqueueTx(ctx, tx, redeemedEvent(c, r, p))
	return err
}

// redeemedEvent is the notification of r to the code's member (mall: the code's mall).
func redeemedEvent(c Code, r Redemption, mall org.Place) notify.Event {
	return notify.Event{GroupID: mall.GroupID, MallID: c.MallID, Kind: notify.RedemptionDone,
		RecipientKind: notify.ToMember, RecipientID: c.MemberID, At: r.RedeemedAt,
		Payload:   map[string]string{"kind": string(c.Kind), "at": r.RedeemedAt.In(mall.Loc).Format("2006-01-02 15:04")},
		DedupeKey: "redeemed:" + r.ID.String()}
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}
