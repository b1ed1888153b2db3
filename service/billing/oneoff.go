package billing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/billing/internal/queries"
	"github.com/atrium-mall/atrium/service/leasing"
	"github.com/atrium-mall/atrium/service/leasing/schedule"
	"github.com/atrium-mall/atrium/service/once"
	"github.com/atrium-mall/atrium/service/page"
)

// OneOffInput is a one-off charge finance enters against a contract: tax-inclusive,
// positive for a charge, negative for a credit.
type OneOffInput struct {
	ContractID     uuid.UUID
	Code           string // a charge code with a VAT rate at the mall (OTHER when none fits)
	Amount         decimal.Decimal
	Description    string
	IdempotencyKey string
}

// OneOff is a one-off charge; BilledLine is the bill line that billed it (nil until the
// next run bills it).
type OneOff struct {
	ID, MallID, ContractID, MerchantID uuid.UUID
	Code                               string
	Amount                             decimal.Decimal
	Description                        string
	CreatedBy                          uuid.UUID
	CreatedAt                          time.Time
	BilledLine                         *uuid.UUID
}

// AddOneOffCharge records a one-off charge; the mall's next bill run bills it, once, on
// the tenant's bill. FINANCE or ADMIN of the contract's mall; idempotent per caller and
// key (billing.one_off).
func (s *Service) AddOneOffCharge(ctx context.Context, in OneOffInput) (OneOff, error) {
	if err := checkOneOff(in); err != nil {
		return OneOff{}, err
	}
	var c leasing.Contract
	authorize := func(ctx context.Context, tx pgx.Tx) error {
		var err error
		if c, err = s.leasing.Contract(ctx, in.ContractID); err != nil {
			return err
		}
		if _, err := s.mallAt(ctx, c.MallID); err != nil {
			return err
		}
		if c.StoredStatus == leasing.StatusDraft || c.StoredStatus == leasing.StatusSubmitted {
			return ErrNoContract.At("input", "contractId")
		}
		rs, err := rates(ctx, tx, c.GroupID, c.MallID)
		if err != nil {
			return err
		}
		if _, ok := rs.Of(in.Code, ""); !ok || in.Code == string(schedule.CodeAdjustment) {
			return ErrUnknownCode.At("input", "code")
		}
		return nil
	}
	out, _, err := once.Do(ctx, s.db, once.Op[OneOff]{Name: "billing.one_off", Key: in.IdempotencyKey,
		Args: []string{in.ContractID.String(), in.Code, in.Amount.String(), in.Description}, Authorize: authorize,
		Run: func(ctx context.Context, tx pgx.Tx) (OneOff, error) {
			o := OneOff{ID: service.NewID(), MallID: c.MallID, ContractID: c.ID, MerchantID: c.MerchantID, Code: in.Code,
				Amount: in.Amount, Description: in.Description, CreatedBy: viewerID(ctx), CreatedAt: s.now()}
			return o, queries.New(tx).InsertOneOff(ctx, queries.InsertOneOffParams{GroupID: c.GroupID, MallID: c.MallID,
				ID: o.ID, ContractID: c.ID, MerchantID: c.MerchantID, Code: o.Code, Amount: o.Amount,
				Description: o.Description, CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt})
		}})
	return out, err
}

func checkOneOff(in OneOffInput) error {
	if in.Amount.IsZero() || !in.Amount.Equal(in.Amount.Round(2)) {
		return ErrZeroAmount.At("input", "amount")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Description)); n == 0 || n > 500 {
		return ErrDescription.At("input", "description")
	}
	return nil
}

// OneOffCharges lists a mall's one-off charges, newest first: FINANCE or ADMIN of the mall.
func (s *Service) OneOffCharges(ctx context.Context, mallID uuid.UUID, pr page.Request) (page.Result[OneOff], error) {
	p, err := s.mallAt(ctx, mallID)
	if err != nil {
		return page.Result[OneOff]{}, err
	}
	rows, err := queries.New(s.db.Pool).OneOffsOfMall(ctx, queries.OneOffsOfMallParams{GroupID: p.GroupID,
		MallID: p.MallID, After: pr.After, Max: int32(pr.Limit())})
	if err != nil {
		return page.Result[OneOff]{}, err
	}
	out := make([]OneOff, len(rows))
	for i, r := range rows {
		out[i] = oneOffOf(r)
	}
	return page.Cut(pr, out), nil
}

func oneOffOf(r queries.BillingOneOffCharge) OneOff {
	return OneOff{ID: r.ID, MallID: r.MallID, ContractID: r.ContractID, MerchantID: r.MerchantID, Code: r.Code,
		Amount: r.Amount, Description: r.Description, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, BilledLine: r.BilledLine}
}

// oneOffCharges are the unbilled one-off charges of a batch's contracts, locked, as
// charges of the run's period (due on its first day).
func (s *Service) oneOffCharges(ctx context.Context, tx pgx.Tx, w leasing.BillableWindow, byID map[uuid.UUID]leasing.BillableContract) ([]Charge, error) {
	ids := make([]uuid.UUID, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	rows, err := queries.New(tx).OpenOneOffs(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Charge, len(rows))
	for i, r := range rows {
		out[i] = Charge{ContractID: r.ContractID, MerchantID: byID[r.ContractID].MerchantID, Source: SourceOneOff,
			SourceKey: r.ID.String(), Code: r.Code, Period: w.Period, Due: w.Period.Start, Gross: r.Amount,
			Basis: r.Description}
	}
	return out, nil
}
