// Package orgtest builds the org context for other contexts' tests and fixtures, as
// they all need it: scope checks, malls and merchants.
package orgtest

import (
	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Service is the org context over db with the default password cost and the
// deployment's default time zone.
func Service(db *storage.DB) *org.Service {
	return org.New(org.Deps{DB: db, Passwords: auth.NewPasswords(0), Zones: calendar.NewZones(nil)})
}
