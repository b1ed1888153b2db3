// Package resolvers is the GraphQL layer: thin resolvers that read the viewer, map the
// input, call one service method and map the result. Business rules live in service/.
package resolvers

import (
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/arrivals"
	"github.com/atrium-mall/atrium/service/assets"
	"github.com/atrium-mall/atrium/service/billing"
	"github.com/atrium-mall/atrium/service/bookings"
	"github.com/atrium-mall/atrium/service/brands"
	"github.com/atrium-mall/atrium/service/callers"
	"github.com/atrium-mall/atrium/service/campaigns"
	"github.com/atrium-mall/atrium/service/commissions"
	"github.com/atrium-mall/atrium/service/coupons"
	"github.com/atrium-mall/atrium/service/devices"
	"github.com/atrium-mall/atrium/service/exports"
	"github.com/atrium-mall/atrium/service/identity"
	"github.com/atrium-mall/atrium/service/leasing"
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
)

// Services are the business services the resolvers call. A new context adds its
// service here and wires it in server.NewServices.
type Services struct {
	Org      *org.Service
	Identity *identity.Service
	Members  *members.Service
	Loyalty  *loyalty.Service // value: purchases, refunds, recharges, leaderboards (issue 3)
	// Coupons, Redemption and Bookings are the coupons context (issue 4).
	Coupons    *coupons.Service
	Redemption *redemption.Service
	Bookings   *bookings.Service
	Campaigns  *campaigns.Service
	// MemberEvents and Surveys are the member programme's events and questionnaires (issue 17).
	MemberEvents *memberevents.Service
	Surveys      *surveys.Service
	// Devices, Meters, Patrol and Arrivals are the IoT contexts (issue 5).
	Devices  *devices.Service
	Arrivals *arrivals.Service
	Meters   *meters.Service
	Patrol   *patrol.Service
	// Brands is the brand library and the 招商 pipeline (issue 12).
	Brands *brands.Service
	// Leasing is units, contracts and their charge schedules (issue 12).
	Leasing *leasing.Service
	// Sales and Notices are tenant sales and the staff's notices (issue 12).
	Sales   *sales.Service
	Notices *notices.Service
	// WorkOrders is property services (issue 14).
	WorkOrders *workorders.Service
	// Billing is bill runs, bills and receivables (issue 13).
	Billing *billing.Service
	// Payments is WeChat Pay orders, notifications and refunds (issue 13).
	Payments *payments.Service
	// Exports: Excel exports of lists (startExport, export, exports, cancelExport, exportProgress).
	Exports *exports.Service
	// Rosters is staff shifts (who is on duty).
	Rosters *rosters.Service
	// Warehouse is the gift warehouse (issue 15 point 5).
	Warehouse *warehouse.Service
	// Assets is the fixed-asset register, depreciation, stocktakes and maintenance plans (issue 15).
	Assets *assets.Service
	// MemberFees is the member fees and card products context (issue 17 points 5 and 6).
	MemberFees *memberfees.Service
	// Notify is notifications that reach people: inbox, WeChat, SMS (issue 16).
	Notify *notify.Service
	// Reports is the reports over rollups and owners' summaries (issue 16).
	Reports *reports.Service
	// Alliance is the alliance merchants and their consumption imports (issue 17 point 3).
	Alliance *alliance.Service
	// Callers is caller recognition and the call log (issue 17 point 9).
	Callers *callers.Service
	// Commissions is staff performance and commission (issue 17).
	Commissions *commissions.Service
	// Shifts is the cashiers' shift handover (issue 17).
	Shifts *shifts.Service
}

// Resolver is the root resolver.
type Resolver struct {
	Services
	nodes map[string]nodeFetcher // Node loaders by type name (node.go)
}

// Config returns the executable schema's configuration: resolvers and directives.
func Config(s Services) graph.Config {
	r := &Resolver{Services: s}
	r.nodes = r.fetchers()
	return graph.Config{Resolvers: r, Directives: directives()}
}
