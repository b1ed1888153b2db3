package memberevents

import (
	"testing"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/memberevents/internal/queries"
)

// TestDepositGaps: Verify's comparison finds each kind of gap between deposits held and
// the ledger's event_deposit balances.
func TestDepositGaps(t *testing.T) {
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	for _, tc := range []struct {
		name     string
		held     []queries.HeldDepositsRow
		balances []ledger.OwnerBalance
		gaps     int
	}{
		{"agree", []queries.HeldDepositsRow{{EventID: a, Held: 60}}, []ledger.OwnerBalance{{Owner: a, Balance: decimal.NewFromInt(60)}}, 0},
		{"nothing held, nothing in the ledger", nil, nil, 0},
		{"settled event with a zero balance", nil, []ledger.OwnerBalance{{Owner: b, Balance: decimal.Zero}}, 0},
		{"ledger holds less", []queries.HeldDepositsRow{{EventID: a, Held: 60}}, []ledger.OwnerBalance{{Owner: a, Balance: decimal.NewFromInt(30)}}, 1},
		{"held without a posting", []queries.HeldDepositsRow{{EventID: c, Held: 10}}, nil, 1},
		{"ledger holds points of nobody's deposit", nil, []ledger.OwnerBalance{{Owner: b, Balance: decimal.NewFromInt(5)}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := depositGaps(tc.held, tc.balances); len(got) != tc.gaps {
				t.Fatalf("gaps %v, want %d", got, tc.gaps)
			}
		})
	}
}
