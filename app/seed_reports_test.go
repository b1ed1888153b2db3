package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/org"
)

// checkSeedReports (TestSeedDemoContent): the demo seed's shoppers, cards and purchases are in the reports'
// rollups at its end (once, however often it runs): member operations see this month's
// consumption (5 purchases, ¥1,150.50), new e-cards, and new members and an exit.
func checkSeedReports(t *testing.T, e *env) {
	ctx := context.Background()
	g, err := e.app.Services.Org.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		t.Fatal(err)
	}
	mall, err := e.app.Services.Org.MallByCode(auth.WithViewer(ctx, org.SystemViewer(g)), "DEMO")
	if err != nil {
		t.Fatal(err)
	}
	month := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01")
	ops, _ := e.login("ops")
	r := e.do(ops, `query($m: ID!, $mo: String!) { consumptionReport(mallId: $m, from: $mo, to: $mo) { rows asOf }
		memberCardReport(mallId: $m, from: $mo, to: $mo) { rows }
		memberMonthReport(mallId: $m, from: $mo, to: $mo) { rows asOf } }`,
		map[string]any{"m": relay.ID("Mall", mall.ID), "mo": month})
	total, _ := path(r.Data, "consumptionReport", "rows", 0).([]any)
	if len(total) < 5 || total[0] != "total" || total[3] != "5" || total[4] != "1150.50" {
		t.Fatalf("consumption: %+v", r)
	}
	cards, _ := path(r.Data, "memberCardReport", "rows").([]any)
	var issued bool
	for _, c := range cards {
		row, _ := c.([]any)
		issued = issued || (len(row) == 7 && strings.Contains(row[1].(string), "e-card") && row[3] == "3")
	}
	if !issued || path(r.Data, "consumptionReport", "asOf") == nil {
		t.Fatalf("cards: %+v", r)
	}
	// The member report: the demo shoppers and the demo leaver are new this month, the
	// leaver exited (other steps register members too).
	var joined, exited int
	rows, _ := path(r.Data, "memberMonthReport", "rows").([]any)
	for _, x := range rows {
		row, _ := x.([]any)
		if len(row) == 6 {
			n, _ := strconv.Atoi(row[2].(string))
			e, _ := strconv.Atoi(row[3].(string))
			joined, exited = joined+n, exited+e
		}
	}
	if joined < 4 || exited < 1 || path(r.Data, "memberMonthReport", "asOf") == nil {
		t.Fatalf("members: %d new, %d exited: %+v", joined, exited, r)
	}
}
