// Package storetest gives tests their own real PostgreSQL database (cloned from a
// migrated template), a Redis key prefix, and MinIO / MQTT settings, all on the services
// that `make test` starts. Nothing here is a mock: tests talk to the real servers.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/atrium-mall/atrium/storage"
)

// Environment variables written by scripts/services.sh (defaults: the standard local ports).
const (
	envPG        = "ATRIUM_TEST_PG_URL"
	envRedis     = "ATRIUM_REDIS_URL"
	envMQTT      = "ATRIUM_TEST_MQTT_URL"
	envS3        = "ATRIUM_TEST_S3_ENDPOINT"
	envS3Access  = "ATRIUM_TEST_S3_ACCESS_KEY"
	envS3Secret  = "ATRIUM_TEST_S3_SECRET_KEY"
	defaultPG    = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	defaultRedis = "redis://127.0.0.1:6379/0"
	defaultMQTT  = "tcp://127.0.0.1:1883"
)

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// AdminURL is the URL of a role that may create databases.
func AdminURL() string { return getenv(envPG, defaultPG) }

// RedisURL is the test Redis server.
func RedisURL() string { return getenv(envRedis, defaultRedis) }

// MQTTURL is the test MQTT broker (Mosquitto).
func MQTTURL() string { return getenv(envMQTT, defaultMQTT) }

// RandomName returns prefix followed by 12 random hex characters.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// dbURL returns AdminURL with the database name replaced.
func dbURL(name string) string {
	u, err := url.Parse(AdminURL())
	if err != nil {
		panic(fmt.Sprintf("%s: %v", envPG, err))
	}
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// templateDB returns the name of a database with every migration applied, creating it
// once per migration set (its name is a hash of the migration files), across processes.
func templateDB(ctx context.Context) (string, error) {
	templateOnce.Do(func() {
		templateName = "atrium_tpl_" + migrationsHash()
		templateErr = ensureTemplate(ctx, templateName)
	})
	return templateName, templateErr
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(storage.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(storage.Migrations(), path)
		fmt.Fprintf(h, "%s\n%s\n", path, b)
		return err
	})
	fmt.Fprintf(h, "river:%s", riverVersion())
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func ensureTemplate(ctx context.Context, name string) error {
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return fmt.Errorf("connect %s (%s): %w — run `make test`, which starts PostgreSQL", envPG, AdminURL(), err)
	}
	defer admin.Close(ctx)
	// One process builds the template; the others wait on the lock and then find it.
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(727272)`); err != nil {
		return err
	}
	defer admin.Exec(context.Background(), `SELECT pg_advisory_unlock(727272)`) //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := name + "_build"
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+building); err != nil {
		return err
	}
	db, err := storage.OpenDB(ctx, dbURL(building))
	if err != nil {
		return err
	}
	err = storage.Migrate(ctx, db)
	db.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	_, err = admin.Exec(ctx, `ALTER DATABASE `+building+` RENAME TO `+name)
	return err
}

// DB returns a pool on a new database cloned from the migrated template; it is dropped
// when the test ends.
func DB(t testing.TB) *storage.DB {
	t.Helper()
	ctx := context.Background()
	tpl, err := templateDB(ctx)
	if err != nil {
		t.Fatalf("template database: %v", err)
	}
	name := RandomName("atrium_t_")
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("connect admin: %v", err)
	}
	defer admin.Close(ctx)
	if err := createFrom(ctx, admin, name, tpl); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	db, err := storage.OpenDB(ctx, dbURL(name))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		dropDB(name)
	})
	return db
}

// URL returns the connection URL of a test database created by DB.
func URL(db *storage.DB) string {
	return dbURL(db.Pool.Config().ConnConfig.Database)
}

// createFrom clones tpl, retrying while another clone holds the template busy.
func createFrom(ctx context.Context, admin *pgx.Conn, name, tpl string) error {
	var err error
	for range 50 {
		_, err = admin.Exec(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tpl)
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

func dropDB(name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return
	}
	defer admin.Close(ctx)
	_, _ = admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
}

// EmptyDB returns the URL of a new, empty database (no migrations), dropped at the end.
func EmptyDB(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	name := RandomName("atrium_e_")
	admin, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		t.Fatalf("connect admin: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { dropDB(name) })
	return dbURL(name)
}

// riverVersion is the River module in this build: its migrations are part of the template.
func riverVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == "github.com/riverqueue/river" {
				return m.Version
			}
		}
	}
	return "unknown"
}
