package campaigns

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func TestCampaignStatus(t *testing.T) {
	cases := []struct {
		name   string
		active bool
		want   CampaignStatus
		err    error
	}{
		{"an active campaign runs", true, CampaignRunning, nil},
		{"an inactive campaign is closed", false, CampaignClosed, ErrCampaignClosed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := statusOf(tc.active)
			if err := running(got); got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("statusOf(%v) = %s, running: %v", tc.active, got, err)
			}
		})
	}
}

// A closed campaign takes no sign-ins and no draws; a caller without a viewer is
// UNAUTHENTICATED, a staff account FORBIDDEN (access.Shopper).
func TestJoiningCampaigns(t *testing.T) {
	f := setup(t, nil)
	signin, err := f.svc.CreateSignInCampaign(f.staff, SignInCampaign{MallID: f.world.MallID, Name: "Daily", DailyPoints: 5})
	if err != nil {
		t.Fatal(err)
	}
	lottery, err := f.svc.CreateLottery(f.staff, Lottery{MallID: f.world.MallID, Name: "Draw",
		Prizes: []Prize{{Name: "Points", Odds: decimal.RequireFromString("0.5"), Stock: 5, Points: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	member, _ := f.member(t)
	shopper := redemptiontest.Shopper(f.ctx, member)
	if _, err := f.db.Pool.Exec(f.ctx, `UPDATE signin_campaigns SET active = false WHERE id = $1`, signin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Pool.Exec(f.ctx, `UPDATE lotteries SET active = false WHERE id = $1`, lottery.ID); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		ctx  context.Context
		join func(ctx context.Context) error
		want error
	}{
		{"sign in to a closed campaign", shopper, func(ctx context.Context) error {
			_, err := f.svc.SignIn(ctx, signin.ID)
			return err
		}, ErrCampaignClosed},
		{"draw a closed lottery", shopper, func(ctx context.Context) error {
			_, err := f.svc.DrawLottery(ctx, lottery.ID, "k1")
			return err
		}, ErrCampaignClosed},
		{"draw without a viewer", f.ctx, func(ctx context.Context) error {
			_, err := f.svc.DrawLottery(ctx, lottery.ID, "k2")
			return err
		}, errs.ErrUnauthenticated},
		{"sign in as staff", f.staff, func(ctx context.Context) error {
			_, err := f.svc.SignIn(ctx, signin.ID)
			return err
		}, errs.ErrForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.join(tc.ctx); !errors.Is(err, tc.want) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
		})
	}
}
