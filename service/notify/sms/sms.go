// Package sms sends text messages through a provider: Aliyun (阿里云短信, the RPC API
// signed with HMAC-SHA1) or Tencent Cloud (腾讯云短信, API 3.0 signed with
// TC3-HMAC-SHA256), both by their documented wire formats; Log stands in for development.
// A message names a registered sign (签名) and template (模板); the notify context keeps
// the registry and the daily cap.
package sms

import (
	"context"
	"log/slog"

	"github.com/atrium-mall/atrium/service/notify/rules"
)

// Param is one template parameter.
type Param struct{ Name, Value string }

// Message is one text message to one phone number (mainland numbers without +86 are
// sent as they are to Aliyun and with +86 to Tencent).
type Message struct {
	Phone    string
	Sign     string
	Template string
	Params   []Param
}

// Result is a provider's answer: what to do (sent, retry, give up), its code and
// message, and the provider's reference of a sent message.
type Result struct {
	Verdict rules.Verdict
	Code    string
	Message string
	Ref     string
}

// Provider sends one message. An error is a transport failure (retried); the
// provider's refusals come back in Result.
type Provider interface {
	Name() string
	Send(ctx context.Context, m Message) (Result, error)
}

// Log is the development provider: it logs each message and reports it sent.
type Log struct{ Logger *slog.Logger }

// Name implements Provider.
func (Log) Name() string { return "log" }

// Send implements Provider.
func (l Log) Send(ctx context.Context, m Message) (Result, error) {
	l.Logger.InfoContext(ctx, "sms (log provider, not sent)", "phone", m.Phone, "sign", m.Sign, "template", m.Template,
		"params", m.Params)
	return Result{Verdict: rules.Sent, Code: "OK", Ref: "log"}, nil
}
