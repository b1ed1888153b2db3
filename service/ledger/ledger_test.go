package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

func d(s string) decimal.Decimal                    { return decimal.RequireFromString(s) }
func keyed(prefix string) string                    { return prefix + ":" + service.NewID().String() }
func shanghai() *time.Location                      { loc, _ := time.LoadLocation("Asia/Shanghai"); return loc }
func day(y, m, dd int) time.Time                    { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, shanghai()) }
func endOf(t time.Time) time.Time                   { return t.AddDate(0, 0, 1) }
func ctxb() context.Context                         { return context.Background() }
func (b bundle) bal(card uuid.UUID) ledger.Balances { return must(b.l.CardBalances(ctxb(), card)) }

type bundle struct {
	t     *testing.T
	db    *storage.DB
	l     *ledger.Service
	clock *calendartest.Clock
	org   ledgertest.Org
}

func setup(t *testing.T) bundle {
	t.Parallel()
	db := storetest.DB(t)
	c := calendartest.NewClock(time.Date(2026, 3, 10, 12, 0, 0, 0, shanghai()))
	return bundle{t: t, db: db, l: ledger.New(ledger.Deps{DB: db, Now: c.Now}), clock: c, org: ledgertest.NewOrg(t, db)}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// card issues a card to a new member.
func (b bundle) card() uuid.UUID {
	id, _ := b.org.Card(b.t, b.db, b.org.Member(b.t, b.db))
	return id
}

// tx runs fn in a transaction with the cards locked.
func (b bundle) tx(fn func(tx pgx.Tx) error, cards ...uuid.UUID) error {
	return b.db.InTx(ctxb(), func(tx pgx.Tx) error {
		if _, err := b.l.LockCardsTx(ctxb(), tx, cards...); err != nil {
			return err
		}
		return fn(tx)
	})
}

func (b bundle) earn(card uuid.UUID, points string, availableAt, expiresAt time.Time) ledger.Earned {
	b.t.Helper()
	var out ledger.Earned
	err := b.tx(func(tx pgx.Tx) error {
		var err error
		out, err = b.l.EarnTx(ctxb(), tx, ledger.Earn{GroupID: b.org.GroupID, CardID: card, Points: d(points),
			From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: availableAt, ExpiresAt: expiresAt,
			Kind: "earn", Key: keyed("earn")})
		return err
	}, card)
	if err != nil {
		b.t.Fatalf("earn: %v", err)
	}
	return out
}

func (b bundle) spend(card uuid.UUID, points string) ([]ledger.Piece, error) {
	var pieces []ledger.Piece
	err := b.tx(func(tx pgx.Tx) error {
		var err error
		_, pieces, err = b.l.SpendTx(ctxb(), tx, ledger.Posting{GroupID: b.org.GroupID, Kind: "spend", Key: keyed("spend"),
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: d(points)}}}, card, d(points))
		return err
	}, card)
	return pieces, err
}

func (b bundle) recharge(card uuid.UUID, amount string) error {
	return b.tx(func(tx pgx.Tx) error {
		_, err := b.l.PostTx(ctxb(), tx, ledger.Posting{GroupID: b.org.GroupID, Kind: "recharge", Key: keyed("recharge"),
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: d(amount).Neg()},
				{Account: ledger.Card(card, ledger.CNY), Amount: d(amount)}}})
		return err
	}, card)
}

func (b bundle) verify() { b.t.Helper(); ledgertest.Verify(b.t, b.l) }

func eq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(d(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}
