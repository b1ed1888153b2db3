package assets

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/access"
	"github.com/atrium-mall/atrium/service/assets/depreciation"
	"github.com/atrium-mall/atrium/service/assets/internal/queries"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/state"
)

// StocktakeStatus is where a count (盘点) stands.
type StocktakeStatus string

// The statuses: staff count (scan tags) until one submits the result; a second person
// (ADMIN or FINANCE) approves its adjustments — applied then — or sends it back.
const (
	Counting  StocktakeStatus = "COUNTING"
	Submitted StocktakeStatus = "SUBMITTED"
	Approved  StocktakeStatus = "APPROVED"
)

// StocktakeEvent changes a count's status.
type StocktakeEvent string

// The events.
const (
	EventSubmit  StocktakeEvent = "submit"
	EventApprove StocktakeEvent = "approve"
	EventReject  StocktakeEvent = "reject"
)

var stocktakes = state.New("stocktake", ErrStocktake, map[StocktakeEvent]map[StocktakeStatus]StocktakeStatus{
	EventSubmit:  {Counting: Submitted},
	EventApprove: {Submitted: Approved},
	EventReject:  {Submitted: Counting},
})

// StocktakeTransition is the status event leaves a count in from status from.
func StocktakeTransition(event StocktakeEvent, from StocktakeStatus) (StocktakeStatus, error) {
	return stocktakes.Next(event, from)
}

// Stocktake is a count of one location.
type Stocktake struct {
	ID, GroupID, MallID uuid.UUID
	Location            Location
	Status              StocktakeStatus
	StartedBy           string
	StartedAt           time.Time
	SubmittedBy         string
	DecidedBy           string
	Note                string
}

func stocktakeOf(r queries.AssetStocktake) Stocktake {
	st := Stocktake{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, Location: Location{r.LocationKind, r.LocationRef},
		Status: StocktakeStatus(r.Status), StartedBy: r.StartedBy, StartedAt: r.StartedAt, Note: r.Note}
	if r.SubmittedBy != nil {
		st.SubmittedBy = *r.SubmittedBy
	}
	if r.DecidedBy != nil {
		st.DecidedBy = *r.DecidedBy
	}
	return st
}

// StartStocktake opens a count of a location (ADMIN, FINANCE, MAINTENANCE of the mall).
func (s *Service) StartStocktake(ctx context.Context, mallID uuid.UUID, loc Location, note string) (Stocktake, error) {
	p, err := s.mallFor(ctx, mallID, fieldRoles...)
	if err != nil {
		return Stocktake{}, err
	}
	if loc, err = s.checkLocation(ctx, p, loc, "input.location"); err != nil {
		return Stocktake{}, err
	}
	if note = strings.TrimSpace(note); utf8.RuneCountInString(note) > 500 {
		return Stocktake{}, errs.Invalid("input.note", "a note of at most 500 characters")
	}
	r, err := queries.New(s.db.Pool).InsertStocktake(ctx, queries.InsertStocktakeParams{ID: service.NewID(),
		GroupID: p.GroupID, MallID: p.MallID, LocationKind: loc.Kind, LocationRef: loc.Ref, StartedBy: access.Actor(ctx),
		StartedAt: s.now(), Note: note})
	return stocktakeOf(r), err
}

// stocktakeFor reads a count the caller holds one of roles over (else NOT_FOUND).
func (s *Service) stocktakeFor(ctx context.Context, id uuid.UUID, roles ...auth.Role) (Stocktake, org.Place, error) {
	if _, err := access.Viewer(ctx); err != nil {
		return Stocktake{}, org.Place{}, err
	}
	r, err := queries.New(s.db.Pool).StocktakeByID(ctx, id)
	if err != nil {
		return Stocktake{}, org.Place{}, notFound(err, "stocktake")
	}
	p, err := s.mallFor(ctx, r.MallID, roles...)
	if err != nil {
		return Stocktake{}, p, errs.ErrNotFound.Msgf("stocktake not found")
	}
	return stocktakeOf(r), p, nil
}

// Scan is one tag read by the staff app, with the app's own id for it (an offline scan
// uploaded again keeps its id, and is counted once).
type Scan struct {
	ClientScanID string
	Tag          string
	ScannedAt    time.Time
}

// MaxScans is the most scans an upload carries.
const MaxScans = 1000

// UploadScans records a batch of scans of a counting stocktake (ADMIN, FINANCE,
// MAINTENANCE of its mall) and returns how many were new: a client scan id uploaded
// before is skipped, and a tag scanned twice counts once in the result.
func (s *Service) UploadScans(ctx context.Context, stocktakeID uuid.UUID, scans []Scan) (int, error) {
	st, _, err := s.stocktakeFor(ctx, stocktakeID, fieldRoles...)
	if err != nil {
		return 0, err
	}
	if len(scans) == 0 || len(scans) > MaxScans {
		return 0, errs.Invalid("input.scans", "1 to %d scans", MaxScans)
	}
	params := queries.InsertScansParams{StocktakeID: st.ID, GroupID: st.GroupID, MallID: st.MallID,
		ScannedBy: access.Actor(ctx), ReceivedAt: s.now()}
	seen := map[string]bool{}
	for i, sc := range scans {
		id, tag := strings.TrimSpace(sc.ClientScanID), tagOf(sc.Tag)
		if id == "" || len(id) > 100 || tag == "" || len(tag) > 40 || strings.ContainsAny(tag, " \t\n:") {
			return 0, errs.Invalid("input.scans."+itoa(i), "a scan has a client scan id (≤ 100) and a tag (≤ 40)")
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		at := sc.ScannedAt
		if at.IsZero() {
			at = s.now()
		}
		params.ClientScanIds, params.Tags, params.ScannedAts = append(params.ClientScanIds, id),
			append(params.Tags, tag), append(params.ScannedAts, at)
	}
	var n int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		locked, err := q.LockStocktake(ctx, st.ID)
		if err != nil {
			return err
		}
		if !stocktakes.Can(EventSubmit, StocktakeStatus(locked.Status)) {
			return ErrStocktake.Msgf("the stocktake is %s: scans are taken while COUNTING", locked.Status)
		}
		n, err = q.InsertScans(ctx, params)
		return err
	})
	return int(n), err
}

func itoa(i int) string { return strconv.Itoa(i) }

// Result is what a count found.
type Result struct {
	Stocktake Stocktake
	Scans     int      // scans recorded (each client scan id once)
	Found     []Asset  // registered here, scanned
	Missing   []Asset  // registered here, not scanned (盘亏)
	Misplaced []Asset  // registered elsewhere in the group's register, scanned here
	Surplus   []string // tags scanned that the register does not hold in service (盘盈)
}

// Result computes a count's result from its scans and the register now (readers of
// the register of its mall).
func (s *Service) Result(ctx context.Context, stocktakeID uuid.UUID) (Result, error) {
	st, _, err := s.stocktakeFor(ctx, stocktakeID, readRoles...)
	if err != nil {
		return Result{}, err
	}
	return s.result(ctx, queries.New(s.db.Pool), st)
}

func (s *Service) result(ctx context.Context, q *queries.Queries, st Stocktake) (Result, error) {
	res := Result{Stocktake: st}
	n, err := q.ScanCount(ctx, st.ID)
	if err != nil {
		return res, err
	}
	res.Scans = int(n)
	tags, err := q.ScannedTags(ctx, st.ID)
	if err != nil {
		return res, err
	}
	here, err := q.ActiveAssetsAt(ctx, queries.ActiveAssetsAtParams{GroupID: st.GroupID, MallID: st.MallID,
		LocationKind: st.Location.Kind, LocationRef: st.Location.Ref})
	if err != nil {
		return res, err
	}
	known, err := q.AssetsByTags(ctx, st.GroupID, tags)
	if err != nil {
		return res, err
	}
	byTag := map[string]queries.Asset{}
	for _, a := range known {
		byTag[a.Tag] = a
	}
	for _, a := range here {
		if slices.Contains(tags, a.Tag) {
			res.Found = append(res.Found, assetOf(a))
		} else {
			res.Missing = append(res.Missing, assetOf(a))
		}
	}
	for _, t := range tags {
		a, ok := byTag[t]
		switch {
		case !ok || a.Status != Active || a.MallID != st.MallID:
			res.Surplus = append(res.Surplus, t)
		case a.LocationKind != st.Location.Kind || a.LocationRef != st.Location.Ref:
			res.Misplaced = append(res.Misplaced, assetOf(a))
		}
	}
	return res, nil
}

// SubmitStocktake ends the counting (ADMIN, FINANCE, MAINTENANCE of the mall).
func (s *Service) SubmitStocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	return s.moveStocktake(ctx, id, EventSubmit, fieldRoles, nil)
}

// RejectStocktake sends a submitted count back to counting (ADMIN, FINANCE).
func (s *Service) RejectStocktake(ctx context.Context, id uuid.UUID) (Stocktake, error) {
	return s.moveStocktake(ctx, id, EventReject, approveRoles, nil)
}

// ApproveStocktake applies a submitted count's adjustments (ADMIN or FINANCE of the
// mall, not who submitted it: STOCKTAKE_SECOND_PERSON): missing assets are written off
// (depreciated to today, the book value a loss), misplaced ones moved here, surplus
// tags registered here at zero cost in the SURPLUS category, for finance to value.
func (s *Service) ApproveStocktake(ctx context.Context, id uuid.UUID) (Result, error) {
	var res Result
	_, err := s.moveStocktake(ctx, id, EventApprove, approveRoles, func(ctx context.Context, tx pgx.Tx, p org.Place, st Stocktake) error {
		if st.SubmittedBy == access.Actor(ctx) {
			return ErrSelfApproval
		}
		var err error
		if res, err = s.result(ctx, queries.New(tx), st); err != nil {
			return err
		}
		return s.adjust(ctx, tx, p, res)
	})
	res.Stocktake.Status = Approved
	return res, err
}

// moveStocktake applies event to a count under its row lock, running apply first.
func (s *Service) moveStocktake(ctx context.Context, id uuid.UUID, event StocktakeEvent, roles []auth.Role,
	apply func(context.Context, pgx.Tx, org.Place, Stocktake) error) (Stocktake, error) {
	_, p, err := s.stocktakeFor(ctx, id, roles...)
	if err != nil {
		return Stocktake{}, err
	}
	var out Stocktake
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		q := queries.New(tx)
		r, err := q.LockStocktake(ctx, id)
		if err != nil {
			return err
		}
		st := stocktakeOf(r)
		to, err := stocktakes.Next(event, st.Status)
		if err != nil {
			return err
		}
		if apply != nil {
			if err := apply(ctx, tx, p, st); err != nil {
				return err
			}
		}
		actor, now := access.Actor(ctx), s.now()
		params := queries.SetStocktakeStatusParams{ID: id, Status: string(to)}
		if event == EventSubmit {
			params.SubmittedBy, params.SubmittedAt, st.SubmittedBy = &actor, &now, actor
		} else {
			params.DecidedBy, params.DecidedAt, st.DecidedBy = &actor, &now, actor
		}
		st.Status = to
		out = st
		return q.SetStocktakeStatus(ctx, params)
	})
	return out, err
}

// adjust applies a count's result to the register.
func (s *Service) adjust(ctx context.Context, tx pgx.Tx, p org.Place, res Result) error {
	today, loc := s.today(p), res.Stocktake.Location
	for _, a := range res.Missing {
		if _, err := s.disposeTx(ctx, tx, a.ID, maxDay(today, a.Rule.InService), WriteOff, 0); err != nil {
			return err
		}
	}
	for _, a := range res.Misplaced {
		if _, err := s.transferTx(ctx, tx, a.ID, loc, a.CustodianID, "stocktake "+res.Stocktake.ID.String()); err != nil {
			return err
		}
	}
	if len(res.Surplus) == 0 {
		return nil
	}
	cat, err := queries.New(tx).InsertCategory(ctx, queries.InsertCategoryParams{ID: service.NewID(), GroupID: p.GroupID,
		MallID: p.MallID, Code: "SURPLUS", Name: "盘盈 Surplus", CreatedAt: s.now()})
	if err != nil {
		return err
	}
	for _, tag := range res.Surplus {
		_, err := s.registerTx(ctx, tx, p, Input{MallID: p.MallID, Tag: tag, Name: "盘盈 " + tag, CategoryID: cat.ID,
			Location: loc, AcquiredOn: today, Rule: depreciation.Asset{InService: today, LifeMonths: 60,
				Method: depreciation.StraightLine}}, "surplus")
		if errors.Is(err, ErrTagTaken) {
			continue // a disposed asset's tag found again: it stays disposed, nothing to register
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Stocktakes lists a mall's latest counts, newest first (readers of the register).
func (s *Service) Stocktakes(ctx context.Context, mallID uuid.UUID, first int) ([]Stocktake, error) {
	p, err := s.mallFor(ctx, mallID, readRoles...)
	if err != nil {
		return nil, err
	}
	rows, err := queries.New(s.db.Pool).StocktakesOfMall(ctx, queries.StocktakesOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, Lim: int32(min(max(first, 1), 100))})
	out := make([]Stocktake, len(rows))
	for i, r := range rows {
		out[i] = stocktakeOf(r)
	}
	return out, err
}
