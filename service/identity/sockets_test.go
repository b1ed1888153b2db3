package identity

import (
	"testing"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
)

func TestSameGrants(t *testing.T) {
	mall, other := uuid.New(), uuid.New()
	desk := auth.Grant{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: mall}
	guard := auth.Grant{Role: auth.RoleSecurity, Level: auth.LevelMall, ScopeID: mall}
	deskElsewhere := auth.Grant{Role: auth.RoleServiceDesk, Level: auth.LevelMall, ScopeID: other}
	for _, tc := range []struct {
		name string
		a, b []auth.Grant
		want bool
	}{
		{"none", nil, nil, true},
		{"same", []auth.Grant{desk, guard}, []auth.Grant{desk, guard}, true},
		{"same in another order", []auth.Grant{desk, guard}, []auth.Grant{guard, desk}, true},
		{"one removed", []auth.Grant{desk}, []auth.Grant{desk, guard}, false},
		{"one added", []auth.Grant{desk, guard}, []auth.Grant{desk}, false},
		{"moved to another mall", []auth.Grant{deskElsewhere}, []auth.Grant{desk}, false},
		{"duplicates differ", []auth.Grant{desk, desk}, []auth.Grant{desk, guard}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sameGrants(tc.a, tc.b); got != tc.want {
				t.Fatalf("sameGrants = %v, want %v", got, tc.want)
			}
		})
	}
}
