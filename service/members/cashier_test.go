package members

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestForCashier(t *testing.T) {
	now := time.Now()
	birthday := now.AddDate(-30, 0, 0)
	ref := uuid.New()
	full := Member{ID: uuid.New(), GroupID: uuid.New(), Name: "林小姐", Phone: "13800138000", Birthday: &birthday,
		Tags: []string{"vip"}, PhotoKey: "p.jpg", ReferrerID: &ref, Status: MemberActive, CreatedAt: now}
	got := full.ForCashier()
	cases := []struct {
		name      string
		got, want any
	}{
		{"id kept", got.ID, full.ID},
		{"status kept", got.Status, MemberActive},
		{"name masked after its first character", got.Name, "林**"},
		{"phone masked but its last four digits", got.Phone, "*******8000"},
		{"no birthday", got.Birthday == nil, true},
		{"no tags", len(got.Tags), 0},
		{"no photo", got.PhotoKey, ""},
		{"no referrer", got.ReferrerID == nil, true},
		{"a one-letter name stays", Member{Name: "A"}.ForCashier().Name, "A"},
		{"a short phone is all masked", Member{Phone: "123"}.ForCashier().Phone, "***"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Fatalf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}
