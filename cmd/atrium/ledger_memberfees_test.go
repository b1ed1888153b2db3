package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/ledger/ledgertest"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestRunLedgerVerifyMemberFees: `atrium ledger verify` checks the member fees against
// their accounts: sound after a card sale (price and joining fee) and a fee run, a
// breach when a fee's posting is missing.
func TestRunLedgerVerifyMemberFees(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.DB(t)
	o := ledgertest.NewOrg(t, db)
	orgs := orgtest.Service(db)
	objs, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1:8080", []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }
	ldg := ledger.New(ledger.Deps{DB: db, Now: now})
	mem := members.New(members.Deps{DB: db, Objects: objs, Org: orgs, Ledger: ldg, Now: now,
		WeChat: auth.NewWeChat("http://127.0.0.1:1", "t", "t", &http.Client{Timeout: time.Second}),
		Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("t"))}})
	svc := memberfees.New(memberfees.Deps{DB: db, Org: orgs, Members: mem, Ledger: ldg, Now: now})
	admin := auth.WithViewer(ctx, &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: o.GroupID}}})
	price, fee := ledgertestDec("200"), ledgertestDec("50")
	months := 12
	if _, err := mem.SetCardProduct(admin, members.CardProductInput{CardTypeID: o.CardType, Price: &price,
		ValidityMonths: &months, JoiningFee: fee, AnnualFee: fee}); err != nil {
		t.Fatal(err)
	}
	sale, err := svc.Sell(admin, memberfees.SellInput{MallID: o.MallID, MemberID: o.Member(t, db), CardTypeID: o.CardType,
		IdempotencyKey: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RunFees(ctx); err != nil {
		t.Fatal(err)
	}
	if code := runLedgerVerify(ctx, db); code != 0 {
		t.Fatalf("exit code %d after a sale and a fee run", code)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO mfee_postings (id, group_id, fee_id, payer_id, kind, amount, key, created_at)
		VALUES ($1, $2, $3, $4, 'payment', 10, 'fee:forged', now())`, uuid.New(), o.GroupID, sale.JoiningFee.ID,
		sale.CardID); err != nil {
		t.Fatal(err)
	}
	if code := runLedgerVerify(ctx, db); code != 1 {
		t.Fatalf("exit code %d with a payment the ledger lacks, want 1", code)
	}
}

func ledgertestDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
