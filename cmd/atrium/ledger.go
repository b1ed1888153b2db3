package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberevents"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/storage"
)

// cmdLedger runs `atrium ledger verify`: exit code 0 when the ledger is sound, 1 on any
// breach or failure, 2 on bad usage.
func cmdLedger(ctx context.Context, args []string) int {
	if len(args) != 1 || args[0] != "verify" {
		fmt.Fprintln(os.Stderr, "usage: atrium ledger verify")
		return 2
	}
	cfg, _, err := load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger verify:", err)
		return 1
	}
	db, err := storage.OpenDB(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger verify:", err)
		return 1
	}
	defer db.Close()
	return runLedgerVerify(ctx, db)
}

// runLedgerVerify checks every ledger invariant, billing's receivables against it
// (billing.Verify), the gift warehouse's stock against its stock ledger
// (warehouse.Verify) and the fixed-asset register against its accounts
// (assets.Verify), member events' deposits held against their event_deposit accounts
// (memberevents.Verify) and the member fees against theirs (memberfees.Verify), prints
// each breach, and returns the exit code: 0 when none, 1 on
// any breach or error.
func runLedgerVerify(ctx context.Context, db *storage.DB) int {
	breaches, err := ledger.New(ledger.Deps{DB: db, Now: time.Now}).Verify(ctx)
	for _, verify := range []func(context.Context, *storage.DB) ([]ledger.Breach, error){
		billing.Verify, warehouse.Verify, assets.Verify, memberevents.Verify, memberfees.Verify,
	} {
		if err != nil {
			break
		}
		var more []ledger.Breach
		more, err = verify(ctx, db)
		breaches = append(breaches, more...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "ledger verify:", err)
		return 1
	}
	for _, b := range breaches {
		fmt.Println("BREACH", b)
	}
	if len(breaches) > 0 {
		fmt.Printf("ledger verify: %d breach(es)\n", len(breaches))
		return 1
	}
	fmt.Println("ledger verify: ok")
	return 0
}
