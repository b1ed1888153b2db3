package redemption

import (
	"bytes"
	"errors"
	"testing"

	"github.com/atrium-mall/atrium/auth/seal"
)

// Signing keys written plain (before sealing existed) keep working and are sealed by
// ResealKeys, never by a read; new keys are sealed from the start; a server with no or
// another data key cannot use a sealed key, and says why.
func TestSigningKeysAreSealed(t *testing.T) {
	f := setup(t) // no sealer: keys are stored plain
	code := f.issue(t, issueOpt{})
	stored := func(id int) (priv []byte, sealed bool) {
		t.Helper()
		if err := f.db.Pool.QueryRow(f.ctx, `SELECT private_key, sealed FROM signing_keys WHERE id = $1`, id).
			Scan(&priv, &sealed); err != nil {
			t.Fatal(err)
		}
		return priv, sealed
	}
	plain, sealed := stored(1)
	if sealed || len(plain) != 64 {
		t.Fatalf("test set-up: key 1 sealed=%v, %d bytes", sealed, len(plain))
	}

	sealer, err := seal.New(bytes.Repeat([]byte("d"), 32), "redemption signing keys")
	if err != nil {
		t.Fatal(err)
	}
	withKey := newService(t, f.db, Config{Sealer: sealer}, f.clock.Now)
	withKey.Handle(KindCoupon, f.rec)
	if _, err := withKey.Redeem(f.world.MallStaff(f.ctx), code.Token, "k1"); err != nil {
		t.Fatalf("a code signed by the plain key: %v", err)
	}
	if _, sealed := stored(1); sealed {
		t.Fatal("reading a key wrote it: servers of the older release would break mid-deployment")
	}
	if n, err := withKey.ResealKeys(f.ctx); err != nil || n != 1 {
		t.Fatalf("reseal: %d, %v", n, err)
	}
	now, sealed := stored(1)
	if !sealed || bytes.Contains(now, plain[:32]) {
		t.Fatalf("key 1 was not sealed (sealed=%v)", sealed)
	}
	if n, err := withKey.ResealKeys(f.ctx); err != nil || n != 0 {
		t.Fatalf("second reseal: %d, %v", n, err)
	}

	if _, err := withKey.RotateKey(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, sealed := stored(2); !sealed {
		t.Error("a rotated key was stored plain")
	}
	if _, err := withKey.key(f.ctx, 2); err != nil {
		t.Errorf("reading the rotated key: %v", err)
	}

	other, _ := seal.New(bytes.Repeat([]byte("x"), 32), "redemption signing keys")
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"no data key", Config{}}, {"another data key", Config{Sealer: other}}} {
		t.Run(tc.name, func(t *testing.T) {
			svc := newService(t, f.db, tc.cfg, f.clock.Now)
			if _, err := svc.key(f.ctx, 1); !errors.Is(err, ErrSealedKey) {
				t.Errorf("err = %v, want ErrSealedKey", err)
			}
		})
	}
}

// Rotating the data key: a server with the new key and the previous one opens keys
// sealed under the old key (without writing them: servers not yet restarted keep
// working); ResealKeys seals them again under the new one; afterwards the new key alone
// is enough.
func TestDataKeyRotation(t *testing.T) {
	f := setup(t)
	oldKey, _ := seal.New(bytes.Repeat([]byte("o"), 32), "redemption signing keys")
	newKey, _ := seal.New(bytes.Repeat([]byte("n"), 32), "redemption signing keys")
	svc := func(cfg Config) *Service {
		s := newService(t, f.db, cfg, f.clock.Now)
		s.Handle(KindCoupon, f.rec)
		return s
	}
	before := svc(Config{Sealer: oldKey})
	f.svc = before // issue through the server holding the old key
	code := f.issue(t, issueOpt{})
	if _, err := before.RotateKey(f.ctx); err != nil { // key 2, also under the old key
		t.Fatal(err)
	}

	if _, err := svc(Config{Sealer: newKey}).key(f.ctx, 1); !errors.Is(err, ErrSealedKey) {
		t.Fatalf("the new key alone before the rotation: %v", err)
	}
	during := svc(Config{Sealer: newKey, PreviousSealer: oldKey})
	if _, err := during.Redeem(f.world.MallStaff(f.ctx), code.Token, "r1"); err != nil {
		t.Fatalf("a code signed before the rotation: %v", err)
	}
	if _, err := svc(Config{Sealer: oldKey}).key(f.ctx, 1); err != nil {
		t.Fatalf("a server not yet restarted, after a restarted one read the key: %v", err)
	}
	if n, err := during.ResealKeys(f.ctx); err != nil || n != 2 {
		t.Fatalf("reseal: %d, %v", n, err)
	}
	after := svc(Config{Sealer: newKey})
	for _, id := range []uint32{1, 2} {
		if _, err := after.key(f.ctx, id); err != nil {
			t.Errorf("key %d under the new key alone: %v", id, err)
		}
	}
	if _, err := svc(Config{Sealer: oldKey}).key(f.ctx, 2); !errors.Is(err, ErrSealedKey) {
		t.Errorf("the old key still opens key 2: %v", err)
	}
}
