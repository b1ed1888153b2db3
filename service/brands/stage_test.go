package brands

import (
	"testing"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestStageMachine(t *testing.T) {
	const (
		lead, visited, negotiating, loi, contract, won, lost = StageLead, StageVisited, StageNegotiating, StageLOI,
			StageContract, StageWon, StageLost
	)
	to := func(s Stage) Move { return Move(s) }
	statetest.Check(t, stageMachine.Next, ErrIllegalMove,
		statetest.Legal("a lead is visited", to(visited), lead, visited),
		statetest.Legal("negotiation starts after a visit", to(negotiating), visited, negotiating),
		statetest.Legal("negotiation may start without a visit", to(negotiating), lead, negotiating),
		statetest.Legal("a letter of intent from negotiation", to(loi), negotiating, loi),
		statetest.Legal("a letter of intent may come at the first visit", to(loi), visited, loi),
		statetest.Legal("a letter of intent straight from a lead", to(loi), lead, loi),
		statetest.Legal("a contract after a letter of intent", to(contract), loi, contract),
		statetest.Legal("a contract straight from negotiation", to(contract), negotiating, contract),
		statetest.Legal("won when the contract is signed", to(won), contract, won),
		statetest.Legal("lost from a lead", to(lost), lead, lost),
		statetest.Legal("lost after a visit", to(lost), visited, lost),
		statetest.Legal("lost in negotiation", to(lost), negotiating, lost),
		statetest.Legal("lost after a letter of intent", to(lost), loi, lost),
		statetest.Legal("lost at the contract", to(lost), contract, lost),
		statetest.Refused("a contract needs a negotiation first", to(contract), lead, visited),
		statetest.Refused("won only from contract", to(won), lead, visited, negotiating, loi),
		statetest.Refused("no move backwards to visited", to(visited), visited, negotiating, loi, contract),
		statetest.Refused("no move backwards to negotiating", to(negotiating), negotiating, loi, contract),
		statetest.Refused("no move backwards to loi", to(loi), loi, contract),
		statetest.Refused("no staying at contract", to(contract), contract),
		statetest.Refused("won is final", to(lost), won),
		statetest.Refused("lost is final", to(visited), lost),
		statetest.Refused("lost is not lost twice", to(lost), lost),
		statetest.Refused("won is not reopened", to(negotiating), won),
		statetest.Refused("nothing moves back to lead", to(lead), lead, visited, negotiating, loi, contract, won, lost),
	)
}
