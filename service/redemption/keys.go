package redemption

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/auth/seal"
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

const keyCols = `id, public_key, private_key, sealed`

// activeKey returns the newest active signing key, creating the first one if none
// exists. Keys never change once written, so an opened key is cached by id.
func (s *Service) activeKey(ctx context.Context, q storage.Querier) (signingKey, error) {
	var id uint32
	err := q.QueryRow(ctx, `SELECT id FROM signing_keys WHERE active ORDER BY id DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.insertKey(ctx, q, 1); err != nil {
			return signingKey{}, err
		}
		return s.activeKey(ctx, q)
	}
	if err != nil {
		return signingKey{}, err
	}
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if ok {
		return k, nil
	}
	k, err = s.scanKey(q.QueryRow(ctx, `SELECT `+keyCols+` FROM signing_keys WHERE id = $1`, id))
	if err == nil {
		s.mu.Lock()
		s.keys[id] = k
		s.mu.Unlock()
	}
	return k, err
}

// insertKey stores a new key pair, its private half sealed when the service has a sealer.
func (s *Service) insertKey(ctx context.Context, q storage.Querier, id uint32) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	stored, sealed := []byte(priv), false
	if s.cfg.Sealer != nil {
		stored, sealed = s.cfg.Sealer.Seal(priv, keyAD(id)), true
	}
	_, err = q.Exec(ctx, `INSERT INTO signing_keys (id, public_key, private_key, sealed) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING`, id, []byte(pub), stored, sealed)
	return err
}

// scanKey reads a signing key row and opens its private key: a sealed one with the
// current data key, or during a rotation with the previous one; a plain one (written
// before sealing existed) as it is. It never writes: servers of an older release, or
// not yet given the new data key, keep reading the same bytes during a rolling
// deployment; ResealKeys seals everything under the current key once all run with it.
// It checks that the private key matches the public one.
func (s *Service) scanKey(row pgx.Row) (signingKey, error) {
	var (
		k      signingKey
		stored []byte
		sealed bool
	)
	if err := row.Scan(&k.id, &k.public, &stored, &sealed); err != nil {
		return k, err
	}
	if sealed {
		priv, err := s.open(stored, k.id)
		if err != nil {
			return k, err
		}
		stored = priv
	}
	k.private = ed25519.PrivateKey(stored)
	if len(stored) != ed25519.PrivateKeySize || !k.private.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(k.public)) {
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

// key returns signing key id (cached: keys never change once written).
func (s *Service) key(ctx context.Context, id uint32) (signingKey, error) {
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if ok {
		return k, nil
	}
	k, err := s.scanKey(s.db.Pool.QueryRow(ctx, `SELECT `+keyCols+` FROM signing_keys WHERE id = $1`, id))
	if err != nil {
		return k, storage.MapError(err)
	}
	s.mu.Lock()
	s.keys[id] = k
	s.mu.Unlock()
	return k, nil
}

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
		rows, err := tx.Query(ctx, `SELECT `+keyCols+` FROM signing_keys ORDER BY id FOR UPDATE`)
		if err != nil {
			return err
		}
		type row struct {
			id     uint32
			stored []byte
			sealed bool
		}
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			var public []byte
			return x, r.Scan(&x.id, &public, &x.stored, &x.sealed)
		})
		if err != nil {
			return err
		}
		for _, x := range list {
			if x.sealed {
				if _, err := s.cfg.Sealer.Open(x.stored, keyAD(x.id)); err == nil {
					continue // already under the current key
				}
			}
			priv := x.stored
			if x.sealed {
				if priv, err = s.open(x.stored, x.id); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE signing_keys SET private_key = $2, sealed = true WHERE id = $1`,
				x.id, s.cfg.Sealer.Seal(priv, keyAD(x.id))); err != nil {
				return err
			}
			n++
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

// RotateKey makes a new signing key the active one; older keys keep verifying the codes
// they signed.
func (s *Service) RotateKey(ctx context.Context) (PublicKey, error) {
	var id uint32
	err := s.db.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM signing_keys`).Scan(&id)
	if err != nil {
		return PublicKey{}, err
	}
	if err := s.insertKey(ctx, s.db.Pool, id); err != nil {
		return PublicKey{}, err
	}
	_, err = s.db.Pool.Exec(ctx, `UPDATE signing_keys SET active = false WHERE id < $1`, id)
	k, kerr := s.key(ctx, id)
	return PublicKey{ID: k.id, Key: k.public, Active: true}, errors.Join(err, kerr)
}

// PublicKeys lists every verification key, for offline devices.
func (s *Service) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id, public_key, active FROM signing_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PublicKey
	for rows.Next() {
		var k PublicKey
		if err := rows.Scan(&k.ID, &k.Key, &k.Active); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
