package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/mail"
	"facturo/hooks/quotes"
	"facturo/internal/clock"
	"facturo/internal/money"
)

// quoteSeed is a quote of the demo's last weeks, and what became of it.
type quoteSeed struct {
	customer int           // index in customerSeeds; -1: another customer whose address works
	ago      time.Duration // how long before today it was finished and sent
	lines    string
	notes    string
	answer   string // "": not answered yet; "accept" (and invoiced) or "reject"
	note     string // the customer's words with the answer
	opened   bool   // the e-mail's image was fetched
	viewed   bool   // the portal's page was read
}

var quoteSeeds = []quoteSeed{
	{customer: 0, ago: 21 * 24 * time.Hour, answer: "accept", note: "Adelante, con la entrega antes de fin de mes.", opened: true, viewed: true,
		notes: "Entrega en cinco días laborables desde la aprobación.",
		lines: `[{"description":"Rótulo de vinilo para el escaparate, 3 × 1 m","quantity":1,"unit_price":"420","vat":"21","surcharge":"5.2"},{"description":"Montaje en tienda","quantity":2,"unit_price":"35","vat":"21","surcharge":"5.2"}]`},
	{customer: 0, ago: 12 * 24 * time.Hour, answer: "reject", note: "Hemos recibido una oferta más económica para este pedido; lo tendremos en cuenta en el próximo.", viewed: true,
		lines: `[{"description":"Bolsas de papel kraft con logotipo, 2.000 unidades","quantity":2000,"unit_price":"0.38","vat":"21","surcharge":"5.2"}]`},
	{customer: 0, ago: 3*24*time.Hour + 5*time.Hour, opened: true,
		notes: "Precio válido para una tirada única.",
		lines: `[{"description":"Catálogo de otoño, 32 páginas, tirada de 800","quantity":800,"unit_price":"1.95","vat":"21","surcharge":"5.2"}]`},
	{customer: -1, ago: 26 * time.Hour,
		lines: `[{"description":"Diseño y maquetación de un folleto de 8 páginas","quantity":1,"unit_price":"540","vat":"21"},{"description":"Impresión del folleto, 1.000 ejemplares","quantity":1000,"unit_price":"0.42","vat":"21"}]`},
}

// quoteLives plays the demo's quotes as staff and customers make them: each
// written, finished (numbered, its PDF drawn) and e-mailed through the
// outbox; then opened, read in the portal, accepted and turned into a draft
// invoice, or rejected with a reason, or still awaiting an answer.
func (h *history) quoteLives() error {
	col, err := h.app.FindCollectionByNameOrId(quotes.Collection)
	if err != nil {
		return err
	}
	staff := quotes.Actor{Email: StaffEmail, IP: "127.0.0.1"}
	for _, s := range quoteSeeds {
		customer, err := h.quoteCustomer(s.customer)
		if err != nil {
			return err
		}
		approver := h.approvers[customer.Id]
		contact := quotes.Actor{Contact: approver.Id, Email: approver.Email(), IP: "83.44.12.7",
			UserAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"}
		finished := h.today.Add(-s.ago).Truncate(time.Minute)
		var q *core.Record
		steps := []struct {
			at time.Duration
			fn func() error
		}{
			{0, func() error {
				q = core.NewRecord(col)
				q.Load(map[string]any{"customer": customer.Id, "status": quotes.StatusDraft, "currency": money.Currency, "lines": s.lines, "notes": s.notes})
				if err := h.app.Save(q); err != nil {
					return err
				}
				_, err := quotes.Finish(h.app, q.Id, StaffEmail)
				return err
			}},
			{time.Minute, func() error {
				msg, err := mail.QueueQuote(h.app, q.Id, staff)
				if err != nil {
					return err
				}
				return mail.RecordQueuedSent(h.app, msg.Id, clock.Now().Add(4*time.Second))
			}},
		}
		if s.opened {
			steps = append(steps, struct {
				at time.Duration
				fn func() error
			}{2 * time.Hour, func() error {
				return quotes.MarkSeen(h.app, q.Id, "opened", false,
					quotes.Actor{Email: h.customerEmail(customer.Id), IP: contact.IP, UserAgent: contact.UserAgent}, map[string]any{"weak": true})
			}})
		}
		if s.viewed {
			steps = append(steps, struct {
				at time.Duration
				fn func() error
			}{2*time.Hour + 3*time.Minute, func() error {
				return quotes.MarkSeen(h.app, q.Id, "viewed", false, contact, map[string]any{"via": "portal"})
			}})
		}
		if s.answer != "" {
			steps = append(steps, struct {
				at time.Duration
				fn func() error
			}{26 * time.Hour, func() error {
				_, err := quotes.Respond(h.app, q.Id, approver.Id, s.answer == "accept", s.note)
				return err
			}})
		}
		if s.answer == "accept" {
			steps = append(steps, struct {
				at time.Duration
				fn func() error
			}{28 * time.Hour, func() error {
				_, err := quotes.ToDraftInvoice(h.app, q.Id, StaffEmail)
				return err
			}})
		}
		for _, st := range steps {
			at := finished.Add(st.at)
			if at.After(h.today) {
				break
			}
			restore := clock.Set(func() time.Time { return at })
			err := st.fn()
			restore()
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// quoteCustomer is the customer of a quote: the given one, or for -1 the
// first other customer whose address has not bounced.
func (h *history) quoteCustomer(index int) (*core.Record, error) {
	if index >= 0 {
		return h.customers[index], nil
	}
	for _, c := range h.customers[1:] {
		fresh, err := h.app.FindRecordById(c.Collection().Name, c.Id)
		if err != nil {
			return nil, err
		}
		if !fresh.GetBool("email_bouncing") {
			return fresh, nil
		}
	}
	return h.customers[1], nil
}
