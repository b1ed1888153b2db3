package ledger_test

import (
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/service/ledger"
)

// TestLotTransitions walks the points lot's transition table: pending lots are
// released, available lots expire, both move on a reissue; expired and moved are final.
func TestLotTransitions(t *testing.T) {
	cases := []struct {
		name  string
		event ledger.LotEvent
		from  ledger.LotStatus
		want  ledger.LotStatus // "" when illegal
	}{
		{"release a pending lot", ledger.LotRelease, ledger.LotPending, ledger.LotAvailable},
		{"expire an available lot", ledger.LotExpire, ledger.LotAvailable, ledger.LotExpired},
		{"move an available lot", ledger.LotMove, ledger.LotAvailable, ledger.LotMoved},
		{"move a pending lot", ledger.LotMove, ledger.LotPending, ledger.LotMoved},
		{"release an available lot", ledger.LotRelease, ledger.LotAvailable, ""},
		{"release an expired lot", ledger.LotRelease, ledger.LotExpired, ""},
		{"expire a pending lot", ledger.LotExpire, ledger.LotPending, ""},
		{"expire an expired lot", ledger.LotExpire, ledger.LotExpired, ""},
		{"expire a moved lot", ledger.LotExpire, ledger.LotMoved, ""},
		{"move an expired lot", ledger.LotMove, ledger.LotExpired, ""},
		{"move a moved lot", ledger.LotMove, ledger.LotMoved, ""},
		{"unknown event", "spend", ledger.LotAvailable, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ledger.LotTransition(tc.event, tc.from)
			if tc.want == "" {
				if !errors.Is(err, ledger.ErrLotTransition) {
					t.Fatalf("LotTransition(%s, %s) = %s, %v; want ErrLotTransition", tc.event, tc.from, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("LotTransition(%s, %s) = %s, %v; want %s", tc.event, tc.from, got, err, tc.want)
			}
		})
	}
}
