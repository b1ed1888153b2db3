package storage

import (
	"context"
	"errors"
	"io"
	"time"
)

// ErrObjectNotFound is returned when a key has no object.
var ErrObjectNotFound = errors.New("storage: object not found")

// Objects is object storage: an S3-compatible server (MinIO, …) in production, a local
// directory when no endpoint is configured. Keys are slash-separated paths.
type Objects interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
	// PresignPut returns a URL a client can PUT the object's bytes to until expiry.
	PresignPut(ctx context.Context, key string, expiry time.Duration) (string, error)
	// PresignGet returns a URL a client can GET the object from until expiry.
	PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error)
}
