package memberfees_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/servicetest"
	"github.com/atrium-mall/atrium/storage"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

// fixture: a group with a mall (Asia/Shanghai), a card product GOLD (stored value,
// ¥200, 12 months, renewable, joining ¥50, annual ¥100, supplementary ¥30, withdrawal
// 2% within ¥10–¥500 a time and ¥800 a day), its staff, and a second group.
type fixture struct {
	base     servicetest.Base
	org      ledgertest.Org
	other    ledgertest.Org
	mem      *members.Service
	svc      *memberfees.Service
	gold     uuid.UUID
	desk     context.Context // SERVICE_DESK of the mall
	finance  context.Context // FINANCE of the mall
	finance2 context.Context // another FINANCE of the mall
	admin    context.Context // ADMIN of the group
}

func staffCtx(role auth.Role, level auth.Level, scope uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: role, Level: level, ScopeID: scope}}})
}

func dec(s string) decimal.Decimal   { return decimal.RequireFromString(s) }
func decp(s string) *decimal.Decimal { v := dec(s); return &v }

func setup(t testing.TB) *fixture {
	t.Helper()
	base := servicetest.New(t, time.Date(2026, 3, 1, 10, 0, 0, 0, sh))
	objects, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1/objects", []byte("memberstest-object-signing-key!!"))
	if err != nil {
		t.Fatal(err)
	}
	mem := members.New(members.Deps{DB: base.DB, Objects: objects, Org: base.Org, Ledger: base.Ledger, Now: base.Clock.Now,
		WeChat: auth.NewWeChat("http://127.0.0.1:1", "t", "t", &http.Client{Timeout: time.Second}),
		Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("memberfees"))}})
	o, other := ledgertest.NewOrg(t, base.DB), ledgertest.NewOrg(t, base.DB)
	f := &fixture{base: base, org: o, other: other, mem: mem,
		svc:      memberfees.New(memberfees.Deps{DB: base.DB, Org: base.Org, Members: mem, Ledger: base.Ledger, Now: base.Clock.Now}),
		desk:     staffCtx(auth.RoleServiceDesk, auth.LevelMall, o.MallID),
		finance:  staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		finance2: staffCtx(auth.RoleFinance, auth.LevelMall, o.MallID),
		admin:    staffCtx(auth.RoleAdmin, auth.LevelGroup, o.GroupID)}
	ct, err := mem.CreateCardType(f.admin, members.CardTypeInput{GroupID: o.GroupID, Code: "GOLD", Name: "Gold",
		Kind: members.KindStoredValue})
	if err != nil {
		t.Fatal(err)
	}
	months := 12
	if _, err := mem.SetCardProduct(f.admin, members.CardProductInput{CardTypeID: ct.ID, Price: decp("200"),
		ValidityMonths: &months, Renewable: true, JoiningFee: dec("50"), AnnualFee: dec("100"),
		SupplementaryAnnualFee: dec("30"), WithdrawalAllowed: true, WithdrawalFeeRate: dec("0.02"),
		WithdrawalMin: decp("10"), WithdrawalMax: decp("500"), WithdrawalDailyLimit: decp("800")}); err != nil {
		t.Fatal(err)
	}
	f.gold = ct.ID
	return f
}

// member registers a member at the mall.
func (f *fixture) member(t testing.TB) uuid.UUID {
	t.Helper()
	m, err := f.mem.RegisterAtDesk(f.admin, members.DeskRegistration{MallID: f.org.MallID,
		Profile: members.Profile{Name: "M", Phone: fmt.Sprintf("13%09d", rand.IntN(1e9))}})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// sell sells a GOLD card to a new member.
func (f *fixture) sell(t testing.TB) memberfees.Sale {
	t.Helper()
	s, err := f.svc.Sell(f.desk, memberfees.SellInput{MallID: f.org.MallID, MemberID: f.member(t), CardTypeID: f.gold,
		IdempotencyKey: "sell-" + service.NewID().String()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fund puts stored value on a card (as a recharge would).
func (f *fixture) fund(t testing.TB, card uuid.UUID, amount string) {
	t.Helper()
	err := f.base.DB.InTx(context.Background(), func(tx pgx.Tx) error {
		g, err := f.base.Ledger.LockCardsTx(context.Background(), tx, card)
		if err != nil {
			return err
		}
		_, err = f.base.Ledger.PostTx(context.Background(), tx, ledger.Posting{GroupID: g, Kind: ledger.PostingRecharge,
			Key: "test-fund:" + service.NewID().String(), Legs: []ledger.Leg{{Account: ledger.Card(card, ledger.CNY), Amount: dec(amount)},
				{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: dec(amount).Neg()}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) balance(t testing.TB, card uuid.UUID) decimal.Decimal {
	t.Helper()
	b, err := f.base.Ledger.CardBalances(context.Background(), card)
	if err != nil {
		t.Fatal(err)
	}
	return b.StoredValue
}

func (f *fixture) fees(t testing.TB, card uuid.UUID) []memberfees.Fee {
	t.Helper()
	fs, err := f.svc.CardFees(f.desk, f.org.MallID, card)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func (f *fixture) run(t testing.TB) memberfees.RunResult {
	t.Helper()
	r, err := f.svc.RunFees(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// verify fails the test on any ledger or member fee breach.
func (f *fixture) verify(t testing.TB) {
	t.Helper()
	breaches, err := f.base.Ledger.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	more, err := memberfees.Verify(context.Background(), f.base.DB)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range append(breaches, more...) {
		t.Error(b)
	}
}

var _ = org.Place{}
