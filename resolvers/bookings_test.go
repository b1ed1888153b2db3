package resolvers_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/internal/servicetest"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// memberWithPoints inserts a member of the world's group with an active card holding
// points, and returns the member and the card.
func (a worldAPI) memberWithPoints(points int64) (uuid.UUID, uuid.UUID) {
	a.t.Helper()
	m := a.world.Member(a.t, a.DB)
	typ, card := service.NewID(), service.NewID()
	if _, err := a.DB.Pool.Exec(a.ctx, `INSERT INTO card_types (id, group_id, code, name, kind)
		VALUES ($1, $2, $3, 'SV', 'stored_value')`, typ, a.world.GroupID, "t"+typ.String()[24:]); err != nil {
		a.t.Fatal(err)
	}
	if _, err := a.DB.Pool.Exec(a.ctx, `INSERT INTO cards (id, group_id, member_id, card_type_id, number)
		VALUES ($1, $2, $3, $4, $5)`, card, a.world.GroupID, m, typ, "C"+card.String()[24:]); err != nil {
		a.t.Fatal(err)
	}
	a.EarnPoints(card, points)
	return m, card
}

func (a worldAPI) points(card uuid.UUID) string {
	a.t.Helper()
	b, err := a.Ledger.CardBalances(a.ctx, card)
	if err != nil {
		a.t.Fatal(err)
	}
	return b.Points.String()
}

const createResource = `mutation($in: CreateBookableResourceInput!) { createBookableResource(input: $in) {
	resource { id mallId name kind freeCancelHours pricePoints priceAmount } userErrors { code field } } }`

const createSlot = `mutation($in: CreateBookingSlotInput!) { createBookingSlot(input: $in) {
	slot { id resourceId capacity booked available } userErrors { code field } } }`

// resource creates a resource over GraphQL as staff and returns its global ID.
func (a worldAPI) resource(staff context.Context, name string, points int) string {
	a.t.Helper()
	out := a.Do(staff, createResource, map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", a.world.MallID),
		"name": name, "kind": "lounge", "pricePoints": points}})
	id, _ := field(out, "data", "createBookableResource", "resource", "id").(string)
	if id == "" {
		a.t.Fatalf("createBookableResource: %v", out)
	}
	return id
}

// slot creates a slot of resource starting at start over GraphQL and returns its global ID.
func (a worldAPI) slot(staff context.Context, resource string, start time.Time) string {
	a.t.Helper()
	out := a.Do(staff, createSlot, map[string]any{"in": map[string]any{"resourceId": resource,
		"startsAt": start.Format(time.RFC3339), "endsAt": start.Add(time.Hour).Format(time.RFC3339), "capacity": 5}})
	id, _ := field(out, "data", "createBookingSlot", "slot", "id").(string)
	if id == "" || field(out, "data", "createBookingSlot", "slot", "available") != float64(5) {
		a.t.Fatalf("createBookingSlot: %v", out)
	}
	return id
}

func qrDataURLHolds(t *testing.T, url, want string) bool {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(url, "data:image/png;base64,"))
	if err != nil || !strings.HasPrefix(url, "data:image/png;base64,") {
		t.Fatalf("qrPng %.40q: %v", url, err)
	}
	return servicetest.QRHolds(t, raw, want)
}

const book = `mutation($in: CreateBookingInput!) { createBooking(input: $in) { booking { id status paidWith pricePoints
	priceAmount qrToken qrPng createdAt slot { id booked available resource { name pricePoints } } } userErrors { code } } }`

// TestBookingsGraphQLPaidWithPoints: staff creates a resource costing points and a
// slot; a shopper browses them, cannot book without choosing how to pay, then books
// with points: the card loses the price and the booking shows the charge and its QR.
func TestBookingsGraphQLPaidWithPoints(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	ops := a.ops
	out := a.Do(ops, createResource, map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", a.world.MallID),
		"name": "VIP lounge", "kind": "lounge", "freeCancelHours": 4, "pricePoints": 300}})
	res := field(out, "data", "createBookableResource", "resource")
	if field(res, "pricePoints") != float64(300) || field(res, "priceAmount") != "0" ||
		field(res, "freeCancelHours") != float64(4) || field(res, "mallId") != relay.ID("Mall", a.world.MallID) {
		t.Fatalf("createBookableResource: %v", out)
	}
	resID := field(res, "id").(string)
	start := time.Now().Add(24 * time.Hour).Truncate(time.Minute)
	slotID := a.slot(a.world.MallStaff(a.ctx), resID, start)

	member, card := a.memberWithPoints(1000)
	shopper := redemptiontest.Shopper(a.ctx, member)
	out = a.Do(shopper, `query($m: ID!, $r: ID!, $from: DateTime!, $to: DateTime!) {
		bookableResources(mallId: $m) { id name pricePoints }
		bookingSlots(resourceId: $r, from: $from, to: $to) { id startsAt available resource { id } }
		node(id: $r) { ... on BookableResource { name } } }`,
		map[string]any{"m": relay.ID("Mall", a.world.MallID), "r": resID,
			"from": start.Add(-time.Hour).Format(time.RFC3339), "to": start.Add(time.Hour).Format(time.RFC3339)})
	if field(out, "data", "bookableResources", 0, "id") != resID || field(out, "data", "bookingSlots", 0, "id") != slotID ||
		field(out, "data", "bookingSlots", 0, "resource", "id") != resID || field(out, "data", "node", "name") != "VIP lounge" {
		t.Fatalf("browse: %v", out)
	}

	out = a.Do(shopper, book, map[string]any{"in": map[string]any{"slotId": slotID, "idempotencyKey": "b0"}})
	if field(out, "data", "createBooking", "userErrors", 0, "code") != "BOOKING_PAYMENT_REQUIRED" {
		t.Fatalf("booking without payWith: %v", out)
	}
	out = a.Do(shopper, book, map[string]any{"in": map[string]any{"slotId": slotID, "payWith": "POINTS", "idempotencyKey": "b1"}})
	b := field(out, "data", "createBooking", "booking")
	if field(b, "status") != "booked" || field(b, "paidWith") != "POINTS" || field(b, "pricePoints") != float64(300) ||
		field(b, "priceAmount") != "0" || field(b, "createdAt") == nil || field(b, "slot", "id") != slotID ||
		field(b, "slot", "available") != float64(4) || field(b, "slot", "resource", "pricePoints") != float64(300) {
		t.Fatalf("booking with points: %v", out)
	}
	if !qrDataURLHolds(t, field(b, "qrPng").(string), field(b, "qrToken").(string)) {
		t.Fatalf("the QR does not hold the booking's token")
	}
	if got := a.points(card); got != "700" {
		t.Fatalf("points after booking: %s, want 700", got)
	}
	out = a.Do(shopper, book, map[string]any{"in": map[string]any{"slotId": slotID, "payWith": "POINTS", "idempotencyKey": "b1"}})
	if field(out, "data", "createBooking", "booking", "id") != field(b, "id") || a.points(card) != "700" {
		t.Fatalf("a repeat charged again or booked another: %v", out)
	}
}

// TestBookingsGraphQLStaffScope: merchant staff and staff of another mall cannot create
// resources or slots.
func TestBookingsGraphQLStaffScope(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	resID := a.resource(a.world.MallStaff(a.ctx), "Parking P1", 0)
	other := servicetest.Context(servicetest.Staff(auth.RoleAdmin, auth.LevelMall, a.world.OtherMallID))
	for name, ctx := range map[string]context.Context{
		"merchant staff":   redemptiontest.MerchantStaff(a.ctx, a.world.MerchantA),
		"other mall admin": other,
		"shopper":          redemptiontest.Shopper(a.ctx, a.world.Member(t, a.DB)),
	} {
		out := a.Do(ctx, createResource, map[string]any{"in": map[string]any{"mallId": relay.ID("Mall", a.world.MallID),
			"name": "Spa"}})
		if field(out, "errors", 0, "extensions", "code") != "FORBIDDEN" || field(out, "data", "createBookableResource") != nil {
			t.Errorf("%s creates a resource: %v", name, out)
		}
		start := time.Now().Add(time.Hour).Format(time.RFC3339)
		out = a.Do(ctx, createSlot, map[string]any{"in": map[string]any{"resourceId": resID, "startsAt": start,
			"endsAt": time.Now().Add(2 * time.Hour).Format(time.RFC3339), "capacity": 1}})
		if field(out, "errors", 0, "extensions", "code") != "FORBIDDEN" {
			t.Errorf("%s creates a slot: %v", name, out)
		}
	}
	out := a.Do(other, `query($m: ID!) { bookableResources(mallId: $m) { id } }`,
		map[string]any{"m": relay.ID("Mall", a.world.MallID)})
	if field(out, "errors", 0, "extensions", "code") != "FORBIDDEN" {
		t.Errorf("other mall's staff lists resources: %v", out)
	}
	out = a.Do(redemptiontest.MerchantStaff(a.ctx, a.world.MerchantA), `query($m: ID!) { bookableResources(mallId: $m) { id } }`,
		map[string]any{"m": relay.ID("Mall", a.world.MallID)})
	if field(out, "data", "bookableResources", 0, "id") != resID {
		t.Errorf("the mall's merchant staff lists resources: %v", out)
	}
	out = a.Do(a.world.MallStaff(a.ctx), createResource, map[string]any{"in": map[string]any{
		"mallId": relay.ID("Mall", a.world.MallID), "name": "Spa", "kind": "sauna"}})
	if field(out, "data", "createBookableResource", "userErrors", 0, "code") != "INVALID_INPUT" {
		t.Errorf("unknown kind: %v", out)
	}
}

// TestBookingSlotsBadRange: an empty, reversed or over-31-day window is BAD_USER_INPUT.
func TestBookingSlotsBadRange(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	resID := a.resource(a.world.MallStaff(a.ctx), "Hall", 0)
	shopper := redemptiontest.Shopper(a.ctx, a.world.Member(t, a.DB))
	now := time.Now()
	for name, to := range map[string]time.Time{"empty": now, "reversed": now.Add(-time.Hour), "32 days": now.AddDate(0, 0, 32)} {
		out := a.Do(shopper, `query($r: ID!, $from: DateTime!, $to: DateTime!) { bookingSlots(resourceId: $r, from: $from, to: $to) { id } }`,
			map[string]any{"r": resID, "from": now.Format(time.RFC3339), "to": to.Format(time.RFC3339)})
		if field(out, "errors", 0, "extensions", "code") != "BAD_USER_INPUT" {
			t.Errorf("%s range: %v", name, out)
		}
	}
}

// TestMyBookingsPages: three bookings come back newest first, two and then one.
func TestMyBookingsPages(t *testing.T) {
	t.Parallel()
	a := newWorldAPI(t)
	staff := a.world.MallStaff(a.ctx)
	resID := a.resource(staff, "Event", 0)
	shopper := redemptiontest.Shopper(a.ctx, a.world.Member(t, a.DB))
	start := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	var ids []string
	for i := range 3 {
		slotID := a.slot(staff, resID, start.Add(time.Duration(i)*time.Hour))
		out := a.Do(shopper, book, map[string]any{"in": map[string]any{"slotId": slotID, "idempotencyKey": slotID}})
		id, _ := field(out, "data", "createBooking", "booking", "id").(string)
		if id == "" || field(out, "data", "createBooking", "booking", "paidWith") != nil {
			t.Fatalf("free booking: %v", out)
		}
		ids = append(ids, id)
	}
	const mine = `query($after: String) { myBookings(first: 2, after: $after) {
		edges { cursor node { id slotId qrToken } } pageInfo { hasNextPage endCursor } } }`
	out := a.Do(shopper, mine, nil)
	conn := field(out, "data", "myBookings")
	if field(conn, "edges", 0, "node", "id") != ids[2] || field(conn, "edges", 1, "node", "id") != ids[1] ||
		field(conn, "pageInfo", "hasNextPage") != true || field(conn, "edges", 0, "node", "qrToken") == "" {
		t.Fatalf("first page: %v", out)
	}
	out = a.Do(shopper, mine, map[string]any{"after": field(conn, "pageInfo", "endCursor")})
	conn = field(out, "data", "myBookings")
	if edges, _ := field(conn, "edges").([]any); len(edges) != 1 || field(conn, "edges", 0, "node", "id") != ids[0] ||
		field(conn, "pageInfo", "hasNextPage") != false {
		t.Fatalf("second page: %v", out)
	}
	out = a.Do(staff, mine, nil)
	if field(out, "errors", 0, "extensions", "code") != "FORBIDDEN" {
		t.Fatalf("staff reads myBookings: %v", out)
	}
}
