package memberevents

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

var _ = storetest.DB

type fixture struct {
	ctx       context.Context
	db        *storage.DB
	svc       *Service
	ledger    *ledger.Service
	members   *members.Service
	campaigns *campaigns.Service
	clock     *redemptiontest.Clock
	world     redemptiontest.World
	staff     context.Context
	start     time.Time
}

// setup builds the fixture on the real time (member codes are signed with it), the
// service's clock starting now; the test runs in parallel.
func setup(t *testing.T) fixture {
	t.Helper()
	t.Parallel()
	start := time.Now().Truncate(time.Second)
	b := servicetest.New(t, start)
	cp := coupons.New(coupons.Deps{DB: b.DB, Redis: b.Redis, Org: b.Org, Codes: b.Codes, Now: b.Clock.Now})
	wh := warehouse.New(warehouse.Deps{DB: b.DB, Org: b.Org, Now: b.Clock.Now})
	camp := campaigns.New(campaigns.Deps{DB: b.DB, Org: b.Org, Coupons: cp, Ledger: b.Ledger, Stock: wh, Now: b.Clock.Now,
		Random: func() float64 { return 0.1 }})
	w := redemptiontest.NewWorld(t, b.DB)
	mbs := memberstest.Service(t, b.DB, b.Org)
	return fixture{ctx: context.Background(), db: b.DB, ledger: b.Ledger, members: mbs, campaigns: camp, clock: b.Clock,
		world: w, start: start, staff: w.MallStaffAs(context.Background(), "member_ops"),
		svc: New(Deps{DB: b.DB, Org: b.Org, Members: mbs, Ledger: b.Ledger, Campaigns: camp, Now: b.Clock.Now})}
}

// event creates an event of the world's mall: sign-up open now for a day, the event
// from in 2 hours for 3 hours.
func (f fixture) event(t *testing.T, capacity, deposit int, mod func(*EventInput)) Event {
	t.Helper()
	in := EventInput{MallID: f.world.MallID, Title: "Tea tasting 品茶会", Place: "Atrium L1", Capacity: capacity,
		DepositPoints: deposit, SignupOpensAt: f.start.Add(-time.Minute), SignupClosesAt: f.start.Add(90 * time.Minute),
		StartsAt: f.start.Add(2 * time.Hour), EndsAt: f.start.Add(5 * time.Hour)}
	if mod != nil {
		mod(&in)
	}
	e, err := f.svc.CreateEvent(f.staff, in)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// member registers a member with a card holding points.
func (f fixture) member(t *testing.T, points int) (uuid.UUID, uuid.UUID) {
	t.Helper()
	m := f.world.Member(t, f.db)
	card := f.world.Card(t, m)
	if points > 0 {
		err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
			group, err := f.ledger.LockCardsTx(f.ctx, tx, card)
			if err != nil {
				return err
			}
			now := f.clock.Now()
			_, err = f.ledger.EarnTx(f.ctx, tx, ledger.Earn{GroupID: group, CardID: card,
				Points: decimal.NewFromInt(int64(points)), From: ledger.System(ledger.KindIssuance, ledger.Points),
				AvailableAt: now.Add(-time.Hour), ExpiresAt: now.AddDate(1, 0, 0), Kind: "test", Key: "test:" + card.String()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return m, card
}

func (f fixture) points(t *testing.T, card uuid.UUID) int64 {
	t.Helper()
	b, err := f.ledger.CardBalances(f.ctx, card)
	if err != nil {
		t.Fatal(err)
	}
	return b.Points.IntPart()
}

// code is a fresh member code of m (as the mini-program shows it).
func (f fixture) code(t *testing.T, m uuid.UUID) string {
	t.Helper()
	c, err := f.members.MyMemberCode(redemptiontest.Shopper(f.ctx, m))
	if err != nil {
		t.Fatal(err)
	}
	return c.Code
}

// verify runs the ledger's invariants and the event deposit check.
func (f fixture) verify(t *testing.T) {
	t.Helper()
	breaches, err := f.ledger.Verify(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	more, err := Verify(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range append(breaches, more...) {
		t.Errorf("breach: %s", b)
	}
}
