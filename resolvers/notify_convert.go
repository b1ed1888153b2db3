package resolvers

import (
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/notify"
)

func inboxOut(m notify.Message) model.InboxMessage {
	return model.InboxMessage{ID: relay.ID("InboxMessage", m.ID), MallID: relay.ID("Mall", m.MallID), Kind: m.Kind,
		Title: m.Title, Body: m.Body, CreatedAt: m.CreatedAt, ReadAt: m.ReadAt}
}

func preferenceOut(p notify.Preference) model.NotificationPreference {
	return model.NotificationPreference{Channel: p.Channel, Kind: p.Kind, Enabled: p.Enabled, Mandatory: p.Mandatory}
}

func grantOut(g notify.Grant) model.SubscribeGrant {
	kinds := g.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	return model.SubscribeGrant{TemplateID: g.TemplateID, Kinds: kinds, Remaining: g.Remaining}
}

func deliveryOut(d notify.Delivery) model.NotificationDelivery {
	out := model.NotificationDelivery{ID: d.ID.String(), MallID: relay.ID("Mall", d.MallID), EventID: d.EventID.String(),
		Kind: d.Kind, Channel: d.Channel, RecipientKind: d.RecipientKind, RecipientID: d.RecipientID.String(),
		Status: d.Status, Attempts: d.Attempts, ErrorCode: d.ErrorCode, LastError: d.LastError,
		ProviderRef: d.ProviderRef, SentAt: d.SentAt, NextAt: d.NextAt, CreatedAt: d.CreatedAt}
	if d.FallbackOf != nil {
		s := d.FallbackOf.String()
		out.FallbackOf = &s
	}
	return out
}

func groupMessageOut(b notify.Broadcast) model.GroupMessage {
	return model.GroupMessage{ID: b.ID.String(), MallID: relay.ID("Mall", b.MallID), Title: b.Title, Body: b.Body,
		Matched: b.Matched, OptedOut: b.OptedOut, CreatedAt: b.CreatedAt}
}

func groupSegmentIn(in model.GroupSegmentInput) (notify.Segment, error) {
	seg := notify.Segment{Tags: in.Tags}
	for _, t := range in.TierIds {
		id, err := globalID("Tier", t)
		if err != nil {
			return seg, err
		}
		seg.TierIDs = append(seg.TierIDs, id)
	}
	if in.LastVisitWithinDays != nil {
		seg.LastVisitWithinDays = *in.LastVisitWithinDays
	}
	return seg, nil
}
