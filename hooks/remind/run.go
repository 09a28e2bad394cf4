package remind

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
)

// Result is what a run did.
type Result struct {
	Day       string `json:"day"`
	Reminded  int    `json:"reminded"` // invoices reminded
	Messages  int    `json:"messages"` // emails queued
	Skipped   int    `json:"skipped"`  // lower levels marked skipped
	Grouped   bool   `json:"grouped"`
	Customers int    `json:"customers"`
}

// Run sends the reminders planned for the day at: it queues their emails
// in the outbox, puts a reminder_sent event on each invoice's timeline,
// and records each level sent and each one skipped, all in one
// transaction, so that a failure leaves nothing half-done and no level is
// ever sent twice.
func Run(app core.App, at time.Time) (Result, error) {
	settings, err := LoadSettings(app)
	if err != nil {
		return Result{}, err
	}
	res := Result{Day: dayString(at), Grouped: settings.GroupPerCustomer}
	planned, err := Plan(app, at)
	if err != nil || len(planned) == 0 {
		return res, err
	}
	groups := groupPlanned(planned, settings.GroupPerCustomer)
	err = app.RunInTransaction(func(tx core.App) error {
		w, err := newWriter(tx, at)
		if err != nil {
			return err
		}
		defer w.close()
		customers := map[string]bool{}
		for _, g := range groups {
			if err := w.send(g); err != nil {
				return err
			}
			customers[g[0].Customer] = true
			res.Messages++
			res.Reminded += len(g)
			for _, p := range g {
				res.Skipped += len(p.Skipped)
			}
		}
		res.Customers = len(customers)
		return nil
	})
	if err != nil {
		return Result{Day: res.Day, Grouped: res.Grouped}, err
	}
	return res, nil
}

// groupPlanned makes the emails: one per reminder, or one per customer
// with its reminders, the one at the highest level first (its level's
// texts are used).
func groupPlanned(planned []Planned, perCustomer bool) [][]Planned {
	if !perCustomer {
		groups := make([][]Planned, len(planned))
		for i := range planned {
			groups[i] = planned[i : i+1]
		}
		return groups
	}
	index := map[string]int{}
	var groups [][]Planned
	for _, p := range planned {
		i, ok := index[p.Customer]
		if !ok {
			i = len(groups)
			index[p.Customer] = i
			groups = append(groups, nil)
		}
		g := append(groups[i], p)
		// Keep the highest level first; among equals, the earliest due.
		if last := len(g) - 1; last > 0 && g[last].Level > g[0].Level {
			g[0], g[last] = g[last], g[0]
		}
		groups[i] = g
	}
	return groups
}

// writer holds what a run's writes share.
type writer struct {
	tx         core.App
	at         time.Time
	sentAt     string
	invoices   *core.Collection
	firmName   string
	iban       string
	portalURL  string
	customers  map[string]*core.Record
	statements map[string]*filesystem.File
	insertSent func(invoice, customer string, level int, status, message string, interest float64) error
	close      func()
}

func newWriter(tx core.App, at time.Time) (*writer, error) {
	issuer, err := invoicing.LoadIssuer(tx)
	if err != nil {
		return nil, err
	}
	invoices, err := tx.FindCachedCollectionByNameOrId(invoicing.Invoices)
	if err != nil {
		return nil, err
	}
	w := &writer{
		tx: tx, at: at, sentAt: now().UTC().Format("2006-01-02 15:04:05.000Z"), invoices: invoices,
		firmName: issuer.GetString("trade_name"), iban: issuer.GetString("iban"),
		portalURL: strings.TrimRight(tx.Settings().Meta.AppURL, "/") + "/portal/",
		customers: map[string]*core.Record{}, statements: map[string]*filesystem.File{},
	}
	if w.firmName == "" {
		w.firmName = issuer.GetString("legal_name")
	}
	// The record of levels is written straight, one prepared statement for
	// the whole run: a run after downtime records tens of thousands.
	insert := tx.DB().NewQuery(`INSERT INTO reminders_sent (id, invoice, customer, level, status, message, interest, sent_at)
		VALUES ({:id}, {:invoice}, {:customer}, {:level}, {:status}, {:message}, {:interest}, {:sent_at})`).Prepare()
	w.close = func() { insert.Close() }
	w.insertSent = func(invoice, customer string, level int, status, message string, interest float64) error {
		_, err := insert.Bind(map[string]any{
			"id": core.GenerateDefaultRandomId(), "invoice": invoice, "customer": customer, "level": level,
			"status": status, "message": message, "interest": interest, "sent_at": w.sentAt,
		}).Execute()
		if err != nil {
			return fmt.Errorf("recording level %d of invoice %s: %w", level, invoice, err)
		}
		return nil
	}
	return w, nil
}

// send queues one email about a group of reminders and records them.
func (w *writer) send(group []Planned) error {
	first := group[0]
	customer, err := w.customer(first.Customer)
	if err != nil {
		return err
	}
	lang := customer.GetString("language")
	if lang != "en" {
		lang = "es"
	}
	level := first.level
	var attachments []*filesystem.File
	if level.AttachStatement {
		f, err := w.statement(customer, lang)
		if err != nil {
			return err
		}
		if f != nil {
			attachments = append(attachments, f)
		}
	}
	data := textData(lang, w.firmName, customer.GetString("name"), w.iban, w.portalURL, group, len(attachments) > 0)
	subject, err := render("subject_"+lang, level.Subject[lang], data)
	if err != nil {
		return fmt.Errorf("level %q: subject_%s: %w", level.Name, lang, err)
	}
	body, err := render("body_"+lang, level.Body[lang], data)
	if err != nil {
		return fmt.Errorf("level %q: body_%s: %w", level.Name, lang, err)
	}
	ids := make([]string, len(group))
	for i, p := range group {
		ids[i] = p.Invoice
	}
	msg, err := mail.QueueReminder(w.tx, mail.Reminder{
		Invoices: ids, Subject: subject, Body: body, AttachPDFs: level.AttachPDF, Attachments: attachments,
	})
	if err != nil {
		return fmt.Errorf("invoice %s: %w", first.Number, err)
	}
	for _, p := range group {
		inv := core.NewRecord(w.invoices)
		inv.Id = p.Invoice
		inv.Set("customer", p.Customer)
		eventData := map[string]any{
			"level": p.Level, "level_name": p.LevelName, "days_from_due": p.DaysFromDue,
			"interest": p.Interest, "compensation": p.Compensation, "message": msg.Id,
		}
		if len(p.Skipped) > 0 {
			eventData["skipped"] = p.Skipped
		}
		if len(group) > 1 {
			eventData["with"] = ids
		}
		if _, err := invoicing.AppendEvent(w.tx, inv, invoicing.EventReminderSent, invoicing.Actor{Email: actorEmail}, eventData); err != nil {
			return err
		}
		interest, _ := p.interest.Float64()
		if err := w.insertSent(p.Invoice, p.Customer, p.Level, StatusSent, msg.Id, interest); err != nil {
			return err
		}
		for _, days := range p.Skipped {
			if err := w.insertSent(p.Invoice, p.Customer, days, StatusSkipped, "", 0); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *writer) customer(id string) (*core.Record, error) {
	if c, ok := w.customers[id]; ok {
		return c, nil
	}
	c, err := w.tx.FindRecordById(invoicing.Customers, id)
	if err != nil {
		return nil, fmt.Errorf("customer %s: %w", id, err)
	}
	w.customers[id] = c
	return c, nil
}

// statement is a customer's statement for this run, drawn once per
// customer; each message stores its own copy.
func (w *writer) statement(customer *core.Record, lang string) (*filesystem.File, error) {
	key := customer.Id + "/" + lang
	f, ok := w.statements[key]
	if !ok {
		var err error
		if f, err = statementFile(w.tx, customer, w.at, lang); err != nil {
			return nil, fmt.Errorf("the statement of customer %s: %w", customer.GetString("name"), err)
		}
		w.statements[key] = f
	}
	if f == nil {
		return nil, nil
	}
	copied := *f
	return &copied, nil
}
