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
func (s *Service) PostTx(ctx context.Context, tx pgx.Tx, p Posting) (Posted, error) {
	out := Posted{ID: service.NewID(), Balances: map[Account]decimal.Decimal{}}
	if err := p.validate(); err != nil {
		return out, err
	}
	err := queries.New(tx).InsertPosting(ctx, queries.InsertPostingParams{ID: out.ID, GroupID: p.GroupID,
		Kind: string(p.Kind), Key: p.Key, Memo: p.Memo, CreatedAt: s.now()})
	if err != nil {
		if errors.Is(storage.MapError(err), storage.ErrConflict) {
			return out, ErrDuplicatePosting.Msgf("posting key %q was already used", p.Key)
		}
		return out, err
	}
	legs := mergeLegs(p.Legs)
	if len(legs) < 2 {
		return out, ErrUnbalanced.Msgf("posting %q moves nothing", p.Key)
	}
	ids, err := accountIDs(ctx, tx, p.GroupID, legs)
	if err != nil {
		return out, err
	}
	order := make([]int, len(legs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return slices.Compare(ids[a][:], ids[b][:]) })
	for _, i := range order {
		if !legs[i].Account.cached() {
			continue
		}
		bal, err := applyLeg(ctx, tx, ids[i], legs[i])
		if err != nil {
			return out, err
		}
		out.Balances[legs[i].Account] = bal
	}
	return out, insertEntries(ctx, tx, out.ID, ids, legs)
}

// applyLeg changes a cached balance with a single conditional update: a debit may
// not take it below zero unless the leg allows it; a credit is always fine.
func applyLeg(ctx context.Context, tx pgx.Tx, id uuid.UUID, l Leg) (decimal.Decimal, error) {
	bal, err := queries.New(tx).ApplyLeg(ctx, queries.ApplyLegParams{ID: id, Amount: l.Amount, AllowNegative: l.AllowNegative})
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

func insertEntries(ctx context.Context, tx pgx.Tx, postingID uuid.UUID, ids []uuid.UUID, legs []Leg) error {
	in := queries.InsertEntriesParams{PostingID: postingID, AccountIds: ids,
		Assets: make([]string, len(legs)), Amounts: make([]decimal.Decimal, len(legs))}
	for i, l := range legs {
		in.Assets[i], in.Amounts[i] = string(l.Account.Asset), l.Amount
	}
	return queries.New(tx).InsertEntries(ctx, in)
}
