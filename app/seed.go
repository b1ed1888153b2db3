package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/org"
)

// DemoAccount is a seeded login.
type DemoAccount struct {
	Username, Password, Role string
}

// SeedDemo creates (or refreshes) the demo organisation: group DEMO, mall DEMO, a few
// merchants, and staff accounts. Every run sets the accounts' passwords: password when
// given (ATRIUM_DEMO_PASSWORD), otherwise new random ones, which it returns to print.
func SeedDemo(ctx context.Context, orgs *org.Service, password string) ([]DemoAccount, error) {
	g, err := orgs.Bootstrap(ctx, "DEMO", "Demo Group")
	if err != nil {
		return nil, err
	}
	ctx = auth.WithViewer(ctx, org.SystemViewer(g))
	mall, err := orgs.MallByCode(ctx, "DEMO")
	if err != nil {
		if mall, err = orgs.CreateMall(ctx, org.CreateMallInput{GroupID: g.ID, Code: "DEMO", Name: "Demo Plaza"}); err != nil {
			return nil, fmt.Errorf("demo mall: %w", err)
		}
	}
	merchants := map[string]org.Merchant{}
	for _, m := range []org.CreateMerchantInput{
		{Code: "COFFEE", Name: "Harbour Coffee", Category: "food"},
		{Code: "BOOKS", Name: "Paper Lantern Books", Category: "books"},
		{Code: "FASHION", Name: "Silk Road Fashion", Category: "fashion"},
		{Code: "TEAHOUSE", Name: "Old Town Teahouse", Category: "food", Kind: "alliance"},
	} {
		m.MallID = mall.ID
		got, err := orgs.CreateMerchant(ctx, m)
		if errors.Is(err, org.ErrCodeTaken) {
			got, err = orgs.MerchantByCode(ctx, mall.ID, m.Code)
		}
		if err != nil {
			return nil, fmt.Errorf("demo merchant %s: %w", m.Code, err)
		}
		merchants[m.Code] = got
	}
	return seedStaff(ctx, orgs, g, mall, merchants, password)
}

func seedStaff(ctx context.Context, orgs *org.Service, g org.Group, mall org.Mall, merchants map[string]org.Merchant, password string) ([]DemoAccount, error) {
	type account struct {
		username string
		grant    auth.Grant
	}
	accounts := []account{
		{"admin", auth.Grant{Role: auth.RoleAdmin, Level: auth.LevelGroup, ScopeID: g.ID}},
		{"desk", auth.Grant{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"ops", auth.Grant{Role: auth.RoleMemberOps, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"guard", auth.Grant{Role: auth.RoleSecurity, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"leasing", auth.Grant{Role: auth.RoleLeasing, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"finance", auth.Grant{Role: auth.RoleFinance, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"tech", auth.Grant{Role: auth.RoleMaintenance, Level: auth.LevelMall, ScopeID: mall.ID}},
		{"supervisor", auth.Grant{Role: auth.RoleSupervisor, Level: auth.LevelMall, ScopeID: mall.ID}},
	}
	if m, ok := merchants["COFFEE"]; ok {
		accounts = append(accounts, account{"coffee.cashier", auth.Grant{Role: auth.RoleMerchantStaff, Level: auth.LevelMerchant, ScopeID: m.ID}},
			account{"coffee.tenant", auth.Grant{Role: auth.RoleTenantAdmin, Level: auth.LevelMerchant, ScopeID: m.ID}})
	}
	var out []DemoAccount
	for _, a := range accounts {
		pw := password
		if pw == "" {
			pw = randomPassword()
		}
		_, err := orgs.CreateStaff(ctx, org.CreateStaffInput{Username: a.username, DisplayName: a.username, Password: pw,
			Grants: []auth.Grant{a.grant}})
		if errors.Is(err, org.ErrUsernameTaken) {
			err = orgs.SetPassword(ctx, a.username, pw)
		}
		if err != nil {
			return nil, fmt.Errorf("demo account %s: %w", a.username, err)
		}
		out = append(out, DemoAccount{Username: a.username, Password: pw, Role: string(a.grant.Role)})
	}
	return out, nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
