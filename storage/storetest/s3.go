package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/atrium-mall/atrium/storage"
)

// S3 returns object storage on the test MinIO server, in a bucket of the test's own.
func S3(t testing.TB) *storage.S3Objects {
	t.Helper()
	endpoint := getenv(envS3, "127.0.0.1:19000")
	bucket := strings.ReplaceAll(RandomName("test-"), "_", "-")
	objs, err := storage.OpenS3(context.Background(), endpoint, getenv(envS3Access, "atrium"),
		getenv(envS3Secret, "atrium-secret-key"), bucket, false)
	if err != nil {
		t.Fatalf("minio (%s): %v — run `make test`, which starts MinIO", endpoint, err)
	}
	return objs
}
