package redemption

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/state/statetest"
)

func TestCodeStates(t *testing.T) {
	statetest.Check(t, codeStates.Next, ErrCodeTransition,
		statetest.Legal("redeem an issued code", CodeRedeem, CodeIssued, CodeRedeemed),
		statetest.Legal("void a redeemed code", CodeVoid, CodeRedeemed, CodeIssued),
		statetest.Legal("revoke an issued code", CodeRevoke, CodeIssued, CodeRevoked),
		statetest.Refused("redeem a code not issued", CodeRedeem, CodeRedeemed, CodeRevoked),
		statetest.Refused("void a code not redeemed", CodeVoid, CodeIssued, CodeRevoked),
		statetest.Refused("revoke a code not issued", CodeRevoke, CodeRedeemed, CodeRevoked),
	)
}

// A code that cannot be redeemed says why with the errors staff devices know.
func TestRedeemable(t *testing.T) {
	cases := []struct {
		name string
		from CodeStatus
		want error
	}{
		{"issued", CodeIssued, nil},
		{"redeemed", CodeRedeemed, ErrCodeUsed},
		{"revoked", CodeRevoked, ErrCodeRevoked},
		{"unknown", "lost", ErrCodeTransition},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := redeemable(tc.from); !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("redeemable(%s) = %v, want %v", tc.from, err, tc.want)
			}
		})
	}
}

func TestRedemptionStates(t *testing.T) {
	statetest.Check(t, redemptionStates.Next, ErrAlreadyVoided,
		statetest.Legal("void a live redemption", RedemptionVoid, RedemptionLive, RedemptionVoided),
		statetest.Refused("void a voided redemption", RedemptionVoid, RedemptionVoided),
	)
}

// SetStatusTx moves a code by its transition table: a move to the status it is in, or
// of a subject without a code, changes nothing; a move the table forbids is
// CODE_TRANSITION and leaves the code as it was.
func TestSetStatusTx(t *testing.T) {
	f := setup(t)
	redeemed := f.issue(t, issueOpt{})
	f.redeem(t, f.staff(), redeemed.Token, "r")
	issued := f.issue(t, issueOpt{})
	cases := []struct {
		name    string
		subject uuid.UUID
		to      CodeStatus
		want    error
		after   CodeStatus
	}{
		{"revoke a redeemed code", redeemed.SubjectID, CodeRevoked, ErrCodeTransition, CodeRedeemed},
		{"redeemed again", redeemed.SubjectID, CodeRedeemed, nil, CodeRedeemed},
		{"unknown status", issued.SubjectID, "lost", ErrCodeTransition, CodeIssued},
		{"no code", uuid.New(), CodeRevoked, nil, ""},
		{"restore a redeemed code", redeemed.SubjectID, CodeIssued, nil, CodeIssued},
		{"revoke an issued code", issued.SubjectID, CodeRevoked, nil, CodeRevoked},
		{"restore a revoked code", issued.SubjectID, CodeIssued, ErrCodeTransition, CodeRevoked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
				return f.svc.SetStatusTx(f.ctx, tx, KindCoupon, tc.subject, tc.to)
			})
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("SetStatusTx(%s) = %v, want %v", tc.to, err, tc.want)
			}
			if tc.after == "" {
				return
			}
			if c, err := f.svc.CodeOf(f.ctx, KindCoupon, tc.subject); err != nil || c.Status != tc.after {
				t.Fatalf("after: %s, %v; want %s", c.Status, err, tc.after)
			}
		})
	}
}
