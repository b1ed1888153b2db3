// Package notices is the staff's inbox: short notifications that jobs and services
// raise for the people of one role at one mall (leasing staff: a tenant has not
// reported its sales, declared and verified sales differ), each recorded once.
//
// Design notes:
//   - Idempotent by key: a notice carries a dedupe key (e.g. "sales-unreported:<merchant>:
//     2026-11"), unique per group; Notify of a key already recorded is a no-op, so a job
//     that runs twice, or a retried transaction, never notifies twice. Notify runs in the
//     caller's transaction when given one, so a notice commits with what caused it.
//   - Audience: a role, not a list of people. A staff member sees the notices whose
//     audience role they hold by a grant covering the notice's group, region or mall
//     (the mall's region is recorded with the notice); everyone else sees nothing — not
//     even admins, who hold their own role, not the audience's.
//   - Read state is per staff member, in a table of reads beside the notices: marking a
//     notice read for one leasing manager leaves it unread for the others.
package notices

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/notices/internal/queries"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/page"
	"github.com/atrium-mall/atrium/storage"
)

// Deps are what the notices context is built from; all are required.
type Deps struct {
	DB  *storage.DB
	Org *org.Service // the mall of a notice: its group and region
	Now func() time.Time
}

// Service is the notices context.
type Service struct {
	db  *storage.DB
	org *org.Service
	now func() time.Time
}

// New returns the service.
func New(d Deps) *Service {
	service.MustDeps("notices", d)
	return &Service{db: d.DB, org: d.Org, now: d.Now}
}

// Notice is a notification for the staff holding Audience at a mall.
type Notice struct {
	ID        uuid.UUID
	MallID    uuid.UUID
	Audience  auth.Role
	Kind      string    // e.g. sales_unreported, sales_gap
	SubjectID uuid.UUID // what it is about (a merchant, a contract), uuid.Nil for none
	Text      string
	DedupeKey string
	CreatedAt time.Time
	Read      bool // for the staff member reading it
}

// Limits of a notice's fields (the table checks them too).
const (
	maxText = 2000
	maxKey  = 200
)

// ErrInvalidNotice is a notice a caller built wrongly (a bug of the caller's).
var ErrInvalidNotice = errors.New("notices: invalid notice")

// Notify records n once per dedupe key, through q (the caller's transaction) or the
// pool when q is nil; it reports whether n was recorded now (false: recorded before).
func (s *Service) Notify(ctx context.Context, q storage.Querier, n Notice) (bool, error) {
	if err := validNotice(n); err != nil {
		return false, err
	}
	if q == nil {
		q = s.db.Pool
	}
	p, err := s.org.MallPlace(ctx, q, n.MallID)
	if err != nil {
		return false, fmt.Errorf("notices: mall of notice: %w", err)
	}
	rows, err := queries.New(q).InsertNotice(ctx, queries.InsertNoticeParams{ID: service.NewID(), GroupID: p.GroupID,
		RegionID: nilIfZero(p.RegionID), MallID: n.MallID, Audience: string(n.Audience), Kind: n.Kind,
		SubjectID: nilIfZero(n.SubjectID), Text: n.Text, DedupeKey: n.DedupeKey, CreatedAt: s.now()})
	if err != nil {
		return false, fmt.Errorf("notices: record: %w", err)
	}
	return rows == 1, nil
}

// validNotice checks what the table would refuse, with a clearer error.
func validNotice(n Notice) error {
	switch {
	case n.MallID == uuid.Nil, n.Audience == "", n.Kind == "", n.Text == "", n.DedupeKey == "":
		return fmt.Errorf("%w: mall, audience, kind, text and dedupe key are required", ErrInvalidNotice)
	case len(n.Text) > maxText, len(n.DedupeKey) > maxKey:
		return fmt.Errorf("%w: text or key too long", ErrInvalidNotice)
	}
	return nil
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// Mine lists the calling staff member's notices, newest first (unreadOnly: only those
// not read yet). Staff only; a member without an audience role sees an empty list.
func (s *Service) Mine(ctx context.Context, p page.Request, unreadOnly bool) (page.Result[Notice], error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return page.Result[Notice]{}, err
	}
	rows, err := s.visible(ctx, v, queries.VisibleNoticesParams{After: p.After, UnreadOnly: unreadOnly,
		Max: int32(p.Limit())})
	if err != nil {
		return page.Result[Notice]{}, err
	}
	return page.Cut(p, rows), nil
}

// visible runs the visibility query for viewer v with the rest of arg.
func (s *Service) visible(ctx context.Context, v *auth.Viewer, arg queries.VisibleNoticesParams) ([]Notice, error) {
	groups, err := s.org.GroupsOf(ctx, nil, v.Grants)
	if err != nil {
		return nil, err
	}
	arg.StaffID, arg.GroupIds, arg.Grants = v.ID, groups, grantKeys(v.Grants)
	rows, err := queries.New(s.db.Pool).VisibleNotices(ctx, arg)
	if err != nil {
		return nil, fmt.Errorf("notices: list: %w", err)
	}
	out := make([]Notice, len(rows))
	for i, r := range rows {
		out[i] = Notice{ID: r.ID, MallID: r.MallID, Audience: auth.Role(r.Audience), Kind: r.Kind, Text: r.Text,
			DedupeKey: r.DedupeKey, CreatedAt: r.CreatedAt, Read: r.Read}
		if r.SubjectID != nil {
			out[i].SubjectID = *r.SubjectID
		}
	}
	return out, nil
}

// grantKeys spells grants as the query matches them: "role:level:scope".
func grantKeys(gs []auth.Grant) []string {
	out := make([]string, 0, len(gs))
	for _, g := range gs {
		out = append(out, string(g.Role)+":"+string(g.Level)+":"+g.ScopeID.String())
	}
	return out
}

// maxMark bounds the ids of one MarkRead.
const maxMark = 100

// MarkRead marks notices read for the calling staff member and returns how many were
// newly marked. Every id must be a notice the caller sees: otherwise NOT_FOUND and
// nothing is marked.
func (s *Service) MarkRead(ctx context.Context, ids []uuid.UUID) (int, error) {
	v, err := access.Staff(ctx)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 || len(ids) > maxMark {
		return 0, errs.Invalid("ids", "give 1 to %d notice ids", maxMark)
	}
	seen, err := s.visible(ctx, v, queries.VisibleNoticesParams{OnlyIds: ids, Max: maxMark})
	if err != nil {
		return 0, err
	}
	if len(seen) != len(unique(ids)) {
		return 0, errs.ErrNotFound.Msgf("notice not found")
	}
	n, err := queries.New(s.db.Pool).MarkRead(ctx, queries.MarkReadParams{StaffID: v.ID, ReadAt: s.now(), Ids: ids})
	return int(n), err
}

func unique(ids []uuid.UUID) map[uuid.UUID]bool {
	m := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
