package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LocalObjects keeps objects as files under a directory. Its presigned URLs point at
// Handler, mounted by the HTTP server under /objects/, and carry an HMAC signature and
// an expiry, like S3's.
type LocalObjects struct {
	dir     string
	baseURL string // e.g. http://127.0.0.1:8080/objects
	key     []byte
	now     func() time.Time
}

// NewLocalObjects stores under dir and signs URLs below baseURL with key.
func NewLocalObjects(dir, baseURL string, key []byte) (*LocalObjects, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("object dir: %w", err)
	}
	return &LocalObjects{dir: dir, baseURL: strings.TrimRight(baseURL, "/"), key: key, now: time.Now}, nil
}

func (l *LocalObjects) path(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if clean == "/" || strings.Contains(key, "..") {
		return "", fmt.Errorf("storage: invalid object key %q", key)
	}
	return filepath.Join(l.dir, clean), nil
}

// Put writes r under key (atomically: a temporary file renamed into place).
func (l *LocalObjects) Put(_ context.Context, key string, r io.Reader, _ int64, _ string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Get opens the file under key.
func (l *LocalObjects) Get(_ context.Context, key string) (io.ReadCloser, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrObjectNotFound
	}
	return f, err
}

// Delete removes the file under key; a missing file is not an error.
func (l *LocalObjects) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// PresignPut returns a signed URL accepting one PUT until expiry.
func (l *LocalObjects) PresignPut(_ context.Context, key string, expiry time.Duration) (string, error) {
	return l.sign(http.MethodPut, key, expiry)
}

// PresignGet returns a signed URL serving the object until expiry.
func (l *LocalObjects) PresignGet(_ context.Context, key string, expiry time.Duration) (string, error) {
	return l.sign(http.MethodGet, key, expiry)
}

func (l *LocalObjects) sign(method, key string, expiry time.Duration) (string, error) {
	if _, err := l.path(key); err != nil {
		return "", err
	}
	exp := strconv.FormatInt(l.now().Add(expiry).Unix(), 10)
	q := url.Values{"exp": {exp}, "sig": {l.mac(method, key, exp)}}
	return l.baseURL + "/" + key + "?" + q.Encode(), nil
}

func (l *LocalObjects) mac(method, key, exp string) string {
	m := hmac.New(sha256.New, l.key)
	fmt.Fprintf(m, "%s\n%s\n%s", method, key, exp)
	return hex.EncodeToString(m.Sum(nil))
}

// Handler serves presigned GETs and PUTs; mount it with http.StripPrefix("/objects/").
func (l *LocalObjects) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, exp := r.URL.Path, r.URL.Query().Get("exp")
		unix, err := strconv.ParseInt(exp, 10, 64)
		want := l.mac(r.Method, key, exp)
		if err != nil || !hmac.Equal([]byte(want), []byte(r.URL.Query().Get("sig"))) || l.now().Unix() > unix {
			http.Error(w, "signature invalid or expired", http.StatusForbidden)
			return
		}
		switch r.Method {
		case http.MethodGet:
			l.serveGet(w, r, key)
		case http.MethodPut:
			body := http.MaxBytesReader(w, r.Body, 20<<20)
			if err := l.Put(r.Context(), key, body, r.ContentLength, r.Header.Get("Content-Type")); err != nil {
				http.Error(w, "upload failed", http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusOK)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

func (l *LocalObjects) serveGet(w http.ResponseWriter, r *http.Request, key string) {
	f, err := l.Get(r.Context(), key)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	w.Header().Set("Cache-Control", "private, max-age=60")
	_, _ = io.Copy(w, f)
}
