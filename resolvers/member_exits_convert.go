package resolvers

import (
	"github.com/atrium-mall/atrium/graph/model"
	"github.com/atrium-mall/atrium/resolvers/relay"
	"github.com/atrium-mall/atrium/service/members"
)

func memberExitOut(e members.Exit) model.MemberExit {
	cards := make([]string, len(e.FrozenCards))
	for i, c := range e.FrozenCards {
		cards[i] = relay.ID("Card", c)
	}
	return model.MemberExit{ID: relay.ID("MemberExit", e.ID), MemberID: relay.ID("Member", e.MemberID),
		Status: model.MemberExitStatus(e.Status), Reason: e.Reason, AppliedAt: e.AppliedAt, DecidedAt: e.DecidedAt,
		DecisionNote: e.DecisionNote, RestoredAt: e.RestoredAt, RestoreUntil: e.RestoreUntil, FrozenCardIds: cards}
}

func memberExitPayload(e members.Exit, err error) (model.MemberExitPayload, error) {
	ue, err := userErrors(err)
	if err != nil || len(ue) > 0 {
		return model.MemberExitPayload{UserErrors: ue}, err
	}
	out := memberExitOut(e)
	return model.MemberExitPayload{Exit: &out, UserErrors: ue}, nil
}

// memberExitNote is an optional note argument.
func memberExitNote(note *string) string {
	if note == nil {
		return ""
	}
	return *note
}
