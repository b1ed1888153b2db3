package ledger_test

import (
	"testing"

	"github.com/atrium-mall/atrium/service/ledger"
	"github.com/atrium-mall/atrium/service/state/statetest"
)

// TestLotTransitions walks the points lot's transition table: pending lots are
// released, available lots expire, both move on a reissue; expired and moved are final.
func TestLotTransitions(t *testing.T) {
	statetest.Check(t, ledger.LotTransition, ledger.ErrLotTransition,
		statetest.Legal("release a pending lot", ledger.LotRelease, ledger.LotPending, ledger.LotAvailable),
		statetest.Legal("expire an available lot", ledger.LotExpire, ledger.LotAvailable, ledger.LotExpired),
		statetest.Legal("move an available lot", ledger.LotMove, ledger.LotAvailable, ledger.LotMoved),
		statetest.Legal("move a pending lot", ledger.LotMove, ledger.LotPending, ledger.LotMoved),
		statetest.Refused("release a lot not pending", ledger.LotRelease, ledger.LotAvailable, ledger.LotExpired),
		statetest.Refused("expire a lot not available", ledger.LotExpire, ledger.LotPending, ledger.LotExpired, ledger.LotMoved),
		statetest.Refused("move an expired or moved lot", ledger.LotMove, ledger.LotExpired, ledger.LotMoved),
		statetest.Refused("unknown event", ledger.LotEvent("spend"), ledger.LotAvailable),
	)
}
