package ledger

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service"
	"github.com/atrium-mall/atrium/service/ledger/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

// PostManyTx records many postings of one group inside tx in one round trip (three
// statements: the accounts missing, the postings, their entries), for postings whose
// legs are all on derived (non-cached) accounts — receivables, revenue, tax, deposits —
// which no posting updates, so concurrent batches never queue on a balance row. A
// posting whose key was used before is skipped, entries and all: a rerun posts nothing
// twice. It returns the keys posted now. A leg on a cached account (a card) is refused:
// cards go through PostTx.
func (s *Service) PostManyTx(ctx context.Context, tx pgx.Tx, groupID uuid.UUID, ps []Posting) ([]string, error) {
	var accounts queries.InsertDerivedAccountsParams
	var postings queries.InsertPostingsManyParams
	var entries queries.InsertEntriesManyParams
	accounts.GroupID, postings.GroupID, postings.CreatedAt, entries.GroupID = groupID, groupID, s.now(), groupID
	seen := map[Account]bool{}
	keyOf := map[uuid.UUID]string{}
	legsOf := map[uuid.UUID]int{}
	for _, p := range ps {
		if err := p.validate(); err != nil {
			return nil, err
		}
		if p.GroupID != groupID {
			return nil, ErrUnbalanced.Msgf("posting %q is of another group", p.Key)
		}
		legs := mergeLegs(p.Legs)
		if len(legs) < 2 {
			return nil, ErrUnbalanced.Msgf("posting %q moves nothing", p.Key)
		}
		id := service.NewID()
		keyOf[id], legsOf[id] = p.Key, len(legs)
		postings.Ids, postings.Kinds = append(postings.Ids, id), append(postings.Kinds, string(p.Kind))
		postings.Keys, postings.Memos = append(postings.Keys, p.Key), append(postings.Memos, p.Memo)
		for _, l := range legs {
			a := l.Account
			if a.cached() {
				return nil, ErrUnbalanced.Msgf("posting %q: PostManyTx takes derived accounts only, not %s", p.Key, a.Kind)
			}
			if !seen[a] {
				seen[a] = true
				accounts.Ids, accounts.Kinds = append(accounts.Ids, service.NewID()), append(accounts.Kinds, a.Kind)
				accounts.Owners, accounts.Assets = append(accounts.Owners, a.Owner), append(accounts.Assets, string(a.Asset))
			}
			entries.PostingIds, entries.Kinds = append(entries.PostingIds, id), append(entries.Kinds, a.Kind)
			entries.Owners, entries.Assets = append(entries.Owners, a.Owner), append(entries.Assets, string(a.Asset))
			entries.Amounts = append(entries.Amounts, l.Amount)
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	var b storage.Batch
	var posted []uuid.UUID
	var entered int64
	b.Queue(func(q storage.Querier) { _ = queries.New(q).InsertDerivedAccounts(ctx, accounts) })
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).InsertPostingsMany(ctx, postings) }).Query(func(rows pgx.Rows) (err error) {
		posted, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
		return err
	})
	b.Queue(func(q storage.Querier) { _, _ = queries.New(q).InsertEntriesMany(ctx, entries) }).Exec(func(ct pgconn.CommandTag) error {
		entered = ct.RowsAffected()
		return nil
	})
	if err := b.Send(ctx, tx); err != nil {
		return nil, fmt.Errorf("ledger: post many: %w", err)
	}
	keys, want := make([]string, len(posted)), int64(0)
	for i, id := range posted {
		keys[i], want = keyOf[id], want+int64(legsOf[id])
	}
	if entered != want {
		return nil, ErrUnbalanced.Msgf("post many: %d entries written for %d legs", entered, want)
	}
	return keys, nil
}

// OwnerBalance is the balance of one owner's account of a kind.
type OwnerBalance struct {
	GroupID, Owner uuid.UUID
	Balance        decimal.Decimal
}

// DerivedBalancesTx returns the balance (the sum of its entries) of every account of a
// derived kind and asset, read in db (a caller's snapshot: billing's verify reads
// receivables beside its bills).
func DerivedBalancesTx(ctx context.Context, db storage.Querier, kind string, asset Asset) ([]OwnerBalance, error) {
	rows, err := queries.New(db).DerivedBalancesOfKind(ctx, kind, string(asset))
	if err != nil {
		return nil, fmt.Errorf("ledger: balances of %s: %w", kind, err)
	}
	out := make([]OwnerBalance, len(rows))
	for i, r := range rows {
		out[i] = OwnerBalance{GroupID: r.GroupID, Owner: r.OwnerID, Balance: r.Balance}
	}
	return out, nil
}

// PostingKeysTx returns the keys of the postings starting with prefix, read in db.
func PostingKeysTx(ctx context.Context, db storage.Querier, prefix string) ([]string, error) {
	return queries.New(db).PostingKeysWithPrefix(ctx, prefix)
}
