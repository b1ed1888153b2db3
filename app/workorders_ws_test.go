package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
)

// errorOf waits for the subscription's error (an error message, or a result with
// errors) and returns its payload.
func (c *wsClient) errorOf() string {
	c.t.Helper()
	for {
		m, err := c.read(5 * time.Second)
		if err != nil {
			c.t.Fatalf("waiting for an error: %v", err)
		}
		switch m.Type {
		case "error":
			return string(m.Payload)
		case "next":
			if !strings.Contains(string(m.Payload), `"errors"`) {
				c.t.Fatalf("an event reached a refused subscription: %s", m.Payload)
			}
			return string(m.Payload)
		}
	}
}

// TestWorkOrderSubscriptions, over real websockets: the desk hears of a tenant's new
// order and its assignment, the technician of the assignment to them, the tenant of its
// order's status changes and the shopper of their complaint's; nobody hears another's,
// and a tenant, or staff of another mall, cannot subscribe to a mall's events.
func TestWorkOrderSubscriptions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := auth.WithViewer(t.Context(), &auth.Viewer{Kind: auth.KindShopper})
	mall, err := e.app.Services.Org.MallByCode(ctx, "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	coffee, err := e.app.Services.Org.MerchantByCode(ctx, mall.ID, "COFFEE")
	if err != nil {
		t.Fatal(err)
	}
	other := e.otherMall()
	mallID := relay.ID("Mall", mall.ID)
	dial := func(token, query string, vars map[string]any) *wsClient {
		t.Helper()
		c, err := e.dialWS(token)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		c.subscribe(query, vars)
		return c
	}
	const staffSub = `subscription($m: ID!) { workOrderEvents(mallId: $m) { kind workOrderId status assigneeId } }`
	const mineSub = `subscription { myWorkOrderUpdates { kind workOrderId status } }`
	deskT, _ := e.login("desk")
	techT, _ := e.login("tech")
	tenantT, _ := e.login("coffee.tenant")
	desk2T, _ := e.login("desk2")
	r := e.do("", loginWeChatQ, map[string]any{"c": "wo-shopper"})
	shopperT, _ := path(r.Data, "loginWeChat", "accessToken").(string)

	// Refused: a tenant and another mall's desk on the mall's events; a shopper too.
	for who, tok := range map[string]string{"tenant": tenantT, "other mall's desk": desk2T, "shopper": shopperT} {
		if got := dial(tok, staffSub, map[string]any{"m": mallID}).errorOf(); !strings.Contains(got, "FORBIDDEN") {
			t.Fatalf("%s subscribed to the mall's events: %s", who, got)
		}
	}
	deskC := dial(deskT, staffSub, map[string]any{"m": mallID})
	techC := dial(techT, staffSub, map[string]any{"m": mallID})
	desk2C := dial(desk2T, staffSub, map[string]any{"m": relay.ID("Mall", other.ID)})
	tenantC := dial(tenantT, mineSub, nil)
	shopperC := dial(shopperT, mineSub, nil)
	e.waitSubscribed(e.app.Redis.Key("workorders", "mall", mall.ID.String()))
	e.waitSubscribed(e.app.Redis.Key("workorders", "mall", other.ID.String()))
	e.waitSubscribed(e.app.Redis.Key("workorders", "merchant", coffee.ID.String()))
	e.waitSubscribed(e.app.Redis.Key("workorders", "member", subject(t, shopperT).String()))

	const raise = `mutation($in: RaiseWorkOrderInput!) { raiseWorkOrder(input: $in) { workOrder { id status assigneeId } userErrors { code } } }`
	r = e.do(tenantT, raise, map[string]any{"in": map[string]any{"mallId": mallID, "merchantId": relay.ID("Merchant", coffee.ID),
		"category": "plumbing", "description": "leaking tap"}})
	order, _ := path(r.Data, "raiseWorkOrder", "workOrder", "id").(string)
	if order == "" || path(r.Data, "raiseWorkOrder", "workOrder", "status") != "ASSIGNED" {
		t.Fatalf("raise: %+v", r)
	}
	if got := deskC.next(); !strings.Contains(got, `"RAISED"`) || !strings.Contains(got, order) {
		t.Fatalf("desk's first event: %s", got)
	}
	if got := deskC.next(); !strings.Contains(got, `"ASSIGNED"`) {
		t.Fatalf("desk's second event: %s", got)
	}
	if got := techC.next(); !strings.Contains(got, `"ASSIGNED"`) || !strings.Contains(got, order) {
		t.Fatalf("technician's event: %s", got)
	}
	// The shopper's complaint goes to the desk; its status changes reach the shopper only.
	r = e.do(shopperT, raise, map[string]any{"in": map[string]any{"mallId": mallID, "category": "complaint",
		"description": "dirty toilets"}})
	complaint, _ := path(r.Data, "raiseWorkOrder", "workOrder", "id").(string)
	if complaint == "" {
		t.Fatalf("complaint: %+v", r)
	}
	r = e.do(deskT, `mutation($id: ID!) { acceptWorkOrder(id: $id) { workOrder { status } userErrors { code } } }`,
		map[string]any{"id": complaint})
	if got := shopperC.next(); !strings.Contains(got, `"ACCEPTED"`) || !strings.Contains(got, complaint) {
		t.Fatalf("shopper's event: %s (accept: %+v)", got, r)
	}
	r = e.do(techT, `mutation($id: ID!) { acceptWorkOrder(id: $id) { workOrder { status } userErrors { code } } }`,
		map[string]any{"id": order})
	if path(r.Data, "acceptWorkOrder", "workOrder", "status") != "ACCEPTED" {
		t.Fatalf("accept: %+v", r)
	}
	// The tenant's next event is its own order's, not the shopper's complaint.
	if got := tenantC.next(); !strings.Contains(got, `"ACCEPTED"`) || !strings.Contains(got, order) {
		t.Fatalf("tenant's event: %s", got)
	}
	// The technician heard nothing of the complaint's assignment to the desk, and the
	// other mall's desk nothing at all.
	for who, c := range map[string]*wsClient{"technician": techC, "other mall's desk": desk2C} {
		if m, err := c.read(500 * time.Millisecond); err == nil && m.Type == "next" {
			t.Fatalf("%s heard %s", who, m.Payload)
		}
	}
}
