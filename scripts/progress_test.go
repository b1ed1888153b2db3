package scripts_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A long step prints a progress line with the elapsed time every period, keeps its
// exit status, and leaves nothing behind holding the output open (the command's reader
// sees the end as soon as the step ends).
func TestProgressLines(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	cases := []struct {
		name, step string
		period     string // ATRIUM_PROGRESS_SECONDS
		status     int
		lines      int    // "still running" lines, at least
		last       string // the closing line
	}{
		{"a long step", "sleep 2.6", "1", 0, 2, "test: step: done in 0m0"},
		{"a failing step", "sleep 1.3; exit 3", "1", 3, 1, "test: step: failed after 0m0"},
		// A ticker's sleep left holding the output would keep it open 30 s.
		{"a short step", "sleep 0.2", "30", 0, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			script := `set -euo pipefail; . ./progress.sh; ATRIUM_PROGRESS_SECONDS=` + c.period + `
				status=0; progress test step bash -c '` + c.step + `' || status=$?; exit "$status"`
			cmd := exec.Command("bash", "-c", script)
			start := time.Now()
			out, err := cmd.CombinedOutput() // returns once every holder of the pipe is gone
			status := 0
			if ee, ok := err.(*exec.ExitError); ok {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != c.status {
				t.Fatalf("status %d, want %d:\n%s", status, c.status, out)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("the output stayed open %v after the step ended", took)
			}
			running := regexp.MustCompile(`(?m)^test: step: still running, 0m0\ds elapsed$`).FindAllString(string(out), -1)
			if len(running) < c.lines || (c.lines == 0 && len(out) > 0) {
				t.Fatalf("%d progress lines, want at least %d:\n%s", len(running), c.lines, out)
			}
			if c.last != "" && !strings.Contains(string(out), c.last) {
				t.Fatalf("no %q line:\n%s", c.last, out)
			}
		})
	}
}
