// Package orgtest builds the org context for other contexts' tests and fixtures, as
// they all need it: scope checks, malls and merchants.
package orgtest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// Service is the org context over db with bcrypt's minimum password cost (at the
// production cost, hashing the staff of a fixture under the race detector was most of
// the CPU of the whole suite) and the deployment's default time zone.
func Service(db *storage.DB) *org.Service {
	return org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(bcrypt.MinCost), Zones: calendar.NewZones(nil)})
}

// Mall creates, through org, a group of its own with one mall coded code (in
// Asia/Shanghai, the column's default) and returns their ids.
func Mall(t testing.TB, db *storage.DB, code string) (group, mall uuid.UUID) {
	t.Helper()
	orgs := Service(db)
	g, err := orgs.Bootstrap(context.Background(), storetest.RandomName("g"), "G")
	if err != nil {
		t.Fatalf("orgtest: group: %v", err)
	}
	admin := auth.WithViewer(context.Background(), org.SystemViewer(g))
	m, err := orgs.CreateMall(admin, org.CreateMallInput{GroupID: g.ID, Code: code, Name: "Mall",
		TimeZone: "Asia/Shanghai"})
	if err != nil {
		t.Fatalf("orgtest: mall %s: %v", code, err)
	}
	return g.ID, m.ID
}
