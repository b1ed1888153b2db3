package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/notify/internal/queries"
	"github.com/atrium-mall/atrium/service/notify/rules"
	"github.com/atrium-mall/atrium/service/notify/sms"
)

// Delivery statuses.
const (
	StatusPending = "pending"
	StatusSending = "sending"
	StatusSent    = "sent"
	StatusFailed  = "failed"
	StatusSkipped = "skipped" // not sent by rule: no grant, no openid or phone, opted out, daily cap
)

// dispatchBatch is how many events one Dispatch expands.
const dispatchBatch = 200

// Dispatch expands undispatched outbox events into their deliveries (one per channel
// the event goes by), in one transaction; concurrent dispatchers skip each other's
// events. It returns how many events it expanded.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	var n int
	err := s.inTx(ctx, func(q *queries.Queries) error {
		evs, err := q.UndispatchedEvents(ctx, dispatchBatch)
		if err != nil || len(evs) == 0 {
			return err
		}
		ids := make([]uuid.UUID, len(evs))
		for i, ev := range evs {
			ids[i] = ev.ID
			if err := s.expand(ctx, q, ev); err != nil {
				return err
			}
		}
		n = len(evs)
		now := s.now()
		return q.MarkDispatched(ctx, &now, ids)
	})
	return n, err
}

// channelsFor is the channels an event goes by, with a note for a channel chosen as
// the mandatory SMS fallback at once (no WeChat template for the kind).
func (s *Service) channelsFor(ev queries.NotifyEvent, off []string) map[string]string {
	on := func(ch string) bool { return rules.Mandatory(ev.Kind) || !slices.Contains(off, ch) }
	out := map[string]string{}
	if on(InApp) && !rules.InAppElsewhere(ev.Kind) {
		out[InApp] = ""
	}
	if ev.RecipientKind != ToMember {
		return out
	}
	_, hasWeChat := s.cfg.WeChatTemplates[ev.Kind]
	_, hasSMS := s.cfg.SMSTemplates[ev.Kind]
	if hasWeChat && on(WeChat) {
		out[WeChat] = ""
	}
	switch {
	case hasSMS && rules.SMSFirst(ev.Kind) && on(SMS):
		out[SMS] = ""
	case hasSMS && rules.Mandatory(ev.Kind) && !hasWeChat:
		out[SMS] = "fallback: no WeChat template for the kind"
	}
	return out
}

func (s *Service) expand(ctx context.Context, q *queries.Queries, ev queries.NotifyEvent) error {
	var off []string
	if ev.RecipientKind == ToMember {
		var err error
		if off, err = q.DisabledChannels(ctx, queries.DisabledChannelsParams{GroupID: ev.GroupID,
			MemberID: ev.RecipientID, Kind: ev.Kind}); err != nil {
			return err
		}
	}
	for ch, note := range s.channelsFor(ev, off) {
		if err := s.insertDelivery(ctx, q, ev, ch, nil, note); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) insertDelivery(ctx context.Context, q *queries.Queries, ev queries.NotifyEvent, ch string,
	fallbackOf *uuid.UUID, note string) error {
	_, err := q.InsertDelivery(ctx, queries.InsertDeliveryParams{ID: service.NewID(), GroupID: ev.GroupID,
		MallID: ev.MallID, EventID: ev.ID, Kind: ev.Kind, Channel: ch, RecipientKind: ev.RecipientKind,
		RecipientID: ev.RecipientID, Status: StatusPending, NextAt: s.now(), FallbackOf: fallbackOf, LastError: note,
		CreatedAt: s.now()})
	return err
}

// Report counts what a Deliver call did.
type Report struct {
	Claimed, Sent, Retried, Failed, Skipped, Fallbacks int
}

// outcome is one attempt's result.
type outcome struct {
	verdict   rules.Verdict
	skipped   bool
	code, msg string
	ref       string
}

func skip(code, msg string) outcome { return outcome{skipped: true, code: code, msg: msg} }

// claimTTL bounds a send; a claim older than this is recorded INTERRUPTED.
const claimTTL = 2 * time.Minute

// Deliver sends the due deliveries of one channel: it claims a batch (no other worker
// can hold them), attempts each once, and records the outcome; a mandatory message
// WeChat could not deliver gets an SMS delivery. worker names the claimant (instance
// and goroutine).
func (s *Service) Deliver(ctx context.Context, channel, worker string) (Report, error) {
	var rep Report
	now := s.now()
	q := queries.New(s.db.Pool)
	if _, err := q.ExpireClaims(ctx, now, channel); err != nil {
		return rep, err
	}
	claimed, err := q.ClaimDue(ctx, queries.ClaimDueParams{Worker: s.cfg.Instance + "/" + worker,
		Until: new(now.Add(claimTTL)), Now: now, Channel: channel, Max: int32(s.cfg.Batch)})
	if err != nil || len(claimed) == 0 {
		return rep, err
	}
	rep.Claimed = len(claimed)
	evs, err := s.events(ctx, claimed)
	if err != nil {
		return rep, err
	}
	for _, d := range claimed {
		o := s.attempt(ctx, d, evs[d.EventID])
		if err := s.finish(ctx, d, evs[d.EventID], o, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

func (s *Service) events(ctx context.Context, ds []queries.NotifyDelivery) (map[uuid.UUID]queries.NotifyEvent, error) {
	ids := make([]uuid.UUID, len(ds))
	for i, d := range ds {
		ids[i] = d.EventID
	}
	rows, err := queries.New(s.db.Pool).EventsByIDs(ctx, ids)
	out := make(map[uuid.UUID]queries.NotifyEvent, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, err
}

func payloadOf(ev queries.NotifyEvent) map[string]string {
	m := map[string]string{}
	_ = json.Unmarshal(ev.Payload, &m)
	return m
}

// attempt sends one delivery once.
func (s *Service) attempt(ctx context.Context, d queries.NotifyDelivery, ev queries.NotifyEvent) outcome {
	switch d.Channel {
	case InApp:
		return s.toInbox(ctx, d, ev)
	case WeChat:
		return s.toWeChat(ctx, d, ev)
	case SMS:
		return s.toSMS(ctx, d, ev)
	}
	return outcome{verdict: rules.GiveUp, code: "UNKNOWN_CHANNEL"}
}

func (s *Service) toInbox(ctx context.Context, d queries.NotifyDelivery, ev queries.NotifyEvent) outcome {
	title, body := rules.Render(ev.Kind, payloadOf(ev))
	_, err := queries.New(s.db.Pool).InsertInbox(ctx, queries.InsertInboxParams{ID: service.NewID(), GroupID: d.GroupID,
		MallID: d.MallID, EventID: d.EventID, RecipientKind: d.RecipientKind, RecipientID: d.RecipientID, Kind: d.Kind,
		Title: title, Body: body, CreatedAt: s.now()})
	if err != nil {
		return outcome{verdict: rules.Retry, code: "STORE", msg: err.Error()}
	}
	return outcome{verdict: rules.Sent}
}

func (s *Service) contact(ctx context.Context, member uuid.UUID) (Contact, error) {
	cs, err := s.contacts.MemberContacts(ctx, []uuid.UUID{member})
	return cs[member], err
}

// templateData fills a WeChat template's keys from the payload and the rendered title
// and body; thing values are clipped to WeChat's 20 characters.
func templateData(t WeChatTemplate, kind string, p map[string]string) map[string]string {
	title, body := rules.Render(kind, p)
	out := make(map[string]string, len(t.Fields))
	for key, field := range t.Fields {
		v := p[field]
		switch field {
		case "title":
			v = title
		case "body":
			v = body
		}
		if len(key) >= 5 && key[:5] == "thing" {
			v = rules.Clip(v, 20)
		}
		out[key] = v
	}
	return out
}

func (s *Service) toWeChat(ctx context.Context, d queries.NotifyDelivery, ev queries.NotifyEvent) outcome {
	t, ok := s.cfg.WeChatTemplates[d.Kind]
	if !ok {
		return skip("NO_TEMPLATE", "no WeChat template for "+d.Kind)
	}
	c, err := s.contact(ctx, d.RecipientID)
	if err != nil {
		return outcome{verdict: rules.Retry, code: "CONTACTS", msg: err.Error()}
	}
	if c.OpenID == "" {
		return skip("NO_OPENID", "the member has no WeChat openid")
	}
	g := grantKey{GroupID: d.GroupID, MemberID: d.RecipientID, TemplateID: t.ID}
	q := queries.New(s.db.Pool)
	n, err := q.ConsumeGrant(ctx, queries.ConsumeGrantParams{Now: s.now(), GroupID: g.GroupID, MemberID: g.MemberID,
		TemplateID: g.TemplateID})
	if err != nil {
		return outcome{verdict: rules.Retry, code: "STORE", msg: err.Error()}
	}
	if n == 0 {
		return skip("NO_GRANT", "no one-time subscription grant left for the template")
	}
	code, msg, err := s.wechat.Send(ctx, SubscribeMessage{ToUser: c.OpenID, TemplateID: t.ID, Page: t.Page,
		State: s.cfg.MiniprogramState, Data: templateData(t, d.Kind, payloadOf(ev))})
	switch {
	case err != nil:
		s.restoreGrant(ctx, g)
		return outcome{verdict: rules.Retry, code: "TRANSPORT", msg: err.Error()}
	case code == 43101:
		_ = q.ClearGrants(ctx, queries.ClearGrantsParams{Now: s.now(), GroupID: g.GroupID, MemberID: g.MemberID,
			TemplateID: g.TemplateID})
		return outcome{verdict: rules.Refused, code: "43101", msg: msg}
	case code != 0:
		s.restoreGrant(ctx, g)
	}
	return outcome{verdict: rules.WeChatErr(code), code: fmt.Sprint(code), msg: msg}
}

type grantKey struct {
	GroupID, MemberID uuid.UUID
	TemplateID        string
}

func (s *Service) restoreGrant(ctx context.Context, g grantKey) {
	err := queries.New(s.db.Pool).RestoreGrant(context.WithoutCancel(ctx), queries.RestoreGrantParams{Now: s.now(),
		GroupID: g.GroupID, MemberID: g.MemberID, TemplateID: g.TemplateID})
	if err != nil {
		s.log.ErrorContext(ctx, "notify: give back a WeChat grant", "err", err)
	}
}

func (s *Service) toSMS(ctx context.Context, d queries.NotifyDelivery, ev queries.NotifyEvent) outcome {
	t, ok := s.cfg.SMSTemplates[d.Kind]
	if !ok {
		return skip("NO_TEMPLATE", "no SMS template for "+d.Kind)
	}
	if d.RecipientKind != ToMember {
		return skip("NO_PHONE", "SMS goes to members only")
	}
	c, err := s.contact(ctx, d.RecipientID)
	if err != nil {
		return outcome{verdict: rules.Retry, code: "CONTACTS", msg: err.Error()}
	}
	if c.Phone == "" {
		return skip("NO_PHONE", "the member has no phone number")
	}
	place, err := s.org.MallPlace(ctx, nil, d.MallID)
	if err != nil {
		return outcome{verdict: rules.Retry, code: "STORE", msg: err.Error()}
	}
	day := s.now().In(place.Loc).Format(time.DateOnly)
	dayT, _ := time.Parse(time.DateOnly, day)
	q := queries.New(s.db.Pool)
	slot := queries.TakeSmsSlotParams{GroupID: d.GroupID, MallID: d.MallID, Day: dayT, Cap: int32(s.cfg.SMSDailyCap)}
	if n, err := q.TakeSmsSlot(ctx, slot); err != nil {
		return outcome{verdict: rules.Retry, code: "STORE", msg: err.Error()}
	} else if n == 0 {
		return skip("DAILY_CAP", fmt.Sprintf("the mall's %d SMS of the day are used up", s.cfg.SMSDailyCap))
	}
	p := payloadOf(ev)
	title, body := rules.Render(d.Kind, p)
	params := make([]sms.Param, len(t.Params))
	for i, f := range t.Params {
		v := p[f]
		switch f {
		case "title":
			v = title
		case "body":
			v = body
		}
		params[i] = sms.Param{Name: f, Value: v}
	}
	res, err := s.sms.Send(ctx, sms.Message{Phone: c.Phone, Sign: s.cfg.SMSSign, Template: t.Code, Params: params})
	if err != nil || res.Verdict != rules.Sent {
		_ = q.ReturnSmsSlot(context.WithoutCancel(ctx), queries.ReturnSmsSlotParams{GroupID: d.GroupID,
			MallID: d.MallID, Day: dayT})
	}
	if err != nil {
		return outcome{verdict: rules.Retry, code: "TRANSPORT", msg: err.Error()}
	}
	return outcome{verdict: res.Verdict, code: res.Code, msg: res.Message, ref: res.Ref}
}

// finish records an attempt's outcome, and the SMS fallback of a mandatory message
// WeChat did not deliver, in one transaction.
func (s *Service) finish(ctx context.Context, d queries.NotifyDelivery, ev queries.NotifyEvent, o outcome,
	rep *Report) error {
	now := s.now()
	arg := queries.FinishDeliveryParams{ID: d.ID, Worker: d.ClaimedBy, ErrorCode: o.code, LastError: o.msg,
		ProviderRef: o.ref, NextAt: d.NextAt, Now: now}
	v := rules.Retryable(o.verdict, int(d.Attempts), s.cfg.MaxAttempts)
	switch {
	case o.skipped:
		arg.Status = StatusSkipped
		rep.Skipped++
	case v == rules.Sent:
		arg.Status, arg.SentAt = StatusSent, &now
		rep.Sent++
	case v == rules.Retry:
		arg.Status, arg.NextAt = StatusPending, now.Add(rules.Backoff(int(d.Attempts)))
		rep.Retried++
	default:
		arg.Status = StatusFailed
		rep.Failed++
	}
	fallback := d.Channel == WeChat && d.RecipientKind == ToMember && rules.Mandatory(d.Kind) &&
		(arg.Status == StatusSkipped || arg.Status == StatusFailed)
	if _, hasSMS := s.cfg.SMSTemplates[d.Kind]; !hasSMS {
		fallback = false
	}
	return s.inTx(ctx, func(q *queries.Queries) error {
		n, err := q.FinishDelivery(ctx, arg)
		if err != nil {
			return err
		}
		if n == 0 {
			return errors.New("notify: lost the claim of a delivery")
		}
		if !fallback {
			return nil
		}
		rep.Fallbacks++
		return s.insertDelivery(ctx, q, ev, SMS, &d.ID, "fallback: WeChat "+o.code)
	})
}
