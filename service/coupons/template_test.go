package coupons

import (
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/errs"
)

func TestNormalizeRejectsBadTemplates(t *testing.T) {
	t.Parallel()
	base := func() TemplateInput {
		return TemplateInput{MallID: uuid.New(), Name: "x", Kind: KindCash, FaceValue: decimal.NewFromInt(10),
			ValidDays: 7, TotalStock: 10}
	}
	until := time.Now()
	for _, tc := range []struct {
		name  string
		edit  func(*TemplateInput)
		field string
	}{
		{"ok", func(*TemplateInput) {}, ""},
		{"no name", func(in *TemplateInput) { in.Name = " " }, "name"},
		{"unknown kind", func(in *TemplateInput) { in.Kind = "bogus" }, "kind"},
		{"zero face value", func(in *TemplateInput) { in.FaceValue = decimal.Zero }, "faceValue"},
		{"over-precise", func(in *TemplateInput) { in.FaceValue = decimal.RequireFromString("1.001") }, "faceValue"},
		{"negative min spend", func(in *TemplateInput) { in.MinSpend = decimal.NewFromInt(-1) }, "minSpend"},
		{"percent 100", func(in *TemplateInput) { in.Kind, in.PercentOff = KindPercent, decimal.NewFromInt(100) }, "percentOff"},
		{"percent ok", func(in *TemplateInput) { in.Kind, in.PercentOff = KindPercent, decimal.NewFromInt(15) }, ""},
		{"parking 0h", func(in *TemplateInput) { in.Kind = KindParking }, "parkingHours"},
		{"both validities", func(in *TemplateInput) { in.ValidUntil = &until }, "validUntil"},
		{"no validity", func(in *TemplateInput) { in.ValidDays = 0 }, "validUntil"},
		{"negative stock", func(in *TemplateInput) { in.TotalStock = -1 }, "totalStock"},
		{"bad stacking", func(in *TemplateInput) { in.Stacking = "sometimes" }, "stacking"},
		{"bad funder", func(in *TemplateInput) { in.Funder = "bank" }, "funder"},
		{"bad window", func(in *TemplateInput) { in.Windows = []Window{{From: "14:00", To: "10:00"}} }, "windows"},
		{"bad weekday", func(in *TemplateInput) { in.Windows = []Window{{Weekdays: []int{8}, From: "1:00", To: "2:00"}} }, "windows"},
	} {
		in := base()
		tc.edit(&in)
		err := normalize(&in)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := errs.As(err)
		if !ok || !errors.Is(err, errs.ErrInvalid) || e.Field[1] != tc.field {
			t.Errorf("%s: got %v, want invalid %s", tc.name, err, tc.field)
		}
	}
}

func TestInWindows(t *testing.T) {
	t.Parallel()
	lunch := []Window{{Weekdays: []int{1, 2, 3, 4, 5}, From: "11:00", To: "14:00"}}
	wed := time.Date(2026, 5, 6, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		w    []Window
		want bool
	}{
		{wed, nil, true},
		{wed, lunch, true},
		{wed.Add(2 * time.Hour), lunch, false}, // 14:00 is the end, exclusive
		{wed.AddDate(0, 0, 4), lunch, false},   // Sunday
		{wed.AddDate(0, 0, 4), []Window{{Weekdays: []int{7}, From: "00:00", To: "23:59"}}, true},
	} {
		if got := inWindows(tc.w, tc.at); got != tc.want {
			t.Errorf("inWindows(%v, %v) = %v", tc.w, tc.at, got)
		}
	}
}

func TestTemplateNeedsManager(t *testing.T) {
	f := setup(t)
	if _, err := f.svc.CreateTemplate(f.world.MallStaffAs(f.ctx, "security"), f.cashInput()); !errors.Is(err, errs.ErrForbidden) {
		t.Fatalf("security creates template: %v", err)
	}
}

func TestSetStatus(t *testing.T) {
	f := setup(t)
	staff := f.world.MallStaffAs(f.ctx, "member_ops")
	tpl, err := f.svc.CreateTemplate(staff, f.cashInput())
	if err != nil {
		t.Fatal(err)
	}
	// The steps run in order on one template.
	steps := []struct {
		name string
		to   string
		want error // nil: the template is left in status to
	}{
		{"draft cannot be paused", "paused", ErrBadTransition},
		{"draft is activated", "active", nil},
		{"active cannot be activated again", "active", ErrBadTransition},
		{"active is paused", "paused", nil},
		{"nothing goes back to draft", "draft", errs.ErrInvalid},
		{"paused is ended", "ended", nil},
		{"ended is final", "active", ErrBadTransition},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			got, err := f.svc.SetStatus(staff, tpl.ID, st.to)
			if st.want != nil {
				if !errors.Is(err, st.want) {
					t.Fatalf("SetStatus(%s) = %v, want %v", st.to, err, st.want)
				}
				return
			}
			if err != nil || got.Status != TemplateStatus(st.to) {
				t.Fatalf("SetStatus(%s) = %s, %v", st.to, got.Status, err)
			}
		})
	}
}
