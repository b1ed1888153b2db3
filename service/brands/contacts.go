package brands

import (
	"context"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
)

// phonePattern accepts a mainland mobile (13800138000), a landline with area code
// (021-12345678, 02112345678) or an international number (+85291234567).
var phonePattern = regexp.MustCompile(`^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|\+[1-9][0-9]{6,14})$`)

// validPhone reports whether phone is one of phonePattern's forms.
func validPhone(phone string) bool { return phonePattern.MatchString(phone) }

// validEmail reports whether email is a bare address with a dotted domain.
func validEmail(email string) bool {
	a, err := mail.ParseAddress(email)
	at := strings.LastIndex(email, "@")
	return err == nil && a.Address == email && at > 0 && strings.Contains(email[at:], ".") && len(email) <= 254
}

// validate checks a contact: a name, a phone or an email, each well formed.
func (c Contact) validate() error {
	switch {
	case strings.TrimSpace(c.Name) == "" || utf8.RuneCountInString(c.Name) > 50:
		return errs.Invalid("input.name", "a contact needs a name of 1-50 characters")
	case utf8.RuneCountInString(c.Role) > 50:
		return errs.Invalid("input.role", "a role is at most 50 characters")
	case c.Phone == "" && c.Email == "":
		return errs.Invalid("input.phone", "a contact needs a phone or an email")
	case c.Phone != "" && !validPhone(c.Phone):
		return errs.Invalid("input.phone", "not a phone number (13800138000, 021-12345678 or +85291234567)")
	case c.Email != "" && !validEmail(c.Email):
		return errs.Invalid("input.email", "not an email address")
	}
	return nil
}

// AddContact adds a person to a brand (leasing staff or an admin in its group).
func (s *Service) AddContact(ctx context.Context, c Contact) (Contact, error) {
	b, err := s.brandFor(ctx, c.BrandID, prepareRoles)
	if err != nil {
		return Contact{}, err
	}
	c.Name, c.Role, c.Phone, c.Email = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role), strings.TrimSpace(c.Phone),
		strings.TrimSpace(c.Email)
	if err := c.validate(); err != nil {
		return Contact{}, err
	}
	c.ID = service.NewID()
	return c, queries.New(s.db.Pool).InsertContact(ctx, queries.InsertContactParams{ID: c.ID, GroupID: b.GroupID,
		BrandID: b.ID, Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email, CreatedAt: s.now()})
}

// Contacts lists a brand's contacts in the order added (any staff member of its group).
func (s *Service) Contacts(ctx context.Context, brandID uuid.UUID) ([]Contact, error) {
	b, err := s.brandFor(ctx, brandID, readRoles)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).ContactsOfBrand(ctx, b.GroupID, b.ID)
	out := make([]Contact, len(rows))
	for i, r := range rows {
		out[i] = Contact{ID: r.ID, BrandID: r.BrandID, Name: r.Name, Role: r.Role, Phone: r.Phone, Email: r.Email}
	}
	return out, err
}
