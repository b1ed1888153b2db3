package notify

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notify/internal/queries"
	"github.com/atrium-mall/atrium/service/notify/rules"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
)

// logRoles read a mall's delivery log; groupRoles send group messages.
var (
	logRoles   = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps, auth.RoleServiceDesk}
	groupRoles = []auth.Role{auth.RoleAdmin, auth.RoleMemberOps}
)

// me is the calling shopper's id and group (a member not registered yet has none).
func (s *Service) me(ctx context.Context) (uuid.UUID, uuid.UUID, error) {
	id, err := access.Shopper(ctx)
	if err != nil {
		return id, uuid.Nil, err
	}
	cs, err := s.contacts.MemberContacts(ctx, []uuid.UUID{id})
	if err != nil {
		return id, uuid.Nil, err
	}
	if cs[id].GroupID == uuid.Nil {
		return id, uuid.Nil, errs.New(errs.KindUser, "MEMBER_NOT_REGISTERED", "register as a member first")
	}
	return id, cs[id].GroupID, nil
}

// Grant is how many one-time subscription grants a member holds for a template.
type Grant struct {
	TemplateID string
	Kinds      []string // the event kinds using the template
	Remaining  int
}

// maxGrants bounds what one member may bank per template.
const maxGrants = 50

// ReportGrants records the one-time subscriptions the member just accepted in the
// mini-program (wx.requestSubscribeMessage answered "accept" for each id): one more
// send per template. Every id must be a configured template (else UNKNOWN_TEMPLATE and
// nothing is recorded); a member banks at most 50 per template.
func (s *Service) ReportGrants(ctx context.Context, templateIDs []string) ([]Grant, error) {
	member, group, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	if len(templateIDs) == 0 || len(templateIDs) > 20 {
		return nil, errs.Invalid("templateIds", "give 1 to 20 template ids")
	}
	for _, id := range templateIDs {
		if len(s.kindsOf(id)) == 0 {
			return nil, ErrNoTemplate.At("templateIds")
		}
	}
	err = s.inTx(ctx, func(q *queries.Queries) error {
		for _, id := range templateIDs {
			if _, err := q.AddGrants(ctx, queries.AddGrantsParams{GroupID: group, MemberID: member, TemplateID: id, N: 1,
				Now: s.now(), MaxRemaining: maxGrants}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.MyGrants(ctx)
}

// MyGrants lists the calling member's grants per configured template.
func (s *Service) MyGrants(ctx context.Context) ([]Grant, error) {
	member, group, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).GrantsOf(ctx, group, member)
	if err != nil {
		return nil, err
	}
	have := map[string]int{}
	for _, r := range rows {
		have[r.TemplateID] = int(r.Remaining)
	}
	var out []Grant
	for _, id := range s.templateIDs() {
		out = append(out, Grant{TemplateID: id, Kinds: s.kindsOf(id), Remaining: have[id]})
	}
	return out, nil
}

func (s *Service) templateIDs() []string {
	var ids []string
	for _, t := range s.cfg.WeChatTemplates {
		if !slices.Contains(ids, t.ID) {
			ids = append(ids, t.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func (s *Service) kindsOf(templateID string) []string {
	var ks []string
	for k, t := range s.cfg.WeChatTemplates {
		if t.ID == templateID {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// Preference is whether a channel carries a kind to the member.
type Preference struct {
	Channel   string
	Kind      string
	Enabled   bool
	Mandatory bool // cannot be turned off
}

// MyPreferences lists every channel × kind for the calling member.
func (s *Service) MyPreferences(ctx context.Context) ([]Preference, error) {
	member, group, err := s.me(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).PreferencesOf(ctx, group, member)
	if err != nil {
		return nil, err
	}
	off := map[[2]string]bool{}
	for _, r := range rows {
		off[[2]string{r.Channel, r.Kind}] = !r.Enabled
	}
	var out []Preference
	for _, k := range rules.Kinds {
		for _, ch := range Channels {
			m := rules.Mandatory(k)
			out = append(out, Preference{Channel: ch, Kind: k, Mandatory: m, Enabled: m || !off[[2]string{ch, k}]})
		}
	}
	return out, nil
}

// SetPreference turns a channel on or off for a kind; a mandatory kind cannot be turned
// off (NOTIFICATION_MANDATORY).
func (s *Service) SetPreference(ctx context.Context, channel, kind string, enabled bool) (Preference, error) {
	member, group, err := s.me(ctx)
	if err != nil {
		return Preference{}, err
	}
	switch {
	case !slices.Contains(Channels, channel):
		return Preference{}, errs.Invalid("channel", "one of in_app, wechat, sms")
	case !rules.KnownKind(kind):
		return Preference{}, errs.Invalid("kind", "unknown kind")
	case rules.Mandatory(kind) && !enabled:
		return Preference{}, ErrMandatory.At("enabled")
	}
	err = queries.New(s.db.Pool).SetPreference(ctx, queries.SetPreferenceParams{GroupID: group, MemberID: member,
		Channel: channel, Kind: kind, Enabled: enabled, Now: s.now()})
	return Preference{Channel: channel, Kind: kind, Enabled: enabled || rules.Mandatory(kind),
		Mandatory: rules.Mandatory(kind)}, err
}

// Message is one message of an in-app inbox.
type Message struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	Kind      string
	Title     string
	Body      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// inboxOwner is who the caller reads as: a member, or a staff member with the
// merchants they act for (tenants).
func inboxOwner(ctx context.Context) (kind string, id uuid.UUID, tenants []uuid.UUID, err error) {
	v, err := access.Viewer(ctx)
	if err != nil {
		return "", uuid.Nil, nil, err
	}
	if v.IsShopper() {
		return ToMember, v.ID, []uuid.UUID{}, nil
	}
	if !v.IsStaff() {
		return "", uuid.Nil, nil, errs.ErrForbidden
	}
	tenants = []uuid.UUID{}
	for _, g := range v.Grants {
		if g.Level == auth.LevelMerchant && g.Role.MerchantScoped() {
			tenants = append(tenants, g.ScopeID)
		}
	}
	return ToStaff, v.ID, tenants, nil
}

// MyInbox lists the caller's in-app messages, newest first.
func (s *Service) MyInbox(ctx context.Context, p page.Request) (page.Result[Message], error) {
	kind, id, tenants, err := inboxOwner(ctx)
	if err != nil {
		return page.Result[Message]{}, err
	}
	rows, err := queries.New(s.db.Pool).InboxOf(ctx, queries.InboxOfParams{Kind: kind, RecipientID: id,
		Tenants: tenants, After: p.After, Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Message]{}, err
	}
	out := make([]Message, len(rows))
	for i, r := range rows {
		out[i] = Message{ID: r.ID, MallID: r.MallID, Kind: r.Kind, Title: r.Title, Body: r.Body, CreatedAt: r.CreatedAt,
			ReadAt: r.ReadAt}
	}
	return page.Cut(p, out), nil
}

// MarkInboxRead marks the caller's messages read; ids of others' messages are ignored.
func (s *Service) MarkInboxRead(ctx context.Context, ids []uuid.UUID) (int, error) {
	kind, id, tenants, err := inboxOwner(ctx)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 || len(ids) > 100 {
		return 0, errs.Invalid("ids", "give 1 to 100 ids")
	}
	n, err := queries.New(s.db.Pool).MarkInboxRead(ctx, queries.MarkInboxReadParams{Now: new(s.now()), Ids: ids,
		Kind: kind, RecipientID: id, Tenants: tenants})
	return int(n), err
}

// Delivery is one line of the delivery log.
type Delivery struct {
	ID            uuid.UUID
	MallID        uuid.UUID
	EventID       uuid.UUID
	Kind          string
	Channel       string
	RecipientKind string
	RecipientID   uuid.UUID
	Status        string
	Attempts      int
	ErrorCode     string
	LastError     string
	ProviderRef   string
	FallbackOf    *uuid.UUID
	SentAt        *time.Time
	NextAt        time.Time
	CreatedAt     time.Time
}

func deliveryOf(r queries.NotifyDelivery) Delivery {
	return Delivery{ID: r.ID, MallID: r.MallID, EventID: r.EventID, Kind: r.Kind, Channel: r.Channel,
		RecipientKind: r.RecipientKind, RecipientID: r.RecipientID, Status: r.Status, Attempts: int(r.Attempts),
		ErrorCode: r.ErrorCode, LastError: r.LastError, ProviderRef: r.ProviderRef, FallbackOf: r.FallbackOf,
		SentAt: r.SentAt, NextAt: r.NextAt, CreatedAt: r.CreatedAt}
}

// LogFilter narrows the delivery log (empty fields: any).
type LogFilter struct{ Channel, Status, Kind string }

// mallFor reads a mall and checks the caller holds one of roles over it (an unknown
// mall is FORBIDDEN, like one of another group).
func (s *Service) mallFor(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (org.Place, error) {
	if _, err := access.Staff(ctx); err != nil {
		return org.Place{}, err
	}
	p, err := s.org.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, errs.ErrForbidden
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// DeliveryLog lists a mall's deliveries, newest first (admins, member operations and
// the service desk of the mall).
func (s *Service) DeliveryLog(ctx context.Context, mallID uuid.UUID, f LogFilter, p page.Request) (page.Result[Delivery], error) {
	pl, err := s.mallFor(ctx, mallID, logRoles...)
	if err != nil {
		return page.Result[Delivery]{}, err
	}
	rows, err := queries.New(s.db.Pool).DeliveryLog(ctx, queries.DeliveryLogParams{GroupID: pl.GroupID, MallID: mallID,
		After: p.After, Channel: f.Channel, Status: f.Status, Kind: f.Kind, Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Delivery]{}, err
	}
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		out[i] = deliveryOf(r)
	}
	return page.Cut(p, out), nil
}

// Broadcast is a group message (群发).
type Broadcast struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	Title     string
	Body      string
	Segment   Segment
	Matched   int // members the segment selected
	OptedOut  int // of them, those who turned group messages off by SMS
	CreatedBy string
	CreatedAt time.Time
}

// SendGroupMessage sends a message to the members of a segment (admins and member
// operations of the mall): one event per member, in one transaction with the record of
// the message; members who turned group messages off on a channel do not get it there.
// A mall sends at most Config.GroupPerDay group messages in 24 hours (GROUP_MESSAGE_LIMIT).
func (s *Service) SendGroupMessage(ctx context.Context, mallID uuid.UUID, title, body string, seg Segment) (Broadcast, error) {
	pl, err := s.mallFor(ctx, mallID, groupRoles...)
	if err != nil {
		return Broadcast{}, err
	}
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	switch {
	case title == "" || utf8.RuneCountInString(title) > 20:
		return Broadcast{}, errs.Invalid("input.title", "a title of 1 to 20 characters")
	case body == "" || utf8.RuneCountInString(body) > 200:
		return Broadcast{}, errs.Invalid("input.body", "a text of 1 to 200 characters")
	case seg.LastVisitWithinDays < 0:
		return Broadcast{}, errs.Invalid("input.segment.lastVisitWithinDays", "must not be negative")
	}
	members, err := s.segments.SegmentMembers(ctx, mallID, seg)
	if err != nil {
		return Broadcast{}, err
	}
	b := Broadcast{ID: service.NewID(), MallID: mallID, Title: title, Body: body, Segment: seg, Matched: len(members),
		CreatedBy: access.Actor(ctx), CreatedAt: s.now()}
	segJSON, _ := json.Marshal(seg)
	payload, _ := json.Marshal(map[string]string{"title": title, "body": body})
	err = s.inTx(ctx, func(q *queries.Queries) error {
		if err := q.LockMallBroadcasts(ctx, mallID.String()); err != nil {
			return err
		}
		sent, err := q.CountBroadcastsSince(ctx, queries.CountBroadcastsSinceParams{GroupID: pl.GroupID, MallID: mallID,
			Since: b.CreatedAt.Add(-24 * time.Hour)})
		if err != nil {
			return err
		}
		if sent >= int64(s.cfg.GroupPerDay) {
			return ErrGroupLimit
		}
		opted, err := q.CountOptedOut(ctx, queries.CountOptedOutParams{GroupID: pl.GroupID, Members: members,
			Channel: SMS})
		if err != nil {
			return err
		}
		b.OptedOut = int(opted)
		if err := q.InsertBroadcast(ctx, queries.InsertBroadcastParams{ID: b.ID, GroupID: pl.GroupID, MallID: mallID,
			Title: title, Body: body, Segment: segJSON, Matched: int32(b.Matched), OptedOut: int32(b.OptedOut),
			CreatedBy: b.CreatedBy, CreatedAt: b.CreatedAt}); err != nil {
			return err
		}
		_, err = q.InsertBroadcastEvents(ctx, queries.InsertBroadcastEventsParams{GroupID: pl.GroupID, MallID: mallID,
			Payload: payload, BroadcastID: b.ID, CreatedAt: b.CreatedAt, Members: members})
		return err
	})
	return b, err
}

// GroupMessages lists a mall's group messages, newest first.
func (s *Service) GroupMessages(ctx context.Context, mallID uuid.UUID, p page.Request) (page.Result[Broadcast], error) {
	pl, err := s.mallFor(ctx, mallID, groupRoles...)
	if err != nil {
		return page.Result[Broadcast]{}, err
	}
	rows, err := queries.New(s.db.Pool).BroadcastsOf(ctx, queries.BroadcastsOfParams{GroupID: pl.GroupID,
		MallID: mallID, After: p.After, Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Broadcast]{}, err
	}
	out := make([]Broadcast, len(rows))
	for i, r := range rows {
		var seg Segment
		_ = json.Unmarshal(r.Segment, &seg)
		out[i] = Broadcast{ID: r.ID, MallID: r.MallID, Title: r.Title, Body: r.Body, Segment: seg,
			Matched: int(r.Matched), OptedOut: int(r.OptedOut), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
	}
	return page.Cut(p, out), nil
}
