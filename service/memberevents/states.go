package memberevents

import "github.com/atrium-mall/atrium/service/state"

// SignupStatus is where a member's sign-up stands.
type SignupStatus string

// The sign-up statuses.
const (
	SignupConfirmed  SignupStatus = "confirmed"
	SignupWaitlisted SignupStatus = "waitlisted"
	SignupCancelled  SignupStatus = "cancelled"
	SignupCheckedIn  SignupStatus = "checked_in"
)

// SignupEvent is what happens to a sign-up.
type SignupEvent string

// The sign-up events.
const (
	EvPromote SignupEvent = "promote"
	EvCancel  SignupEvent = "cancel"
	EvCheckIn SignupEvent = "check in"
)

var signupMachine = state.New("sign-up", ErrSignupTransition, map[SignupEvent]map[SignupStatus]SignupStatus{
	EvPromote: {SignupWaitlisted: SignupConfirmed},
	EvCancel:  {SignupConfirmed: SignupCancelled, SignupWaitlisted: SignupCancelled},
	EvCheckIn: {SignupConfirmed: SignupCheckedIn},
})

// DepositState is where a sign-up's points deposit stands.
type DepositState string

// The deposit states.
const (
	DepositNone      DepositState = "none"
	DepositHeld      DepositState = "held"
	DepositReturned  DepositState = "returned"
	DepositForfeited DepositState = "forfeited"
)

// DepositEvent moves a deposit.
type DepositEvent string

// The deposit events.
const (
	EvReturn  DepositEvent = "return"
	EvForfeit DepositEvent = "forfeit"
)

var depositMachine = state.New("deposit", ErrDepositTransition, map[DepositEvent]map[DepositState]DepositState{
	EvReturn:  {DepositHeld: DepositReturned},
	EvForfeit: {DepositHeld: DepositForfeited},
})
