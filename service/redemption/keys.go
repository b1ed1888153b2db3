package redemption

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"

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

// activeKey returns the newest active signing key, creating the first one if none exists.
func (s *Service) activeKey(ctx context.Context, q storage.Querier) (signingKey, error) {
	var k signingKey
	err := q.QueryRow(ctx, `SELECT id, public_key, private_key FROM signing_keys
		WHERE active ORDER BY id DESC LIMIT 1`).Scan(&k.id, &k.public, &k.private)
	if errors.Is(err, pgx.ErrNoRows) {
		if err := s.insertKey(ctx, q, 1); err != nil {
			return k, err
		}
		return s.activeKey(ctx, q)
	}
	return k, err
}

func (s *Service) insertKey(ctx context.Context, q storage.Querier, id uint32) error {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `INSERT INTO signing_keys (id, public_key, private_key) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, id, []byte(pub), []byte(priv))
	return err
}

// key returns signing key id (cached: keys never change once written).
func (s *Service) key(ctx context.Context, id uint32) (signingKey, error) {
	s.mu.RLock()
	k, ok := s.keys[id]
	s.mu.RUnlock()
	if ok {
		return k, nil
	}
	err := s.db.Pool.QueryRow(ctx, `SELECT id, public_key, private_key FROM signing_keys WHERE id = $1`, id).
		Scan(&k.id, &k.public, &k.private)
	if err != nil {
		return k, storage.MapError(err)
	}
	s.mu.Lock()
	s.keys[id] = k
	s.mu.Unlock()
	return k, nil
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
