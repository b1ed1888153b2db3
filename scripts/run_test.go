package scripts_test

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/atrium-mall/atrium/storage/storetest"
)

// TestMakeRunStopsWithMake runs `make run` on free ports and a database of its own and,
// once /readyz answers, signals make's pid alone (as a supervisor or `timeout` does,
// not the process group a terminal's Ctrl-C reaches): make, Atrium and the WeChat
// stand-in all stop. SIGTERM, which GNU make forwards to its recipe, and SIGINT, which
// it does not (scripts/run.sh watches make for it).
func TestMakeRunStopsWithMake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs atrium through make")
	}
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			argv := []string{makeBin, "--no-print-directory", "run"}
			if sig == syscall.SIGINT && ignored(t, sig) {
				// A child inherits an ignored SIGINT (e.g. tests started in the
				// background): give make the default action back, as a terminal would.
				if exec.Command("env", "--default-signal=INT", "true").Run() != nil {
					t.Skip("SIGINT is ignored here and env cannot reset it")
				}
				argv = append([]string{"env", "--default-signal=INT"}, argv...)
			}
			runAndSignal(t, root, argv, sig)
		})
	}
}

func runAndSignal(t *testing.T, root string, argv []string, sig syscall.Signal) {
	httpAddr := freeAddr(t)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"ATRIUM_HTTP_ADDR="+httpAddr, "ATRIUM_MQTT_LISTEN="+freeAddr(t), "ATRIUM_WECHAT_STUB_ADDR="+freeAddr(t),
		"ATRIUM_DATABASE_URL="+storetest.URL(storetest.DB(t)), "ATRIUM_REDIS_PREFIX=test-run-"+uuid.NewString()[:8]+":",
		"ATRIUM_MQTT_URL=", "ATRIUM_WECHAT_API_BASE=", "ATRIUM_PROGRESS_SECONDS=30")
	// Its own process group: nothing sent to the test's group reaches it, and the
	// cleanup can end whatever is left of it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logPath := filepath.Join(t.TempDir(), "make-run.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var started []int
	t.Cleanup(func() { // on failure: end what this test started, by pid
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		for _, pid := range started {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	logTail := func() string {
		b, _ := os.ReadFile(logPath)
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		return string(b)
	}

	// Up, with a cold build allowed for.
	deadline := time.Now().Add(5 * time.Minute)
	for !ready(httpAddr) {
		select {
		case err := <-done:
			t.Fatalf("make run ended before serving (%v):\n%s", err, logTail())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("make run did not serve /readyz within 5 minutes:\n%s", logTail())
		}
	}
	started = atriumPids(t, httpAddr)
	if len(started) != 2 { // atrium serve and atrium wechat-stub
		t.Fatalf("atrium processes of this run: %v, want serve and wechat-stub", started)
	}

	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatalf("make still runs 60 s after %v:\n%s", sig, logTail())
	}
	deadline = time.Now().Add(10 * time.Second)
	for _, pid := range started {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("atrium (pid %d) still runs after make stopped on %v:\n%s", pid, sig, logTail())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if ready(httpAddr) {
		t.Fatalf("%s still answers after make stopped", httpAddr)
	}
}

// ignored reports whether this process ignores sig (its children then do too).
func ignored(t *testing.T, sig syscall.Signal) bool {
	mask, ok := statusField(os.Getpid(), "SigIgn")
	if !ok {
		t.Fatal("no SigIgn in /proc/self/status")
	}
	v, err := strconv.ParseUint(mask, 16, 64)
	return err == nil && v&(1<<(uint(sig)-1)) != 0
}

// statusField is a field of /proc/pid/status.
func statusField(pid int, name string) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "", false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// atriumPids are the atrium processes started for the run serving on addr (found by
// the ATRIUM_HTTP_ADDR scripts/run.sh exported to them).
func atriumPids(t *testing.T, addr string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err1 := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		environ, err2 := os.ReadFile("/proc/" + e.Name() + "/environ")
		if err1 != nil || err2 != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if strings.HasSuffix(args[0], "/.local/bin/atrium") &&
			bytes.Contains(append([]byte("\x00"), environ...), []byte("\x00ATRIUM_HTTP_ADDR="+addr+"\x00")) {
			out = append(out, pid)
		}
	}
	return out
}

// alive: the process exists and is not a zombie (an exited child nobody reaped yet).
func alive(pid int) bool {
	state, ok := statusField(pid, "State")
	return ok && !strings.HasPrefix(state, "Z")
}

func ready(addr string) bool {
	c := http.Client{Timeout: time.Second}
	res, err := c.Get("http://" + addr + "/readyz")
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
