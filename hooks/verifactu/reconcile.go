package verifactu

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
	"facturo/internal/clock"
)

// reconcile asks the AEAT what it holds of the records sent without an
// answer (the answer was lost, or the server stopped in the middle), month
// by month of their invoices' dates, and records each as what the AEAT
// holds: registered as it says, or waiting to be sent again (late, so with
// Incidencia S) when it holds nothing of it. Sending them again blindly
// could register an invoice twice.
func (s *Sender) reconcile(ctx context.Context, client *aeat.Client, settings *core.Record, now time.Time) (time.Time, error) {
	app := s.App
	var unknown []queued
	if err := app.DB().NewQuery(`SELECT r.id, r.invoice, COALESCE(i.customer, '') AS customer, r.kind, r.issuer_tax_id, r.number, r.issue_date,
		r.huella, r.incidencia, r.attempts, r.corrects FROM verifactu_records r LEFT JOIN invoices i ON i.id = r.invoice
		WHERE r.status = 'sent' ORDER BY r.issuer_tax_id, r.seq`).All(&unknown); err != nil {
		return time.Time{}, err
	}
	_ = note(app, settings, fmt.Sprintf("Asking the AEAT what it holds of %d records sent without an answer.", len(unknown)))
	type month struct {
		issuer      string
		year, month int
	}
	groups := map[month][]*queued{}
	var order []month
	for i := range unknown {
		d := parseDate(unknown[i].IssueDate)
		m := month{unknown[i].Issuer, d.Year(), int(d.Month())}
		if groups[m] == nil {
			order = append(order, m)
		}
		groups[m] = append(groups[m], &unknown[i])
	}
	held := map[string]aeat.QueryRecord{} // by issuer and number
	for _, m := range order {
		name, err := issuerName(app, groups[m][0].Invoice)
		if err != nil {
			return time.Time{}, err
		}
		q := aeat.Query{IssuerName: name, IssuerTaxID: m.issuer, Year: m.year, Month: m.month}
		for {
			answer, err := client.Query(ctx, aeat.QueryRequest(q))
			if err != nil {
				retry := clock.Now().Add(backoff(groups[m][0].Attempts))
				return retry, setState(app, dbx.Params{"retry_at": dateTime(retry).String(), "last_error": truncate("Asking the AEAT what it holds: "+err.Error(), 2000),
					"status": fmt.Sprintf("%d records were sent without an answer, and the AEAT could not be asked what it holds: %s; next attempt at %s.",
						len(unknown), truncate(err.Error(), 1000), retry.In(clock.Zone).Format(time.DateTime))})
			}
			for _, r := range answer.Records {
				held[m.issuer+"|"+r.IDFactura.NumSerieFactura] = r
			}
			if !answer.More() {
				break
			}
			q.Page = answer.ClavePaginacion
		}
	}
	return clock.Now(), app.RunInTransaction(func(tx core.App) error {
		update := tx.DB().NewQuery(`UPDATE verifactu_records SET status = {:status}, error_code = {:code}, error_text = {:text},
			answered_at = {:answered}, incidencia = (incidencia OR {:late}) WHERE id = {:id}`).Prepare()
		defer update.Close()
		var events []invoicing.NewEvent
		for i := range unknown {
			r := &unknown[i]
			o, found := heldOutcome(r, held[r.Issuer+"|"+r.Number])
			answered := ""
			if found {
				answered = dateTime(now).String()
			} else {
				o = outcome{status: StatusPending}
			}
			if _, err := update.Bind(dbx.Params{"status": o.status, "code": o.code, "text": truncate(o.text, 1500),
				"answered": answered, "late": !found, "id": r.ID}).Execute(); err != nil {
				return err
			}
			if found && r.Customer != "" {
				ev := answerEvent(r, o, "")
				ev.Data["via"] = "query"
				events = append(events, ev)
			}
		}
		return invoicing.AppendEvents(tx, events)
	})
}

// heldOutcome is what the AEAT's holding of an invoice says of a record
// sent without an answer: an issue record is registered when the AEAT
// holds the invoice with the record's huella (or without saying which), a
// cancellation when it holds the invoice cancelled.
func heldOutcome(r *queued, h aeat.QueryRecord) (outcome, bool) {
	if h.IDFactura.NumSerieFactura == "" {
		return outcome{}, false
	}
	state := h.Estado.EstadoRegistro
	if r.Kind == KindAnulacion {
		return outcome{status: StatusAccepted}, state == aeat.StoredCancelled
	}
	if h.Datos.Huella != "" && h.Datos.Huella != r.Huella {
		return outcome{}, false
	}
	if state == aeat.StoredWithErrors {
		return outcome{status: StatusAcceptedWithErrors, code: aeat.CodeText(h.Estado.CodigoErrorRegistro), text: h.Estado.DescripcionErrorRegistro}, true
	}
	return outcome{status: StatusAccepted}, true
}
