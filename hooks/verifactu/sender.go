package verifactu

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
	"facturo/internal/certificate"
	"facturo/internal/clock"
)

// DefaultTimeout bounds one exchange with the AEAT: a request of 1,000
// records is answered in seconds; past this the answer is taken for lost.
const DefaultTimeout = 60 * time.Second

// Sender sends the pending records to the AEAT, one request at a time: at
// most 1,000 records of one issuer a request, in the order of their chain,
// never sooner than the last answer's TiempoEsperaEnvio allows unless 1,000
// records wait. A request that got no answer is not sent again before the
// AEAT is asked what it holds (ConsultaFactuSistemaFacturacion); records
// that wait because the AEAT could not be reached are sent with Incidencia
// S. Every moment it records or compares comes from the product's clock,
// so that tests step through its waits.
type Sender struct {
	App     core.App
	Timeout time.Duration // one exchange; DefaultTimeout when zero
}

// Step does what is due now: it asks the AEAT about records whose answer
// never came, or sends the next request if nothing makes it wait. It
// returns when it should step again: a moment (perhaps now), or zero when
// nothing will be due until something changes (a record is made, the
// settings are saved, staff ask to send now).
func (s *Sender) Step(ctx context.Context) (time.Time, error) {
	app := s.App
	now := clock.Now()
	settings, err := LoadSettings(app)
	if err != nil {
		return time.Time{}, err
	}
	// Counted through the queue's index; the sender looks after every
	// record made.
	var counts struct {
		Pending int `db:"pending"`
		Unknown int `db:"unknown"`
	}
	if err := app.DB().NewQuery(`SELECT (SELECT COUNT(*) FROM verifactu_records WHERE status = 'pending') AS pending,
		(SELECT COUNT(*) FROM verifactu_records WHERE status = 'sent') AS unknown`).One(&counts); err != nil {
		return time.Time{}, err
	}
	// What the sender says changes only when what it does changes: it is
	// written to the settings row, which must not be written after every
	// record.
	if counts.Pending == 0 && counts.Unknown == 0 {
		return time.Time{}, note(app, settings, "Nothing waits to be sent.")
	}
	cert, err := certificateOf(app, settings)
	if err != nil {
		return time.Time{}, note(app, settings, "Records wait for a certificate: "+err.Error())
	}
	if cert.ExpiresWithin(now, 0) {
		return time.Time{}, note(app, settings, "Records wait: the certificate expired on "+cert.NotAfter.Format(time.DateOnly)+"; load a new one.")
	}
	if retry := settings.GetDateTime("retry_at").Time(); retry.After(now) {
		return retry, nil
	}
	client, err := s.client(settings, cert)
	if err != nil {
		return time.Time{}, note(app, settings, "The records cannot be sent: "+err.Error())
	}
	if counts.Unknown > 0 {
		return s.reconcile(ctx, client, settings, now)
	}
	if next := settings.GetDateTime("next_send_at").Time(); next.After(now) && counts.Pending < aeat.MaxRecords {
		return next, note(app, settings, "Records wait for the AEAT's pause (TiempoEsperaEnvio) to end at "+next.In(clock.Zone).Format(time.DateTime)+".")
	}
	return s.send(ctx, client, settings, now)
}

// note writes what the sender is doing or why it waits, when it changed.
func note(app core.App, settings *core.Record, status string) error {
	if settings.GetString("status") == status {
		return nil
	}
	return setState(app, dbx.Params{"status": status})
}

// queued is a record on its way, with what a request and its answer need.
type queued struct {
	ID         string `db:"id"`
	Invoice    string `db:"invoice"`
	Customer   string `db:"customer"`
	Kind       string `db:"kind"`
	Issuer     string `db:"issuer_tax_id"`
	Number     string `db:"number"`
	IssueDate  string `db:"issue_date"`
	Huella     string `db:"huella"`
	XML        string `db:"xml"`
	Incidencia bool   `db:"incidencia"`
	Attempts   int    `db:"attempts"`
	Corrects   string `db:"corrects"`
}

// claim takes the next request's records and marks them sent, in one
// transaction: the oldest pending records of one issuer, in chain order,
// up to 1,000, as long as they agree on Incidencia and no invoice comes
// twice (its second record waits for the answer about its first).
func claim(app core.App, now time.Time) ([]queued, error) {
	var batch []queued
	err := app.RunInTransaction(func(tx core.App) error {
		var issuer string
		err := tx.DB().NewQuery("SELECT issuer_tax_id FROM verifactu_records WHERE status = 'pending' ORDER BY issuer_tax_id, seq LIMIT 1").Row(&issuer)
		if err != nil {
			return nil // nothing pending
		}
		var rows []queued
		if err := tx.DB().NewQuery(`SELECT r.id, r.invoice, COALESCE(i.customer, '') AS customer, r.kind, r.issuer_tax_id, r.number, r.issue_date, r.huella, r.xml,
			r.incidencia, r.attempts, r.corrects FROM verifactu_records r LEFT JOIN invoices i ON i.id = r.invoice
			WHERE r.status = 'pending' AND r.issuer_tax_id = {:nif} ORDER BY r.seq LIMIT {:max}`).
			Bind(dbx.Params{"nif": issuer, "max": aeat.MaxRecords}).All(&rows); err != nil {
			return err
		}
		invoices := map[string]bool{}
		for _, r := range rows {
			if invoices[r.Invoice] || (len(batch) > 0 && r.Incidencia != batch[0].Incidencia) {
				break
			}
			invoices[r.Invoice] = true
			batch = append(batch, r)
		}
		if len(batch) == 0 {
			return nil
		}
		_, err = tx.DB().NewQuery(`UPDATE verifactu_records SET status = 'sent', sent_at = {:now}, attempts = attempts + 1, answered_at = ''
			WHERE id IN (SELECT value FROM json_each({:ids}))`).
			Bind(dbx.Params{"now": dateTime(now).String(), "ids": idsJSON(batch)}).Execute()
		return err
	})
	return batch, err
}

func idsJSON(rs []queued) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	raw, _ := json.Marshal(ids)
	return string(raw)
}

// send sends the next request and records what came of it.
func (s *Sender) send(ctx context.Context, client *aeat.Client, settings *core.Record, now time.Time) (time.Time, error) {
	app := s.App
	batch, err := claim(app, now)
	if err != nil || len(batch) == 0 {
		return time.Time{}, err
	}
	records := make([][]byte, len(batch))
	for i, r := range batch {
		records[i] = []byte(r.XML)
	}
	name, err := issuerName(app, batch[0].Invoice)
	if err != nil {
		return time.Time{}, err
	}
	request, err := aeat.Request(aeat.Header{IssuerName: name, IssuerTaxID: batch[0].Issuer, Incidencia: batch[0].Incidencia}, records)
	if err != nil {
		return time.Time{}, err
	}
	_ = note(app, settings, fmt.Sprintf("Sending %d records to the AEAT.", len(batch)))
	answer, err := client.Send(ctx, request)
	if err == nil {
		return clock.Now(), applyAnswer(app, batch, answer, clock.Now())
	}
	return s.failed(batch, err, clock.Now())
}

// failed records a request that got no answer about its records: refused
// as a whole (a SOAP fault), never processed (the service unreachable or
// down: an outage, and the records go late, with Incidencia S), or lost
// after it went out (the AEAT may hold the records: it is asked before they
// are sent again). It returns when to try again.
func (s *Sender) failed(batch []queued, sendErr error, now time.Time) (time.Time, error) {
	app := s.App
	attempts := 0
	for _, r := range batch {
		attempts = max(attempts, r.Attempts+1)
	}
	retry := now.Add(backoff(attempts))
	var fault *aeat.Fault
	var transport *aeat.TransportError
	isTransport := errors.As(sendErr, &transport)
	outage := isTransport && transport.Outage()
	maybeHeld := !errors.As(sendErr, &fault) && (!isTransport || transport.Delivered)
	err := app.RunInTransaction(func(tx core.App) error {
		status := "pending"
		if maybeHeld {
			status = "sent" // what the AEAT holds is asked first
		}
		if _, err := tx.DB().NewQuery(`UPDATE verifactu_records SET status = {:status}, incidencia = (incidencia OR {:late})
			WHERE id IN (SELECT value FROM json_each({:ids}))`).
			Bind(dbx.Params{"status": status, "late": outage, "ids": idsJSON(batch)}).Execute(); err != nil {
			return err
		}
		fields := dbx.Params{"retry_at": dateTime(retry).String(), "last_error": truncate(sendErr.Error(), 2000),
			"status": fmt.Sprintf("%d records not sent: %s; next attempt at %s.", len(batch), truncate(sendErr.Error(), 1500), retry.In(clock.Zone).Format(time.DateTime))}
		if outage {
			// Every record waiting now goes late because of the outage.
			if _, err := tx.DB().NewQuery("UPDATE verifactu_records SET incidencia = TRUE WHERE status = 'pending'").Execute(); err != nil {
				return err
			}
			if settings, err := LoadSettings(tx); err == nil && settings.GetDateTime("outage_since").IsZero() {
				fields["outage_since"] = dateTime(now).String()
			}
		}
		return setState(tx, fields)
	})
	return retry, err
}

// backoff is the wait before the next attempt after a failed one: growing
// from a minute to an hour, and never longer, so that records held back by
// an outage are tried at least every hour.
func backoff(attempts int) time.Duration {
	steps := []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute}
	if attempts >= 1 && attempts <= len(steps) {
		return steps[attempts-1]
	}
	return time.Hour
}

// applyAnswer records the AEAT's answer about each record of a request,
// puts it on each invoice's timeline, and keeps the answer's wait.
func applyAnswer(app core.App, batch []queued, answer *aeat.Answer, now time.Time) error {
	byID := map[string]*queued{}
	for i := range batch {
		byID[batch[i].ID] = &batch[i]
	}
	return app.RunInTransaction(func(tx core.App) error {
		update := tx.DB().NewQuery(`UPDATE verifactu_records SET status = {:status}, csv = {:csv}, error_code = {:code}, error_text = {:text},
			answered_at = {:now} WHERE id = {:id}`).Prepare()
		defer update.Close()
		var events []invoicing.NewEvent
		answered := map[string]bool{}
		for _, line := range answer.Lines {
			r := byID[line.RefExterna]
			if r == nil {
				r = matchLine(batch, line)
			}
			if r == nil || answered[r.ID] {
				continue
			}
			answered[r.ID] = true
			o := outcomeOf(r.Kind, line)
			csv := answer.CSV
			if o.status == StatusRejected {
				csv = ""
			}
			if _, err := update.Bind(dbx.Params{"status": o.status, "csv": csv, "code": o.code, "text": truncate(o.text, 1500),
				"now": dateTime(now).String(), "id": r.ID}).Execute(); err != nil {
				return err
			}
			if r.Customer != "" {
				events = append(events, answerEvent(r, o, csv))
			}
		}
		// A record the answer does not speak of was not registered: it is
		// sent again.
		var missing []queued
		for _, r := range batch {
			if !answered[r.ID] {
				missing = append(missing, r)
			}
		}
		if len(missing) > 0 {
			if _, err := tx.DB().NewQuery("UPDATE verifactu_records SET status = 'pending' WHERE id IN (SELECT value FROM json_each({:ids}))").
				Bind(dbx.Params{"ids": idsJSON(missing)}).Execute(); err != nil {
				return err
			}
		}
		if err := invoicing.AppendEvents(tx, events); err != nil {
			return err
		}
		next := now.Add(time.Duration(answer.Wait()) * time.Second)
		return setState(tx, dbx.Params{
			"next_send_at": dateTime(next).String(), "last_answer_at": dateTime(now).String(), "retry_at": "", "outage_since": "",
			"last_error": "", "status": fmt.Sprintf("The AEAT answered %s about %d records at %s.", answer.EstadoEnvio, len(batch), now.In(clock.Zone).Format(time.DateTime)),
		})
	})
}

// matchLine finds the record a line speaks of by its invoice and
// operation, for an answer that does not echo RefExterna.
func matchLine(batch []queued, line aeat.Line) *queued {
	kind := KindAlta
	if line.Operacion.TipoOperacion == aeat.OperationCancelation {
		kind = KindAnulacion
	}
	for i := range batch {
		if batch[i].Number == line.IDFactura.NumSerieFactura && batch[i].Kind == kind {
			return &batch[i]
		}
	}
	return nil
}

// outcome is what came of a record.
type outcome struct {
	status, code, text string
}

// outcomeOf reads an answer's line. A duplicate (3000) means the AEAT
// already holds the record, as its state says; a cancellation the AEAT
// already holds (3001) is done.
func outcomeOf(kind string, line aeat.Line) outcome {
	code := aeat.CodeText(line.CodigoErrorRegistro)
	text := line.DescripcionErrorRegistro
	switch line.EstadoRegistro {
	case aeat.RecordCorrect:
		return outcome{status: StatusAccepted}
	case aeat.RecordWithErrors:
		return outcome{status: StatusAcceptedWithErrors, code: code, text: text}
	}
	if d := line.RegistroDuplicado; code == aeat.CodeDuplicate && d != nil {
		switch d.EstadoRegistroDuplicado {
		case aeat.DuplicateWithErrors:
			return outcome{status: StatusAcceptedWithErrors, code: aeat.CodeText(d.CodigoErrorRegistro), text: d.DescripcionErrorRegistro}
		default:
			return outcome{status: StatusAccepted, code: code, text: text}
		}
	}
	if code == "3001" && kind == KindAnulacion {
		return outcome{status: StatusAccepted, code: code, text: text}
	}
	return outcome{status: StatusRejected, code: code, text: text}
}

// answerEvent is the timeline entry of the AEAT's answer about a record.
func answerEvent(r *queued, o outcome, csv string) invoicing.NewEvent {
	typ := invoicing.EventAEATAccepted
	if o.status == StatusRejected {
		typ = invoicing.EventAEATRejected
	}
	data := map[string]any{"record": r.ID, "kind": r.Kind, "status": o.status}
	for k, v := range map[string]string{"csv": csv, "code": o.code, "text": o.text} {
		if v != "" {
			data[k] = v
		}
	}
	if r.Corrects != "" {
		data["corrects"] = r.Corrects
	}
	return invoicing.NewEvent{InvoiceID: r.Invoice, CustomerID: r.Customer, Type: typ, Data: data}
}

// issuerName is the name of the issuer of an invoice, as the invoice
// states it.
func issuerName(app core.App, invoiceID string) (string, error) {
	inv, err := app.FindRecordById(invoicing.Invoices, invoiceID)
	if err != nil {
		return "", err
	}
	issuer, _, err := invoicing.Parties(app, inv)
	return issuer.Name, err
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// clients keeps the client for the settings and certificate in use, so
// that its connection stays open between requests.
var clients struct {
	sync.Mutex
	key    string
	client *aeat.Client
}

// forgetClient drops the client kept, when the settings change.
func forgetClient() {
	clients.Lock()
	defer clients.Unlock()
	if clients.client != nil {
		clients.client.Close()
	}
	clients.key, clients.client = "", nil
}

func (s *Sender) client(settings *core.Record, cert *certificate.Certificate) (*aeat.Client, error) {
	url, roots, err := endpoint(settings, cert)
	if err != nil {
		return nil, err
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	key := fmt.Sprint(url, "|", settings.GetString("server_ca"), "|", cert.Leaf.SerialNumber, "|", timeout)
	clients.Lock()
	defer clients.Unlock()
	if clients.key != key {
		if clients.client != nil {
			clients.client.Close()
		}
		clients.key, clients.client = key, aeat.NewClient(url, cert.TLS(), roots, timeout)
	}
	return clients.client, nil
}

// wake tells the sender that something may be due. Buffered by one: a
// pending wake-up is enough.
var wake = make(chan struct{}, 1)

func wakeSender() {
	select {
	case wake <- struct{}{}:
	default:
	}
}

// SendNow asks the sender to try at once, without waiting for the next
// attempt after a failure; the AEAT's own wait (TiempoEsperaEnvio) still
// holds.
func SendNow(app core.App) error {
	if err := setState(app, dbx.Params{"retry_at": ""}); err != nil {
		return err
	}
	wakeSender()
	return nil
}

// Worker runs the sender while the server serves.
type Worker struct {
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// idleCheck is how often an idle sender looks again, whatever wakes it.
const idleCheck = 5 * time.Minute

// StartSender starts the sender in the background; Stop ends it.
func StartSender(app core.App) *Worker {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Worker{cancel: cancel}
	s := &Sender{App: app}
	w.done.Go(func() {
		for ctx.Err() == nil {
			next, err := s.Step(ctx)
			if err != nil && ctx.Err() == nil {
				app.Logger().Error("VERI*FACTU: sending the records", "error", err)
				next = time.Time{}
			}
			wait := idleCheck
			if !next.IsZero() {
				if wait = next.Sub(clock.Now()); wait <= 0 {
					continue
				}
			}
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-wake:
				// Records made in a burst (an import issuing thousands) are
				// looked at together, not one by one.
				select {
				case <-ctx.Done():
				case <-time.After(coalesce):
				}
			case <-timer.C:
			}
			timer.Stop()
		}
	})
	return w
}

// coalesce is how long the sender lets records made together gather
// before it looks at them.
const coalesce = 250 * time.Millisecond

// Stop ends the sender once its current exchange is over.
func (w *Worker) Stop() {
	w.cancel()
	w.done.Wait()
}
