// Package memberstest builds the members context for other contexts' test fixtures
// (ledgertest, redemptiontest, …), which create members and cards through the owner
// instead of writing its tables.
package memberstest

import (
	"net/http"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Service returns a members service over db for fixtures: objects in a temporary
// folder, a WeChat client that fixtures never reach, the real clock, and a ledger over
// db (cards changing status move their balances through it).
func Service(t testing.TB, db *storage.DB, orgs *org.Service) *members.Service {
	t.Helper()
	objects, err := storage.NewLocalObjects(t.TempDir(), "http://127.0.0.1/objects", []byte("memberstest-object-signing-key!!"))
	if err != nil {
		t.Fatalf("memberstest: objects: %v", err)
	}
	return members.New(members.Deps{
		DB: db, Objects: objects, Org: orgs, Ledger: ledger.New(ledger.Deps{DB: db, Now: time.Now}), Now: time.Now,
		WeChat: auth.NewWeChat("http://127.0.0.1:1", "memberstest", "memberstest", &http.Client{Timeout: time.Second}),
		Config: members.Config{CodeKey: members.DeriveCodeKey([]byte("memberstest"))},
	})
}
