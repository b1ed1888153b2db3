package memberfees

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
	"github.com/atrium-mall/atrium/service/memberfees/internal/queries"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// RunResult is what a fee run did.
type RunResult struct {
	Charged   int // annual fees charged
	Penalties int // penalty postings
	Reminders int // reminders enqueued (before due and overdue)
}

const runBatch = 200

// RunFees charges the annual fees due (each card, kind and fee year once: a rerun
// charges nothing more), announces the next fee year RemindDays ahead, and for open
// fees past their due date raises the late penalty to what the policy says today (one
// posting a day at most) and reminds the payer once it is overdue. Reminders go through
// the notify outbox (bill_due, bill_overdue to the member: money messages), each once
// by its dedupe key. One transaction per card and per overdue fee. Run by the
// memberfees_run job (hourly).
func (s *Service) RunFees(ctx context.Context) (RunResult, error) {
	var res RunResult
	places := map[uuid.UUID]org.Place{}
	after := uuid.Nil
	for {
		cards, err := members.FeeCards(ctx, s.db.Pool, after, runBatch)
		if err != nil {
			return res, err
		}
		for _, c := range cards {
			if c.HomeMallID == nil {
				continue
			}
			if err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error { return s.annualTx(ctx, tx, c, places, &res) }); err != nil {
				return res, fmt.Errorf("annual fees of card %s: %w", c.ID, err)
			}
		}
		if len(cards) < runBatch {
			break
		}
		after = cards[len(cards)-1].ID
	}
	after = uuid.Nil
	before := feerules.Date(s.now()).AddDate(0, 0, 1)
	for {
		fees, err := queries.New(s.db.Pool).OverdueFees(ctx, queries.OverdueFeesParams{Before: before, After: after, Lim: runBatch})
		if err != nil {
			return res, err
		}
		for _, f := range fees {
			if err := s.db.InTxRetry(ctx, func(tx pgx.Tx) error { return s.overdueTx(ctx, tx, f.ID, places, &res) }); err != nil {
				return res, fmt.Errorf("overdue fee %s: %w", f.ID, err)
			}
		}
		if len(fees) < runBatch {
			break
		}
		after = fees[len(fees)-1].ID
	}
	return res, nil
}

func (s *Service) placeOf(ctx context.Context, q storage.Querier, mall uuid.UUID, cache map[uuid.UUID]org.Place) (org.Place, error) {
	if p, ok := cache[mall]; ok {
		return p, nil
	}
	p, err := s.org.MallPlace(ctx, q, mall)
	if err == nil {
		cache[mall] = p
	}
	return p, err
}

// annualTx charges a card's fee years due by today and announces the next.
func (s *Service) annualTx(ctx context.Context, tx pgx.Tx, fc members.FeeCard, places map[uuid.UUID]org.Place, res *RunResult) error {
	p, err := s.placeOf(ctx, tx, *fc.HomeMallID, places)
	if err != nil {
		return err
	}
	pol, err := policyOf(ctx, tx, fc.GroupID)
	if err != nil {
		return err
	}
	zone, today := s.zoneOf(p), s.today(p)
	issued := feerules.Date(fc.IssuedAt.In(zone))
	var expires *time.Time
	if fc.ExpiresAt != nil {
		e := feerules.Date(fc.ExpiresAt.In(zone))
		expires = &e
	}
	card, err := members.CardOf(ctx, tx, fc.ID)
	if err != nil {
		return err
	}
	kind := feerules.Annual
	if fc.PrimaryCardID != nil {
		kind = feerules.SupplementaryAnnual
	}
	for _, start := range feerules.AnnualPeriods(issued, expires, today) {
		_, charged, err := s.chargeTx(ctx, tx, card, p.MallID, kind, start.Format(time.DateOnly), fc.AnnualFee,
			start.AddDate(0, 0, pol.PaymentDays), nil)
		if err != nil {
			return err
		}
		if charged {
			res.Charged++
		}
	}
	next, ok := feerules.NextPeriod(issued, expires, today)
	if !ok || next.After(today.AddDate(0, 0, pol.RemindDays)) {
		return nil
	}
	sent, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: fc.GroupID, MallID: p.MallID, Kind: notify.BillDue,
		RecipientKind: notify.ToMember, RecipientID: fc.MemberID, At: s.now(),
		DedupeKey: "memberfees:upcoming:" + fc.ID.String() + ":" + next.Format(time.DateOnly),
		Payload: map[string]string{"title": "会员卡年费提醒 Card annual fee",
			"body": fmt.Sprintf("您的会员卡年费 ¥%s 将于 %s 到期。Your card's annual fee of ¥%s is due on %s.",
				fc.AnnualFee.StringFixed(2), next.Format(time.DateOnly), fc.AnnualFee.StringFixed(2), next.Format(time.DateOnly))}})
	if sent {
		res.Reminders++
	}
	return err
}

// overdueTx raises an open fee's late penalty to today's and reminds once it is late.
func (s *Service) overdueTx(ctx context.Context, tx pgx.Tx, id uuid.UUID, places map[uuid.UUID]org.Place, res *RunResult) error {
	q := queries.New(tx)
	r, err := q.FeeForUpdate(ctx, id)
	if err != nil {
		return err
	}
	f := toFee(r)
	p, err := s.placeOf(ctx, tx, f.MallID, places)
	if err != nil {
		return err
	}
	today := s.today(p)
	if f.Status != "open" || !today.After(f.DueOn) {
		return nil
	}
	sent, err := notify.EnqueueTx(ctx, tx, notify.Event{GroupID: f.GroupID, MallID: f.MallID, Kind: notify.BillOverdue,
		RecipientKind: notify.ToMember, RecipientID: f.MemberID, At: s.now(),
		DedupeKey: "memberfees:overdue:" + f.ID.String(),
		Payload: map[string]string{"title": "会员费逾期 Member fee overdue",
			"body": fmt.Sprintf("您的会员费 ¥%s 已逾期（到期日 %s），请尽快缴纳。Your member fee of ¥%s was due on %s.",
				f.Outstanding().StringFixed(2), f.DueOn.Format(time.DateOnly), f.Outstanding().StringFixed(2),
				f.DueOn.Format(time.DateOnly))}})
	if err != nil {
		return err
	}
	if sent {
		res.Reminders++
	}
	pol, err := policyOf(ctx, tx, f.GroupID)
	if err != nil {
		return err
	}
	want := feerules.Penalty(pol, f.Outstanding(), f.DueOn, today)
	if !want.IsPositive() {
		return nil
	}
	pen, err := q.PenaltyOfForUpdate(ctx, f.GroupID, &f.ID)
	exists := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	delta := want.Sub(pen.Amount)
	if !exists {
		delta = want
	}
	if !delta.IsPositive() {
		return nil
	}
	period := f.Kind + ":" + f.Period
	if !exists {
		pid := service.NewID()
		if _, err := q.InsertFee(ctx, queries.InsertFeeParams{ID: pid, GroupID: f.GroupID, MallID: f.MallID, CardID: f.CardID,
			MemberID: f.MemberID, PayerID: f.PayerID, Kind: feerules.LatePenalty, Period: period, Amount: decimal.Zero,
			DueOn: today, PenaltyOf: &f.ID, CreatedAt: s.now()}); err != nil {
			return fmt.Errorf("insert penalty: %w", err)
		}
		if pen, err = q.FeeForUpdate(ctx, pid); err != nil {
			return err
		}
	}
	key := FeeKey(f.CardID, feerules.LatePenalty, period) + ":" + today.Format(time.DateOnly)
	if err := s.post(ctx, tx, f.GroupID, pen.ID, f.PayerID, "charge", nil, delta, key, nil, nil, PostingFee,
		[]ledger.Leg{{Account: dueAccount(f.PayerID), Amount: delta.Neg()},
			{Account: mallAccount(KindFeeRevenue, f.MallID), Amount: delta}}); err != nil {
		return err
	}
	pf := toFee(pen)
	pf.Amount = pf.Amount.Add(delta)
	_, err = settle(ctx, tx, pf)
	res.Penalties++
	return err
}
