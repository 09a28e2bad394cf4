package webhooks_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

func TestMain(m *testing.M) {
	os.Exit(apptest.Run(m))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// received is one request a receiver got.
type received struct {
	Header http.Header
	Body   []byte
}

// receiver is an HTTP endpoint on 127.0.0.1 that records what it gets and
// answers with the statuses it is given in turn (the last one repeats).
type receiver struct {
	URL string

	mu       sync.Mutex
	got      []received
	answers  []int
	inFlight int
	overlap  bool // two requests were in flight at once
}

func newReceiver(t testing.TB, answers ...int) *receiver {
	t.Helper()
	if len(answers) == 0 {
		answers = []int{http.StatusOK}
	}
	r := &receiver{answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(srv.Close)
	r.URL = srv.URL + "/hook"
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.inFlight++
	if r.inFlight > 1 {
		r.overlap = true
	}
	r.got = append(r.got, received{req.Header.Clone(), body})
	status := r.answers[min(len(r.got), len(r.answers))-1]
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inFlight--
		r.mu.Unlock()
	}()
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status))
}

// overlapped tells whether two requests were ever in flight at once.
func (r *receiver) overlapped() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.overlap
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// newWebhook registers an endpoint as staff would.
func newWebhook(t testing.TB, app core.App, url string, events []string, active bool) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(webhooks.Webhooks)
	must(t, err)
	w := core.NewRecord(col)
	w.Set("url", url)
	w.Set("events", events)
	w.Set("active", active)
	must(t, app.Save(w))
	return w
}

// deliveriesOf lists a webhook's deliveries, oldest first.
func deliveriesOf(t testing.TB, app core.App, webhookID string) []*core.Record {
	t.Helper()
	ds, err := app.FindRecordsByFilter(webhooks.Deliveries, "webhook = {:w}", "created,id", 0, 0, dbx.Params{"w": webhookID})
	must(t, err)
	return ds
}

// clock is a time the test moves by hand, so that retries come due without
// waiting for them.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	// Milliseconds, as the database stores times, so that times read back compare equal.
	return &clock{t: time.Now().UTC().Truncate(time.Millisecond)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// startWorker starts a worker that polls only hourly, so that what it sends
// in a test it was woken for.
func startWorker(t testing.TB, app core.App, now func() time.Time) *webhooks.Worker {
	t.Helper()
	w, err := webhooks.StartWorker(app, webhooks.Options{Now: now, PollInterval: time.Hour})
	must(t, err)
	t.Cleanup(w.Stop)
	return w
}

// waitFor waits until the delivery satisfies done, and returns it.
func waitFor(t testing.TB, app core.App, id string, what string, done func(d *core.Record) bool) *core.Record {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		d, err := app.FindRecordById(webhooks.Deliveries, id)
		must(t, err)
		if done(d) {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery %s never became %s; it is %s after %d attempts (%s)", id, what, d.GetString("status"), d.GetInt("attempts"), d.GetString("last_error"))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func hasStatus(status string) func(*core.Record) bool {
	return func(d *core.Record) bool { return d.GetString("status") == status }
}

// attemptCodes are the HTTP statuses in a delivery's attempt log.
func attemptCodes(t testing.TB, d *core.Record) []int {
	t.Helper()
	var log []struct {
		StatusCode int `json:"status_code"`
	}
	must(t, d.UnmarshalJSONField("attempt_log", &log))
	codes := make([]int, len(log))
	for i, a := range log {
		codes[i] = a.StatusCode
	}
	return codes
}
