package webhooks

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// retrySchedule is the wait before each new attempt after a failed one;
// after the last step the wait stays at it, until giveUpAfter.
var retrySchedule = []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour}

// giveUpAfter is how long after it was made a delivery keeps being retried:
// an attempt that fails later than this ends it as failed.
const giveUpAfter = 72 * time.Hour

const (
	defaultConcurrency  = 4
	defaultPollInterval = 2 * time.Second
	requestTimeout      = 10 * time.Second
	// responseExcerpt is how much of an answer's body is kept.
	responseExcerpt = 1024
	// attemptLogSize is how many attempts a delivery's log keeps: every one
	// of a delivery retried for the full three days fits.
	attemptLogSize = 25
)

// Options tune a Worker; the zero value is what the server uses.
type Options struct {
	Concurrency  int              // deliveries in flight at once; 4 when zero
	PollInterval time.Duration    // how often idle workers look for due retries; 2 s when zero
	Now          func() time.Time // the clock retries are scheduled on; time.Now when nil
}

// Worker sends due deliveries: several goroutines, each claiming one
// delivery at a time in a short transaction, posting it outside any
// transaction, and recording the outcome. One endpoint gets one delivery at
// a time, oldest due first, so a slow or failing endpoint holds up only its
// own deliveries.
type Worker struct {
	app    core.App
	now    func() time.Time
	poll   time.Duration
	client *http.Client
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// StartWorker makes deliveries a stop left in flight due again and starts
// the sending goroutines. Stop ends them.
func StartWorker(app core.App, opts Options) (*Worker, error) {
	if opts.Concurrency <= 0 {
		opts.Concurrency = defaultConcurrency
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = defaultPollInterval
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = opts.Concurrency
	w := &Worker{
		app:  app,
		now:  opts.Now,
		poll: opts.PollInterval,
		client: &http.Client{
			Transport: transport,
			Timeout:   requestTimeout,
			// A redirect is an answer like any other non-2xx: the endpoint
			// registered is where the payload goes, and nowhere else.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	if err := w.recoverInFlight(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	for range opts.Concurrency {
		w.done.Go(func() { w.loop(ctx) })
	}
	return w, nil
}

// Stop ends the sending goroutines once their current delivery is sent and
// recorded.
func (w *Worker) Stop() {
	w.cancel()
	w.done.Wait()
	w.client.CloseIdleConnections()
}

// Wake makes an idle worker look for due deliveries now.
func (w *Worker) Wake() { wake(w.app) }

// recoverInFlight makes deliveries left sending by a stop due again. The
// endpoint may have received them already; receivers deduplicate by the
// Facturo-Delivery header.
func (w *Worker) recoverInFlight() error {
	stuck, err := w.app.FindAllRecords(Deliveries, dbx.HashExp{"status": StatusSending})
	if err != nil {
		return err
	}
	for _, d := range stuck {
		d.Set("status", StatusRetry)
		d.Set("next_attempt_at", w.now())
		d.Set("last_error", "interrupted while sending (the server stopped); sent again")
		d.Set("last_problem", ProblemInterrupted)
		if err := w.app.Save(d); err != nil {
			return err
		}
	}
	return nil
}

func (w *Worker) loop(ctx context.Context) {
	ticker := time.NewTicker(w.poll)
	defer ticker.Stop()
	wakeUp := wakeChannel(w.app)
	for {
		for ctx.Err() == nil && w.sendNext() {
		}
		select {
		case <-ctx.Done():
			return
		case <-wakeUp:
		case <-ticker.C:
		}
	}
}

// sendNext sends one due delivery; it reports whether there was one.
func (w *Worker) sendNext() bool {
	d, hook, err := w.claim()
	if err != nil {
		w.app.Logger().Error("webhooks: claiming a delivery", "error", err)
		return false
	}
	if d == nil {
		return false
	}
	// There may be more due, for other endpoints: let an idle goroutine look.
	wake(w.app)
	w.record(d, hook, w.post(d, hook))
	return true
}

// claim moves the most overdue delivery of an active endpoint that has
// none in flight to sending, in a transaction of its own, so that no two
// goroutines take the same one and each endpoint gets its deliveries one
// after another. It looks endpoint by endpoint: each look is an index seek,
// so a long backlog on one endpoint costs the others nothing.
func (w *Worker) claim() (delivery, hook *core.Record, err error) {
	err = w.app.RunInTransaction(func(tx core.App) error {
		id, err := w.mostOverdue(tx)
		if err != nil || id == "" {
			return err
		}
		if delivery, err = tx.FindRecordById(Deliveries, id); err != nil {
			return err
		}
		if hook, err = tx.FindRecordById(Webhooks, delivery.GetString("webhook")); err != nil {
			return err
		}
		delivery.Set("status", StatusSending)
		delivery.Set("attempts", delivery.GetInt("attempts")+1)
		return tx.Save(delivery)
	})
	if err != nil {
		return nil, nil, err
	}
	return delivery, hook, nil
}

// candidate is an endpoint's next due delivery. Among deliveries due at the
// same millisecond, seq (the rowid: the order rows were written) keeps the
// order of the events.
type candidate struct {
	ID  string `db:"id"`
	Due string `db:"next_attempt_at"`
	Seq int64  `db:"seq"`
}

func (c candidate) before(o candidate) bool {
	return o.ID == "" || c.Due < o.Due || (c.Due == o.Due && c.Seq < o.Seq)
}

// mostOverdue is the id of the delivery to send next, or "" when none is due.
func (w *Worker) mostOverdue(tx core.App) (string, error) {
	var busy []string
	if err := tx.DB().NewQuery("SELECT DISTINCT webhook FROM webhook_deliveries WHERE status = {:sending}").
		Bind(dbx.Params{"sending": StatusSending}).Column(&busy); err != nil {
		return "", err
	}
	var active []string
	if err := tx.DB().NewQuery("SELECT id FROM webhooks WHERE active = TRUE").Column(&active); err != nil {
		return "", err
	}
	pending := tx.DB().NewQuery(`SELECT id, next_attempt_at, rowid AS seq FROM webhook_deliveries
		WHERE webhook = {:webhook} AND status = 'pending' ORDER BY next_attempt_at, rowid LIMIT 1`).Prepare()
	defer pending.Close()
	retry := tx.DB().NewQuery(`SELECT id, next_attempt_at, rowid AS seq FROM webhook_deliveries
		WHERE webhook = {:webhook} AND status = 'retry' AND next_attempt_at <= {:now} ORDER BY next_attempt_at, rowid LIMIT 1`).Prepare()
	defer retry.Close()
	now := dateTime(w.now()).String()
	var best candidate
	for _, webhook := range active {
		if slices.Contains(busy, webhook) {
			continue
		}
		for _, q := range []*dbx.Query{pending, retry} {
			var c candidate
			err := q.Bind(dbx.Params{"webhook": webhook, "now": now}).One(&c)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return "", err
			}
			if c.ID != "" && c.before(best) {
				best = c
			}
		}
	}
	return best.ID, nil
}

// attempt is what one POST came to.
type attempt struct {
	At         time.Time
	StatusCode int    // 0 when no answer came
	Error      string // why it did not count as delivered
	Problem    string // which kind of failure it was: one of the Problem… names
	Response   string // the start of the answer's body
	Duration   time.Duration
}

func (a attempt) delivered() bool { return a.StatusCode >= 200 && a.StatusCode < 300 }

// post sends a delivery once, signed now.
func (w *Worker) post(d, hook *core.Record) attempt {
	body := []byte(d.GetString("payload"))
	a := attempt{At: w.now()}
	// Not derived from the worker's context: stopping lets deliveries in
	// flight finish and be recorded instead of sending them twice.
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, hook.GetString("url"), bytes.NewReader(body))
	if err != nil {
		a.Error, a.Problem = err.Error(), ProblemRequest
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderEvent, TypeName(d.GetString("event_type")))
	req.Header.Set(HeaderDelivery, d.Id)
	req.Header.Set(HeaderSignature, Sign(hook.GetString("secret"), a.At, body))
	started := time.Now()
	res, err := w.client.Do(req)
	if err != nil {
		a.Duration = time.Since(started)
		a.Error, a.Problem = err.Error(), ProblemUnreachable
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			a.Problem = ProblemTimeout
		}
		return a
	}
	defer res.Body.Close()
	excerpt, err := io.ReadAll(io.LimitReader(res.Body, responseExcerpt))
	a.Duration = time.Since(started)
	a.StatusCode = res.StatusCode
	a.Response = validText(excerpt)
	switch {
	case a.delivered():
	case res.StatusCode >= 300 && res.StatusCode < 400:
		a.Error, a.Problem = fmt.Sprintf("HTTP %s (redirects are not followed)", res.Status), ProblemRedirect
	case res.StatusCode == http.StatusGone:
		a.Error, a.Problem = "HTTP "+res.Status, ProblemGone
	default:
		a.Error, a.Problem = "HTTP "+res.Status, ProblemStatus
	}
	if err != nil && a.Error == "" && !a.delivered() {
		a.Error = err.Error()
	}
	return a
}

// record stores an attempt on its delivery and decides what comes next.
func (w *Worker) record(d, hook *core.Record, a attempt) {
	var log []map[string]any
	if err := d.UnmarshalJSONField("attempt_log", &log); err != nil {
		log = nil // a log staff mangled by hand starts again
	}
	entry := map[string]any{
		"at": a.At.UTC().Format(timeFormat), "status_code": a.StatusCode,
		"duration_ms": a.Duration.Milliseconds(),
	}
	if a.Error != "" {
		entry["error"], entry["problem"] = a.Error, a.Problem
	}
	if a.Response != "" {
		entry["response"] = a.Response
	}
	log = append(log, entry)
	if len(log) > attemptLogSize {
		log = log[len(log)-attemptLogSize:]
	}
	d.Set("attempt_log", log)
	d.Set("last_status_code", a.StatusCode)
	d.Set("last_error", clip(a.Error, 2000))
	d.Set("last_problem", a.Problem)
	d.Set("last_response", a.Response)

	deactivate := false
	switch {
	case a.delivered():
		d.Set("status", StatusDelivered)
		d.Set("delivered_at", a.At)
		d.Set("last_error", "")
		d.Set("last_problem", "")
	case a.StatusCode == http.StatusGone:
		// The endpoint says it is gone for good: sending more would only
		// fail again, so the webhook stops until staff turn it back on.
		d.Set("status", StatusFailed)
		d.Set("last_error", "HTTP 410 Gone: the endpoint is gone; the webhook was deactivated")
		deactivate = hook.GetBool("active")
	case a.At.Sub(d.GetDateTime("created").Time()) >= giveUpAfter:
		d.Set("status", StatusFailed)
	default:
		d.Set("status", StatusRetry)
		d.Set("next_attempt_at", a.At.Add(backoff(d.GetInt("attempts"))))
	}
	err := w.app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(d); err != nil {
			return err
		}
		if !deactivate {
			return nil
		}
		current, err := tx.FindRecordById(Webhooks, hook.Id)
		if err != nil {
			return err
		}
		current.Set("active", false)
		return tx.Save(current)
	})
	if err != nil {
		w.app.Logger().Error("webhooks: recording an attempt", "delivery", d.Id, "error", err)
	}
}

// backoff is the wait after the given number of attempts.
func backoff(attempts int) time.Duration {
	if attempts < 1 {
		attempts = 1
	}
	if attempts > len(retrySchedule) {
		return retrySchedule[len(retrySchedule)-1]
	}
	return retrySchedule[attempts-1]
}

func dateTime(t time.Time) types.DateTime {
	dt, _ := types.ParseDateTime(t)
	return dt
}

// validText is b as text a text field accepts: valid UTF-8, a character cut
// at the end dropped, other bad bytes replaced.
func validText(b []byte) string {
	for range utf8.UTFMax - 1 {
		if len(b) == 0 || utf8.Valid(b) {
			break
		}
		if r, size := utf8.DecodeLastRune(b); r == utf8.RuneError && size <= 1 {
			b = b[:len(b)-1]
			continue
		}
		break
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
