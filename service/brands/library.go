package brands

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/brands/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// ErrDuplicateBrand: the group has a brand with the same normalised name; the message
// names it.
var ErrDuplicateBrand = errs.New(errs.KindUser, "DUPLICATE_BRAND", "the group has this brand already")

// validate checks a brand's fields.
func (in BrandInput) validate() error {
	switch {
	case strings.TrimSpace(in.Name) == "" || utf8.RuneCountInString(in.Name) > 100:
		return errs.Invalid("input.name", "a brand needs a name of 1-100 characters")
	case Normalize(in.Name) == "":
		return errs.Invalid("input.name", "a brand name needs a letter or a digit")
	case !slices.Contains(Categories, in.Category):
		return errs.Invalid("input.category", "unknown category %q", in.Category)
	case in.Grade != GradeA && in.Grade != GradeB && in.Grade != GradeC:
		return errs.Invalid("input.grade", "grade is A, B or C")
	case utf8.RuneCountInString(in.Notes) > 4000:
		return errs.Invalid("input.notes", "notes are at most 4000 characters")
	}
	return nil
}

// CreateBrand adds a brand to a group's library (leasing staff or an admin in the
// group). A name equal to an existing one after Normalize is DUPLICATE_BRAND.
func (s *Service) CreateBrand(ctx context.Context, in BrandInput) (Brand, error) {
	if err := s.inGroup(ctx, in.GroupID, prepareRoles); err != nil {
		return Brand{}, err
	}
	if err := in.validate(); err != nil {
		return Brand{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	id, now := service.NewID(), s.now()
	err := queries.New(s.db.Pool).InsertBrand(ctx, queries.InsertBrandParams{ID: id, GroupID: in.GroupID, Name: in.Name,
		NormalizedName: Normalize(in.Name), Category: string(in.Category), Grade: string(in.Grade), Notes: in.Notes,
		CreatedAt: now})
	if err != nil {
		return Brand{}, s.duplicate(ctx, in, err)
	}
	return s.brand(ctx, id)
}

// duplicate turns a unique violation on the normalised name into DUPLICATE_BRAND naming
// the brand that holds it; other errors pass.
func (s *Service) duplicate(ctx context.Context, in BrandInput, err error) error {
	if !errors.Is(storage.MapError(err), storage.ErrConflict) {
		return err
	}
	b, lookErr := queries.New(s.db.Pool).BrandByNormalizedName(ctx, in.GroupID, Normalize(in.Name))
	if lookErr != nil {
		return ErrDuplicateBrand.At("input", "name")
	}
	return ErrDuplicateBrand.At("input", "name").Msgf("the group has this brand already: %q (%s)", b.Name, b.ID)
}

// UpdateBrand replaces a brand's name, category, grade and notes (leasing staff or an
// admin in its group).
func (s *Service) UpdateBrand(ctx context.Context, id uuid.UUID, in BrandInput) (Brand, error) {
	b, err := s.brandFor(ctx, id, prepareRoles)
	if err != nil {
		return Brand{}, err
	}
	in.GroupID = b.GroupID
	if err := in.validate(); err != nil {
		return Brand{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	_, err = queries.New(s.db.Pool).UpdateBrand(ctx, queries.UpdateBrandParams{ID: id, Name: in.Name,
		NormalizedName: Normalize(in.Name), Category: string(in.Category), Grade: string(in.Grade), Notes: in.Notes,
		UpdatedAt: s.now()})
	if err != nil {
		return Brand{}, s.duplicate(ctx, in, err)
	}
	return s.brand(ctx, id)
}

// Brand returns a brand (any staff member of its group).
func (s *Service) Brand(ctx context.Context, id uuid.UUID) (Brand, error) {
	return s.brandFor(ctx, id, readRoles)
}

// brandFor loads a brand and checks the caller holds one of roles in its group.
func (s *Service) brandFor(ctx context.Context, id uuid.UUID, roles []auth.Role) (Brand, error) {
	b, err := s.brand(ctx, id)
	if err != nil {
		return b, err
	}
	return b, s.inGroup(ctx, b.GroupID, roles)
}

// brand loads a brand without an access check.
func (s *Service) brand(ctx context.Context, id uuid.UUID) (Brand, error) {
	r, err := queries.New(s.db.Pool).BrandByID(ctx, id)
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return Brand{}, errs.ErrNotFound.Msgf("brand not found")
	}
	return brandOf(r), err
}

func brandOf(r queries.Brand) Brand {
	return Brand{ID: r.ID, GroupID: r.GroupID, Name: r.Name, NormalizedName: r.NormalizedName,
		Category: Category(r.Category), Grade: Grade(r.Grade), Notes: r.Notes, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// BrandFilter narrows a search of the library; zero fields match everything.
type BrandFilter struct {
	Name     string // a prefix of the name, compared after Normalize
	Category Category
	Grade    Grade
}

// Brands is a page of a group's brands in creation order (any staff member of the group).
func (s *Service) Brands(ctx context.Context, groupID uuid.UUID, f BrandFilter, p page.Request) (page.Result[Brand], error) {
	if err := s.inGroup(ctx, groupID, readRoles); err != nil {
		return page.Result[Brand]{}, err
	}
	rows, err := queries.New(s.db.Pool).SearchBrands(ctx, queries.SearchBrandsParams{GroupID: groupID, After: p.After,
		Prefix: Normalize(f.Name), Category: string(f.Category), Grade: string(f.Grade), Lim: int32(p.Limit())})
	out := make([]Brand, len(rows))
	for i, r := range rows {
		out[i] = brandOf(r)
	}
	return page.Cut(p, out), err
}
