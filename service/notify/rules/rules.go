// Package rules holds the pure rules of notifications: which event kinds are mandatory
// (money and contract messages, which a member cannot turn off and which fall back to
// SMS), the retry back-off, how a WeChat or SMS answer is classified (sent, retry, give
// up, refused), and how an event's payload becomes a message's title and body.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Event kinds.
const (
	RedemptionDone    = "redemption_done"
	BookingReminder   = "booking_reminder"
	BillIssued        = "bill_issued"
	BillDue           = "bill_due"
	BillOverdue       = "bill_overdue"
	PaymentReceived   = "payment_received"
	WorkOrderAssigned = "workorder_assigned"
	WorkOrderUpdated  = "workorder_updated"
	WorkOrderBreached = "workorder_breached"
	Birthday          = "birthday"
	PointsExpiring    = "points_expiring"
	ContractExpiring  = "contract_expiring"
	GroupMessage      = "group_message"
)

// Kinds lists every event kind.
var Kinds = []string{RedemptionDone, BookingReminder, BillIssued, BillDue, BillOverdue, PaymentReceived,
	WorkOrderAssigned, WorkOrderUpdated, WorkOrderBreached, Birthday, PointsExpiring, ContractExpiring, GroupMessage}

// KnownKind reports whether k is an event kind.
func KnownKind(k string) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Mandatory reports whether kind is a money or contract message: a recipient cannot turn
// it off, and when WeChat cannot deliver it, it goes by SMS.
func Mandatory(kind string) bool {
	switch kind {
	case BillIssued, BillDue, BillOverdue, PaymentReceived, ContractExpiring:
		return true
	}
	return false
}

// SMSFirst reports whether kind goes by SMS in its own right (not only as a fallback):
// birthday greetings and group messages (product: "SMS (birthday greetings, group messages)").
func SMSFirst(kind string) bool { return kind == Birthday || kind == GroupMessage }

// InAppElsewhere reports whether kind's in-app message is kept by its producer: the
// loyalty context lists birthday and expiring-points reminders itself (myNotifications).
func InAppElsewhere(kind string) bool { return kind == Birthday || kind == PointsExpiring }

// Backoff is how long to wait before attempt n+1 after n failed attempts (n ≥ 1):
// 30 s doubling, capped at one hour.
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Verdict is what to do with a delivery after an attempt.
type Verdict int

// Verdicts.
const (
	Sent    Verdict = iota // delivered
	Retry                  // try again later (transient)
	GiveUp                 // permanent failure: record, do not retry
	Refused                // the user refused the message (WeChat 43101): record, do not retry
)

func (v Verdict) String() string {
	return [...]string{"sent", "retry", "give up", "refused"}[v]
}

// WeChatErr classifies a subscribe-message errcode. Token errors (40001, 42001) are
// retried once at once with a fresh token by the client; if they reach here, retry later.
func WeChatErr(errcode int) Verdict {
	switch errcode {
	case 0:
		return Sent
	case 43101:
		return Refused
	case -1, 40001, 42001, 45009, 45011:
		return Retry // system busy, token, api limits
	case 40003, 40037, 47003, 41030:
		return GiveUp // bad openid, template id, data or page: sending again will not help
	}
	return GiveUp
}

// TokenRejected reports whether WeChat refused the access token itself.
func TokenRejected(errcode int) bool { return errcode == 40001 || errcode == 42001 }

// AliyunErr classifies an Aliyun SendSms Code.
func AliyunErr(code string) Verdict {
	switch {
	case code == "OK":
		return Sent
	case code == "isv.BUSINESS_LIMIT_CONTROL", code == "isp.SYSTEM_ERROR", code == "Throttling.User",
		code == "isv.OUT_OF_SERVICE", code == "ServiceUnavailable":
		return Retry
	}
	return GiveUp
}

// TencentErr classifies a Tencent Cloud SMS status or error Code.
func TencentErr(code string) Verdict {
	switch {
	case code == "Ok":
		return Sent
	case strings.HasPrefix(code, "LimitExceeded"), strings.HasPrefix(code, "InternalError"),
		code == "RequestLimitExceeded", code == "FailedOperation.InsufficientBalanceInSmsPackage":
		return Retry
	}
	return GiveUp
}

// Retryable decides a transient failure after n attempts: retry while n < max.
func Retryable(v Verdict, n, max int) Verdict {
	if v == Retry && n >= max {
		return GiveUp
	}
	return v
}

// titles are the message titles per kind.
var titles = map[string]string{
	RedemptionDone: "核销成功", BookingReminder: "预约提醒", BillIssued: "账单已出", BillDue: "账单即将到期",
	BillOverdue: "账单已逾期", PaymentReceived: "收款确认", WorkOrderAssigned: "工单已派发", WorkOrderUpdated: "工单进度更新",
	WorkOrderBreached: "工单超时", Birthday: "生日快乐", PointsExpiring: "积分即将过期", ContractExpiring: "合同即将到期",
	GroupMessage: "商场消息",
}

// Render is an event's title and body: the payload's "title" and "body" when given,
// else the kind's title and the payload's fields as "key: value" in key order.
func Render(kind string, payload map[string]string) (title, body string) {
	title = payload["title"]
	if title == "" {
		title = titles[kind]
	}
	if title == "" {
		title = kind
	}
	if body = payload["body"]; body != "" {
		return title, body
	}
	keys := make([]string, 0, len(payload))
	for k := range payload {
		if k != "title" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %s", k, payload[k]))
	}
	if len(parts) == 0 {
		return title, title
	}
	return title, strings.Join(parts, "; ")
}

// Clip cuts s to at most n characters (WeChat's thing.DATA holds 20), marking a cut with "…".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
