package ledger

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/page"
)

// Movement is what one posting did to a card's balances.
type Movement struct {
	PostingID     uuid.UUID
	Kind          string // recharge, purchase, earn, refund, clawback, expire, move, transfer, …
	Memo          string
	At            time.Time
	Points        decimal.Decimal
	PendingPoints decimal.Decimal
	StoredValue   decimal.Decimal
	Uses          decimal.Decimal
}

// History lists the postings that moved a card's balances, newest first, as a keyset
// page. Callers check that the viewer may see the card.
func (s *Service) History(ctx context.Context, cardID uuid.UUID, req page.Request) (page.Result[Movement], error) {
	after := req.After
	if after == uuid.Nil {
		after = uuid.Max
	}
	rows, err := s.db.Pool.Query(ctx, `SELECT p.id, p.kind, p.memo, p.created_at,
			coalesce(sum(e.amount) FILTER (WHERE a.kind = 'card' AND a.asset = 'points'), 0),
			coalesce(sum(e.amount) FILTER (WHERE a.kind = 'card_pending'), 0),
			coalesce(sum(e.amount) FILTER (WHERE a.asset = 'cny'), 0),
			coalesce(sum(e.amount) FILTER (WHERE a.asset = 'uses'), 0)
		FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id
		JOIN ledger_postings p ON p.id = e.posting_id
		WHERE a.owner_id = $1 AND a.cached AND p.id < $2
		GROUP BY p.id ORDER BY p.id DESC LIMIT $3`, cardID, after, req.Limit())
	if err != nil {
		return page.Result[Movement]{}, err
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Movement, error) {
		var m Movement
		return m, r.Scan(&m.PostingID, &m.Kind, &m.Memo, &m.At, &m.Points, &m.PendingPoints, &m.StoredValue, &m.Uses)
	})
	return page.Cut(req, list), err
}
