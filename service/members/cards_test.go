package members

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
)

func TestCardTypes(t *testing.T) {
	f := setup(t)
	rate := decimal.RequireFromString("0.88")
	bad := decimal.RequireFromString("0.88888")
	cases := []struct {
		name string
		ctx  context.Context
		in   CardTypeInput
		want error
	}{
		{"discount", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "D88", Name: "88折", Kind: KindDiscount, DiscountRate: &rate}, nil},
		{"count", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "SPA10", Name: "Spa×10", Kind: KindCount, ServiceName: "SPA"}, nil},
		{"points", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "PTS", Name: "Points", Kind: KindPoints}, nil},
		{"code taken", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "sv", Name: "x", Kind: KindPoints}, ErrCardTypeCodeTaken},
		{"count without service", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "C", Name: "x", Kind: KindCount}, errs.ErrInvalid},
		{"discount without rate", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "C", Name: "x", Kind: KindDiscount}, errs.ErrInvalid},
		{"over-precise rate", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "C", Name: "x", Kind: KindDiscount, DiscountRate: &bad}, errs.ErrInvalid},
		{"unknown kind", f.opsA, CardTypeInput{GroupID: f.groupA, Code: "C", Name: "x", Kind: "gold"}, errs.ErrInvalid},
		{"desk staff", f.deskA, CardTypeInput{GroupID: f.groupA, Code: "C", Name: "x", Kind: KindPoints}, errs.ErrForbidden},
		{"other group", f.opsA, CardTypeInput{GroupID: f.groupB, Code: "C", Name: "x", Kind: KindPoints}, errs.ErrForbidden},
	}
	for _, c := range cases {
		if _, err := f.svc.CreateCardType(c.ctx, c.in); !errors.Is(err, c.want) && err != c.want {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	types, err := f.svc.CardTypes(f.deskA, f.groupA)
	if err != nil || len(types) != 4 {
		t.Fatalf("types = %d, %v", len(types), err)
	}
}

func TestIssueCards(t *testing.T) {
	f := setup(t)
	m, other := f.member(), f.member()
	phys := f.card(m, "04A1B2C3")
	if phys.Status != StatusActive || len(phys.Number) != 16 || phys.Kind != KindStoredValue || phys.GroupID != f.groupA {
		t.Fatalf("card = %+v", phys)
	}
	byUID, err := f.svc.CardByUID(f.ctx, "04A1B2C3")
	if err != nil || byUID.ID != phys.ID {
		t.Fatalf("by uid: %v", err)
	}
	byNumber, err := f.svc.CardByNumber(f.ctx, phys.Number)
	if err != nil || byNumber.ID != phys.ID || byNumber.Usable(f.clock.Now()) != nil {
		t.Fatalf("by number: %v", err)
	}
	limit := decimal.RequireFromString("200.00")
	sup, err := f.svc.IssueCard(f.deskA, IssueCardInput{MemberID: other.ID, PrimaryCardID: &phys.ID, SpendLimit: &limit, Reason: "family"})
	if err != nil || !sup.Supplementary() || sup.CardTypeID != phys.CardTypeID || !sup.SpendLimit.Equal(limit) {
		t.Fatalf("supplementary = %+v, %v", sup, err)
	}
	if n := f.count(`SELECT count(*) FROM card_events WHERE action = 'issue' AND operator_kind = 'staff' AND reason <> ''`); n != 2 {
		t.Fatalf("issue events = %d", n)
	}
	over := decimal.RequireFromString("1.005")
	neg := decimal.RequireFromString("-1")
	typeB := f.cardTypeOf(f.groupB)
	cases := []struct {
		name string
		ctx  context.Context
		in   IssueCardInput
		want error
	}{
		{"uid taken", f.deskA, IssueCardInput{MemberID: m.ID, CardTypeID: f.cardTypeA, UID: "04A1B2C3"}, ErrCardUIDTaken},
		{"supplementary of supplementary", f.deskA, IssueCardInput{MemberID: m.ID, PrimaryCardID: &sup.ID, SpendLimit: &limit}, ErrBadPrimaryCard},
		{"over-precise limit", f.deskA, IssueCardInput{MemberID: m.ID, PrimaryCardID: &phys.ID, SpendLimit: &over}, errs.ErrInvalid},
		{"negative limit", f.deskA, IssueCardInput{MemberID: m.ID, PrimaryCardID: &phys.ID, SpendLimit: &neg}, errs.ErrInvalid},
		{"limit without primary", f.deskA, IssueCardInput{MemberID: m.ID, CardTypeID: f.cardTypeA, SpendLimit: &limit}, errs.ErrInvalid},
		{"no card type", f.deskA, IssueCardInput{MemberID: m.ID, UID: "04FFFFFF"}, ErrCardTypeRequired},
		{"other group's type", f.deskA, IssueCardInput{MemberID: m.ID, CardTypeID: typeB}, errs.ErrInvalid},
		{"other group's desk", f.deskB, IssueCardInput{MemberID: m.ID, CardTypeID: f.cardTypeA}, errs.ErrForbidden},
		{"merchant staff", f.merchantStaffA, IssueCardInput{MemberID: m.ID, CardTypeID: f.cardTypeA}, errs.ErrForbidden},
	}
	before := f.count(`SELECT count(*) FROM cards`)
	for _, c := range cases {
		if _, err := f.svc.IssueCard(c.ctx, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if after := f.count(`SELECT count(*) FROM cards`); after != before {
		t.Fatalf("refused issues added cards: %d → %d", before, after)
	}
	if _, err := f.svc.CardByUID(f.ctx, "nope"); !errors.Is(err, ErrCardNotFound) {
		t.Fatalf("unknown uid: %v", err)
	}
}

func TestCardOperationsAudited(t *testing.T) {
	f := setup(t)
	m := f.member()
	c := f.card(m, "")
	in := CardOpInput{CardID: c.ID, Reason: "member called"}
	steps := []struct {
		op   func(context.Context, CardOpInput) (Card, error)
		name Op
		want CardStatus
	}{
		{f.svc.ReportLoss, OpReportLoss, StatusLost},
		{f.svc.CancelLoss, OpCancelLoss, StatusActive},
		{f.svc.Freeze, OpFreeze, StatusFrozen},
		{f.svc.Unfreeze, OpUnfreeze, StatusActive},
	}
	for _, s := range steps { // in order: each step starts from the status the last left
		t.Run(string(s.name), func(t *testing.T) {
			got, err := s.op(f.deskA, in)
			if err != nil || got.Status != s.want {
				t.Fatalf("%s: %+v, %v", s.name, got, err)
			}
			var reason, kind string
			err = f.db.Pool.QueryRow(f.ctx, `SELECT e.reason, e.operator_kind FROM card_events e JOIN audit_log a
			ON a.entity_id = e.card_id AND a.action = 'card.' || e.action AND a.reason = e.reason
			WHERE e.card_id = $1 AND e.action = $2 AND e.to_status = $3`, c.ID, string(s.name), string(s.want)).Scan(&reason, &kind)
			if err != nil || reason != "member called" || kind != "staff" {
				t.Fatalf("%s audit: %q %q %v", s.name, reason, kind, err)
			}
		})
	}
	// Invalid transitions are refused and change nothing.
	refused := []func(context.Context, CardOpInput) (Card, error){f.svc.CancelLoss, f.svc.Unfreeze}
	for _, op := range refused {
		if _, err := op(f.deskA, in); !errors.Is(err, ErrCardTransition) {
			t.Fatalf("refused op: %v", err)
		}
	}
	f.mustOp(f.svc.Freeze, in)
	if _, err := f.svc.ReportLoss(f.deskA, in); !errors.Is(err, ErrCardTransition) {
		t.Fatalf("report loss of a frozen card: %v", err)
	}
	if _, err := f.svc.Freeze(f.deskA, CardOpInput{CardID: c.ID}); !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("no reason: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM card_events WHERE card_id = $1`, c.ID); n != 6 {
		t.Fatalf("events = %d, want 6 (issue + 5 ops)", n)
	}
	// The owner may report their own card lost; another shopper may not.
	f.mustOp(f.svc.Unfreeze, in)
	other, _ := f.shopper()
	if _, err := f.svc.ReportLoss(other, in); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("stranger reporting loss: %v", err)
	}
	owner := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindShopper, ID: m.ID})
	if got, err := f.svc.ReportLoss(owner, in); err != nil || got.Status != StatusLost {
		t.Fatalf("owner reporting loss: %v", err)
	}
	if _, err := f.svc.CancelLoss(owner, in); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("owner cancelling loss: %v", err)
	}
	got, _ := f.svc.CardByID(f.ctx, c.ID)
	if !errors.Is(got.Usable(f.clock.Now()), ErrCardLost) {
		t.Fatalf("usable: %v", got.Usable(f.clock.Now()))
	}
}

func TestScopeOtherGroupCannotManageCards(t *testing.T) {
	f := setup(t)
	c := f.card(f.member(), "")
	regionB := f.staff(auth.Grant{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: f.groupB})
	for _, ctx := range []context.Context{f.deskB, regionB, f.merchantStaffA} {
		in := CardOpInput{CardID: c.ID, Reason: "x"}
		if _, err := f.svc.Freeze(ctx, in); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("freeze: %v", err)
		}
		if _, err := f.svc.Reissue(ctx, ReissueInput{CardID: c.ID, Reason: "x", IdempotencyKey: "k"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("reissue: %v", err)
		}
		if _, err := f.svc.Cancel(ctx, CancelInput{CardID: c.ID, Reason: "x", IdempotencyKey: "k"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("cancel: %v", err)
		}
		if _, err := f.svc.Transfer(ctx, TransferInput{CardID: c.ID, ToMemberID: c.MemberID, Reason: "x"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("transfer: %v", err)
		}
	}
	if got, _ := f.svc.CardByID(f.ctx, c.ID); got.Status != StatusActive {
		t.Fatalf("status = %s", got.Status)
	}
	if n := f.count(`SELECT count(*) FROM card_events WHERE card_id = $1`, c.ID); n != 1 {
		t.Fatalf("events = %d", n)
	}
}

func TestReissueMovesBalancesAndBlocksOldCard(t *testing.T) {
	f := setup(t)
	led := ledger.New(ledger.Deps{DB: f.db, Now: f.clock.Now})
	d := f.deps
	d.Ledger = led
	svc := New(d)
	m := f.member()
	old := f.card(m, "UID-OLD")
	limit := decimal.RequireFromString("50")
	sup, err := svc.IssueCard(f.deskA, IssueCardInput{MemberID: m.ID, PrimaryCardID: &old.ID, SpendLimit: &limit, Reason: "kid"})
	if err != nil {
		t.Fatal(err)
	}
	expiry := f.stdTime.AddDate(1, 0, 0)
	err = f.db.InTx(f.ctx, func(tx pgx.Tx) error {
		if _, err := led.LockCardsTx(f.ctx, tx, old.ID); err != nil {
			return err
		}
		_, err := led.PostTx(f.ctx, tx, ledger.Posting{GroupID: f.groupA, Kind: "recharge", Key: "r1",
			Legs: []ledger.Leg{{Account: ledger.System(ledger.KindOutside, ledger.CNY), Amount: decimal.NewFromInt(-100)},
				{Account: ledger.Card(old.ID, ledger.CNY), Amount: decimal.NewFromInt(100)}}})
		if err != nil {
			return err
		}
		_, err = led.EarnTx(f.ctx, tx, ledger.Earn{GroupID: f.groupA, CardID: old.ID, Points: decimal.NewFromInt(30),
			From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: f.stdTime, ExpiresAt: expiry, Kind: "earn", Key: "e1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	in := ReissueInput{CardID: old.ID, NewUID: "UID-NEW", Reason: "card lost", IdempotencyKey: "reissue-1"}
	if _, err := svc.ReportLoss(f.deskA, CardOpInput{CardID: old.ID, Reason: "lost"}); err != nil {
		t.Fatal(err)
	}
	// Concurrent repeats with the same key make one new card.
	var wg sync.WaitGroup
	results := make([]Card, 8)
	errsOut := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() { defer wg.Done(); results[i], errsOut[i] = svc.Reissue(f.deskA, in) }()
	}
	wg.Wait()
	for i := range results {
		if errsOut[i] != nil || results[i].ID != results[0].ID {
			t.Fatalf("reissue %d: %+v %v", i, results[i], errsOut[i])
		}
	}
	nc := results[0]
	if nc.Number == old.Number || nc.UID != "UID-NEW" || nc.MemberID != m.ID || nc.Status != StatusActive {
		t.Fatalf("new card %+v", nc)
	}
	gotOld, _ := svc.CardByUID(f.ctx, "UID-OLD")
	if gotOld.Status != StatusReplaced || *gotOld.ReplacedBy != nc.ID || !errors.Is(gotOld.Usable(f.clock.Now()), ErrCardReplaced) {
		t.Fatalf("old card %+v", gotOld)
	}
	byNum, _ := svc.CardByNumber(f.ctx, old.Number)
	if !errors.Is(byNum.Usable(f.clock.Now()), ErrCardReplaced) {
		t.Fatal("old number still usable")
	}
	bal, _ := led.CardBalances(f.ctx, nc.ID)
	oldBal, _ := led.CardBalances(f.ctx, old.ID)
	if !bal.StoredValue.Equal(decimal.NewFromInt(100)) || !bal.Points.Equal(decimal.NewFromInt(30)) ||
		!oldBal.StoredValue.IsZero() || !oldBal.Points.IsZero() {
		t.Fatalf("balances new %+v old %+v", bal, oldBal)
	}
	var lotExpiry time.Time
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT expires_at FROM ledger_lots WHERE card_id = $1 AND remaining > 0`, nc.ID).
		Scan(&lotExpiry); err != nil || !lotExpiry.Equal(expiry) {
		t.Fatalf("moved lot expiry %v, %v", lotExpiry, err)
	}
	if s, _ := svc.CardByID(f.ctx, sup.ID); *s.PrimaryCardID != nc.ID {
		t.Fatal("supplementary card not moved under the new card")
	}
	if _, err := svc.Freeze(f.deskA, CardOpInput{CardID: old.ID, Reason: "x"}); !errors.Is(err, ErrCardTransition) {
		t.Fatalf("operating a replaced card: %v", err)
	}
	if _, err := svc.Reissue(f.deskA, ReissueInput{CardID: old.ID, Reason: "other", IdempotencyKey: "reissue-1"}); !errors.Is(err, errs.ErrIdempotencyKey) {
		t.Fatalf("key reuse: %v", err)
	}
	if breaches, err := led.Verify(f.ctx); err != nil || len(breaches) > 0 {
		t.Fatalf("ledger verify: %v %v", breaches, err)
	}
	// Cancel: supplementary first, then the card with a refund of its stored value.
	if _, err := svc.Cancel(f.deskA, CancelInput{CardID: nc.ID, Reason: "leaving", IdempotencyKey: "c1"}); !errors.Is(err, ErrHasSupplementaries) {
		t.Fatalf("cancel with supplementary: %v", err)
	}
	if _, err := svc.Cancel(f.deskA, CancelInput{CardID: sup.ID, Reason: "leaving", IdempotencyKey: "c0"}); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Cancel(f.deskA, CancelInput{CardID: nc.ID, Reason: "leaving", IdempotencyKey: "c1"})
	again, err2 := svc.Cancel(f.deskA, CancelInput{CardID: nc.ID, Reason: "leaving", IdempotencyKey: "c1"})
	if err != nil || err2 != nil || !res.Refunded.Equal(decimal.NewFromInt(100)) || !again.Refunded.Equal(res.Refunded) ||
		res.Card.Status != StatusCancelled {
		t.Fatalf("cancel: %+v %v / %+v %v", res, err, again, err2)
	}
	if bal, _ := led.CardBalances(f.ctx, nc.ID); !bal.StoredValue.IsZero() {
		t.Fatalf("after refund %+v", bal)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = 'card.cancel' AND entity_id = $1`, nc.ID); n != 1 {
		t.Fatalf("cancel audited %d times", n)
	}
}

func TestReissueRollsBackWhenLedgerFails(t *testing.T) {
	f := setup(t)
	c := f.card(f.member(), "UID-1")
	f.ledger.fail = errors.New("ledger down")
	if _, err := f.svc.Reissue(f.deskA, ReissueInput{CardID: c.ID, Reason: "x", IdempotencyKey: "k"}); err == nil {
		t.Fatal("reissue succeeded without the ledger")
	}
	if _, err := f.svc.Cancel(f.deskA, CancelInput{CardID: c.ID, Reason: "x", IdempotencyKey: "k2"}); err == nil {
		t.Fatal("cancel succeeded without the ledger")
	}
	got, _ := f.svc.CardByUID(f.ctx, "UID-1")
	if got.Status != StatusActive || got.ReplacedBy != nil || f.count(`SELECT count(*) FROM cards`) != 1 ||
		f.count(`SELECT count(*) FROM card_events`) != 1 || f.count(`SELECT count(*) FROM idempotency_keys`) != 0 {
		t.Fatalf("partial reissue left behind: %+v", got)
	}
	f.ledger.fail = nil
	if _, err := f.svc.Reissue(f.deskA, ReissueInput{CardID: c.ID, Reason: "x", IdempotencyKey: "k"}); err != nil {
		t.Fatalf("retry after the ledger is back: %v", err)
	}
	if len(f.ledger.moves) != 1 || f.ledger.moves[0][0] != c.ID {
		t.Fatalf("moves %v", f.ledger.moves)
	}
}

func TestTransfer(t *testing.T) {
	f := setup(t)
	from, to := f.member(), f.member()
	c := f.card(from, "")
	got, err := f.svc.Transfer(f.deskA, TransferInput{CardID: c.ID, ToMemberID: to.ID, Reason: "gift to spouse"})
	if err != nil || got.MemberID != to.ID || got.Status != StatusActive {
		t.Fatalf("transfer: %+v %v", got, err)
	}
	var details map[string]any
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT details FROM card_events WHERE card_id = $1 AND action = 'transfer'`, c.ID).
		Scan(&details); err != nil || details["from_member"] != from.ID.String() || details["to_member"] != to.ID.String() {
		t.Fatalf("transfer event %v %v", details, err)
	}
	memberB := service.NewID()
	f.exec(`INSERT INTO members (id, group_id, name, phone, registered_at) VALUES ($1, $2, 'B', '13100000000', now())`, memberB, f.groupB)
	cases := []struct {
		name string
		to   uuid.UUID
		want error
	}{
		{"same member", to.ID, ErrSameMember},
		{"other group", memberB, errs.ErrInvalid},
		{"unknown", service.NewID(), errs.ErrInvalid},
	}
	for _, cse := range cases {
		if _, err := f.svc.Transfer(f.deskA, TransferInput{CardID: c.ID, ToMemberID: cse.to, Reason: "x"}); !errors.Is(err, cse.want) {
			t.Errorf("%s: %v", cse.name, err)
		}
	}
}

func (f *fixture) mustOp(op func(context.Context, CardOpInput) (Card, error), in CardOpInput) {
	f.t.Helper()
	if _, err := op(f.deskA, in); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) cardTypeOf(group uuid.UUID) uuid.UUID {
	id := service.NewID()
	f.exec(`INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'X', 'X', 'points')`, id, group)
	return id
}

// TestConcurrentOperationsSerialize: many staff acting on one card at once (more than
// the pool has connections) — exactly one of each conflicting operation wins.
func TestConcurrentOperationsSerialize(t *testing.T) {
	f := setup(t)
	c := f.card(f.member(), "")
	const n = 16
	var wg sync.WaitGroup
	errsOut := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op := f.svc.ReportLoss
			if i%2 == 1 {
				op = f.svc.Freeze
			}
			_, errsOut[i] = op(f.deskA, CardOpInput{CardID: c.ID, Reason: "race"})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errsOut {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, ErrCardTransition):
			t.Fatalf("unexpected: %v", err)
		}
	}
	if ok != 1 || f.count(`SELECT count(*) FROM card_events WHERE card_id = $1`, c.ID) != 2 {
		t.Fatalf("%d operations won", ok)
	}
}
