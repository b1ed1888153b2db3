package loyalty_test

import (
	"errors"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/loyalty"
)

func TestPointsFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		paid, rate, mult string
		cap              int
		want             string
	}{
		{"100", "1", "1", 0, "100"},
		{"99.99", "1", "1", 0, "99"},
		{"85", "2", "1.5", 0, "255"},
		{"1000", "2", "1", 500, "500"},
		{"0", "1", "1", 0, "0"},
		{"10", "0", "2", 0, "0"},
	} {
		got := loyalty.PointsFor(d(c.paid), loyalty.EarnRule{PointsPerYuan: d(c.rate), CapPerPurchase: c.cap}, d(c.mult))
		eq(t, c.paid+"×"+c.rate+"×"+c.mult, got, c.want)
	}
}

func TestDiscounted(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ amount, rate, want string }{
		{"100", "0.95", "95"}, {"99.99", "0.88", "87.99"}, {"0.05", "0.9", "0.05"}, {"10.01", "1", "10.01"},
	} {
		eq(t, c.amount+"×"+c.rate, loyalty.Discounted(d(c.amount), d(c.rate)), c.want)
	}
}

func TestExpiryOfIsEndOfBusinessDay(t *testing.T) {
	t.Parallel()
	sh, _ := time.LoadLocation("Asia/Shanghai")
	for _, c := range []struct {
		now  time.Time
		days int
		want time.Time
	}{
		// 23:30 UTC on 9 March is already 10 March in Shanghai.
		{time.Date(2026, 3, 9, 23, 30, 0, 0, time.UTC), 0, time.Date(2026, 3, 11, 0, 0, 0, 0, sh)},
		{time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC), 365, time.Date(2027, 3, 10, 0, 0, 0, 0, sh)},
		{time.Date(2026, 2, 28, 1, 0, 0, 0, sh), 1, time.Date(2026, 3, 2, 0, 0, 0, 0, sh)},
	} {
		if got := loyalty.ExpiryOf(c.now, sh, c.days); !got.Equal(c.want) {
			t.Errorf("ExpiryOf(%v, %d) = %v, want %v", c.now, c.days, got, c.want)
		}
	}
}

func TestMyCardValueIsOwnersOnly(t *testing.T) {
	b := setup(t)
	m, other := b.member(), b.member()
	b.recharge(m, "12.34")
	v, err := b.svc.MyCardValue(shopperCtx(m.ID), m.Card)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "stored value", v.StoredValue, "12.34")
	if _, err := b.svc.MyCardValue(shopperCtx(other.ID), m.Card); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("someone else's card: err = %v", err)
	}
}
