// Package ledgertest has test factories for the value contexts (ledger, loyalty): an
// organisation, members and cards in a storetest database, created through their
// owners' services (org, members) acting as the group's system administrator, so the
// fixtures obey the same rules as real data and hold no SQL of their own.
package ledgertest

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/members/memberstest"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
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

// NewOrg creates a group, a mall (Asia/Shanghai), two merchants (food, fashion) and a
// stored-value card type.
func NewOrg(t testing.TB, db *storage.DB) Org {
	t.Helper()
	orgs := orgtest.Service(db)
	code := service.NewID().String()[24:]
	g, err := orgs.Bootstrap(context.Background(), "g"+code, "Group")
	check(t, "create group", err)
	ctx := admin(g.ID)
	mall, err := orgs.CreateMall(ctx, org.CreateMallInput{GroupID: g.ID, Code: "m" + code, Name: "Mall",
		TimeZone: "Asia/Shanghai"})
	check(t, "create mall", err)
	o := Org{GroupID: g.ID, MallID: mall.ID}
	o.MerchantID = merchant(t, orgs, ctx, org.CreateMerchantInput{MallID: mall.ID, Code: "shop1", Name: "Shop 1", Category: "food"})
	o.OtherMerch = merchant(t, orgs, ctx, org.CreateMerchantInput{MallID: mall.ID, Code: "shop2", Name: "Shop 2", Category: "fashion"})
	ct, err := memberService(t, db).CreateCardType(ctx, members.CardTypeInput{GroupID: g.ID, Code: "sv", Name: "Stored value",
		Kind: members.KindStoredValue})
	check(t, "create card type", err)
	o.CardType = ct.ID
	return o
}

func merchant(t testing.TB, orgs *org.Service, ctx context.Context, in org.CreateMerchantInput) uuid.UUID {
	t.Helper()
	m, err := orgs.CreateMerchant(ctx, in)
	check(t, "create merchant "+in.Code, err)
	return m.ID
}

// Member registers a member of the group (at the mall's desk) and returns its id.
func (o Org) Member(t testing.TB, db *storage.DB) uuid.UUID {
	t.Helper()
	m, err := memberService(t, db).RegisterAtDesk(admin(o.GroupID), members.DeskRegistration{MallID: o.MallID,
		Profile: members.Profile{Name: "M", Phone: phoneOf(service.NewID())}})
	check(t, "register member", err)
	return m.ID
}

// Card issues an active card of the org's card type to member and returns its id and number.
func (o Org) Card(t testing.TB, db *storage.DB, member uuid.UUID) (uuid.UUID, string) {
	t.Helper()
	c, err := memberService(t, db).IssueCard(admin(o.GroupID), members.IssueCardInput{MemberID: member, CardTypeID: o.CardType})
	check(t, "issue card", err)
	return c.ID, c.Number
}

// SetStatus brings an active card to status through the card operation that leads
// there: frozen (freeze), lost (report loss), replaced (reissue: the member gets a new
// card) or cancelled (cancel).
func SetStatus(t testing.TB, db *storage.DB, card uuid.UUID, status string) {
	t.Helper()
	c, err := members.CardForShare(context.Background(), db.Pool, card)
	check(t, "load card", err)
	svc, ctx, reason := memberService(t, db), admin(c.GroupID), "test fixture"
	key := "ledgertest:" + card.String()
	switch status {
	case "frozen":
		_, err = svc.Freeze(ctx, members.CardOpInput{CardID: card, Reason: reason})
	case "lost":
		_, err = svc.ReportLoss(ctx, members.CardOpInput{CardID: card, Reason: reason})
	case "replaced":
		_, err = svc.Reissue(ctx, members.ReissueInput{CardID: card, Reason: reason, IdempotencyKey: key})
	case "cancelled":
		_, err = svc.Cancel(ctx, members.CancelInput{CardID: card, Reason: reason, IdempotencyKey: key})
	default:
		t.Fatalf("ledgertest.SetStatus: no card operation leads to %q", status)
	}
	check(t, "set card status "+status, err)
}

// Verify checks the ledger's invariants (ledger.Verify): every breach is a test error.
func Verify(t testing.TB, l *ledger.Service) {
	t.Helper()
	breaches, err := l.Verify(context.Background())
	check(t, "verify", err)
	for _, br := range breaches {
		t.Errorf("ledger breach: %s", br)
	}
}

// memberService is the members context for fixtures (memberstest), over this ledger.
func memberService(t testing.TB, db *storage.DB) *members.Service {
	return memberstest.Service(t, db, orgtest.Service(db))
}

// admin is a context acting as the group's system administrator.
func admin(group uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), org.SystemViewer(org.Group{ID: group}))
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

func check(t testing.TB, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("ledgertest: %s: %v", what, err)
	}
}
