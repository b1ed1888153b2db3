// Command atrium is the Atrium server and its tools.
//
//	atrium serve                 run the GraphQL server, workers and MQTT bridge (migrates first)
//	atrium migrate               apply database migrations
//	atrium seed --demo           create the demo organisation and print its logins
//	atrium ledger verify         check every ledger invariant; exit 1 on a breach
//	atrium keys reseal           seal every signing key under ATRIUM_DATA_KEY (ends a data key rotation)
//	atrium wechat-stub --addr A  a local stand-in for WeChat's login API and WeChat Pay (development only)
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func usage() int {
	fmt.Fprintln(os.Stderr, "usage: atrium serve | migrate | seed --demo | ledger verify | keys reseal | wechat-stub --addr ADDR")
	return 2
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		return usage()
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx)
	case "migrate":
		err = cmdMigrate(ctx)
	case "seed":
		err = cmdSeed(ctx, args[1:])
	case "wechat-stub":
		err = cmdWeChatStub(ctx, args[1:])
	case "ledger":
		return cmdLedger(ctx, args[1:])
	case "keys":
		err = cmdKeys(ctx, args[1:])
	default:
		return usage()
	}
	if err != nil {
		slog.Error(args[0]+" failed", "err", err)
		return 1
	}
	return 0
}
