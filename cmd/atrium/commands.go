package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/atrium-mall/atrium/app"
	"github.com/atrium-mall/atrium/auth/wechattest"
	"github.com/atrium-mall/atrium/config"
	"github.com/atrium-mall/atrium/service/notify/subscribetest"
	"github.com/atrium-mall/atrium/service/payments/wechatpaytest"
	"github.com/atrium-mall/atrium/storage"
)

func load() (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return cfg, nil, err
	}
	var h slog.Handler = slog.NewJSONHandler(os.Stderr, nil)
	if cfg.IsDev() {
		h = slog.NewTextHandler(os.Stderr, nil)
	}
	return cfg, slog.New(h), nil
}

func cmdMigrate(ctx context.Context) error {
	cfg, log, err := load()
	if err != nil {
		return err
	}
	db, err := storage.OpenDB(ctx, cfg.DatabaseURL, storage.PoolSize(cfg.DBPool))
	if err != nil {
		return fmt.Errorf("ATRIUM_DATABASE_URL: %w", err)
	}
	defer db.Close()
	if err := storage.Migrate(ctx, db); err != nil {
		return err
	}
	log.Info("migrations applied")
	return nil
}

func cmdServe(ctx context.Context) error {
	if err := cmdMigrate(ctx); err != nil {
		return err
	}
	return withApp(ctx, func(a *app.App) error {
		for _, n := range a.Cfg.Notices() { // optional inputs left unset, said once
			a.Log.Info(n)
		}
		ln, err := net.Listen("tcp", a.Cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("ATRIUM_HTTP_ADDR: %w", err)
		}
		return a.Serve(ctx, ln, 20*time.Second)
	})
}

// withApp loads the configuration, builds the application, runs fn with it and closes it.
func withApp(ctx context.Context, fn func(*app.App) error) error {
	cfg, log, err := load()
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(a)
}

func cmdSeed(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "create the demo organisation and accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*demo {
		return errors.New("nothing to seed: pass --demo")
	}
	return withApp(ctx, func(a *app.App) error {
		accounts, err := app.SeedDemo(ctx, a.Services.Org, a.Cfg.DemoPassword)
		if err != nil {
			return err
		}
		if err := a.SeedDemoContent(ctx); err != nil {
			return err
		}
		fmt.Println("Demo mall DEMO is ready: card types, tiers, coupons, a VIP lounge with slots, sign-in, lottery, gift.")
		fmt.Println("Staff logins (loginStaff):")
		for _, acc := range accounts {
			fmt.Printf("  %-16s %-16s %s\n", acc.Username, acc.Role, acc.Password)
		}
		return nil
	})
}

func cmdWeChatStub(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("wechat-stub", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8090", "listen address")
	payKeys := fs.String("pay-keys", "", "folder of the WeChat Pay stand-in's keys (default <ATRIUM_DATA_DIR>/wechatpay-dev)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := load()
	if err != nil {
		return err
	}
	if !cfg.IsDev() {
		return errors.New("wechat-stub runs only with ATRIUM_ENV=dev")
	}
	appID, secret := os.Getenv("ATRIUM_WECHAT_APPID"), os.Getenv("ATRIUM_WECHAT_SECRET")
	if *payKeys == "" {
		*payKeys = filepath.Join(cfg.DataDir, "wechatpay-dev")
	}
	keys, err := wechatpaytest.DevKeys(*payKeys, devWeChatPayMchID, appID)
	if err != nil {
		return fmt.Errorf("wechat pay stand-in keys: %w", err)
	}
	pay := wechatpaytest.New(keys)
	mux := http.NewServeMux()
	mux.Handle("/", wechattest.New(appID, secret))
	subscribe := subscribetest.New(appID, secret) // subscribe messages (notifications): accepted and kept in memory
	mux.Handle("/cgi-bin/stable_token", subscribe)
	mux.Handle("/cgi-bin/message/subscribe/send", subscribe)
	mux.Handle("/v3/", pay)
	mux.Handle("/dev/pay/", pay)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Shutdown(context.Background())
	}()
	log.Info("WeChat development stand-in: any wx.login code logs in a shopper; WeChat Pay answers with the keys in "+
		*payKeys+" (POST /dev/pay/<out_trade_no> pays an order and sends its notification)", "addr", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// devWeChatPayMchID is the merchant id of the development WeChat Pay stand-in.
const devWeChatPayMchID = "1900000001"
