package members

import (
	"testing"

	"github.com/google/uuid"
)

func TestShopperLogin(t *testing.T) {
	f := setup(t)
	first, status, err := f.svc.ShopperLogin(f.ctx, "o-1", "u-1")
	if err != nil || status != MemberActive {
		t.Fatalf("first login: %v %v", status, err)
	}
	// A member known by unionid only (another app of the group) takes the new openid.
	byUnion := newID()
	f.exec(`INSERT INTO members (id, unionid) VALUES ($1, 'u-2')`, byUnion)
	cases := []struct {
		name            string
		openID, unionID string
		want            func(id uuid.UUID) bool
	}{
		{"same openid finds the same member", "o-1", "u-1", func(id uuid.UUID) bool { return id == first }},
		{"unionid finds the member without openid", "o-2", "u-2", func(id uuid.UUID) bool { return id == byUnion }},
		{"a new openid without unionid creates a member", "o-3", "", func(id uuid.UUID) bool { return id != first && id != byUnion }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, status, err := f.svc.ShopperLogin(f.ctx, tc.openID, tc.unionID)
			if err != nil || status != MemberActive || !tc.want(id) {
				t.Fatalf("got %s %s %v", id, status, err)
			}
			if n := f.count(`SELECT count(*) FROM members WHERE id = $1 AND openid = $2 AND last_login_at IS NOT NULL`,
				id, tc.openID); n != 1 {
				t.Fatalf("openid or login time not recorded")
			}
		})
	}
}
