package redemption

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

func TestCodeStates(t *testing.T) {
	cases := []struct {
		name  string
		event CodeEvent
		from  CodeStatus
		want  CodeStatus
		err   error
	}{
		{"redeem an issued code", CodeRedeem, CodeIssued, CodeRedeemed, nil},
		{"void a redeemed code", CodeVoid, CodeRedeemed, CodeIssued, nil},
		{"revoke an issued code", CodeRevoke, CodeIssued, CodeRevoked, nil},
		{"redeem a redeemed code", CodeRedeem, CodeRedeemed, "", ErrCodeTransition},
		{"redeem a revoked code", CodeRedeem, CodeRevoked, "", ErrCodeTransition},
		{"void an issued code", CodeVoid, CodeIssued, "", ErrCodeTransition},
		{"void a revoked code", CodeVoid, CodeRevoked, "", ErrCodeTransition},
		{"revoke a redeemed code", CodeRevoke, CodeRedeemed, "", ErrCodeTransition},
		{"revoke a revoked code", CodeRevoke, CodeRevoked, "", ErrCodeTransition},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := codeStates.Next(tc.event, tc.from)
			if !errors.Is(err, tc.err) || (tc.err == nil && got != tc.want) {
				t.Fatalf("Next(%s, %s) = %s, %v; want %s, %v", tc.event, tc.from, got, err, tc.want, tc.err)
			}
		})
	}
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
	cases := []struct {
		name string
		from RedemptionStatus
		want RedemptionStatus
		err  error
	}{
		{"void a live redemption", RedemptionLive, RedemptionVoided, nil},
		{"void a voided redemption", RedemptionVoided, "", ErrAlreadyVoided},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := redemptionStates.Next(RedemptionVoid, tc.from)
			if !errors.Is(err, tc.err) || (tc.err == nil && got != tc.want) {
				t.Fatalf("Next(void, %s) = %s, %v; want %s, %v", tc.from, got, err, tc.want, tc.err)
			}
		})
	}
}

// SetStatusTx moves a code by its transition table: a move to the status it is in, or
// of a subject without a code, changes nothing; a move the table forbids is
// CODE_TRANSITION and leaves the code as it was.
func TestSetStatusTx(t *testing.T) {
	t.Parallel()
	f := setup(t)
	redeemed := f.issue(t, issueOpt{})
	if _, err := f.svc.Redeem(f.staff(), redeemed.Token, "r"); err != nil {
		t.Fatal(err)
	}
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
