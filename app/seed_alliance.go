package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/alliance"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/page"
)

// seedAlliance gives the demo mall an alliance merchant (商家联盟: a tea house, 1 point per
// 10 yuan) with one small imported consumption run for a demo member, and one pending
// member exit application (退会), unless they exist.
func (a *App) seedAlliance(ctx context.Context, group, mall uuid.UUID) error {
	if _, err := a.seedAllianceMember(ctx, group, mall, "联盟会员 Alliance member", "13900009001"); err != nil {
		return err
	}
	leaver, err := a.seedAllianceMember(ctx, group, mall, "退会会员 Leaving member", "13900009002")
	if err != nil {
		return err
	}
	ms, err := a.Services.Alliance.Merchants(ctx, mall)
	if err != nil {
		return fmt.Errorf("demo alliance merchants: %w", err)
	}
	var m alliance.Merchant
	for _, x := range ms {
		if x.Code == "DEMO-TEA" {
			m = x
		}
	}
	if m.ID == uuid.Nil {
		m, err = a.Services.Alliance.CreateMerchant(ctx, alliance.MerchantInput{MallID: mall, Code: "DEMO-TEA",
			Name: "街角茶馆 Corner tea house", ContactName: "周老板", ContactPhone: "021-55551234",
			Ratio: points.Ratio{Unit: decimal.NewFromInt(10), PerUnit: decimal.NewFromInt(1), Rounding: points.Down}})
		if err != nil {
			return fmt.Errorf("demo alliance merchant: %w", err)
		}
	}
	runs, err := a.Services.Alliance.Runs(ctx, m.ID, 1)
	if err != nil {
		return fmt.Errorf("demo alliance runs: %w", err)
	}
	if len(runs) == 0 {
		at := time.Now().Add(-24 * time.Hour).UTC().Format("2006-01-02 15:04:05")
		file := "key,card,phone,amount,time\nDEMO-1,,13900009001,128.50," + at + "\nDEMO-2,,13900009001,66," + at + "\n"
		if _, err := a.Services.Alliance.Import(ctx, m.ID, "csv", strings.NewReader(file)); err != nil {
			return fmt.Errorf("demo alliance import: %w", err)
		}
	}
	if _, err := a.Services.Members.ApplyExit(ctx, leaver, "搬家 moving away"); err != nil &&
		!errors.Is(err, members.ErrExitOpen) && !errors.Is(err, members.ErrMemberInactive) {
		return fmt.Errorf("demo member exit: %w", err)
	}
	return nil
}

// seedAllianceMember finds or registers a demo member by phone.
func (a *App) seedAllianceMember(ctx context.Context, group, mall uuid.UUID, name, phone string) (uuid.UUID, error) {
	found, err := a.Services.Members.SearchMembers(ctx, members.MemberFilter{GroupID: group, Phone: phone},
		page.Request{First: 1})
	if err != nil {
		return uuid.Nil, fmt.Errorf("demo member %s: %w", phone, err)
	}
	if len(found.Items) > 0 {
		return found.Items[0].ID, nil
	}
	m, err := a.Services.Members.RegisterAtDesk(ctx, members.DeskRegistration{MallID: mall,
		Profile: members.Profile{Name: name, Phone: phone}})
	if err != nil {
		return uuid.Nil, fmt.Errorf("demo member %s: %w", phone, err)
	}
	return m.ID, nil
}
