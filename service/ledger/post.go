package ledger

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// Leg is one side of a posting: a signed amount on an account (positive = credit to
// the holder). AllowNegative lets a cached card account go below zero (claw-backs
// only).
type Leg struct {
	Account       Account
	Amount        decimal.Decimal
	AllowNegative bool
}

// Posting is a balanced set of legs of one group.
type Posting struct {
	GroupID uuid.UUID
	Kind    PostingKind
	Key     string // unique among all postings
	Memo    string
	Legs    []Leg
}

// Posted is the result of a posting: its id and the new balances of its card accounts.
type Posted struct {
	ID       uuid.UUID
	Balances map[Account]decimal.Decimal
}

// validate checks that p has at least two legs, whole-fen non-zero amounts, and sums
// to zero per asset.
func (p Posting) validate() error {
	if len(p.Legs) < 2 || p.Key == "" || p.Kind == "" {
		return ErrUnbalanced.Msgf("posting %q needs a kind, a key and two legs", p.Key)
	}
	sums := map[Asset]decimal.Decimal{}
	for _, l := range p.Legs {
		if l.Amount.IsZero() || !l.Amount.Equal(l.Amount.Round(2)) {
			return ErrUnbalanced.Msgf("posting %q has a zero or over-precise leg %s", p.Key, l.Amount)
		}
		sums[l.Account.Asset] = sums[l.Account.Asset].Add(l.Amount)
	}
	for asset, sum := range sums {
		if !sum.IsZero() {
			return ErrUnbalanced.Msgf("posting %q: %s legs sum to %s", p.Key, asset, sum)
		}
	}
	return nil
}

// PostTx records p inside tx. Card accounts' cached balances change with a
// conditional update (never below zero unless the leg allows it; ErrInsufficient or
// ErrInsufficientPoint otherwise). Callers that touch cards call LockCardsTx first.
//
// Two round trips in the usual case, each a batch: the posting row with the lookup of
// its accounts (openPosting), then the balance updates in account id order with the
// entries (applyLegs). A failed leg leaves the posting and its entries written: the
// caller gives the transaction up, as after any error.
func (s *Service) PostTx(ctx context.Context, tx pgx.Tx, p Posting) (Posted, error) {
	out := Posted{ID: service.NewID(), Balances: map[Account]decimal.Decimal{}}
	if err := p.validate(); err != nil {
		return out, err
	}
	legs := mergeLegs(p.Legs)
	if len(legs) < 2 {
		return out, ErrUnbalanced.Msgf("posting %q moves nothing", p.Key)
	}
	ids, err := s.openPosting(ctx, tx, p, out.ID, legs)
	if err != nil {
		return out, err
	}
	return out, applyLegs(ctx, tx, out, ids, legs)
}

// openPosting inserts the posting id of p and looks up the accounts of legs in one
// batch, then creates those that do not exist yet (accountID). It returns their ids.
func (s *Service) openPosting(ctx context.Context, tx pgx.Tx, p Posting, id uuid.UUID, legs []Leg) ([]uuid.UUID, error) {
	var b storage.Batch
	b.Queue(func(q storage.Querier) {
		_ = queries.New(q).InsertPosting(ctx, queries.InsertPostingParams{ID: id, GroupID: p.GroupID,
			Kind: string(p.Kind), Key: p.Key, Memo: p.Memo, CreatedAt: s.now()})
	})
	var found []queries.AccountIDsRow
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).AccountIDs(ctx, accountsParams(p.GroupID, legs)) }).
		Query(func(rows pgx.Rows) (err error) {
			found, err = pgx.CollectRows(rows, pgx.RowToStructByPos[queries.AccountIDsRow])
			return err
		})
	err := b.Send(ctx, tx)
	if errors.Is(storage.MapError(err), storage.ErrConflict) {
		return nil, ErrDuplicatePosting.Msgf("posting key %q was already used", p.Key)
	}
	if err != nil {
		return nil, err
	}
	return accountIDs(ctx, tx, p.GroupID, legs, found)
}

// applyLegs changes the cached balances of the legs, in account id order, each with a
// single conditional update (a debit may not take it below zero unless the leg allows
// it; a credit is always fine), and inserts the entries: one batch. The new balances
// go to out.
func applyLegs(ctx context.Context, tx pgx.Tx, out Posted, ids []uuid.UUID, legs []Leg) error {
	order := make([]int, len(legs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return slices.Compare(ids[a][:], ids[b][:]) })
	var b storage.Batch
	for _, i := range order {
		l := legs[i]
		if !l.Account.cached() {
			continue
		}
		b.Queue(func(q storage.Querier) {
			_, _ = queries.New(q).ApplyLeg(ctx, queries.ApplyLegParams{ID: ids[i], Amount: l.Amount, AllowNegative: l.AllowNegative})
		}).QueryRow(func(row pgx.Row) error {
			bal, err := legBalance(row, l)
			out.Balances[l.Account] = bal
			return err
		})
	}
	b.Queue(func(q storage.Querier) { _ = queries.New(q).InsertEntries(ctx, entriesParams(out.ID, ids, legs)) })
	return b.Send(ctx, tx)
}

// legBalance reads the balance ApplyLeg returned for l: no row is a debit the balance
// does not cover.
func legBalance(row pgx.Row, l Leg) (decimal.Decimal, error) {
	var bal decimal.Decimal
	err := row.Scan(&bal)
	if errors.Is(err, pgx.ErrNoRows) {
		if l.Account.Asset == Points {
			return bal, ErrInsufficientPoint
		}
		return bal, ErrInsufficient.Msgf("the %s balance is not enough", l.Account.Asset)
	}
	return bal, err
}

// mergeLegs sums legs on the same account (a posting touches each account once).
func mergeLegs(legs []Leg) []Leg {
	var out []Leg
	at := map[Account]int{}
	for _, l := range legs {
		if i, ok := at[l.Account]; ok {
			out[i].Amount = out[i].Amount.Add(l.Amount)
			out[i].AllowNegative = out[i].AllowNegative || l.AllowNegative
			continue
		}
		at[l.Account] = len(out)
		out = append(out, l)
	}
	return slices.DeleteFunc(out, func(l Leg) bool { return l.Amount.IsZero() })
}

func entriesParams(postingID uuid.UUID, ids []uuid.UUID, legs []Leg) queries.InsertEntriesParams {
	in := queries.InsertEntriesParams{PostingID: postingID, AccountIds: ids,
		Assets: make([]string, len(legs)), Amounts: make([]decimal.Decimal, len(legs))}
	for i, l := range legs {
		in.Assets[i], in.Amounts[i] = string(l.Account.Asset), l.Amount
	}
	return in
}
