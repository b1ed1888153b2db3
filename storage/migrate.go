package storage

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the embedded SQL migrations (for tests that fingerprint them).
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embed path is fixed at compile time
	}
	return sub
}

// Migrate applies River's schema and then Atrium's numbered migrations. It is safe to
// run concurrently from several replicas (a PostgreSQL session lock serialises them)
// and idempotent: an up-to-date database is left unchanged.
func Migrate(ctx context.Context, db *DB) error {
	return migrate(ctx, db, -1)
}

// MigrateTo is Migrate stopping at Atrium migration version (River's schema is always
// brought up to date): upgrade tests build the schema an older release left.
func MigrateTo(ctx context.Context, db *DB, version int64) error {
	return migrate(ctx, db, version)
}

// migrate applies River's schema, then Atrium's migrations up to version (all when < 0).
func migrate(ctx context.Context, db *DB, version int64) error {
	migrator, err := rivermigrate.New(riverpgxv5.New(db.Pool), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	defer sqlDB.Close()
	// Out-of-order application: migrations developed in parallel (timestamped names)
	// may land in either order.
	provider, err := goose.NewProvider(goose.DialectPostgres, sqlDB, Migrations(), goose.WithSessionLocker(locker),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if version >= 0 {
		if _, err := provider.UpTo(ctx, version); err != nil {
			return fmt.Errorf("migrate to %d: %w", version, err)
		}
		return nil
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
