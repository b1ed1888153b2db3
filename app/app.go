// Package app is the composition root: it opens the connections named by the
// configuration, builds every service, and assembles the HTTP server and the workers.
// cmd/atrium and the end-to-end tests both use it, so they run the same wiring.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/wechatpay-apiv3/wechatpay-go/utils"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/auth/seal"
	"github.com/atrium-mall/atrium/config"
	"github.com/atrium-mall/atrium/iot"
	"github.com/atrium-mall/atrium/resolvers"
	"github.com/atrium-mall/atrium/server"
	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/calendar"
	"github.com/atrium-mall/atrium/service/callers"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/commissions"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/identity"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/memberevents"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/meters"
	"github.com/atrium-mall/atrium/service/notices"
	"github.com/atrium-mall/atrium/service/notify"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/patrol"
	"github.com/atrium-mall/atrium/service/payments"
	"github.com/atrium-mall/atrium/service/redemption"
	"github.com/atrium-mall/atrium/service/reports"
	"github.com/atrium-mall/atrium/service/rosters"
	"github.com/atrium-mall/atrium/service/sales"
	"github.com/atrium-mall/atrium/service/shifts"
	"github.com/atrium-mall/atrium/service/surveys"
	"github.com/atrium-mall/atrium/service/warehouse"
	"github.com/atrium-mall/atrium/service/workorders"
	"github.com/atrium-mall/atrium/storage"
	"github.com/atrium-mall/atrium/workers"
)

// Options are the seams tests use; zero values are the production defaults.
type Options struct {
	Now         func() time.Time
	HTTPClient  *http.Client // for outside APIs (WeChat)
	RedisPrefix string       // default "atrium:"
	Objects     storage.Objects
	AccessTTL   time.Duration
	// PasswordCost is the bcrypt cost (default auth.DefaultPasswordCost).
	PasswordCost int
	RefreshTTL   time.Duration
	// DBTracer, when set, traces every statement of the database pool (tests count them).
	DBTracer pgx.QueryTracer
}

// App is a wired Atrium.
type App struct {
	Cfg      config.Config
	Log      *slog.Logger
	DB       *storage.DB
	Redis    storage.Redis
	Objects  storage.Objects
	Services resolvers.Services
	Handler  http.Handler
	Workers  *workers.Client
	Metrics  *server.Metrics

	iotMetrics *iot.Metrics // the bridge's, on Metrics.Registry
}

// New connects and wires everything. It does not migrate or start anything.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, o Options) (*App, error) {
	if o.RedisPrefix == "" {
		o.RedisPrefix = cfg.RedisPrefix
	}
	if o.PasswordCost == 0 {
		o.PasswordCost = cfg.PasswordCost
	}
	o = withDefaults(o)
	dbOpts := []storage.Option{storage.PoolSize(cfg.DBPool)}
	if o.DBTracer != nil {
		dbOpts = append(dbOpts, storage.WithTracer(o.DBTracer))
	}
	db, err := storage.OpenDB(ctx, cfg.DatabaseURL, dbOpts...)
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_DATABASE_URL: %w", err)
	}
	if cfg.DatabaseReadURL != "" {
		if err := db.OpenRead(ctx, cfg.DatabaseReadURL, dbOpts...); err != nil {
			db.Close()
			return nil, fmt.Errorf("ATRIUM_DATABASE_READ_URL: %w", err)
		}
	}
	rdb, err := storage.OpenRedis(ctx, cfg.RedisURL, o.RedisPrefix)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("ATRIUM_REDIS_URL: %w", err)
	}
	a := &App{Cfg: cfg, Log: log, DB: db, Redis: rdb}
	if err := a.openObjects(ctx, o); err != nil {
		a.Close()
		return nil, err
	}
	keys, err := signingKeySealers(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	sessionKeys, err := seal.New(cfg.DataKey, identity.SessionKeyPurpose)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("ATRIUM_DATA_KEY: %w", err)
	}
	pay, err := wechatPay(cfg.WeChatPay, o.HTTPClient)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Services = a.services(o, keys, sessionKeys, pay)
	a.Metrics = server.NewMetrics(db.Pool)
	a.iotMetrics = iot.NewMetrics(a.Metrics.Registry)
	if a.Handler, err = a.handler(); err != nil {
		a.Close()
		return nil, err
	}
	a.Workers, err = workers.New(workers.Deps{DB: db, Now: o.Now, Ledger: ledger.New(ledger.Deps{DB: db, Now: o.Now}), Loyalty: a.Services.Loyalty, Bookings: a.Services.Bookings,
		Devices: a.Services.Devices, Patrol: a.Services.Patrol, Meters: a.Services.Meters, Coupons: a.Services.Coupons,
		Arrivals: a.Services.Arrivals, Leasing: a.Services.Leasing, Sales: a.Services.Sales, WorkOrders: a.Services.WorkOrders,
		Billing:    a.Services.Billing,
		Payments:   a.Services.Payments,
		Assets:     a.Services.Assets,
		Exports:    a.Services.Exports,
		Notify:     a.Services.Notify,
		Reports:    a.Services.Reports,
		MemberFees: a.Services.MemberFees,
		IoTRetention: devices.Retention{Months: cfg.IoTRetentionMonths,
			DedupWindow: time.Duration(cfg.IoTDedupDays) * 24 * time.Hour}}, log, 10)
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("workers: %w", err)
	}
	a.Services.Coupons.SetJobs(a.Workers)
	a.Services.WorkOrders.SetJobs(a.Workers)
	a.Services.Billing.SetJobs(a.Workers)
	a.Services.Exports.SetJobs(a.Workers)
	hooks := workorders.Hooks{S: a.Services.WorkOrders}
	a.Services.Devices.SetAlarmHook(hooks)
	a.Services.Patrol.SetMissHook(hooks)
	a.Services.Patrol.SetAnomalyHook(hooks)
	a.Services.Assets.SetMaintenanceHook(hooks)
	return a, nil
}

func withDefaults(o Options) Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.RedisPrefix == "" {
		o.RedisPrefix = "atrium:"
	}
	if o.AccessTTL == 0 {
		o.AccessTTL = 15 * time.Minute
	}
	if o.RefreshTTL == 0 {
		o.RefreshTTL = 30 * 24 * time.Hour
	}
	return o
}

func (a *App) openObjects(ctx context.Context, o Options) error {
	if o.Objects != nil {
		a.Objects = o.Objects
		return nil
	}
	s3 := a.Cfg.S3
	if s3.Endpoint != "" {
		objs, err := storage.OpenS3(ctx, s3.Endpoint, s3.AccessKey, s3.SecretKey, s3.Bucket, s3.UseTLS)
		if err != nil {
			return fmt.Errorf("ATRIUM_S3_ENDPOINT: %w", err)
		}
		a.Objects = objs
		return nil
	}
	objs, err := storage.NewLocalObjects(filepath.Join(a.Cfg.DataDir, "objects"), a.Cfg.PublicURL+"/objects", a.Cfg.JWTKey)
	a.Objects = objs
	return err
}

// arrivalsConfig is the arrivals rules with this deployment's settings.
func (a *App) arrivalsConfig() arrivals.Config {
	c := arrivals.DefaultConfig()
	c.FaceNoticeVersion = a.Cfg.FaceNoticeVersion
	return c
}

// signingKeySealers seals the redemption signing keys under the data key, and opens
// those sealed under the previous one during a rotation.
func signingKeySealers(cfg config.Config) (redemption.Config, error) {
	const purpose = "redemption signing keys"
	current, err := seal.New(cfg.DataKey, purpose)
	if err != nil {
		return redemption.Config{}, fmt.Errorf("ATRIUM_DATA_KEY: %w", err)
	}
	out := redemption.Config{Sealer: current}
	if len(cfg.DataKeyPrevious) > 0 {
		if out.PreviousSealer, err = seal.New(cfg.DataKeyPrevious, purpose); err != nil {
			return out, fmt.Errorf("ATRIUM_DATA_KEY_PREVIOUS: %w", err)
		}
	}
	return out, nil
}

// services builds every context, each by one constructor taking all of its
// dependencies (service.MustDeps fails at start when one is missing). A new context is
// one statement here and one field in resolvers.Services. keys configures the
// redemption service's sealing of its signing keys.
func (a *App) services(o Options, keys redemption.Config, sessionKeys *seal.Sealer, wechatPay *payments.WeChatPay) resolvers.Services {
	orgs := org.New(org.Deps{DB: a.DB, Passwords: auth.NewPasswords(o.PasswordCost), Zones: calendar.NewZones(a.Cfg.TimeZone)})
	wechat := auth.NewWeChat(a.Cfg.WeChat.APIBase, a.Cfg.WeChat.AppID, a.Cfg.WeChat.Secret, o.HTTPClient).ShareToken(a.Redis)
	ldg := ledger.New(ledger.Deps{DB: a.DB, Now: o.Now})
	codes := redemption.New(redemption.Deps{DB: a.DB, Redis: a.Redis, Org: orgs, Config: keys, Now: o.Now})
	cps := coupons.New(coupons.Deps{DB: a.DB, Redis: a.Redis, Org: orgs, Codes: codes, Now: o.Now})
	devs := devices.New(devices.Deps{DB: a.DB, Org: orgs, Passwords: auth.NewPasswords(o.PasswordCost), Now: o.Now})
	bks := bookings.New(bookings.Deps{DB: a.DB, Org: orgs, Codes: codes, Ledger: ldg, Now: o.Now})
	mbs := members.New(members.Deps{DB: a.DB, Objects: a.Objects, WeChat: wechat, Org: orgs, Ledger: ldg, Now: o.Now,
		Config: members.Config{CodeKey: members.DeriveCodeKey(a.Cfg.DataKey)}})
	lty := loyalty.New(loyalty.Deps{DB: a.DB, Ledger: ldg, Redis: a.Redis, Org: orgs, Coupons: cps,
		Zones: orgs.Zones(), Now: o.Now})
	ntc := notices.New(notices.Deps{DB: a.DB, Org: orgs, Now: o.Now})
	lease := leasing.New(leasing.Deps{DB: a.DB, Org: orgs, Objects: a.Objects, Notices: ntc, Now: o.Now})
	sls := sales.New(sales.Deps{DB: a.DB, Org: orgs, Loyalty: lty, Notices: ntc, Leases: lease, Objects: a.Objects,
		Now: o.Now})
	pay := payments.New(payments.Deps{DB: a.DB, Org: orgs, Members: mbs, Loyalty: lty, WeChatPay: wechatPay, Now: o.Now})
	// What a paid order does, per purpose (billing registers BILL the same way).
	pay.Register(payments.PurposeRecharge, payments.RechargeSettler{Loyalty: lty, Org: orgs})
	ros := rosters.New(rosters.Deps{DB: a.DB, Org: orgs, Now: o.Now})
	wh := warehouse.New(warehouse.Deps{DB: a.DB, Org: orgs, Now: o.Now})
	// Fapiao: the fake provider issues at once until a tax-control provider is configured.
	bil := billing.New(billing.Deps{DB: a.DB, Org: orgs, Leasing: lease, Sales: sls, Ledger: ldg,
		Energy: billing.Metered{Leasing: lease, Org: orgs}, Payments: pay, Objects: a.Objects, Fapiao: &billing.FakeFapiao{}, Now: o.Now})
	pay.Register(billing.PurposeBill, billing.BillSettler{Billing: bil})
	wos := workorders.New(workorders.Deps{DB: a.DB, Org: orgs, Notices: ntc, Units: lease, Rosters: ros,
		Redis: &a.Redis, Now: o.Now})
	exp := exports.New(exports.Deps{DB: a.DB, Redis: a.Redis, Objects: a.Objects, Org: orgs, Now: o.Now}, exports.Config{})
	exp.Register(exports.MembersSource(mbs, orgs))
	exp.Register(exports.BillsSource(bil, orgs))
	exp.Register(exports.WorkOrdersSource(wos))
	exp.Register(exports.CardPostingsSource(mbs, ldg, orgs))
	ntf := notify.New(notify.Deps{DB: a.DB, Org: orgs, Contacts: memberContacts{mbs}, Segments: couponSegments{cps},
		WeChat: notify.NewWeChatClient(a.Cfg.WeChat.APIBase, a.Cfg.WeChat.AppID, a.Cfg.WeChat.Secret, o.HTTPClient, a.Redis),
		SMS:    a.smsProvider(o.HTTPClient), Config: notifyConfig(a.Cfg.Notify), Log: a.Log, Now: o.Now})
	ptl := patrol.New(patrol.Deps{DB: a.DB, Org: orgs, Rosters: ros, Objects: a.Objects, Now: o.Now})
	brd := brands.New(brands.Deps{DB: a.DB, Org: orgs, Objects: a.Objects, Now: o.Now})
	mtr := meters.New(meters.Deps{DB: a.DB, Devices: devs, Now: o.Now})
	rpt := reports.New(reports.Deps{DB: a.DB, Org: orgs, Billing: bil, Patrol: ptl, Leasing: lease, Brands: brd, Coupons: cps,
		Bookings: bks, WorkOrders: wos, Meters: mtr, Zone: orgs.Zones().Default, Now: o.Now})
	for _, src := range rpt.ExportSources() { // every report can be exported (kind "report_" + its name)
		exp.Register(src)
	}
	cmp := campaigns.New(campaigns.Deps{DB: a.DB, Org: orgs, Coupons: cps, Ledger: ldg, Stock: wh, Now: o.Now,
		Random: campaigns.CryptoRandom})
	// Commissions and shifts record in loyalty's transactions (purchases, refunds, recharges).
	cms := commissions.New(commissions.Deps{DB: a.DB, Org: orgs, Now: o.Now})
	shf := shifts.New(shifts.Deps{DB: a.DB, Org: orgs, Now: o.Now})
	lty.AddHook(commissions.LoyaltyHook{S: cms})
	lty.AddHook(shifts.LoyaltyHook{S: shf})
	return resolvers.Services{
		Org: orgs,
		Identity: identity.New(identity.Deps{Org: orgs, Members: mbs, WeChat: wechat,
			Tokens:   auth.NewTokens(a.Cfg.JWTKey, o.AccessTTL, o.Now),
			Sessions: auth.NewSessions(a.Redis, o.RefreshTTL),
			Lockout:  auth.NewLockout(a.Redis, 5, 15*time.Minute), SessionKeys: sessionKeys}),
		Members:   mbs,
		Loyalty:   lty,
		Coupons:   cps,
		Campaigns: cmp,
		MemberEvents: memberevents.New(memberevents.Deps{DB: a.DB, Org: orgs, Members: mbs, Ledger: ldg, Now: o.Now,
			Campaigns: cmp}),
		Surveys:    surveys.New(surveys.Deps{DB: a.DB, Org: orgs, Members: mbs, Ledger: ldg, Now: o.Now}),
		Redemption: codes,
		Bookings:   bks,
		Devices:    devs,
		Meters:     mtr,
		Patrol:     ptl,
		Arrivals: arrivals.New(arrivals.Deps{DB: a.DB, Objects: a.Objects, Redis: &a.Redis, Ledger: ldg, Bookings: bks,
			Org: orgs, Config: a.arrivalsConfig()}),
		Brands:      brd,
		Leasing:     lease,
		Sales:       sls,
		Notices:     ntc,
		Rosters:     ros,
		WorkOrders:  wos,
		Billing:     bil,
		Payments:    pay,
		Warehouse:   wh,
		MemberFees:  memberfees.New(memberfees.Deps{DB: a.DB, Org: orgs, Members: mbs, Ledger: ldg, Now: o.Now}),
		Assets:      assets.New(assets.Deps{DB: a.DB, Org: orgs, Ledger: ldg, Leasing: lease, Objects: a.Objects, Now: o.Now}),
		Exports:     exp,
		Notify:      ntf,
		Alliance:    alliance.New(alliance.Deps{DB: a.DB, Org: orgs, Ledger: ldg, Now: o.Now}),
		Callers:     callers.New(callers.Deps{DB: a.DB, Org: orgs, Ledger: ldg, Now: o.Now}),
		Reports:     rpt,
		Commissions: cms,
		Shifts:      shf,
	}
}

// wechatPay is the WeChat Pay client of cfg, its key files read (off when
// ATRIUM_WECHATPAY_MCHID is empty).
func wechatPay(cfg config.WeChatPayConfig, hc *http.Client) (*payments.WeChatPay, error) {
	if cfg.MchID == "" {
		return payments.NewWeChatPay(payments.WeChatPayConfig{}, hc)
	}
	key, err := utils.LoadPrivateKeyWithPath(cfg.MchKeyFile)
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_WECHATPAY_MCH_KEY_FILE: %w", err)
	}
	pub, err := utils.LoadPublicKeyWithPath(cfg.PublicKeyFile)
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_WECHATPAY_PUBLIC_KEY_FILE: %w", err)
	}
	pay, err := payments.NewWeChatPay(payments.WeChatPayConfig{MchID: cfg.MchID, AppID: cfg.AppID, MchSerial: cfg.MchSerial,
		MchKey: key, PublicKeyID: cfg.PublicKeyID, PublicKey: pub, APIv3Key: cfg.APIv3Key, NotifyURL: cfg.NotifyURL,
		APIBase: cfg.APIBase}, hc)
	if err != nil {
		return nil, fmt.Errorf("ATRIUM_WECHATPAY_MCHID: %w", err)
	}
	return pay, nil
}

func (a *App) handler() (http.Handler, error) {
	lim := a.Cfg.Limits
	rates := server.NewRateLimiter(a.Redis)
	rates.Anonymous = server.Rate{Limit: int64(lim.AnonymousPerMinute), Window: time.Minute}
	rates.Login = server.Rate{Limit: int64(lim.LoginPerMinute), Window: time.Minute}
	var trusted *server.TrustedDocuments
	if lim.TrustedDocuments != "" {
		var err error
		if trusted, err = server.LoadTrustedDocuments(lim.TrustedDocuments); err != nil {
			return nil, fmt.Errorf("ATRIUM_GRAPHQL_TRUSTED_DOCUMENTS: %w", err)
		}
		a.Log.Info("trusted documents: only registered operations execute", "documents", trusted.Len())
	}
	gql := server.NewGraphQL(resolvers.Config(a.Services), server.GraphQLOptions{
		Dev: a.Cfg.IsDev(), Complexity: lim.Complexity, Depth: lim.Depth, MaxResponse: lim.MaxResponse, MaxTokens: lim.MaxTokens,
		APQ: server.NewAPQCache(a.Redis, 24*time.Hour), Metrics: a.Metrics, Logger: a.Log,
		RateLimits: rates, Trusted: trusted, FreshContext: resolvers.FreshLoaders, WSInit: a.wsInit,
	})
	var objects http.Handler
	if local, ok := a.Objects.(*storage.LocalObjects); ok {
		objects = local.Handler()
	}
	return server.Handler(server.Routes{
		GraphQL: gql, Dev: a.Cfg.IsDev(), Authn: a.Services.Identity.Authenticate,
		Loaders: func(h http.Handler) http.Handler { return resolvers.LoaderMiddleware(h) },
		Metrics: a.Metrics, Ready: a.ready, Objects: objects, Logger: a.Log,
		BodySize: int64(a.Cfg.Limits.MaxBody), RateLimits: rates, MetricsToken: a.Cfg.MetricsToken,
		PaymentNotify: a.Services.Payments.Handler(),
	}), nil
}

// ready reports whether PostgreSQL and Redis answer.
func (a *App) ready(ctx context.Context) error {
	if err := a.DB.Pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	if err := a.Redis.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis: %w", err)
	}
	return nil
}

// Close releases the connections.
func (a *App) Close() {
	if a.Redis.UniversalClient != nil {
		_ = a.Redis.Close()
	}
	a.DB.Close()
}

// ErrShutdown is returned by Serve after a clean shutdown.
var ErrShutdown = errors.New("shut down")
