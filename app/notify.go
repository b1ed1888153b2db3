package app

import (
	"context"
	"net/http"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/config"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/notify/sms"
)

// memberContacts adapts the members context to notify.Contacts.
type memberContacts struct{ m *members.Service }

func (c memberContacts) MemberContacts(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]notify.Contact, error) {
	cs, err := c.m.Contacts(ctx, ids)
	out := make(map[uuid.UUID]notify.Contact, len(cs))
	for id, x := range cs {
		out[id] = notify.Contact{GroupID: x.GroupID, OpenID: x.OpenID, Phone: x.Phone}
	}
	return out, err
}

// couponSegments adapts the coupons' segment selection to notify.Segments.
type couponSegments struct{ c *coupons.Service }

func (s couponSegments) SegmentMembers(ctx context.Context, mallID uuid.UUID, seg notify.Segment) ([]uuid.UUID, error) {
	return s.c.SegmentMembers(ctx, mallID, coupons.Segment{TierIDs: seg.TierIDs, Tags: seg.Tags,
		LastVisitWithinDays: seg.LastVisitWithinDays})
}

// smsProvider is the configured SMS provider (log in development).
func (a *App) smsProvider(hc *http.Client) sms.Provider {
	n := a.Cfg.Notify
	switch n.SMSProvider {
	case "aliyun":
		return &sms.Aliyun{Endpoint: n.Aliyun.Endpoint, AccessKeyID: n.Aliyun.AccessKeyID,
			AccessKeySecret: n.Aliyun.AccessKeySecret, RegionID: n.Aliyun.RegionID, HTTP: hc}
	case "tencent":
		return &sms.Tencent{Endpoint: n.Tencent.Endpoint, SecretID: n.Tencent.SecretID, SecretKey: n.Tencent.SecretKey,
			Region: n.Tencent.Region, SdkAppID: n.Tencent.SdkAppID, HTTP: hc}
	}
	return sms.Log{Logger: a.Log}
}

// notifyConfig is the registry and limits of cfg as the notify context takes them.
func notifyConfig(cfg config.NotifyConfig) notify.Config {
	out := notify.Config{WeChatTemplates: map[string]notify.WeChatTemplate{}, SMSTemplates: map[string]notify.SMSTemplate{},
		MiniprogramState: cfg.MiniprogramState, SMSSign: cfg.SMSSign, SMSDailyCap: cfg.SMSDailyCap,
		GroupPerDay: cfg.GroupPerDay, MaxAttempts: cfg.MaxAttempts}
	for k, t := range cfg.WeChatTemplates {
		out.WeChatTemplates[k] = notify.WeChatTemplate{ID: t.ID, Page: t.Page, Fields: t.Fields}
	}
	for k, t := range cfg.SMSTemplates {
		out.SMSTemplates[k] = notify.SMSTemplate{Code: t.Code, Params: t.Params}
	}
	return out
}
