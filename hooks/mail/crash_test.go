package mail_test

import (
	"bytes"
	"database/sql"
	"net/mail"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks"
	mailpkg "facturo/hooks/mail"
	"facturo/internal/apptest"
	"facturo/internal/smtptest"
)

// crashChildEnv, when set to a data folder, makes the test binary run as a
// sending server on that folder instead of running tests.
const crashChildEnv = "FACTURO_OUTBOX_CHILD_DIR"

// runOutboxChild is the server process of the crash test: it opens the data
// folder, starts the outbox worker and sends until it is killed.
func runOutboxChild(dir string) {
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		panic(err)
	}
	hooks.RegisterApp(app)
	worker, err := mailpkg.StartWorker(app)
	if err != nil {
		panic(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM)
	<-stop
	worker.Stop() // as the server does on a graceful stop: finish and record the messages in flight
}

// TestCrashMidBatchLosesNothing queues 100 emails, kills the sending process
// with SIGKILL in the middle of the batch, starts it again, and checks that
// every email arrived, with at most as many duplicates as were in flight.
func TestCrashMidBatchLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	app, server := setup(t)
	server.SlowDown(15 * time.Millisecond)
	const batch = 100
	for range batch {
		queue(t, app, apptest.IssuedA)
	}
	concurrency := 4
	dir := app.DataDir()
	app.ClearBootstrap() // the child processes own the database now

	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	waitArrived := func(n int, within time.Duration) {
		deadline := time.Now().Add(within)
		for len(server.Received()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("only %d of %d messages arrived", len(server.Received()), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}

	first := start()
	waitArrived(30, 60*time.Second)
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	beforeRestart := len(server.Received())
	if beforeRestart >= batch {
		t.Fatalf("the whole batch was sent before the kill; the test proves nothing")
	}

	second := start()
	defer func() {
		second.Process.Signal(syscall.SIGTERM)
		second.Wait()
	}()
	deadline := time.Now().Add(90 * time.Second)
	for uniqueMessageIDs(t, server.Received()) < batch {
		if time.Now().After(deadline) {
			t.Fatalf("after the restart only %d distinct messages of %d arrived", uniqueMessageIDs(t, server.Received()), batch)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A message that reached the server just before the kill, but was not
	// yet recorded as sent, is sent again after the restart: every message
	// has arrived once, yet the outbox is not done until those are too.
	outbox, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data.db")+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer outbox.Close()
	for {
		var unsent int
		if err := outbox.QueryRow("SELECT COUNT(*) FROM messages WHERE status != 'sent'").Scan(&unsent); err != nil {
			t.Fatal(err)
		}
		if unsent == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the restart %d messages are still not sent", unsent)
		}
		time.Sleep(20 * time.Millisecond)
	}
	received := server.Received()
	duplicates := len(received) - uniqueMessageIDs(t, received)
	t.Logf("killed after %d arrivals; %d duplicates after the restart", beforeRestart, duplicates)
	if duplicates > concurrency {
		t.Errorf("%d duplicates, more than the %d messages that can be in flight", duplicates, concurrency)
	}

	second.Process.Signal(syscall.SIGTERM)
	second.Wait()
	check := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := check.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer check.ClearBootstrap()
	unsent, err := check.CountRecords(mailpkg.Messages, dbxNotSent())
	if err != nil || unsent != 0 {
		t.Errorf("%d messages are not marked sent: %v", unsent, err)
	}
	if sent := events(t, check, apptest.IssuedA, "sent"); len(sent) < batch {
		t.Errorf("%d sent events on the timeline, want at least %d", len(sent), batch)
	}
}

func uniqueMessageIDs(t *testing.T, received []smtptest.Received) int {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range received {
		m, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		seen[m.Header.Get("Message-Id")] = true
	}
	return len(seen)
}
