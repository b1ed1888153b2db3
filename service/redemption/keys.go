package redemption

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth/seal"
	"github.com/atrium-mall/atrium/service/redemption/internal/queries"
	"github.com/atrium-mall/atrium/storage"
)

type signingKey struct {
	id      uint32
	public  ed25519.PublicKey
	private ed25519.PrivateKey
}

// PublicKey is a verification key that staff devices download for offline checks.
type PublicKey struct {
	ID     uint32
	Key    []byte // raw 32-byte Ed25519 public key
	Active bool   // false: rotated out, still verifies codes it signed
}

// ErrSealedKey means a signing key is sealed but this server has no data key (or
// another one) to open it with.
var ErrSealedKey = errors.New("redemption: the signing key is sealed under another data key (check ATRIUM_DATA_KEY)")

// keyRow is a signing key as stored.
type keyRow struct {
	ID         int32
	PublicKey  []byte
	PrivateKey []byte
	Sealed     bool
}

// activeKey returns the newest active signing key, creating the first one if none
// exists. Its id is read at most once per activeKeyFresh (a code is issued with every
// coupon claimed, and a flash sale claims many at once): a key rotated by another
// server signs here from at most that long after, the key before it still verifying
// what it signed meanwhile.
func (s *Service) activeKey(ctx context.Context, q queries.DBTX) (signingKey, error) {
	if id, ok := s.recentActiveID(); ok {
		return s.cachedKey(ctx, q, id)
	}
	id, err := queries.New(q).ActiveKeyID(ctx)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.insertKey(ctx, q, 1); err != nil {
			return signingKey{}, err
		}
		return s.cachedKey(ctx, q, 1) // not remembered: the caller's transaction may roll back
	}
	if err != nil {
		return signingKey{}, err
	}
	s.rememberActiveID(uint32(id))
	return s.cachedKey(ctx, q, uint32(id))
}

// activeKeyFresh is how long the active key's id, once read, is used without reading it again.
const activeKeyFresh = time.Second

// recentActiveID is the active key's id if it was read less than activeKeyFresh ago.
func (s *Service) recentActiveID() (uint32, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.activeID, s.activeID != 0 && time.Since(s.activeAt) < activeKeyFresh
}

// rememberActiveID notes id as the active key's, read now.
func (s *Service) rememberActiveID(id uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.activeID, s.activeAt = id, time.Now()
}

// key returns signing key id.
func (s *Service) key(ctx context.Context, id uint32) (signingKey, error) {
	return s.cachedKey(ctx, s.db.Pool, id)
}

// cachedKey returns signing key id, read through q and opened the first time: keys
// never change once written, so an opened key is cached by id.
func (s *Service) cachedKey(ctx context.Context, q queries.DBTX, id uint32) (signingKey, error) {
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if ok {
		return k, nil
	}
	row, err := queries.New(q).SigningKey(ctx, int32(id))
	if err != nil {
		return k, storage.MapError(err)
	}
	if k, err = s.openKey(keyRow(row)); err != nil {
		return k, err
	}
	s.mu.Lock()
	s.keys[id] = k
	s.mu.Unlock()
	return k, nil
}

// insertKey stores a new key pair, its private half sealed when the service has a sealer.
func (s *Service) insertKey(ctx context.Context, q queries.DBTX, id uint32) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	stored, sealed := []byte(priv), false
	if s.cfg.Sealer != nil {
		stored, sealed = s.cfg.Sealer.Seal(priv, keyAD(id)), true
	}
	return queries.New(q).InsertSigningKey(ctx, queries.InsertSigningKeyParams{ID: int32(id), PublicKey: pub,
		PrivateKey: stored, Sealed: sealed})
}

// openKey opens a stored key's private half: a sealed one with the current data key,
// or during a rotation with the previous one; a plain one (written before sealing
// existed) as it is. It never writes: servers of an older release, or not yet given the
// new data key, keep reading the same bytes during a rolling deployment; ResealKeys
// seals everything under the current key once all run with it. It checks that the
// private key matches the public one.
func (s *Service) openKey(r keyRow) (signingKey, error) {
	k := signingKey{id: uint32(r.ID), public: r.PublicKey}
	stored := r.PrivateKey
	if r.Sealed {
		priv, err := s.open(stored, k.id)
		if err != nil {
			return k, err
		}
		stored = priv
	}
	k.private = ed25519.PrivateKey(stored)
	if len(stored) != ed25519.PrivateKeySize || !k.private.Public().(ed25519.PublicKey).Equal(k.public) {
		return k, fmt.Errorf("signing key %d: the private key does not match the public key", k.id)
	}
	return k, nil
}

// open opens a sealed private key with the current data key, else the previous one.
func (s *Service) open(sealed []byte, id uint32) ([]byte, error) {
	for _, sl := range []*seal.Sealer{s.cfg.Sealer, s.cfg.PreviousSealer} {
		if sl == nil {
			continue
		}
		if priv, err := sl.Open(sealed, keyAD(id)); err == nil {
			return priv, nil
		}
	}
	return nil, fmt.Errorf("signing key %d: %w", id, ErrSealedKey)
}

// keyAD binds a sealed private key to its key id.
func keyAD(id uint32) []byte { return []byte("signing key " + strconv.FormatUint(uint64(id), 10)) }

// ResealKeys seals every signing key under the current data key: plain keys (written
// before sealing existed) and keys sealed under ATRIUM_DATA_KEY_PREVIOUS. Run it (atrium
// keys reseal) once every server runs with the current key (and, during a rotation, the
// previous one); afterwards the previous key can be dropped. It returns how many keys
// it sealed again; a second run seals none.
func (s *Service) ResealKeys(ctx context.Context) (int, error) {
	if s.cfg.Sealer == nil {
		return 0, errors.New("redemption: no data key to seal with")
	}
	n := 0
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := queries.New(tx).LockSigningKeys(ctx)
		if err != nil {
			return err
		}
		for _, r := range rows {
			sealed, err := s.reseal(ctx, tx, keyRow(r))
			if err != nil {
				return err
			}
			if sealed {
				n++
			}
		}
		return nil
	})
	if err == nil {
		s.mu.Lock()
		clear(s.keys)
		s.mu.Unlock()
	}
	return n, err
}

// reseal seals one stored key under the current data key unless it is already; it
// reports whether it wrote the key.
func (s *Service) reseal(ctx context.Context, tx pgx.Tx, r keyRow) (bool, error) {
	id := uint32(r.ID)
	priv := r.PrivateKey
	if r.Sealed {
		if _, err := s.cfg.Sealer.Open(r.PrivateKey, keyAD(id)); err == nil {
			return false, nil // already under the current key
		}
		var err error
		if priv, err = s.open(r.PrivateKey, id); err != nil {
			return false, err
		}
	}
	err := queries.New(tx).ResealSigningKey(ctx, s.cfg.Sealer.Seal(priv, keyAD(id)), r.ID)
	return err == nil, err
}

// RotateKey makes a new signing key the active one; older keys keep verifying the codes
// they signed.
func (s *Service) RotateKey(ctx context.Context) (PublicKey, error) {
	q := queries.New(s.db.Pool)
	id, err := q.NextSigningKeyID(ctx)
	if err != nil {
		return PublicKey{}, err
	}
	if err := s.insertKey(ctx, s.db.Pool, uint32(id)); err != nil {
		return PublicKey{}, err
	}
	err = q.DeactivateSigningKeysBefore(ctx, id)
	if err == nil {
		s.rememberActiveID(uint32(id))
	}
	k, kerr := s.key(ctx, uint32(id))
	return PublicKey{ID: k.id, Key: k.public, Active: true}, errors.Join(err, kerr)
}

// PublicKeys lists every verification key, for offline devices.
func (s *Service) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	rows, err := queries.New(s.db.Pool).PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PublicKey, len(rows))
	for i, r := range rows {
		out[i] = PublicKey{ID: uint32(r.ID), Key: r.PublicKey, Active: r.Active}
	}
	return out, nil
}
