// Package servicetest builds the contexts most others stand on — org, redemption
// (codes) and the ledger — over a test database and Redis of their own (storetest) on
// a settable clock, for the tests of the contexts built on them (bookings, campaigns,
// coupons, loyalty), which add their own service on top.
package servicetest

import (
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// Base is the shared contexts and what they run on.
type Base struct {
	DB     *storage.DB
	Redis  storage.Redis
	Clock  *calendartest.Clock
	Org    *org.Service
	Codes  *redemption.Service
	Ledger *ledger.Service
}

// New builds a Base on a fresh database, its clock starting at start.
func New(t testing.TB, start time.Time) Base {
	t.Helper()
	db, rdb, clock := storetest.DB(t), storetest.Redis(t), calendartest.NewClock(start)
	orgs := orgtest.Service(db)
	return Base{DB: db, Redis: rdb, Clock: clock, Org: orgs, Ledger: ledger.New(ledger.Deps{DB: db, Now: clock.Now}),
		Codes: redemption.New(redemption.Deps{DB: db, Redis: rdb, Org: orgs, Config: redemption.Config{}, Now: clock.Now})}
}
