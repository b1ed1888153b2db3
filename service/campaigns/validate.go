package campaigns

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/service/errs"
)

// validName trims a campaign, prize or gift name and checks it (1 to 200 characters).
func validName(field string, name *string) error {
	*name = strings.TrimSpace(*name)
	if *name == "" || utf8.RuneCountInString(*name) > 200 {
		return errs.Invalid(field, "a name of 1 to 200 characters is required")
	}
	return nil
}

// canSetUp checks that the caller may set up campaigns of the mall (manageRoles) and
// that every coupon template a campaign hands out (nil entries are skipped) belongs to
// the campaign's mall, so a campaign never issues another mall's coupons; field(i)
// names the input field of entry i. Templates are read through the coupons context.
func (s *Service) canSetUp(ctx context.Context, mall uuid.UUID, ids []*uuid.UUID, field func(i int) string) error {
	if _, err := s.org.AtMall(ctx, mall, manageRoles...); err != nil {
		return err
	}
	for i, id := range ids {
		if id == nil {
			continue
		}
		t, err := s.coupons.Template(ctx, *id)
		if errors.Is(err, errs.ErrNotFound) || (err == nil && t.MallID != mall) {
			return errs.Invalid(field(i), "no coupon template of this mall has that id")
		}
		if err != nil {
			return fmt.Errorf("coupon template %s: %w", *id, err)
		}
	}
	return nil
}

func indexed(prefix, suffix string) func(int) string {
	return func(i int) string { return prefix + strconv.Itoa(i) + suffix }
}
