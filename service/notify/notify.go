// Package notify is notifications that reach people: an event written to an outbox in
// the same transaction as what caused it (EnqueueTx), then delivered per channel — the
// in-app inbox, WeChat subscribe messages and SMS — by River jobs.
//
// Design notes:
//   - Outbox: EnqueueTx is a plain function over the producer's transaction, so a bill,
//     a redemption or a work order and its notification commit or roll back together,
//     and producers need no service of ours. The event's dedupe key is unique per group:
//     a job that runs twice enqueues once.
//   - At most once per (event, channel, recipient): the dispatcher expands an event into
//     deliveries under a unique key, and a channel worker claims due deliveries with
//     SELECT … FOR UPDATE SKIP LOCKED inside a conditional UPDATE (status pending →
//     sending): two workers, in one process or two, never hold the same delivery. A
//     claim whose worker died mid-send is recorded INTERRUPTED and not sent again (the
//     message may have gone out): at most once, not at least once.
//   - Retries: transient failures (WeChat -1, token errors after one refresh, SMS flow
//     control, transport errors) wait rules.Backoff and are tried up to MaxAttempts;
//     43101 ("user refuses") is recorded and never retried, and clears the member's
//     grant count for the template.
//   - WeChat one-time subscriptions: the mini-program reports each grant (a mutation);
//     a send consumes one in the claim's transaction — no grant, no send — and a failed
//     send gives it back, except 43101.
//   - Preferences per channel × kind; money and contract kinds (rules.Mandatory) cannot
//     be turned off, and only they fall back to SMS when WeChat cannot deliver.
//   - SMS through a sms.Provider (Aliyun, Tencent Cloud, or the log in development),
//     with a sign and per-kind template registry (Config) and a daily cap per mall
//     counted in a row per mall and day.
//   - Group messages (群发) select a segment through Deps.Segments (the coupons' segment
//     query), skip members who opted out of the channel, and are limited per mall and day.
package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notify/internal/queries"
	"github.com/atrium-mall/atrium/service/notify/rules"
	"github.com/atrium-mall/atrium/service/notify/sms"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/storage"
)

// Event kinds (see rules for which are mandatory).
const (
	RedemptionDone    = rules.RedemptionDone
	BookingReminder   = rules.BookingReminder
	BillIssued        = rules.BillIssued
	BillDue           = rules.BillDue
	BillOverdue       = rules.BillOverdue
	PaymentReceived   = rules.PaymentReceived
	WorkOrderAssigned = rules.WorkOrderAssigned
	WorkOrderUpdated  = rules.WorkOrderUpdated
	WorkOrderBreached = rules.WorkOrderBreached
	Birthday          = rules.Birthday
	PointsExpiring    = rules.PointsExpiring
	ContractExpiring  = rules.ContractExpiring
	GroupMessage      = rules.GroupMessage
)

// Recipient kinds.
const (
	ToMember = "member"
	ToStaff  = "staff"
	ToTenant = "tenant" // a merchant: whoever acts for it (tenant admins) reads it
)

// Channels.
const (
	InApp  = "in_app"
	WeChat = "wechat"
	SMS    = "sms"
)

// Channels lists every channel.
var Channels = []string{InApp, WeChat, SMS}

// Event is one thing to tell one recipient.
type Event struct {
	GroupID       uuid.UUID
	MallID        uuid.UUID
	Kind          string
	RecipientKind string // ToMember, ToStaff, ToTenant
	RecipientID   uuid.UUID
	Payload       map[string]string // "title" and "body" override the rendering; other fields fill templates
	DedupeKey     string            // unique per group: the same key is enqueued once
	At            time.Time         // when it happened (zero: now)
}

// ErrInvalidEvent is an event a producer built wrongly (a bug of the producer's).
var ErrInvalidEvent = fmt.Errorf("notify: invalid event")

// EnqueueTx writes ev to the outbox in tx, the producer's transaction; it reports whether
// it was recorded now (false: its dedupe key was enqueued before).
func EnqueueTx(ctx context.Context, tx storage.Querier, ev Event) (bool, error) {
	in, err := ev.insert()
	if err != nil {
		return false, err
	}
	n, err := queries.New(tx).InsertEvent(ctx, in)
	if err != nil {
		return false, fmt.Errorf("notify: enqueue %s: %w", ev.Kind, err)
	}
	return n == 1, nil
}

// QueueTx is EnqueueTx queued in the caller's batch, sent with its other statements in
// one round trip (whether the event was new is not reported).
func QueueTx(ctx context.Context, b *storage.Batch, ev Event) error {
	in, err := ev.insert()
	if err != nil {
		return err
	}
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).InsertEvent(ctx, in) })
	return nil
}

// insert checks ev and returns the row that records it.
func (ev Event) insert() (queries.InsertEventParams, error) {
	switch {
	case ev.GroupID == uuid.Nil || ev.MallID == uuid.Nil || ev.RecipientID == uuid.Nil || ev.DedupeKey == "":
		return queries.InsertEventParams{}, fmt.Errorf("%w: group, mall, recipient and dedupe key are required", ErrInvalidEvent)
	case !rules.KnownKind(ev.Kind):
		return queries.InsertEventParams{}, fmt.Errorf("%w: unknown kind %q", ErrInvalidEvent, ev.Kind)
	case ev.RecipientKind != ToMember && ev.RecipientKind != ToStaff && ev.RecipientKind != ToTenant:
		return queries.InsertEventParams{}, fmt.Errorf("%w: recipient kind %q", ErrInvalidEvent, ev.RecipientKind)
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	payload, err := json.Marshal(orEmpty(ev.Payload))
	if err != nil {
		return queries.InsertEventParams{}, err
	}
	return queries.InsertEventParams{ID: service.NewID(), GroupID: ev.GroupID, MallID: ev.MallID, Kind: ev.Kind,
		RecipientKind: ev.RecipientKind, RecipientID: ev.RecipientID, Payload: payload, DedupeKey: ev.DedupeKey,
		CreatedAt: ev.At}, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// Contact is how a member is reached: the mini-program openid and the phone.
type Contact struct {
	GroupID uuid.UUID // uuid.Nil until the member registers
	OpenID  string
	Phone   string
}

// Contacts reads members' contacts (the members context owns them).
type Contacts interface {
	MemberContacts(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Contact, error)
}

// Segment selects members of a mall's group for a group message (coupons.Segment's criteria).
type Segment struct {
	TierIDs             []uuid.UUID `json:"tier_ids,omitempty"`
	Tags                []string    `json:"tags,omitempty"`
	LastVisitWithinDays int         `json:"last_visit_within_days,omitempty"`
}

// Segments lists the members a segment selects.
type Segments interface {
	SegmentMembers(ctx context.Context, mallID uuid.UUID, seg Segment) ([]uuid.UUID, error)
}

// WeChatTemplate is a subscribe-message template for an event kind: its id, the page
// the message opens, and which payload field fills each template key (e.g. thing1 →
// title, amount2 → amount; the special fields "title" and "body" are the rendered ones).
type WeChatTemplate struct {
	ID     string            `json:"id"`
	Page   string            `json:"page"`
	Fields map[string]string `json:"fields"`
}

// SMSTemplate is a registered SMS template for an event kind and the payload fields
// filling its parameters, in order (Tencent's TemplateParamSet is positional).
type SMSTemplate struct {
	Code   string   `json:"code"`
	Params []string `json:"params"`
}

// Config is the registry and the limits.
type Config struct {
	WeChatTemplates  map[string]WeChatTemplate // by event kind; none: no WeChat for the kind
	MiniprogramState string                    // developer, trial or formal
	SMSSign          string                    // the registered sign (签名)
	SMSTemplates     map[string]SMSTemplate    // by event kind; none: no SMS for the kind
	SMSDailyCap      int                       // SMS per mall per day
	GroupPerDay      int                       // group messages per mall per day
	MaxAttempts      int                       // attempts of a transient failure
	Batch            int                       // deliveries a worker claims at once
	Instance         string                    // names this process's claims
}

// Deps are what the context is built from; all are required.
type Deps struct {
	DB       *storage.DB
	Org      *org.Service
	Contacts Contacts
	Segments Segments
	WeChat   *WeChatClient
	SMS      sms.Provider
	Config   Config
	Log      *slog.Logger
	Now      func() time.Time
}

// Service is the notify context.
type Service struct {
	db       *storage.DB
	org      *org.Service
	contacts Contacts
	segments Segments
	wechat   *WeChatClient
	sms      sms.Provider
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("notify", d)
	c := d.Config
	if c.SMSDailyCap <= 0 {
		c.SMSDailyCap = 1000
	}
	if c.GroupPerDay <= 0 {
		c.GroupPerDay = 2
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 5
	}
	if c.Batch <= 0 {
		c.Batch = 50
	}
	if c.Instance == "" {
		c.Instance = uuid.NewString()
	}
	return &Service{db: d.DB, org: d.Org, contacts: d.Contacts, segments: d.Segments, wechat: d.WeChat, sms: d.SMS,
		cfg: c, log: d.Log, now: d.Now}
}

// Sentinel errors.
var (
	ErrMandatory = errs.New(errs.KindUser, "NOTIFICATION_MANDATORY",
		"money and contract messages cannot be turned off")
	ErrGroupLimit = errs.New(errs.KindUser, "GROUP_MESSAGE_LIMIT", "the mall sent as many group messages today as allowed")
	ErrNoTemplate = errs.New(errs.KindUser, "UNKNOWN_TEMPLATE", "no subscribe-message template with that id")
)

// inTx runs fn in a transaction.
func (s *Service) inTx(ctx context.Context, fn func(q *queries.Queries) error) error {
	return s.db.InTx(ctx, func(tx pgx.Tx) error { return fn(queries.New(tx)) })
}
