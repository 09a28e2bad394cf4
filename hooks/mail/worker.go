package mail

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	gomail "github.com/wneessen/go-mail"

	"facturo/hooks/invoicing"
	"facturo/hooks/quotes"
)

// retrySchedule is the wait before each new attempt after a temporary
// failure; after the last step the wait stays at it, until giveUpAfter.
var retrySchedule = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}

// giveUpAfter is how long after it was queued a message keeps being retried.
const giveUpAfter = 48 * time.Hour

// pollInterval is how often idle workers look for due messages; Queue wakes
// them at once.
const pollInterval = 2 * time.Second

// wake tells idle workers that a message was queued. Buffered by one: a
// pending wake-up is enough.
var wake = make(chan struct{}, 1)

func wakeWorkers() {
	select {
	case wake <- struct{}{}:
	default:
	}
}

// Worker sends the outbox: concurrency goroutines, each claiming one due
// message at a time in a short transaction, sending it outside any
// transaction, and recording the outcome.
type Worker struct {
	app    core.App
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// StartWorker recovers messages a crash left in sending and starts the
// sending goroutines. Stop ends them.
func StartWorker(app core.App) (*Worker, error) {
	if err := recoverInFlight(app); err != nil {
		return nil, err
	}
	settings, err := LoadSettings(app)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{app: app, cancel: cancel}
	for range settings.Concurrency {
		w.done.Go(func() { w.loop(ctx) })
	}
	return w, nil
}

// Stop ends the sending goroutines once their current message is sent and
// recorded.
func (w *Worker) Stop() {
	w.cancel()
	w.done.Wait()
}

// recoverInFlight makes messages left in sending by a crash due again. Any
// of them may have reached the server before the crash, so a crash can
// duplicate at most as many messages as were being sent (the concurrency).
func recoverInFlight(app core.App) error {
	_, err := app.DB().NewQuery("UPDATE messages SET status = {:retry}, next_attempt_at = {:now}, last_error = {:why} WHERE status = {:sending}").
		Bind(map[string]any{
			"retry": StatusRetry, "sending": StatusSending, "now": types.NowDateTime().String(),
			"why": "interrupted while sending (server stopped); sent again, so the customer may receive it twice",
		}).Execute()
	return err
}

func (w *Worker) loop(ctx context.Context) {
	ticker := time.NewTicker(pollInterval)
	defer ticker.Stop()
	for {
		for ctx.Err() == nil && w.sendNext() {
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-ticker.C:
		}
	}
}

// sendNext sends one due message; it reports whether there was one.
func (w *Worker) sendNext() bool {
	settings, err := LoadSettings(w.app)
	if err != nil {
		w.app.Logger().Error("outbox: reading the mail settings", "error", err)
		return false
	}
	tr, err := newTransport(w.app, settings)
	if err != nil {
		w.noteWaiting(err)
		return false
	}
	msg, err := claim(w.app)
	if err != nil {
		w.app.Logger().Error("outbox: claiming a message", "error", err)
		return false
	}
	if msg == nil {
		return false
	}
	w.deliver(settings, tr, msg)
	return true
}

// noteWaiting records, where staff see it, why queued mail is not moving.
func (w *Worker) noteWaiting(reason error) {
	n, _ := w.app.CountRecords(Messages)
	if n == 0 {
		return
	}
	if err := setStatus(w.app, "Waiting: "+reason.Error()); err != nil {
		w.app.Logger().Error("outbox: recording its status", "error", err)
	}
	if _, err := w.app.DB().NewQuery("UPDATE messages SET last_error = {:why} WHERE status = {:queued} AND last_error != {:why}").
		Bind(map[string]any{"why": reason.Error(), "queued": StatusQueued}).Execute(); err != nil {
		w.app.Logger().Error("outbox: noting why messages wait", "error", err)
	}
}

// claim moves the most overdue due message to sending, in a transaction of
// its own, so that no two workers take the same message.
func claim(app core.App) (*core.Record, error) {
	var msg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		due, err := tx.FindRecordsByFilter(Messages,
			"(status = 'queued' || status = 'retry') && next_attempt_at <= {:now}", "next_attempt_at", 1, 0,
			map[string]any{"now": types.NowDateTime().String()})
		if err != nil || len(due) == 0 {
			return err
		}
		msg = due[0]
		msg.Set("status", StatusSending)
		msg.Set("attempts", msg.GetInt("attempts")+1)
		return tx.Save(msg)
	})
	return msg, err
}

// deliver composes and sends one claimed message and records the outcome.
func (w *Worker) deliver(settings Settings, tr transport, msg *core.Record) {
	c, err := compose(w.app, settings, msg)
	if err != nil {
		// The email cannot be built (no PDF, bad address, bad key): retrying
		// will not help until staff fix it.
		w.record(msg, outcome{permanent: true, text: "cannot compose: " + err.Error()})
		return
	}
	msg.Set("subject", c.subject)
	msg.Set("message_id", c.messageID)
	// Not derived from the worker's context: stopping the worker lets the
	// messages in flight finish and be recorded, instead of leaving them to
	// be sent again at the next start.
	sendCtx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reply, err := tr.send(sendCtx, c)
	if err != nil {
		w.record(msg, classify(err))
		return
	}
	w.record(msg, outcome{sent: true, text: reply})
	if err := setStatus(w.app, "Sending normally; last message sent "+time.Now().UTC().Format(time.RFC3339)); err != nil {
		w.app.Logger().Error("outbox: recording its status", "error", err)
	}
}

// outcome is the result of one attempt.
type outcome struct {
	sent      bool
	permanent bool
	code      int    // SMTP reply code, 0 when the server gave none
	enhanced  string // enhanced status code (RFC 3463), when given
	text      string
}

// classify tells a permanent failure (a 5xx reply) from a temporary one
// (a 4xx reply, a refused connection, a timeout).
func classify(err error) outcome {
	o := outcome{text: err.Error()}
	var se *gomail.SendError
	if errors.As(err, &se) {
		o.code, o.enhanced = se.ErrorCode(), se.EnhancedStatusCode()
		o.permanent = o.code >= 500 && o.code < 600
		return o
	}
	return o
}

// record stores an attempt's outcome on the message, the invoice's delivery
// state and its timeline.
func (w *Worker) record(msg *core.Record, o outcome) {
	if err := recordOutcome(w.app, msg, o, time.Now().UTC()); err != nil {
		w.app.Logger().Error("outbox: recording an attempt", "message", msg.Id, "error", err)
	}
}

// recordOutcome is record for an attempt made at now.
func recordOutcome(app core.App, msg *core.Record, o outcome, now time.Time) error {
	data := map[string]any{
		"message": msg.Id, "to": msg.GetString("to"), "attempt": msg.GetInt("attempts"),
		"message_id": msg.GetString("message_id"), "reply": o.text,
	}
	if o.code != 0 {
		data["code"] = o.code
	}
	if o.enhanced != "" {
		data["status"] = o.enhanced
	}
	// Only the invoice email itself moves the invoice's delivery state, and
	// a quote's the quote's; an answer's or a reminder's outcome is on the
	// message (and a failure on the invoice's timeline); an e-mail about no
	// invoice has its outcome on the message only.
	kind := msg.GetString("kind")
	var delivery string
	switch {
	case o.sent:
		msg.Set("status", StatusSent)
		msg.Set("sent_at", now)
		msg.Set("last_error", "")
		delivery = "sent"
	case o.permanent || now.Sub(msg.GetDateTime("created").Time()) >= giveUpAfter:
		msg.Set("status", StatusFailed)
		msg.Set("last_error", attemptText(o))
		delivery = "failed"
	default:
		next := now.Add(backoff(msg.GetInt("attempts")))
		msg.Set("status", StatusRetry)
		msg.Set("next_attempt_at", next)
		msg.Set("last_error", attemptText(o))
		data["temporary"] = true
		data["next_attempt_at"] = next.Format(time.RFC3339)
	}
	if delivery != "" && secretKinds[kind] {
		msg.Set("data", nil)
	}
	err := app.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(msg); err != nil {
			return err
		}
		switch {
		case systemKinds[kind]:
			return nil
		case kind == KindQuote:
			if delivery == "" {
				q, err := tx.FindRecordById(quotes.Collection, msg.GetString("quote"))
				if err != nil {
					return err
				}
				return quotes.AppendEvent(tx, q, "send_failed", quotes.Actor{}, data)
			}
			return quotes.SetDelivery(tx, msg.GetString("quote"), delivery, quotes.Actor{}, data)
		case kind == "invoice" && delivery != "":
			_, err := invoicing.SetDelivery(tx, msg.GetString("invoice"), delivery, invoicing.Actor{}, data)
			return err
		case o.sent:
			return nil
		}
		inv, err := tx.FindRecordById(invoicing.Invoices, msg.GetString("invoice"))
		if err != nil {
			return err
		}
		_, err = invoicing.AppendEvent(tx, inv, invoicing.EventSendFailed, invoicing.Actor{}, data)
		return err
	})
	return err
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

func attemptText(o outcome) string {
	if o.code == 0 {
		return o.text
	}
	return fmt.Sprintf("%s %s: %s", strconv.Itoa(o.code), o.enhanced, o.text)
}
