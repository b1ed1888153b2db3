package resolvers

import (
	"github.com/atrium-mall/atrium/graph"
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/service/page"
)

// pageCost is the cost of a connection field: its children times the page size, so a
// nested list of lists is priced by how many rows it may really load.
func pageCost(child int, first *int, _ *string) int {
	n := page.DefaultFirst
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + child*n
}

// complexity prices the fields whose cost is not 1 + children. A new connection field
// adds its line here.
func complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	c.Query.Malls = pageCost
	c.Query.StaffAccounts = pageCost
	c.Mall.Merchants = pageCost
	c.Query.MyBookings = pageCost
	c.Query.MyCoupons = pageCost
	c.Query.MyNotifications = pageCost
	c.Query.MyCardHistory = func(child int, _ string, first *int, after *string) int { return pageCost(child, first, after) }
	c.Query.Members = func(child int, _ *model.MemberFilter, first *int, after *string) int {
		return pageCost(child, first, after)
	}
	c.Query.CouponTemplates = func(child int, _ string, _ *string, first *int, after *string) int {
		return pageCost(child, first, after)
	}
	c.Query.DeadLetters = func(child int, _ string, first *int, after *string) int { return pageCost(child, first, after) }
	c.Query.Devices = func(child int, _ string, _ *string, first *int, after *string) int {
		return pageCost(child, first, after)
	}
	c.Query.Nodes = func(child int, ids []string) int { return 1 + child*len(ids) }
	return c
}
