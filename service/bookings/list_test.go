package bookings

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

// TestSlotsWindow lists the slots starting in [from, to), by start, and rejects empty,
// reversed and too long windows at the field "to".
func TestSlotsWindow(t *testing.T) {
	f := setup(t)
	staff := f.world.MallStaff(f.ctx)
	r, err := f.svc.CreateResource(staff, Resource{MallID: f.world.MallID, Name: "Parking", Kind: "parking"})
	if err != nil {
		t.Fatal(err)
	}
	base := f.clock.Now().Add(time.Hour)
	var ids []uuid.UUID
	for _, h := range []int{2, 0, 1, 3} { // created out of order
		sl, err := f.svc.CreateSlot(staff, r.ID, base.Add(time.Duration(h)*time.Hour), base.Add(time.Duration(h+1)*time.Hour), 2)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sl.ID)
	}
	shopper := redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db))
	got, err := f.svc.Slots(shopper, r.ID, base, base.Add(3*time.Hour)) // hours 0, 1, 2; not 3
	if err != nil {
		t.Fatal(err)
	}
	want := []uuid.UUID{ids[1], ids[2], ids[0]}
	if gotIDs := slotIDs(got); !slices.Equal(gotIDs, want) {
		t.Fatalf("slots %v, want %v", gotIDs, want)
	}
	for name, to := range map[string]time.Time{"empty": base, "reversed": base.Add(-time.Minute),
		"too long": base.Add(MaxSlotRange + time.Second)} {
		_, err := f.svc.Slots(shopper, r.ID, base, to)
		if e, ok := errs.As(err); !ok || !errors.Is(err, errs.ErrInvalid) || !slices.Equal(e.Field, []string{"to"}) {
			t.Errorf("%s window: %v", name, err)
		}
	}
	if _, err := f.svc.Slots(shopper, r.ID, base, base.Add(MaxSlotRange)); err != nil {
		t.Errorf("a window of exactly MaxSlotRange: %v", err)
	}
}

func slotIDs(list []Slot) []uuid.UUID {
	out := make([]uuid.UUID, len(list))
	for i, s := range list {
		out[i] = s.ID
	}
	return out
}

// TestResourcesVisibility: shoppers and the mall's staff (merchant staff included) read
// its resources and slots; another mall's staff gets FORBIDDEN for the list and NOT_FOUND
// for a single resource or slot.
func TestResourcesVisibility(t *testing.T) {
	f := setup(t)
	sl := f.slot(t, 3)
	readers := map[string]auth.Viewer{
		"shopper": {Kind: auth.KindShopper, ID: f.world.Member(t, f.db)},
		"merchant staff": {Kind: auth.KindStaff, ID: service.NewID(),
			Grants: []auth.Grant{{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: f.world.MerchantA}}},
		"mall security": {Kind: auth.KindStaff, ID: service.NewID(),
			Grants: []auth.Grant{{Role: auth.RoleSecurity, Level: auth.LevelMall, ScopeID: f.world.MallID}}},
	}
	for name, v := range readers {
		ctx := auth.WithViewer(f.ctx, &v)
		list, err := f.svc.Resources(ctx, f.world.MallID)
		if err != nil || len(list) != 1 || list[0].ID != sl.ResourceID || list[0].Kind != "lounge" {
			t.Errorf("%s lists %v, %v", name, list, err)
		}
		if got, err := f.svc.Slot(ctx, sl.ID); err != nil || got.Capacity != 3 || got.ResourceID != sl.ResourceID {
			t.Errorf("%s reads the slot: %v, %v", name, got, err)
		}
	}
	other := auth.WithViewer(f.ctx, &auth.Viewer{Kind: auth.KindStaff, ID: service.NewID(),
		Grants: []auth.Grant{{Role: auth.RoleAdmin, Level: auth.LevelMall, ScopeID: f.world.OtherMallID}}})
	if _, err := f.svc.Resources(other, f.world.MallID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("other mall's staff lists: %v", err)
	}
	if _, err := f.svc.Resource(other, sl.ResourceID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("other mall's staff reads the resource: %v", err)
	}
	if _, err := f.svc.Slot(other, sl.ID); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("other mall's staff reads the slot: %v", err)
	}
	if _, err := f.svc.Slot(f.world.MallStaff(f.ctx), uuid.New()); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("a missing slot: %v", err)
	}
}

// TestMyBookingsAndCancel: a member's bookings page newest first with their codes, and
// CancelBooking returns the whole cancelled booking.
func TestMyBookingsAndCancel(t *testing.T) {
	f := setup(t)
	member := f.world.Member(t, f.db)
	shopper := redemptiontest.Shopper(f.ctx, member)
	var ids []uuid.UUID
	for range 3 {
		b, err := f.svc.CreateBooking(shopper, f.slot(t, 1).ID, uuid.NewString())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, b.ID)
	}
	if _, err := f.svc.CreateBooking(redemptiontest.Shopper(f.ctx, f.world.Member(t, f.db)), f.slot(t, 1).ID, "x"); err != nil {
		t.Fatal(err)
	}
	p1, err := f.svc.MyBookings(shopper, page.Request{First: 2})
	if err != nil || !p1.HasNext || len(p1.Items) != 2 || p1.Items[0].ID != ids[2] || p1.Items[1].ID != ids[1] ||
		p1.Items[0].Token == "" || p1.Items[0].CreatedAt.IsZero() {
		t.Fatalf("first page %+v, %v", p1, err)
	}
	p2, err := f.svc.MyBookings(shopper, page.Request{First: 2, After: p1.Items[1].ID})
	if err != nil || p2.HasNext || len(p2.Items) != 1 || p2.Items[0].ID != ids[0] {
		t.Fatalf("second page %+v, %v", p2, err)
	}
	c, err := f.svc.CancelBooking(shopper, ids[0])
	if err != nil || c.Status != "cancelled" || c.Token == "" || c.Numeric == "" || c.MemberID != member {
		t.Fatalf("cancel: %+v, %v", c, err)
	}
	if _, err := f.svc.MyBookings(f.world.MallStaff(f.ctx), page.Request{First: 2}); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("staff lists myBookings: %v", err)
	}
}
