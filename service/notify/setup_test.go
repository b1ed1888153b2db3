package notify_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/calendar/calendartest"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/notify/sms"
	"github.com/atrium-mall/atrium/service/notify/sms/smstest"
	"github.com/atrium-mall/atrium/service/notify/subscribetest"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/org/orgtest"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/storage/storetest"
)

// contacts is the members' side in tests: openid, phone and group per member.
type contacts struct {
	mu sync.Mutex
	m  map[uuid.UUID]notify.Contact
}

func (c *contacts) MemberContacts(_ context.Context, ids []uuid.UUID) (map[uuid.UUID]notify.Contact, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[uuid.UUID]notify.Contact{}
	for _, id := range ids {
		if x, ok := c.m[id]; ok {
			out[id] = x
		}
	}
	return out, nil
}

// segments answers every segment with the members set.
type segments struct{ members []uuid.UUID }

func (s segments) SegmentMembers(context.Context, uuid.UUID, notify.Segment) ([]uuid.UUID, error) {
	return s.members, nil
}

type fixture struct {
	t           *testing.T
	db          *storage.DB
	rdb         storage.Redis
	orgs        *org.Service
	clock       *calendartest.Clock
	group, mall uuid.UUID
	wx          *subscribetest.Fake
	wxURL       string
	sms         *smstest.Aliyun
	smsURL      string
	contacts    *contacts
	segs        *segments
	cfg         notify.Config
	svc         *notify.Service
}

const (
	tmplBill   = "tmpl-bill"
	tmplRedeem = "tmpl-redeem"
)

func testConfig() notify.Config {
	fields := map[string]string{"thing1": "title", "thing2": "body"}
	return notify.Config{
		WeChatTemplates: map[string]notify.WeChatTemplate{
			notify.BillIssued:      {ID: tmplBill, Page: "pages/bills/index", Fields: fields},
			notify.PaymentReceived: {ID: tmplBill, Page: "pages/bills/index", Fields: fields},
			notify.RedemptionDone:  {ID: tmplRedeem, Fields: fields},
		},
		MiniprogramState: "developer",
		SMSSign:          "阿特里姆",
		SMSTemplates: map[string]notify.SMSTemplate{
			notify.BillIssued:      {Code: "SMS_BILL", Params: []string{"title"}},
			notify.PaymentReceived: {Code: "SMS_PAID", Params: []string{"amount"}},
			notify.Birthday:        {Code: "SMS_BDAY", Params: []string{"name"}},
			notify.GroupMessage:    {Code: "SMS_GROUP", Params: []string{"body"}},
		},
		SMSDailyCap: 100, GroupPerDay: 2, MaxAttempts: 3, Batch: 10,
	}
}

func setup(t *testing.T, tune ...func(*notify.Config)) *fixture {
	t.Parallel()
	db := storetest.DB(t)
	group, mall := orgtest.Mall(t, db, storetest.RandomName("N")[:12])
	f := &fixture{t: t, db: db, rdb: storetest.Redis(t), orgs: orgtest.Service(db), group: group, mall: mall,
		clock:    calendartest.NewClock(time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)),
		contacts: &contacts{m: map[uuid.UUID]notify.Contact{}}, segs: &segments{}, cfg: testConfig()}
	f.wx = subscribetest.New("wx-app", "wx-secret")
	wxSrv := httptest.NewServer(f.wx)
	t.Cleanup(wxSrv.Close)
	f.wxURL = wxSrv.URL
	f.sms = smstest.NewAliyun("ak-id", "ak-secret")
	f.sms.Now = f.clock.Now
	smsSrv := httptest.NewServer(f.sms)
	t.Cleanup(smsSrv.Close)
	f.smsURL = smsSrv.URL
	for _, fn := range tune {
		fn(&f.cfg)
	}
	f.svc = f.instance("a")
	return f
}

// instance is another app instance: its own service, WeChat and SMS clients, over the
// same database and Redis.
func (f *fixture) instance(name string) *notify.Service {
	cfg := f.cfg
	cfg.Instance = name
	hc := defaultClient()
	return notify.New(notify.Deps{DB: f.db, Org: f.orgs, Contacts: f.contacts, Segments: f.segs,
		WeChat: notify.NewWeChatClient(f.wxURL, "wx-app", "wx-secret", hc, f.rdb),
		SMS: &sms.Aliyun{Endpoint: f.smsURL, AccessKeyID: "ak-id", AccessKeySecret: "ak-secret", HTTP: hc,
			Now: f.clock.Now},
		Config: cfg, Log: slog.New(slog.DiscardHandler), Now: f.clock.Now})
}

// member registers a member with an openid and a phone.
func (f *fixture) member(withOpenID bool) uuid.UUID {
	id := uuid.New()
	c := notify.Contact{GroupID: f.group, Phone: fmt.Sprintf("138%08d", id.ID()%100000000)}
	if withOpenID {
		c.OpenID = "o" + id.String()[:27]
	}
	f.contacts.mu.Lock()
	f.contacts.m[id] = c
	f.contacts.mu.Unlock()
	return id
}

func (f *fixture) openid(m uuid.UUID) string {
	f.contacts.mu.Lock()
	defer f.contacts.mu.Unlock()
	return f.contacts.m[m].OpenID
}

// enqueue writes an event in its own transaction, as a producer would in its own.
func (f *fixture) enqueue(kind string, member uuid.UUID, key string, payload map[string]string) bool {
	f.t.Helper()
	var fresh bool
	err := f.db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		fresh, err = notify.EnqueueTx(context.Background(), tx, notify.Event{GroupID: f.group, MallID: f.mall, Kind: kind,
			RecipientKind: notify.ToMember, RecipientID: member, Payload: payload, DedupeKey: key, At: f.clock.Now()})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return fresh
}

func (f *fixture) shopper(member uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: member})
}

func (f *fixture) staff(role auth.Role, mall uuid.UUID) context.Context {
	return auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindStaff, ID: uuid.New(),
		Grants: []auth.Grant{{Role: role, Level: auth.LevelMall, ScopeID: mall}}})
}

// grant reports n one-time grants of template for member.
func (f *fixture) grant(member uuid.UUID, template string, n int) {
	f.t.Helper()
	for range n {
		if _, err := f.svc.ReportGrants(f.shopper(member), []string{template}); err != nil {
			f.t.Fatal(err)
		}
	}
}

// run dispatches and delivers every channel once with svc.
func (f *fixture) run(svc *notify.Service) notify.Report {
	f.t.Helper()
	ctx := context.Background()
	if _, err := svc.Dispatch(ctx); err != nil {
		f.t.Fatal(err)
	}
	var total notify.Report
	for _, ch := range notify.Channels {
		r, err := svc.Deliver(ctx, ch, "w")
		if err != nil {
			f.t.Fatal(err)
		}
		total.Claimed += r.Claimed
		total.Sent += r.Sent
		total.Retried += r.Retried
		total.Failed += r.Failed
		total.Skipped += r.Skipped
		total.Fallbacks += r.Fallbacks
	}
	// a fallback created during this round goes out in the next
	if r, err := svc.Deliver(ctx, notify.SMS, "w"); err == nil {
		total.Claimed += r.Claimed
		total.Sent += r.Sent
		total.Skipped += r.Skipped
		total.Failed += r.Failed
	}
	return total
}

// deliveries is the log of the fixture's mall as an admin reads it.
func (f *fixture) deliveries(filter notify.LogFilter) []notify.Delivery {
	f.t.Helper()
	res, err := f.svc.DeliveryLog(f.staff(auth.RoleAdmin, f.mall), f.mall, filter, pageAll)
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Items
}
