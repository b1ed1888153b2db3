// Package ledgertest has test factories for the value contexts (ledger, loyalty):
// an organisation, members and cards inserted with plain SQL into a storetest database.
package ledgertest

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/storage"
)

// Org is a group with one mall, two merchants and a stored-value card type.
type Org struct {
	GroupID    uuid.UUID
	MallID     uuid.UUID
	MerchantID uuid.UUID
	OtherMerch uuid.UUID
	CardType   uuid.UUID
}

// NewOrg inserts a group, a mall (Asia/Shanghai), two merchants and a card type.
func NewOrg(t testing.TB, db *storage.DB) Org {
	t.Helper()
	o := Org{GroupID: service.NewID(), MallID: service.NewID(), MerchantID: service.NewID(),
		OtherMerch: service.NewID(), CardType: service.NewID()}
	code := o.GroupID.String()[24:]
	exec(t, db, `INSERT INTO org_groups (id, code, name) VALUES ($1, $2, 'Group')`, o.GroupID, "g"+code)
	exec(t, db, `INSERT INTO malls (id, group_id, code, name) VALUES ($1, $2, $3, 'Mall')`, o.MallID, o.GroupID, "m"+code)
	exec(t, db, `INSERT INTO merchants (id, mall_id, code, name, category) VALUES ($1, $2, 'shop1', 'Shop 1', 'food'),
		($3, $2, 'shop2', 'Shop 2', 'fashion')`, o.MerchantID, o.MallID, o.OtherMerch)
	exec(t, db, `INSERT INTO card_types (id, group_id, code, name, kind) VALUES ($1, $2, 'sv', 'Stored value', 'stored_value')`,
		o.CardType, o.GroupID)
	return o
}

// Member inserts a member of the group and returns its id.
func (o Org) Member(t testing.TB, db *storage.DB) uuid.UUID {
	t.Helper()
	id := service.NewID()
	exec(t, db, `INSERT INTO members (id, group_id, openid, phone, name) VALUES ($1, $2, $3, $4, 'M')`,
		id, o.GroupID, "o"+id.String(), phoneOf(id))
	return id
}

// Card issues an active card to member and returns its id and number.
func (o Org) Card(t testing.TB, db *storage.DB, member uuid.UUID) (uuid.UUID, string) {
	t.Helper()
	id := service.NewID()
	number := "C" + id.String()[19:23] + id.String()[24:]
	exec(t, db, `INSERT INTO cards (id, group_id, member_id, card_type_id, number) VALUES ($1, $2, $3, $4, $5)`,
		id, o.GroupID, member, o.CardType, number)
	return id, number
}

// SetStatus sets a card's status.
func SetStatus(t testing.TB, db *storage.DB, card uuid.UUID, status string) {
	t.Helper()
	exec(t, db, `UPDATE cards SET status = $2 WHERE id = $1`, card, status)
}

func phoneOf(id uuid.UUID) string {
	b := id[len(id)-5:]
	n := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	d := make([]byte, 9)
	for i := range d {
		d[8-i] = byte('0' + n%10)
		n /= 10
	}
	return "13" + string(d)
}

func exec(t testing.TB, db *storage.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
