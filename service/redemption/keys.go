package redemption

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

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

// activeKey returns the newest active signing key, creating the first one if none exists.
func (s *Service) activeKey(ctx context.Context, q storage.Querier) (signingKey, error) {
	k, err := s.scanKey(ctx, q, q.QueryRow(ctx, `SELECT `+keyCols+` FROM signing_keys
		WHERE active ORDER BY id DESC LIMIT 1`))
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.insertKey(ctx, q, 1); err != nil {
			return k, err
		}
		return s.activeKey(ctx, q)
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

// scanKey reads a signing key row: it opens a sealed private key (with the previous
// data key during a rotation, then seals it again under the current one), seals in place
// a plain one when the service has a sealer (keys written before sealing existed), and
// checks that the private key matches the public one.
func (s *Service) scanKey(ctx context.Context, q storage.Querier, row pgx.Row) (signingKey, error) {
	var (
		k      signingKey
		stored []byte
		sealed bool
	)
	if err := row.Scan(&k.id, &k.public, &stored, &sealed); err != nil {
		return k, err
	}
	switch {
	case sealed && s.cfg.Sealer == nil:
		return k, ErrSealedKey
	case sealed:
		priv, err := s.cfg.Sealer.Open(stored, keyAD(k.id))
		if err != nil && s.cfg.PreviousSealer != nil {
			// Data key rotation: opened with the previous key, sealed again under the new one.
			if priv, err = s.cfg.PreviousSealer.Open(stored, keyAD(k.id)); err == nil {
				if _, err := q.Exec(ctx, `UPDATE signing_keys SET private_key = $3 WHERE id = $1 AND private_key = $2`,
					k.id, stored, s.cfg.Sealer.Seal(priv, keyAD(k.id))); err != nil {
					return k, err
				}
			}
		}
		if err != nil {
			return k, fmt.Errorf("signing key %d: %w", k.id, ErrSealedKey)
		}
		stored = priv
	case s.cfg.Sealer != nil:
		if _, err := q.Exec(ctx, `UPDATE signing_keys SET private_key = $2, sealed = true WHERE id = $1 AND NOT sealed`,
			k.id, s.cfg.Sealer.Seal(stored, keyAD(k.id))); err != nil {
			return k, err
		}
	}
	k.private = ed25519.PrivateKey(stored)
	if len(stored) != ed25519.PrivateKeySize || !k.private.Public().(ed25519.PublicKey).Equal(ed25519.PublicKey(k.public)) {
		return k, fmt.Errorf("signing key %d: the private key does not match the public key", k.id)
	}
	return k, nil
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
	k, err := s.scanKey(ctx, s.db.Pool, s.db.Pool.QueryRow(ctx, `SELECT `+keyCols+` FROM signing_keys WHERE id = $1`, id))
	if err != nil {
		return k, storage.MapError(err)
	}
	s.mu.Lock()
	s.keys[id] = k
	s.mu.Unlock()
	return k, nil
}

// ResealKeys reads every signing key once, so that plain keys and keys sealed under the
// previous data key are sealed under the current one (the end of a data key rotation:
// afterwards ATRIUM_DATA_KEY_PREVIOUS can be dropped). It returns how many keys it read.
func (s *Service) ResealKeys(ctx context.Context) (int, error) {
	rows, err := s.db.Pool.Query(ctx, `SELECT id FROM signing_keys ORDER BY id`)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.scanKey(ctx, s.db.Pool, s.db.Pool.QueryRow(ctx, `SELECT `+keyCols+` FROM signing_keys
			WHERE id = $1`, id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
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
