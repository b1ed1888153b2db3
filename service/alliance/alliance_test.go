package alliance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
	"github.com/atrium-mall/atrium/service/servicetest"
)

type fixture struct {
	t      *testing.T
	base   servicetest.Base
	svc    *alliance.Service
	world  redemptiontest.World
	ops    context.Context
	merch  alliance.Merchant
	cards  []members.Card
	phones []string
}

// newFixture: a world with three members holding cards, and an alliance merchant of
// its mall awarding 1 point per 10 yuan, rounded down.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	base := servicetest.New(t, time.Now())
	f := &fixture{t: t, base: base, world: redemptiontest.NewWorld(t, base.DB)}
	f.svc = alliance.New(alliance.Deps{DB: base.DB, Org: base.Org, Ledger: base.Ledger, Now: base.Clock.Now})
	f.ops = f.world.MallStaffAs(context.Background(), auth.RoleMemberOps)
	for range 3 {
		id := f.world.Member(t, base.DB)
		card, err := members.CardOf(context.Background(), base.DB.Pool, f.world.Card(t, id))
		if err != nil {
			t.Fatal(err)
		}
		m, err := members.MemberOf(context.Background(), base.DB.Pool, id)
		if err != nil {
			t.Fatal(err)
		}
		f.cards, f.phones = append(f.cards, card), append(f.phones, m.Phone)
	}
	var err error
	f.merch, err = f.svc.CreateMerchant(f.ops, alliance.MerchantInput{MallID: f.world.MallID, Code: "TEA", Name: "Old Town Teahouse",
		ContactName: "Wang", ContactPhone: "021-1234", Ratio: points.Ratio{Unit: decimal.NewFromInt(10),
			PerUnit: decimal.NewFromInt(1), Rounding: points.Down}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// file is a CSV of rows: key, card number, amount, 1 hour ago.
func (f *fixture) file(rows ...[3]string) string {
	at := time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05")
	var b strings.Builder
	b.WriteString("key,card,phone,amount,time\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,,%s,%s\n", r[0], r[1], r[2], at)
	}
	return b.String()
}

func (f *fixture) balance(card uuid.UUID) decimal.Decimal {
	f.t.Helper()
	b, err := f.base.Ledger.CardBalances(context.Background(), card)
	if err != nil {
		f.t.Fatal(err)
	}
	return b.Points
}

func (f *fixture) verify() {
	f.t.Helper()
	breaches, err := f.base.Ledger.Verify(context.Background())
	if err != nil || len(breaches) > 0 {
		f.t.Fatalf("ledger verify: %v %v", breaches, err)
	}
}

func TestAllianceImportTwiceAwardsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	file := f.file([3]string{"R1", f.cards[0].Number, "129.00"}, [3]string{"R2", f.cards[1].Number, "55.50"},
		[3]string{"R3", "NO-SUCH-CARD", "10"}, [3]string{"R4", f.cards[0].Number, "abc"})
	run, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if run.RowsImported != 2 || run.RowsFailed != 2 || !run.Points.Equal(decimal.NewFromInt(17)) || len(run.Errors) != 2 ||
		run.Errors[0].Line != 4 || run.Errors[0].Code != points.CodeUnknown || run.Errors[1].Line != 5 ||
		run.Errors[1].Code != points.CodeBadAmount {
		t.Fatalf("first run: %+v", run)
	}
	again, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if again.RowsImported != 0 || again.RowsDuplicate != 2 || !again.Points.IsZero() || again.Errors[0].Code != points.CodeAlreadyPaid {
		t.Fatalf("second run: %+v", again)
	}
	if got := f.balance(f.cards[0].ID); !got.Equal(decimal.NewFromInt(12)) {
		t.Errorf("card 0 holds %s points, want 12", got)
	}
	if got := f.balance(f.cards[1].ID); !got.Equal(decimal.NewFromInt(5)) {
		t.Errorf("card 1 holds %s points, want 5", got)
	}
	stats, err := f.svc.Stats(f.ops, f.merch.ID, time.Now().AddDate(0, -1, 0).Format("2006-01"), time.Now().Format("2006-01"))
	if err != nil || len(stats) != 1 || stats[0].Rows != 2 || stats[0].Members != 2 || !stats[0].Points.Equal(decimal.NewFromInt(17)) ||
		!stats[0].Amount.Equal(decimal.RequireFromString("184.5")) {
		t.Errorf("stats: %+v %v", stats, err)
	}
	f.verify()
}

func TestAllianceImportByPhoneAndXLSXRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	at := time.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04")
	file := "流水号,手机号,消费金额,消费时间\nP1," + f.phones[2] + ",100," + at + "\n"
	run, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(file))
	if err != nil || run.RowsImported != 1 || !f.balance(f.cards[2].ID).Equal(decimal.NewFromInt(10)) {
		t.Fatalf("by phone: %+v %v", run, err)
	}
	for name, c := range map[string]struct {
		format, body, code string
	}{
		"no header columns": {"csv", "a,b\n1,2\n", "IMPORT_FORMAT"},
		"empty file":        {"csv", "", "IMPORT_FORMAT"},
		"not a workbook":    {"xlsx", "not a zip", "IMPORT_FORMAT"},
		"unknown format":    {"pdf", "x", "INVALID_INPUT"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Import(f.ops, f.merch.ID, c.format, strings.NewReader(c.body))
			if e, ok := errs.As(err); !ok || e.Code != c.code {
				t.Errorf("got %v, want %s", err, c.code)
			}
		})
	}
}

func TestAllianceRevertRemovesExactlyItsPoints(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.earnElsewhere(f.cards[0].ID, 40)
	run, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(f.file(
		[3]string{"A1", f.cards[0].Number, "100"}, [3]string{"A2", f.cards[1].Number, "250"})))
	if err != nil || !run.Points.Equal(decimal.NewFromInt(35)) {
		t.Fatalf("import: %+v %v", run, err)
	}
	other, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(f.file([3]string{"B1", f.cards[0].Number, "70"})))
	if err != nil || !other.Points.Equal(decimal.NewFromInt(7)) {
		t.Fatalf("other import: %+v %v", other, err)
	}
	f.verify()
	// Card 1 spent 20 of its 25 alliance points before the revert: 5 clawed back, 20 short.
	f.spend(f.cards[1].ID, 20)
	rev, err := f.svc.Revert(f.ops, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Status != alliance.RunReverted || !rev.ClawedBack.Equal(decimal.NewFromInt(15)) || !rev.Shortfall.Equal(decimal.NewFromInt(20)) {
		t.Errorf("reverted run: %+v", rev)
	}
	if got := f.balance(f.cards[0].ID); !got.Equal(decimal.NewFromInt(47)) { // 40 own + 7 of the other run
		t.Errorf("card 0 holds %s, want 47", got)
	}
	if got := f.balance(f.cards[1].ID); !got.IsZero() {
		t.Errorf("card 1 holds %s, want 0", got)
	}
	f.verify()
	if _, err := f.svc.Revert(f.ops, run.ID); !errors.Is(err, alliance.ErrRunReverted) {
		t.Errorf("second revert: %v", err)
	}
	// The reverted rows stay claimed: importing them again pays nothing.
	again, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(f.file([3]string{"A1", f.cards[0].Number, "100"})))
	if err != nil || again.RowsDuplicate != 1 || !f.balance(f.cards[0].ID).Equal(decimal.NewFromInt(47)) {
		t.Errorf("re-import after revert: %+v %v", again, err)
	}
	stats, err := f.svc.Stats(f.ops, f.merch.ID, time.Now().Format("2006-01"), time.Now().Format("2006-01"))
	if err != nil || len(stats) != 1 || stats[0].Rows != 1 || !stats[0].Points.Equal(decimal.NewFromInt(7)) {
		t.Errorf("stats after revert: %+v %v", stats, err)
	}
	f.verify()
}

// TestAllianceConcurrentImportsPayOnce: the same file imported by 8 goroutines at once
// pays each row once (run with -race).
func TestAllianceConcurrentImportsPayOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	file := f.file([3]string{"C1", f.cards[0].Number, "100"}, [3]string{"C2", f.cards[1].Number, "200"},
		[3]string{"C3", f.cards[2].Number, "300"}, [3]string{"C4", f.cards[0].Number, "50"})
	var wg sync.WaitGroup
	runs := make([]alliance.Run, 8)
	errs := make([]error, 8)
	for i := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runs[i], errs[i] = f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(file))
		}()
	}
	wg.Wait()
	imported, dups := 0, 0
	for i := range runs {
		if errs[i] != nil {
			t.Fatalf("import %d: %v", i, errs[i])
		}
		imported, dups = imported+runs[i].RowsImported, dups+runs[i].RowsDuplicate
	}
	if imported != 4 || dups != 28 {
		t.Errorf("imported %d rows, %d duplicates; want 4 and 28", imported, dups)
	}
	want := []int64{15, 20, 30}
	for i, c := range f.cards {
		if got := f.balance(c.ID); !got.Equal(decimal.NewFromInt(want[i])) {
			t.Errorf("card %d holds %s, want %d", i, got, want[i])
		}
	}
	f.verify()
}

func TestAllianceAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	run, err := f.svc.Import(f.ops, f.merch.ID, "csv", strings.NewReader(f.file([3]string{"X1", f.cards[0].Number, "10"})))
	if err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	other := redemptiontest.NewWorld(t, f.base.DB)
	denied := map[string]context.Context{
		"another mall's admin":  auth.WithViewer(bg, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(), Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}}),
		"another group's admin": other.MallStaffAs(bg, auth.RoleAdmin),
		"service desk":          f.world.MallStaffAs(bg, auth.RoleServiceDesk),
		"merchant staff":        redemptiontest.MerchantStaff(bg, f.world.MerchantA),
		"shopper":               redemptiontest.Shopper(bg, f.cards[0].MemberID),
	}
	for who, ctx := range denied {
		t.Run(who, func(t *testing.T) {
			ops := map[string]error{}
			_, ops["merchant"] = f.svc.Merchant(ctx, f.merch.ID)
			_, ops["merchants"] = f.svc.Merchants(ctx, f.world.MallID)
			_, ops["import"] = f.svc.Import(ctx, f.merch.ID, "csv", strings.NewReader(f.file([3]string{"X2", f.cards[0].Number, "10"})))
			_, ops["revert"] = f.svc.Revert(ctx, run.ID)
			_, ops["run"] = f.svc.RunByID(ctx, run.ID)
			_, ops["runs"] = f.svc.Runs(ctx, f.merch.ID, 10)
			_, ops["stats"] = f.svc.Stats(ctx, f.merch.ID, "2026-01", "2026-02")
			_, ops["create"] = f.svc.CreateMerchant(ctx, alliance.MerchantInput{MallID: f.world.MallID, Code: "Z", Name: "Z",
				Ratio: f.merch.Ratio})
			_, ops["update"] = f.svc.UpdateMerchant(ctx, f.merch.ID, alliance.MerchantInput{Name: "Z", Ratio: f.merch.Ratio})
			for op, err := range ops {
				if !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrNotFound) {
					t.Errorf("%s: %v", op, err)
				}
			}
		})
	}
	if got := f.balance(f.cards[0].ID); !got.Equal(decimal.NewFromInt(1)) {
		t.Errorf("refused callers moved points: %s", got)
	}
}

// earnElsewhere gives card points from another source (a purchase's, say).
func (f *fixture) earnElsewhere(card uuid.UUID, pts int64) {
	f.t.Helper()
	ctx := context.Background()
	err := f.base.DB.InTx(ctx, func(tx pgx.Tx) error {
		group, err := f.base.Ledger.LockCardsTx(ctx, tx, card)
		if err != nil {
			return err
		}
		_, err = f.base.Ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: group, CardID: card, Points: decimal.NewFromInt(pts),
			From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: time.Now().Add(-time.Minute),
			ExpiresAt: time.Now().AddDate(1, 0, 0), Kind: "earn", Key: "test-earn:" + card.String()})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

// spend takes points from card as a redemption would.
func (f *fixture) spend(card uuid.UUID, pts int64) {
	f.t.Helper()
	ctx := context.Background()
	err := f.base.DB.InTx(ctx, func(tx pgx.Tx) error {
		group, err := f.base.Ledger.LockCardsTx(ctx, tx, card)
		if err != nil {
			return err
		}
		_, _, err = f.base.Ledger.SpendTx(ctx, tx, ledger.Posting{GroupID: group, Kind: "purchase", Key: "test-spend:" + card.String(),
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindRedeemed, ledger.Points), Amount: decimal.NewFromInt(pts)}}},
			card, decimal.NewFromInt(pts))
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
}
