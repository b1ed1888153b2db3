package redemption

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/service/errs"
	"github.com/atrium-mall/atrium/service/qrtest"
	"github.com/atrium-mall/atrium/service/redemption/redemptiontest"
)

func TestQRPNGDecodesToRedeemableCode(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{})
	img, err := QRPNG(c.Token, 256)
	if err != nil {
		t.Fatal(err)
	}
	scanned := qrtest.Text(t, img, c.Token)
	if scanned != c.Token {
		t.Fatalf("QR holds %q, want %q", scanned, c.Token)
	}
	r, err := f.svc.Redeem(f.staff(), scanned, "k1")
	if err != nil || r.CodeID != c.ID || f.rec.count(c.SubjectID) != 1 {
		t.Fatalf("redeem scanned code: %+v %v", r, err)
	}
}

func TestRedeemConcurrentScansRedeemOnce(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{})
	var ok, used atomic.Int32
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			code := c.Token
			if i%2 == 1 {
				code = c.Numeric
			}
			_, err := f.svc.Redeem(f.staff(), code, uuid.NewString())
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrCodeUsed):
				used.Add(1)
			default:
				t.Errorf("redeem: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || used.Load() != 19 || f.rec.count(c.SubjectID) != 1 {
		t.Fatalf("ok=%d used=%d subject=%d, want 1/19/1", ok.Load(), used.Load(), f.rec.count(c.SubjectID))
	}
	var n int
	_ = f.db.Pool.QueryRow(f.ctx, `SELECT count(*) FROM redemptions WHERE code_id = $1`, c.ID).Scan(&n)
	if n != 1 {
		t.Fatalf("%d redemption rows", n)
	}
}

func TestRedeemReplaysIdempotencyKey(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{})
	ctx := f.staff()
	r1 := f.redeem(t, ctx, c.Numeric, "same")
	r2, err := f.svc.Redeem(ctx, c.Numeric, "same")
	if err != nil || r2.ID != r1.ID {
		t.Fatalf("replay: %+v %v", r2, err)
	}
	other := f.issue(t, issueOpt{})
	if _, err := f.svc.Redeem(ctx, other.Numeric, "same"); !errors.Is(err, errs.ErrIdempotencyKey) {
		t.Fatalf("reuse with other code: %v", err)
	}
}

func TestRedeemErrorsAreDistinct(t *testing.T) {
	f := setup(t)
	tampered := f.issue(t, issueOpt{})
	expired := f.issue(t, issueOpt{validFor: time.Minute})
	revoked := f.issue(t, issueOpt{})
	used := f.issue(t, issueOpt{})
	onlyB := f.issue(t, issueOpt{merchants: []uuid.UUID{f.world.MerchantB}})
	if err := f.db.InTx(f.ctx, func(tx pgx.Tx) error {
		return f.svc.SetStatusTx(f.ctx, tx, KindCoupon, revoked.SubjectID, "revoked")
	}); err != nil {
		t.Fatal(err)
	}
	f.redeem(t, f.staff(), used.Token, "u")
	f.clock.Add(2 * time.Minute)
	bad := []byte(tampered.Token)
	bad[30] ^= 1
	if bad[30] == '-' || bad[30] == '_' { // keep it base64url
		bad[30] = 'A'
	}
	cases := []struct {
		name string
		ctx  func() any
		code string
		want error
	}{
		{"tampered token", nil, string(bad), ErrCodeInvalid},
		{"wrong check digit", nil, tampered.Numeric[:11] + string(rune('0'+(tampered.Numeric[11]-'0'+1)%10)), ErrCodeInvalid},
		{"garbage", nil, "hello", ErrCodeInvalid},
		{"expired", nil, expired.Token, ErrCodeExpired},
		{"revoked", nil, revoked.Numeric, ErrCodeRevoked},
		{"already used", nil, used.Token, ErrCodeUsed},
		{"other merchant", nil, onlyB.Token, ErrOtherMerchant},
	}
	seen := map[string]string{}
	for _, tc := range cases {
		ctx := f.staff()
		if tc.want == ErrOtherMerchant {
			ctx = redemptiontest.MerchantStaff(f.ctx, f.world.MerchantA)
		}
		_, err := f.svc.Redeem(ctx, tc.code, uuid.NewString())
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		e, _ := errs.As(err)
		seen[e.Code] = tc.name
	}
	if len(seen) != 5 {
		t.Errorf("distinct codes: %v", seen)
	}
	// The right merchant's staff may redeem it.
	f.redeem(t, redemptiontest.MerchantStaff(f.ctx, f.world.MerchantB), onlyB.Token, "b")
}

func TestVoidRestoresAndAllowsRedeemAgain(t *testing.T) {
	f := setup(t)
	c := f.issue(t, issueOpt{})
	ctx := f.staff()
	r := f.redeem(t, ctx, c.Token, "r1")
	if _, err := f.svc.VoidRedemption(ctx, r.ID, " ", "v0"); !errors.Is(err, ErrReasonRequired) {
		t.Fatalf("void without reason: %v", err)
	}
	v, err := f.svc.VoidRedemption(ctx, r.ID, "wrong customer", "v1")
	if err != nil || v.VoidedAt == nil || f.rec.count(c.SubjectID) != 0 {
		t.Fatalf("void: %+v %v (subject %d)", v, err, f.rec.count(c.SubjectID))
	}
	if _, err := f.svc.VoidRedemption(ctx, r.ID, "again", "v2"); !errors.Is(err, ErrAlreadyVoided) {
		t.Fatalf("second void: %v", err)
	}
	var reason string
	if err := f.db.Pool.QueryRow(f.ctx, `SELECT reason FROM audit_log WHERE entity_id = $1 AND action = 'redemption.void'`,
		r.ID).Scan(&reason); err != nil || reason != "wrong customer" {
		t.Fatalf("audit: %q %v", reason, err)
	}
	r2, err := f.svc.Redeem(ctx, c.Numeric, "r2")
	if err != nil || f.rec.count(c.SubjectID) != 1 {
		t.Fatalf("redeem after void: %v", err)
	}
	f.clock.Add(31 * time.Minute)
	if _, err := f.svc.VoidRedemption(ctx, r2.ID, "late", "v3"); !errors.Is(err, ErrVoidWindow) {
		t.Fatalf("late void: %v", err)
	}
}

func TestRotatedKeysKeepVerifying(t *testing.T) {
	f := setup(t)
	old := f.issue(t, issueOpt{})
	k, err := f.svc.RotateKey(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh := f.issue(t, issueOpt{})
	cl, _, _, _ := ParseToken(fresh.Token)
	if cl.KeyID != k.ID || k.ID != 2 {
		t.Fatalf("new code signed by key %d, want %d", cl.KeyID, k.ID)
	}
	for _, c := range []Code{old, fresh} {
		f.redeem(t, f.staff(), c.Token, uuid.NewString())
	}
}
