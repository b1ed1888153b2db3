package members

// Op is a card operation, recorded in card_events and audit_log.
type Op string

// The card operations.
const (
	OpIssue      Op = "issue"
	OpReportLoss Op = "report_loss"
	OpCancelLoss Op = "cancel_loss"
	OpFreeze     Op = "freeze"
	OpUnfreeze   Op = "unfreeze"
	OpReissue    Op = "reissue"
	OpTransfer   Op = "transfer"
	OpCancel     Op = "cancel"
)

// transitions is the card state machine: for each operation, the statuses it starts
// from and the status it leaves. A frozen card must be unfrozen before it is reported
// lost, reissued or transferred; a replaced or cancelled card is final.
var transitions = map[Op]map[string]string{
	OpReportLoss: {StatusActive: StatusLost},
	OpCancelLoss: {StatusLost: StatusActive},
	OpFreeze:     {StatusActive: StatusFrozen},
	OpUnfreeze:   {StatusFrozen: StatusActive},
	OpReissue:    {StatusActive: StatusReplaced, StatusLost: StatusReplaced},
	OpTransfer:   {StatusActive: StatusActive},
	OpCancel:     {StatusActive: StatusCancelled, StatusLost: StatusCancelled, StatusFrozen: StatusCancelled},
}

// Transition returns the status op leaves a card in from status from, or
// ErrCardTransition when op is not allowed from there.
func Transition(op Op, from string) (string, error) {
	to, ok := transitions[op][from]
	if !ok {
		return "", ErrCardTransition.Msgf("cannot %s a card that is %s", op, from)
	}
	return to, nil
}
