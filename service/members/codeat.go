package members

import (
	"time"

	"github.com/google/uuid"
)

// MemberIDFromCodeAt verifies a member code scanned at `at` (an offline device's scan
// time, uploaded later) and returns the member id: the code must have been fresh then
// (issued within CodeTTL before at), not now. No access check: the caller checks the
// viewer's scope (member events' offline check-in).
func (s *Service) MemberIDFromCodeAt(code string, at time.Time) (uuid.UUID, error) {
	if len(s.cfg.CodeKey) < minCodeBytes {
		return uuid.Nil, ErrMemberCodeInvalid
	}
	id, issued, err := decodeCode(s.cfg.CodeKey, code)
	if err != nil {
		return uuid.Nil, err
	}
	return id, checkFresh(issued, at, s.cfg.CodeTTL)
}
