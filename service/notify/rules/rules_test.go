package rules

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		name string
		n    int
		want time.Duration
	}{
		{"first retry after 30s", 1, 30 * time.Second},
		{"second doubles", 2, time.Minute},
		{"fifth", 5, 8 * time.Minute},
		{"capped at an hour", 20, time.Hour},
		{"zero treated as one", 0, 30 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Backoff(c.n); got != c.want {
				t.Fatalf("Backoff(%d) = %v, want %v", c.n, got, c.want)
			}
		})
	}
}

func TestWeChatErr(t *testing.T) {
	for _, c := range []struct {
		name    string
		errcode int
		want    Verdict
	}{
		{"ok", 0, Sent},
		{"43101 user refused: recorded, not retried", 43101, Refused},
		{"system busy retried", -1, Retry},
		{"stale token retried", 40001, Retry},
		{"expired token retried", 42001, Retry},
		{"bad template id given up", 40037, GiveUp},
		{"bad data given up", 47003, GiveUp},
		{"unknown given up", 99999, GiveUp},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := WeChatErr(c.errcode); got != c.want {
				t.Fatalf("WeChatErr(%d) = %v, want %v", c.errcode, got, c.want)
			}
		})
	}
}

func TestSMSErr(t *testing.T) {
	for _, c := range []struct {
		name string
		got  Verdict
		want Verdict
	}{
		{"aliyun OK", AliyunErr("OK"), Sent},
		{"aliyun flow control retried", AliyunErr("isv.BUSINESS_LIMIT_CONTROL"), Retry},
		{"aliyun bad mobile given up", AliyunErr("isv.MOBILE_NUMBER_ILLEGAL"), GiveUp},
		{"tencent Ok", TencentErr("Ok"), Sent},
		{"tencent frequency limit retried", TencentErr("LimitExceeded.PhoneNumberThirtySecondLimit"), Retry},
		{"tencent bad signature given up", TencentErr("AuthFailure.SignatureFailure"), GiveUp},
		{"retry turns into give up at max", Retryable(Retry, 5, 5), GiveUp},
		{"retry stays below max", Retryable(Retry, 4, 5), Retry},
		{"refused is never retried", Retryable(Refused, 1, 5), Refused},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Fatalf("got %v, want %v", c.got, c.want)
			}
		})
	}
}

func TestMandatory(t *testing.T) {
	for _, c := range []struct {
		kind string
		want bool
	}{
		{BillIssued, true}, {BillDue, true}, {BillOverdue, true}, {PaymentReceived, true}, {ContractExpiring, true},
		{Birthday, false}, {RedemptionDone, false}, {GroupMessage, false}, {WorkOrderUpdated, false},
	} {
		t.Run(c.kind, func(t *testing.T) {
			if got := Mandatory(c.kind); got != c.want {
				t.Fatalf("Mandatory(%s) = %v", c.kind, got)
			}
		})
	}
}

func TestRender(t *testing.T) {
	for _, c := range []struct {
		name             string
		kind             string
		payload          map[string]string
		wantTitle, wantB string
	}{
		{"title and body given", GroupMessage, map[string]string{"title": "周末活动", "body": "满200减50"}, "周末活动", "满200减50"},
		{"fields listed in key order", BillIssued, map[string]string{"period": "2026-11", "amount": "1200.00"}, "账单已出",
			"amount: 1200.00; period: 2026-11"},
		{"no payload", Birthday, nil, "生日快乐", "生日快乐"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ti, b := Render(c.kind, c.payload)
			if ti != c.wantTitle || b != c.wantB {
				t.Fatalf("Render = %q, %q", ti, b)
			}
		})
	}
	if got := Clip("一二三四五六七八九十一二三四五六七八九十一二", 20); got != "一二三四五六七八九十一二三四五六七八九…" {
		t.Fatalf("Clip = %q", got)
	}
}
