package billing

import "github.com/atrium-mall/atrium/service/state"

// BillStatus is where a bill stands.
type BillStatus string

// The bill statuses.
const (
	BillDraft    BillStatus = "draft"    // written by a run; finance checks it
	BillReviewed BillStatus = "reviewed" // checked, ready to issue
	BillIssued   BillStatus = "issued"   // sent to the tenant and posted to the ledger; never changes again
	BillVoid     BillStatus = "void"     // a draft that will not be issued
)

// BillEvent is what happens to a bill.
type BillEvent string

// The bill events.
const (
	BillReview BillEvent = "review"
	BillIssue  BillEvent = "issue"
	BillVoidIt BillEvent = "void"
)

// billStates is the bill lifecycle: DRAFT → REVIEWED → ISSUED, and VOID for a draft.
var billStates = state.New("bill", ErrBillStatus, map[BillEvent]map[BillStatus]BillStatus{
	BillReview: {BillDraft: BillReviewed},
	BillIssue:  {BillReviewed: BillIssued},
	BillVoidIt: {BillDraft: BillVoid},
})

// RunStatus is where a bill run stands.
type RunStatus string

// The run statuses.
const (
	RunQueued  RunStatus = "queued"  // started; its job has not picked it up yet
	RunRunning RunStatus = "running" // working its batches (a retried job continues it)
	RunDone    RunStatus = "done"    // every contract worked
)

// RunEvent is what happens to a run.
type RunEvent string

// The run events.
const (
	RunStart  RunEvent = "start"
	RunFinish RunEvent = "finish"
)

// runStates is the run lifecycle; start is allowed again on a running run (a job
// attempt continuing an interrupted one).
var runStates = state.New("bill run", ErrRunStatus, map[RunEvent]map[RunStatus]RunStatus{
	RunStart:  {RunQueued: RunRunning, RunRunning: RunRunning},
	RunFinish: {RunRunning: RunDone},
})
