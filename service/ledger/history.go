package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/service/page"
)

// Movement is what one posting did to a card's balances.
type Movement struct {
	PostingID     uuid.UUID
	Kind          PostingKind
	Memo          string
	At            time.Time
	Points        decimal.Decimal
	PendingPoints decimal.Decimal
	StoredValue   decimal.Decimal
	Uses          decimal.Decimal
}

// HistoryCount is how many postings History lists for a card (an export's total).
// Callers check that the viewer may see the card.
func (s *Service) HistoryCount(ctx context.Context, cardID uuid.UUID) (int64, error) {
	return queries.New(s.db.Reader(ctx)).CountCardHistory(ctx, cardID)
}

// History lists the postings that moved a card's balances, newest first, as a keyset
// page. Callers check that the viewer may see the card.
func (s *Service) History(ctx context.Context, cardID uuid.UUID, req page.Request) (page.Result[Movement], error) {
	after := req.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	// Reader: an export's pages come from the read replica when one is configured.
	rows, err := queries.New(s.db.Reader(ctx)).CardHistory(ctx, queries.CardHistoryParams{CardID: cardID, After: after,
		Lim: int32(req.Limit())})
	if err != nil {
		return page.Result[Movement]{}, err
	}
	list := make([]Movement, len(rows))
	for i, r := range rows {
		list[i] = Movement{PostingID: r.ID, Kind: PostingKind(r.Kind), Memo: r.Memo, At: r.CreatedAt, Points: r.Points,
			PendingPoints: r.PendingPoints, StoredValue: r.StoredValue, Uses: r.Uses}
	}
	return page.Cut(req, list), nil
}
