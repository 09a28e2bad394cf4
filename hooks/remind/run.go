package remind

import (
	"facturo/ui"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/clock"
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
		reminders := make([]mail.Reminder, len(groups))
		for i, g := range groups {
			if reminders[i], err = w.reminder(g); err != nil {
				return err
			}
		}
		messages, err := mail.QueueReminders(tx, reminders)
		if err != nil {
			return err
		}
		customers := map[string]bool{}
		for i, g := range groups {
			if err := w.record(g, messages[i].Id); err != nil {
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
		return invoicing.AppendEvents(tx, w.events)
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
	firmName   string
	iban       string
	portalURL  string
	customers  map[string]*core.Record
	statements map[string]*filesystem.File
	templates  map[string]*template.Template // by level, field and language
	inserts    map[int]*dbx.Query            // INSERT INTO reminders_sent by number of rows
	events     []invoicing.NewEvent          // the timeline entries, written together
	close      func()
}

func newWriter(tx core.App, at time.Time) (*writer, error) {
	issuer, err := invoicing.LoadIssuer(tx)
	if err != nil {
		return nil, err
	}
	w := &writer{
		tx: tx, at: at, sentAt: clock.Now().UTC().Format("2006-01-02 15:04:05.000Z"),
		firmName: invoicing.FirmName(issuer), iban: issuer.GetString("iban"),
		portalURL: strings.TrimRight(tx.Settings().Meta.AppURL, "/") + "/portal/",
		customers: map[string]*core.Record{}, statements: map[string]*filesystem.File{}, templates: map[string]*template.Template{},
	}
	// The record of levels is written straight, each invoice's levels in
	// one statement, prepared once per number of rows: a run after
	// downtime records a hundred thousand.
	w.inserts = map[int]*dbx.Query{}
	w.close = func() {
		for _, q := range w.inserts {
			q.Close()
		}
	}
	return w, nil
}

// reminder writes the email about a group of reminders.
func (w *writer) reminder(group []Planned) (mail.Reminder, error) {
	first := group[0]
	customer, err := w.customer(first.Customer)
	if err != nil {
		return mail.Reminder{}, err
	}
	lang := ui.Pick(customer.GetString("language"))
	level := first.level
	var attachments []*filesystem.File
	// The statement states every open invoice's interest: when one of
	// these lacks a rate, it cannot be drawn, and is not tried.
	if level.AttachStatement && interestKnown(group) {
		f, err := w.statement(customer, lang)
		if err != nil {
			return mail.Reminder{}, err
		}
		if f != nil {
			attachments = append(attachments, f)
		}
	}
	data := textData(lang, w.firmName, customer.GetString("name"), w.iban, w.portalURL, group, len(attachments) > 0)
	subject, err := w.render(level, "subject_"+lang, level.Subject[lang], data)
	if err != nil {
		return mail.Reminder{}, err
	}
	body, err := w.render(level, "body_"+lang, level.Body[lang], data)
	if err != nil {
		return mail.Reminder{}, err
	}
	return mail.Reminder{
		Invoices: invoiceIDs(group), Customer: customer, Subject: subject, Body: body,
		AttachPDFs: level.AttachPDF, Attachments: attachments,
	}, nil
}

func interestKnown(group []Planned) bool {
	for _, p := range group {
		if !p.interestKnown {
			return false
		}
	}
	return true
}

func invoiceIDs(group []Planned) []string {
	ids := make([]string, len(group))
	for i, p := range group {
		ids[i] = p.Invoice
	}
	return ids
}

// record puts a group's reminders, sent in one message, on the invoices'
// timelines and in the record of levels.
func (w *writer) record(group []Planned, messageID string) error {
	for _, p := range group {
		eventData := map[string]any{
			"level": p.Level, "level_name": p.LevelName, "days_from_due": p.DaysFromDue,
			"interest": p.Interest, "compensation": p.Compensation, "message": messageID,
		}
		if len(p.Skipped) > 0 {
			eventData["skipped"] = p.Skipped
		}
		if len(group) > 1 {
			eventData["with"] = invoiceIDs(group)
		}
		w.events = append(w.events, invoicing.NewEvent{
			InvoiceID: p.Invoice, CustomerID: p.Customer, Type: invoicing.EventReminderSent, Actor: invoicing.Actor{Email: actorEmail}, Data: eventData,
		})
		if err := w.recordLevels(p, messageID); err != nil {
			return err
		}
	}
	return nil
}

// recordLevels records an invoice's level sent and the levels it skipped.
func (w *writer) recordLevels(p Planned, messageID string) error {
	n := 1 + len(p.Skipped)
	q, ok := w.inserts[n]
	if !ok {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = fmt.Sprintf("({:id%d}, {:invoice}, {:customer}, {:level%d}, {:status%d}, {:message%d}, {:interest%d}, {:sent_at})", i, i, i, i, i)
		}
		q = w.tx.DB().NewQuery("INSERT INTO reminders_sent (id, invoice, customer, level, status, message, interest, sent_at) VALUES " + strings.Join(rows, ", ")).Prepare()
		w.inserts[n] = q
	}
	interest, _ := p.interest.Float64()
	params := dbx.Params{"invoice": p.Invoice, "customer": p.Customer, "sent_at": w.sentAt}
	for i := range n {
		level, status, message, amount := p.Level, StatusSent, messageID, interest
		if i > 0 {
			level, status, message, amount = p.Skipped[i-1], StatusSkipped, "", 0
		}
		k := strconv.Itoa(i)
		params["id"+k], params["level"+k], params["status"+k], params["message"+k], params["interest"+k] = core.GenerateDefaultRandomId(), level, status, message, amount
	}
	if _, err := q.Bind(params).Execute(); err != nil {
		return fmt.Errorf("recording the levels of invoice %s: %w", p.Number, err)
	}
	return nil
}

// render executes one of a level's texts, parsed once per run.
func (w *writer) render(level *Level, field, text string, data TextData) (string, error) {
	key := fmt.Sprintf("%d/%s", level.Days, field)
	t, ok := w.templates[key]
	if !ok {
		var err error
		if t, err = parseText(field, text); err != nil {
			return "", fmt.Errorf("level %q: %s: %w", level.Name, field, err)
		}
		w.templates[key] = t
	}
	out, err := execute(t, data)
	if err != nil {
		return "", fmt.Errorf("level %q: %s: %w", level.Name, field, err)
	}
	return out, nil
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
