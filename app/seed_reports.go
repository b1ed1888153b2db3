package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/page"
)

// demoShoppers are the members the reports' demo registers at the desk, each buying at
// the demo shops (phone, name, purchases as merchant code and amount).
var demoShoppers = []struct {
	phone, name string
	buys        [][2]string
}{
	{"13900000001", "演示会员甲", [][2]string{{"COFFEE", "36.00"}, {"BOOKS", "128.00"}}},
	{"13900000002", "演示会员乙", [][2]string{{"FASHION", "899.00"}, {"COFFEE", "28.00"}}},
	{"13900000003", "演示会员丙", [][2]string{{"BOOKS", "59.50"}}},
}

// seedReports registers a few shoppers (an e-card each, by the card type issued on
// registration) with purchases at the demo shops, then rolls the reports' sources up at
// once (CatchUp: the seed runs alone), so the member, member-card, consumption and
// points reports show this month; one more member registers and exits (approved), for
// the member report's exits. A shopper already registered is left as is (idempotent).
func (a *App) seedReports(ctx context.Context, group, mall uuid.UUID) error {
	for _, s := range demoShoppers {
		found, err := a.Services.Members.SearchMembers(ctx, members.MemberFilter{GroupID: group, Phone: s.phone},
			page.Request{First: 1})
		if err != nil {
			return fmt.Errorf("demo shoppers: %w", err)
		}
		if len(found.Items) > 0 {
			continue
		}
		m, err := a.Services.Members.RegisterAtDesk(ctx, members.DeskRegistration{MallID: mall,
			Profile: members.Profile{Name: s.name, Phone: s.phone}})
		if err != nil {
			return fmt.Errorf("demo shopper %s: %w", s.phone, err)
		}
		for i, buy := range s.buys {
			shop, err := a.Services.Org.MerchantByCode(ctx, mall, buy[0])
			if err != nil {
				return fmt.Errorf("demo purchase at %s: %w", buy[0], err)
			}
			receipt := fmt.Sprintf("DEMO-%s-%d", s.phone, i)
			_, err = a.Services.Loyalty.RecordPurchase(ctx, loyalty.PurchaseInput{MerchantID: shop.ID, MemberID: m.ID,
				Amount: decimal.RequireFromString(buy[1]), ReceiptNo: receipt, IdempotencyKey: receipt})
			if err != nil {
				return fmt.Errorf("demo purchase %s: %w", receipt, err)
			}
		}
	}
	if err := a.seedReportsLeaver(ctx, group, mall); err != nil {
		return err
	}
	if _, err := a.Services.Reports.CatchUp(ctx); err != nil {
		return errors.Join(errors.New("demo reports"), err)
	}
	return nil
}

// demoLeaver is the member the reports' demo registers and lets exit.
var demoLeaver = struct{ phone, name string }{"13900000009", "演示退会会员"}

// seedReportsLeaver registers demoLeaver at the desk and approves their exit (a member
// found already is left as is).
func (a *App) seedReportsLeaver(ctx context.Context, group, mall uuid.UUID) error {
	found, err := a.Services.Members.SearchMembers(ctx, members.MemberFilter{GroupID: group, Phone: demoLeaver.phone},
		page.Request{First: 1})
	if err != nil {
		return fmt.Errorf("demo leaver: %w", err)
	}
	if len(found.Items) > 0 {
		return nil
	}
	m, err := a.Services.Members.RegisterAtDesk(ctx, members.DeskRegistration{MallID: mall,
		Profile: members.Profile{Name: demoLeaver.name, Phone: demoLeaver.phone}})
	if err != nil {
		return fmt.Errorf("demo leaver: %w", err)
	}
	e, err := a.Services.Members.ApplyExit(ctx, m.ID, "演示退会 demo exit")
	if err != nil {
		return fmt.Errorf("demo leaver's exit: %w", err)
	}
	if _, err := a.Services.Members.ApproveExit(ctx, e.ID, ""); err != nil {
		return fmt.Errorf("demo leaver's exit approval: %w", err)
	}
	return nil
}
