package org

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Place is where an operation happens, as other contexts need it: a mall, or a merchant
// of a mall, with its place in the organisation (for access.At), its status and
// category (merchants), and the business time zone it keeps. It is org's read of
// malls and merchants exported on purpose: other contexts never read those tables.
type Place struct {
	GroupID    uuid.UUID
	RegionID   uuid.UUID // uuid.Nil when the mall is in no region
	MallID     uuid.UUID
	MerchantID uuid.UUID // uuid.Nil for a mall
	MallCode   string
	MallName   string
	Name       string // the merchant's name, or the mall's
	Category   string // merchants only
	Kind       string // merchants only: tenant | alliance
	Status     string // merchants: active | suspended | closed; malls: active
	TimeZone   string // the mall's IANA zone as stored
	Loc        *time.Location
}

// Ref places p in the organisation.
func (p Place) Ref() auth.OrgRef {
	return auth.OrgRef{GroupID: p.GroupID, RegionID: p.RegionID, MallID: p.MallID, MerchantID: p.MerchantID}
}

// MallPlace reads a mall through q (a transaction of the caller's, or nil for the pool),
// without an access check: callers check access.At(ctx, p.Ref(), roles...).
func (s *Service) MallPlace(ctx context.Context, q storage.Querier, mallID uuid.UUID) (Place, error) {
	if q == nil {
		q = s.db.Pool
	}
	r, err := queries.New(q).MallPlace(ctx, mallID)
	p := Place{GroupID: r.GroupID, RegionID: orNil(r.RegionID), MallID: mallID, MallCode: r.Code, MallName: r.Name,
		Name: r.Name, Status: string(MerchantActive), TimeZone: r.TimeZone}
	return s.finishPlace(p, err, "mall not found")
}

// AtMall reads a mall (MallPlace) and checks that the caller is staff covering it with
// one of roles, any role when none are given (access.At).
func (s *Service) AtMall(ctx context.Context, mallID uuid.UUID, roles ...auth.Role) (Place, error) {
	p, err := s.MallPlace(ctx, nil, mallID)
	if err != nil {
		return p, err
	}
	return p, access.At(ctx, p.Ref(), roles...)
}

// MerchantPlace reads a merchant and its mall through q (nil: the pool), without an
// access check.
func (s *Service) MerchantPlace(ctx context.Context, q storage.Querier, merchantID uuid.UUID) (Place, error) {
	if q == nil {
		q = s.db.Pool
	}
	r, err := queries.New(q).MerchantPlace(ctx, merchantID)
	return s.finishPlace(merchantPlaceOf(merchantID, r), err, "merchant not found")
}

// merchantPlaceOf is the place of a merchant as MerchantPlace read it.
func merchantPlaceOf(merchantID uuid.UUID, r queries.MerchantPlaceRow) Place {
	return Place{GroupID: r.GroupID, RegionID: orNil(r.RegionID), MallID: r.MallID, MerchantID: merchantID,
		MallCode: r.MallCode, MallName: r.MallName, Name: r.Name, Category: r.Category, Kind: r.Kind,
		Status: r.Status, TimeZone: r.TimeZone}
}

// QueueMerchantPlace queues MerchantPlace in b, for a caller that sends more statements
// in the same round trip: read returns the place once b is sent (a missing merchant
// does not fail the batch).
func (s *Service) QueueMerchantPlace(ctx context.Context, b *storage.Batch, merchantID uuid.UUID) (read func() (Place, error)) {
	p, err := Place{}, errors.New("org: merchant place: batch not sent")
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).MerchantPlace(ctx, merchantID) }).
		QueryRow(func(row pgx.Row) error {
			r, rerr := queries.New(storage.SentRow(row)).MerchantPlace(ctx, merchantID)
			p, err = merchantPlaceOf(merchantID, r), rerr
			if errors.Is(rerr, pgx.ErrNoRows) {
				return nil
			}
			return rerr
		})
	return func() (Place, error) { return s.finishPlace(p, err, "merchant not found") }
}

// finishPlace maps a read's error and resolves the place's time zone.
func (s *Service) finishPlace(p Place, err error, missing string) (Place, error) {
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return p, errs.ErrNotFound.Msgf("%s", missing)
	}
	if err != nil {
		return p, fmt.Errorf("org: read place: %w", err)
	}
	p.Loc = s.zones.Of(p.TimeZone)
	return p, nil
}

// Zone returns the business time zone of a mall (the deployment's ATRIUM_TIMEZONE when
// the mall names none this machine knows).
func (s *Service) Zone(ctx context.Context, mallID uuid.UUID) (*time.Location, error) {
	p, err := s.MallPlace(ctx, nil, mallID)
	return p.Loc, err
}
