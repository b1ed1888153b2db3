package alliance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/auth"
	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/alliance/internal/queries"
	"github.com/atrium-mall/atrium/service/alliance/points"
	"github.com/atrium-mall/atrium/service/audit"
	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/loyalty"
	"github.com/atrium-mall/atrium/service/members"
	"github.com/atrium-mall/atrium/service/org"
	"github.com/atrium-mall/atrium/service/tabular"
)

// Import limits, checked while a file is read (service/tabular): a month of a busy
// merchant's receipts fits in one file.
const (
	MaxImportBytes   = 8 << 20  // the file as uploaded
	MaxImportRows    = 20000    // data rows, besides the header
	MaxImportColumns = 16       // cells read of a row
	MaxCellBytes     = 256      // one cell's text
	MaxUnzippedBytes = 32 << 20 // a workbook's contents, uncompressed
	MaxSheetXMLBytes = 16 << 20 // one sheet's XML held in memory
)

// ImportLimits bound an alliance consumption file.
var ImportLimits = tabular.Limits{Bytes: MaxImportBytes, Rows: MaxImportRows, Columns: MaxImportColumns,
	CellBytes: MaxCellBytes, Unzipped: MaxUnzippedBytes, SheetXML: MaxSheetXMLBytes}

// RunStatus is where an import run is.
type RunStatus string

// Run statuses.
const (
	RunImported RunStatus = "IMPORTED"
	RunReverted RunStatus = "REVERTED"
)

// Run is one import of a merchant's file and its outcome.
type Run struct {
	ID            uuid.UUID
	GroupID       uuid.UUID
	MallID        uuid.UUID
	MerchantID    uuid.UUID
	Status        RunStatus
	Format        string
	RowsRead      int
	RowsImported  int
	RowsDuplicate int
	RowsFailed    int
	Amount        decimal.Decimal
	Points        decimal.Decimal
	Errors        []points.RowError // bad rows and duplicates, by line
	CreatedBy     *uuid.UUID
	CreatedAt     time.Time
	RevertedBy    *uuid.UUID
	RevertedAt    *time.Time
	ClawedBack    decimal.Decimal
	Shortfall     decimal.Decimal
}

func toRun(r queries.AllianceRun) Run {
	out := Run{ID: r.ID, GroupID: r.GroupID, MallID: r.MallID, MerchantID: r.MerchantID, Status: RunStatus(r.Status),
		Format: r.Format, RowsRead: int(r.RowsRead), RowsImported: int(r.RowsImported), RowsDuplicate: int(r.RowsDuplicate),
		RowsFailed: int(r.RowsFailed), Amount: r.Amount, Points: r.Points, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt,
		RevertedBy: r.RevertedBy, RevertedAt: r.RevertedAt, ClawedBack: r.ClawedBack, Shortfall: r.Shortfall}
	_ = json.Unmarshal(r.RowErrors, &out.Errors)
	if out.Errors == nil {
		out.Errors = []points.RowError{}
	}
	return out
}

// staffID is the calling staff member's id (nil for the system).
func staffID(ctx context.Context) *uuid.UUID {
	if v := auth.ViewerFrom(ctx); v.IsStaff() {
		id := v.ID
		return &id
	}
	return nil
}

// Import reads a merchant's consumption file (format csv or xlsx; first row: column
// names key/流水号, phone/手机号 or card/卡号, amount/金额, time/时间) and awards each
// good, new row's points to the member's default card (or the card named), in one
// transaction. Rows imported before are reported as ALREADY_IMPORTED and pay nothing;
// bad rows are reported with their line. Admin and member operations staff of the
// merchant's mall.
func (s *Service) Import(ctx context.Context, merchantID uuid.UUID, format string, r io.Reader) (Run, error) {
	m, p, err := s.merchant(ctx, s.db.Pool, merchantID)
	if err != nil {
		return Run{}, err
	}
	if !m.Active {
		return Run{}, ErrMerchantInactive
	}
	table, err := tabular.Read(format, r, ImportLimits)
	if err != nil {
		return Run{}, err
	}
	if len(table) == 0 {
		return Run{}, ErrImportFormat.Msgf("the file is empty")
	}
	cols, ok := points.Header(table[0])
	if !ok {
		return Run{}, ErrImportFormat.Msgf("the first row must name the columns: key, phone or card, amount, time")
	}
	now := s.now()
	good, bad := points.Parse(table[1:], cols, p.Loc, now)
	var run Run
	err = s.db.InTxRetry(ctx, func(tx pgx.Tx) error {
		var err error
		run, err = s.importTx(ctx, tx, m, p, format, good, bad, len(table)-1, now)
		return err
	})
	return run, err
}

func (s *Service) importTx(ctx context.Context, tx pgx.Tx, m Merchant, p org.Place, format string, good []points.Row,
	bad []points.RowError, read int, now time.Time) (Run, error) {
	q := queries.New(tx)
	if _, err := q.MerchantForShare(ctx, m.ID); err != nil {
		return Run{}, fmt.Errorf("lock merchant: %w", err)
	}
	prog, err := loyalty.ProgramOf(ctx, tx, m.GroupID)
	if err != nil {
		return Run{}, err
	}
	runID := service.NewID()
	if err := q.InsertRun(ctx, queries.InsertRunParams{ID: runID, GroupID: m.GroupID, MallID: m.MallID, MerchantID: m.ID,
		Format: format, CreatedBy: staffID(ctx), CreatedAt: now}); err != nil {
		return Run{}, fmt.Errorf("new run: %w", err)
	}
	rowErrs := append([]points.RowError(nil), bad...)
	failed := len(bad)
	imported, dups := 0, 0
	amount, total := decimal.Zero, decimal.Zero
	for _, row := range good {
		card, rowErr, err := s.cardOf(ctx, tx, m.GroupID, row, now)
		if err != nil {
			return Run{}, err
		}
		if rowErr != nil {
			rowErrs, failed = append(rowErrs, *rowErr), failed+1
			continue
		}
		pts := points.Of(row.Amount, m.Ratio)
		rowID := service.NewID()
		_, err = q.ClaimRow(ctx, queries.ClaimRowParams{ID: rowID, GroupID: m.GroupID, MerchantID: m.ID, RowKey: row.Key,
			RunID: runID, Line: int32(row.Line), MemberID: card.MemberID, CardID: card.ID, Amount: row.Amount, Points: pts,
			OccurredAt: row.At})
		if errors.Is(err, pgx.ErrNoRows) {
			dups++
			rowErrs = append(rowErrs, points.RowError{Line: row.Line, Field: "key", Code: points.CodeAlreadyPaid,
				Message: "row " + row.Key + " was imported before; no points"})
			continue
		}
		if err != nil {
			return Run{}, fmt.Errorf("claim row: %w", err)
		}
		if pts.IsPositive() {
			if err := s.earn(ctx, tx, m, p, prog, card.ID, rowID, pts, now); err != nil {
				return Run{}, err
			}
		}
		imported++
		amount, total = amount.Add(row.Amount), total.Add(pts)
	}
	slices.SortStableFunc(rowErrs, func(a, b points.RowError) int { return a.Line - b.Line })
	body, err := json.Marshal(rowErrs)
	if err != nil {
		return Run{}, err
	}
	r, err := q.FinishRun(ctx, queries.FinishRunParams{ID: runID, RowsRead: int32(read), RowsImported: int32(imported),
		RowsDuplicate: int32(dups), RowsFailed: int32(failed), Amount: amount, Points: total, RowErrors: body})
	if err != nil {
		return Run{}, fmt.Errorf("finish run: %w", err)
	}
	err = audit.Record(ctx, tx, audit.Entry{At: now, Action: "alliance.import", Entity: "alliance_run", EntityID: runID,
		MallID: m.MallID, Details: map[string]any{"merchant": m.ID, "imported": imported, "duplicates": dups,
			"failed": failed, "points": total.String()}})
	return toRun(r), err
}

// cardOf finds the card a row's points go to: the card numbered in the row, else the
// default card of the member with the row's phone. A member or card that is unknown
// or cannot earn (frozen, lost, exited…) is a row error.
func (s *Service) cardOf(ctx context.Context, tx pgx.Tx, group uuid.UUID, row points.Row, now time.Time) (members.Card, *points.RowError, error) {
	var c members.Card
	var err error
	field := "phone"
	if row.Card != "" {
		field = "card"
		c, err = members.CardByNumberIn(ctx, tx, group, row.Card)
	} else {
		var member uuid.UUID
		member, err = members.MemberIDByPhoneIn(ctx, tx, group, row.Phone)
		if err == nil {
			c, err = members.DefaultCardIn(ctx, tx, member, group)
		}
	}
	if err == nil {
		err = c.Usable(now)
		if err != nil {
			return c, &points.RowError{Line: row.Line, Field: field, Code: points.CodeInactive,
				Message: "the member's card cannot earn points: " + err.Error()}, nil
		}
	}
	if e, ok := errs.As(err); ok && e.Kind == errs.KindUser {
		return c, &points.RowError{Line: row.Line, Field: field, Code: points.CodeUnknown,
			Message: "no member of the group with this " + field}, nil
	}
	return c, nil, err
}

// earn posts a row's points as a lot available now on card.
func (s *Service) earn(ctx context.Context, tx pgx.Tx, m Merchant, p org.Place, prog loyalty.Program, card, rowID uuid.UUID,
	pts decimal.Decimal, now time.Time) error {
	group, err := s.ledger.LockCardsTx(ctx, tx, card)
	if err != nil {
		return fmt.Errorf("lock card: %w", err)
	}
	if group != m.GroupID {
		return fmt.Errorf("alliance: card %s is of group %s, not %s", card, group, m.GroupID)
	}
	e, err := s.ledger.EarnTx(ctx, tx, ledger.Earn{GroupID: m.GroupID, CardID: card, Points: pts,
		From: ledger.System(ledger.KindIssuance, ledger.Points), AvailableAt: now,
		ExpiresAt: loyalty.ExpiryOf(now, p.Loc, prog.PointsExpiryDays), Kind: PostingAlliance, Key: RowKey(rowID),
		Memo: "alliance " + m.Code})
	if err != nil {
		return fmt.Errorf("earn alliance points: %w", err)
	}
	return queries.New(tx).SetRowLot(ctx, &e.LotID, rowID)
}

// Posting kinds and keys of the alliance context.
const (
	PostingAlliance       ledger.PostingKind = "alliance"
	PostingAllianceRevert ledger.PostingKind = "alliance_revert"
)

// RowKey is the ledger key of a row's points; RevertKey that of their claw-back.
func RowKey(rowID uuid.UUID) string    { return "alliance:" + rowID.String() }
func RevertKey(rowID uuid.UUID) string { return "alliance.revert:" + rowID.String() }
