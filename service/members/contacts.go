package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/members/internal/queries"
)

// Contact is how a member is reached: their group, WeChat openid and phone.
type Contact struct {
	GroupID uuid.UUID
	OpenID  string
	Phone   string
}

// Contacts reads members' contacts for delivering their notifications (no access
// check: the notify context's workers call it for members it already addresses).
func (s *Service) Contacts(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID]Contact, error) {
	rows, err := queries.New(s.db.Pool).MemberContacts(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("member contacts: %w", err)
	}
	out := make(map[uuid.UUID]Contact, len(rows))
	for _, r := range rows {
		c := Contact{OpenID: deref(r.Openid), Phone: deref(r.Phone)}
		if r.GroupID != nil {
			c.GroupID = *r.GroupID
		}
		out[r.ID] = c
	}
	return out, nil
}
