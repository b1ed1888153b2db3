package feerules

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
func dec(s string) decimal.Decimal             { return decimal.RequireFromString(s) }
func decp(s string) *decimal.Decimal           { v := dec(s); return &v }

func TestAnnualPeriods(t *testing.T) {
	exp := d(2028, 3, 1)
	for _, tc := range []struct {
		name    string
		expires *time.Time
		today   time.Time
		want    int
	}{
		{"issue day: the first year is due", nil, d(2026, 3, 1), 1},
		{"before the first anniversary: one year", nil, d(2027, 2, 28), 1},
		{"on the first anniversary: two years", nil, d(2027, 3, 1), 2},
		{"no year starts at or after the expiry", &exp, d(2030, 1, 1), 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := AnnualPeriods(d(2026, 3, 1), tc.expires, tc.today)
			if len(got) != tc.want {
				t.Fatalf("periods %v, want %d", got, tc.want)
			}
		})
	}
	if n, ok := NextPeriod(d(2026, 3, 1), &exp, d(2026, 5, 1)); !ok || !n.Equal(d(2027, 3, 1)) {
		t.Fatalf("next %v %v", n, ok)
	}
	if _, ok := NextPeriod(d(2026, 3, 1), &exp, d(2027, 5, 1)); ok {
		t.Fatal("no year after the expiry")
	}
}

func TestPenalty(t *testing.T) {
	due := d(2026, 4, 1)
	perDay := Policy{GraceDays: 10, Mode: PenaltyPerDay, DailyRate: dec("0.001"), Cap: decp("5")}
	fixed := Policy{GraceDays: 0, Mode: PenaltyFixed, Fixed: dec("20"), Cap: decp("15")}
	for _, tc := range []struct {
		name   string
		p      Policy
		unpaid string
		today  time.Time
		want   string
	}{
		{"per day: not yet due", perDay, "300", d(2026, 3, 30), "0"},
		{"per day: within the grace", perDay, "300", d(2026, 4, 11), "0"},
		{"per day: first day after the grace counts every day late", perDay, "300", d(2026, 4, 12), "3.3"},
		{"per day: rounded to the fen", perDay, "123.45", d(2026, 4, 13), "1.48"},
		{"per day: capped", perDay, "300", d(2026, 6, 1), "5"},
		{"per day: nothing unpaid, nothing owed", perDay, "0", d(2026, 6, 1), "0"},
		{"fixed: on the due day nothing", fixed, "300", d(2026, 4, 1), "0"},
		{"fixed: the day after, capped", fixed, "300", d(2026, 4, 2), "15"},
		{"none: never", Policy{Mode: PenaltyNone}, "300", d(2027, 1, 1), "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Penalty(tc.p, dec(tc.unpaid), due, tc.today); !got.Equal(dec(tc.want)) {
				t.Fatalf("penalty %s, want %s", got, tc.want)
			}
		})
	}
}

func TestRenewal(t *testing.T) {
	now := d(2026, 6, 1)
	ahead, past := d(2026, 9, 1), d(2026, 1, 1)
	for _, tc := range []struct {
		name    string
		expires *time.Time
		want    time.Time
	}{
		{"still valid: from the expiry", &ahead, d(2027, 9, 1)},
		{"expired: from now", &past, d(2027, 6, 1)},
		{"no expiry: from now", nil, d(2027, 6, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Renewal(tc.expires, now, 12); !got.Equal(tc.want) {
				t.Fatalf("renewal %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWithdrawalFee(t *testing.T) {
	w := Withdrawal{Allowed: true, FeeRate: dec("0.02"), Min: decp("10"), Max: decp("500"), DailyLimit: decp("800")}
	for _, tc := range []struct {
		name          string
		w             Withdrawal
		amount, today string
		fee, net      string
		err           error
	}{
		{"not allowed", Withdrawal{}, "100", "0", "", "", ErrWithdrawalNotAllowed},
		{"fee rate applied", w, "100", "0", "2", "98", nil},
		{"fee rounded half up", w, "10.25", "0", "0.21", "10.04", nil},
		{"below the minimum", w, "9.99", "0", "", "", ErrWithdrawalBelowMin},
		{"above the maximum", w, "500.01", "0", "", "", ErrWithdrawalAboveMax},
		{"daily limit reached", w, "400", "400.01", "", "", ErrWithdrawalDailyLimit},
		{"daily limit exactly", w, "400", "400", "8", "392", nil},
		{"over-precise amount", w, "10.001", "0", "", "", ErrWithdrawalAmount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fee, net, err := WithdrawalFee(tc.w, dec(tc.amount), dec(tc.today))
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err == nil && (!fee.Equal(dec(tc.fee)) || !net.Equal(dec(tc.net))) {
				t.Fatalf("fee %s net %s, want %s %s", fee, net, tc.fee, tc.net)
			}
		})
	}
}
