package service

import (
	"strings"
	"testing"
	"time"
)

type probe struct{}

func TestCheckDeps(t *testing.T) {
	type deps struct {
		DB    *probe
		Now   func() time.Time
		Audit any
		Hook  func() `deps:"optional"`
		Name  string
	}
	full := deps{DB: &probe{}, Now: time.Now, Audit: 1}
	cases := []struct {
		name    string
		in      any
		wantErr string
	}{
		{"all given", full, ""},
		{"pointer to struct", &full, ""},
		{"optional may be nil", deps{DB: &probe{}, Now: time.Now, Audit: 1, Hook: nil}, ""},
		{"nil pointer", deps{Now: time.Now, Audit: 1}, "Deps.DB is required"},
		{"nil func", deps{DB: &probe{}, Audit: 1}, "Deps.Now is required"},
		{"nil interface", deps{DB: &probe{}, Now: time.Now}, "Deps.Audit is required"},
		{"not a struct", 3, "deps must be a struct"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDeps(tc.in)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("CheckDeps = %v, want %q", err, tc.wantErr)
			}
		})
	}
	t.Run("MustDeps panics naming the context", func(t *testing.T) {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "loyalty.New: Deps.DB is required") {
				t.Fatalf("recover = %v", r)
			}
		}()
		MustDeps("loyalty", deps{Now: time.Now, Audit: 1})
	})
}
