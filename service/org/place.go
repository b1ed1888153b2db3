package org

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service/errs"
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
	p := Place{MallID: mallID, Status: "active"}
	var region *uuid.UUID
	err := q.QueryRow(ctx, `SELECT group_id, region_id, code, name, time_zone FROM malls WHERE id = $1`, mallID).
		Scan(&p.GroupID, &region, &p.MallCode, &p.MallName, &p.TimeZone)
	p.Name = p.MallName
	return s.finishPlace(p, region, err, "mall not found")
}

// MerchantPlace reads a merchant and its mall through q (nil: the pool), without an
// access check.
func (s *Service) MerchantPlace(ctx context.Context, q storage.Querier, merchantID uuid.UUID) (Place, error) {
	if q == nil {
		q = s.db.Pool
	}
	p := Place{MerchantID: merchantID}
	var region *uuid.UUID
	err := q.QueryRow(ctx, `SELECT m.mall_id, ml.group_id, ml.region_id, ml.code, ml.name, m.name, m.category, m.kind,
		m.status, ml.time_zone FROM merchants m JOIN malls ml ON ml.id = m.mall_id WHERE m.id = $1`, merchantID).
		Scan(&p.MallID, &p.GroupID, &region, &p.MallCode, &p.MallName, &p.Name, &p.Category, &p.Kind, &p.Status, &p.TimeZone)
	return s.finishPlace(p, region, err, "merchant not found")
}

func (s *Service) finishPlace(p Place, region *uuid.UUID, err error, missing string) (Place, error) {
	if errors.Is(storage.MapError(err), storage.ErrNotFound) {
		return p, errs.ErrNotFound.Msgf("%s", missing)
	}
	if err != nil {
		return p, err
	}
	if region != nil {
		p.RegionID = *region
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
