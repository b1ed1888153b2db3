package billing

import (
	"testing"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestBillStates(t *testing.T) {
	statetest.Check(t, billStates.Next, ErrBillStatus,
		statetest.Legal("a draft is reviewed", BillReview, BillDraft, BillReviewed),
		statetest.Legal("a reviewed bill is issued", BillIssue, BillReviewed, BillIssued),
		statetest.Legal("a draft is voided", BillVoidIt, BillDraft, BillVoid),
		statetest.Refused("only a draft is reviewed", BillReview, BillReviewed, BillIssued, BillVoid),
		statetest.Refused("only a reviewed bill is issued", BillIssue, BillDraft, BillIssued, BillVoid),
		statetest.Refused("an issued or reviewed bill is never voided", BillVoidIt, BillReviewed, BillIssued, BillVoid),
	)
}

func TestRunStates(t *testing.T) {
	statetest.Check(t, runStates.Next, ErrRunStatus,
		statetest.Legal("a queued run starts", RunStart, RunQueued, RunRunning),
		statetest.Legal("a retried job continues a running run", RunStart, RunRunning, RunRunning),
		statetest.Legal("a running run finishes", RunFinish, RunRunning, RunDone),
		statetest.Refused("a done run never starts again", RunStart, RunDone),
		statetest.Refused("only a running run finishes", RunFinish, RunQueued, RunDone),
	)
}

func TestApprovalStates(t *testing.T) {
	statetest.Check(t, approvalStates.Next, ErrApprovalStatus,
		statetest.Legal("a request is approved", ApprovalApprove, ApprovalRequested, ApprovalApproved),
		statetest.Legal("a request is rejected", ApprovalReject, ApprovalRequested, ApprovalRejected),
		statetest.Refused("a decided request is never approved", ApprovalApprove, ApprovalApproved, ApprovalRejected),
		statetest.Refused("a decided request is never rejected", ApprovalReject, ApprovalApproved, ApprovalRejected),
	)
}
