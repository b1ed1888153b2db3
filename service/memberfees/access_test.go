package memberfees_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/memberfees"
	"github.com/atrium-mall/atrium/service/memberfees/feerules"
)

// TestAuthorizationOtherGroupAndRoles: another group's staff at their own desk find none
// of this group's cards, fees, waivers or card groups (NOT_FOUND); at this group's mall
// they, a wrong role and a shopper are FORBIDDEN or UNAUTHENTICATED.
func TestAuthorizationOtherGroupAndRoles(t *testing.T) {
	f := setup(t)
	s := f.sell(t)
	g, err := f.svc.CreateCardGroup(f.desk, memberfees.CardGroupInput{MallID: f.org.MallID, Name: "G", PayerCompany: "Co"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := f.svc.RequestWaiver(f.desk, f.org.MallID, s.JoiningFee.ID, nil, "x")
	if err != nil {
		t.Fatal(err)
	}
	theirs := staffCtx(auth.RoleAdmin, auth.LevelGroup, f.other.GroupID)
	leasing := staffCtx(auth.RoleLeasing, auth.LevelMall, f.org.MallID)
	shopper := auth.WithViewer(context.Background(), &auth.Viewer{Kind: auth.KindShopper, ID: s.CardID})
	ops := map[string]func(ctx context.Context, mall memberfeesMall) error{
		"CardFees": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.CardFees(ctx, m.id, s.CardID)
			return err
		},
		"Pay": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Pay(ctx, memberfees.PayInput{MallID: m.id, FeeID: s.JoiningFee.ID, Method: "cash", IdempotencyKey: "k"})
			return err
		},
		"RequestWaiver": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.RequestWaiver(ctx, m.id, s.JoiningFee.ID, nil, "x")
			return err
		},
		"DecideWaiver": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.DecideWaiver(ctx, m.id, w.ID, true)
			return err
		},
		"Renew": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Renew(ctx, memberfees.RenewInput{MallID: m.id, CardID: s.CardID, IdempotencyKey: "k"})
			return err
		},
		"Withdraw": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Withdraw(ctx, memberfees.WithdrawInput{MallID: m.id, CardID: s.CardID, Amount: dec("10"), IdempotencyKey: "k"})
			return err
		},
		"Sell": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Sell(ctx, memberfees.SellInput{MallID: m.id, MemberID: s.CardID, CardTypeID: f.gold, IdempotencyKey: "k"})
			return err
		},
		"CardGroupByID": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.CardGroupByID(ctx, m.id, g.ID)
			return err
		},
		"AddToCardGroup": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.AddToCardGroup(ctx, m.id, g.ID, s.CardID)
			return err
		},
		"Link": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Link(ctx, memberfees.LinkInput{MallID: m.id, HeadCardID: s.CardID, CardID: g.ID, Relation: "x"})
			return err
		},
		"Linked": func(ctx context.Context, m memberfeesMall) error {
			_, err := f.svc.Linked(ctx, m.id, s.CardID)
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			if err := op(theirs, memberfeesMall{f.other.MallID}); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("another group at its own desk: %v, want not found", err)
			}
			for who, ctx := range map[string]context.Context{"another group": theirs, "wrong role": leasing, "shopper": shopper,
				"nobody": context.Background()} {
				err := op(ctx, memberfeesMall{f.org.MallID})
				if !errors.Is(err, errs.ErrForbidden) && !errors.Is(err, errs.ErrUnauthenticated) {
					t.Errorf("%s at this mall: %v", who, err)
				}
			}
		})
	}
	if _, err := f.svc.SetPolicy(theirs, f.org.GroupID, memberfeesDefault()); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("another group sets the policy: %v", err)
	}
	if _, err := f.svc.Policy(f.desk, f.org.GroupID); !errors.Is(err, errs.ErrForbidden) {
		t.Errorf("the desk reads the policy: %v", err)
	}
	if fs, err := f.svc.MyFees(shopper); err != nil || len(fs) != 0 {
		t.Errorf("another member's fees: %v %v", fs, err)
	}
}

type memberfeesMall struct{ id uuid.UUID }

func memberfeesDefault() feerules.Policy { return feerules.DefaultPolicy() }
