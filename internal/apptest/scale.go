package apptest

import (
	"fmt"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/clock"
)

// The scale the figures of the portal and the workspace are measured at:
// 200,000 issued invoices across 300 customers, one of which has 5,000.
const (
	ScaleCustomers = 300
	ScaleInvoices  = 200_000
	BigCustomer    = 5_000
)

// SeedScale writes the invoices straight into SQLite, in one transaction,
// with what lists, charts and exports read (no lines, no PDFs, no chain),
// and the payments that settled the paid ones (one, or two for every
// fourth, the last of them up to 44 days after the issue): issuing 200,000
// invoices one by one would take minutes and measure something else. It
// returns the big customer's contact's email.
func SeedScale(b testing.TB, app core.App) string {
	type part struct {
		amount float64
		on     time.Time
	}
	b.Helper()
	start := time.Now()
	err := app.RunInTransaction(func(tx core.App) error {
		customers := make([]string, ScaleCustomers)
		for i := range customers {
			customers[i] = fmt.Sprintf("scalecust%06d", i)
			if _, err := tx.DB().NewQuery("INSERT INTO customers (id, name, email, language, country, payment_terms_days, created, updated) VALUES ({:id}, {:name}, {:email}, 'es', 'ES', 30, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')").
				Bind(map[string]any{"id": customers[i], "name": fmt.Sprintf("Cliente %d S.L.", i), "email": fmt.Sprintf("c%d@scale.example", i)}).Execute(); err != nil {
				return err
			}
		}
		insert := tx.DB().NewQuery(`INSERT INTO invoices (id, customer, series, number, status, delivery, response, payment, currency,
			issue_date, due_date, subtotal, tax_total, total, paid_total, lines, taxes, opened_at, viewed_at, created, updated)
			VALUES ({:id}, {:customer}, 'S', {:number}, 'issued', {:delivery}, {:response}, {:payment}, 'EUR',
			{:issue}, {:due}, {:subtotal}, {:tax}, {:total}, {:paid}, '[]', '{}', {:opened}, {:viewed}, {:issue}, {:issue})`).Prepare()
		defer insert.Close()
		pay := tx.DB().NewQuery(`INSERT INTO payments (id, invoice, amount, paid_on, method, reference, created)
			VALUES ({:id}, {:invoice}, {:amount}, {:paid_on}, 'transfer', '', {:paid_on})`).Prepare()
		defer pay.Close()
		today := clock.Now().UTC()
		for i := range ScaleInvoices {
			customer := customers[0]
			if i >= BigCustomer {
				customer = customers[1+i%(ScaleCustomers-1)]
			}
			issue := today.AddDate(0, 0, -(i % 1095))
			subtotal := float64(100 + i%900)
			total := subtotal * 1.21
			paid, payment := total, "paid"
			if i%7 == 0 {
				paid, payment = 0, "unpaid"
			}
			// Some of everything the workspace counts: bounced, queried,
			// rejected, opened and viewed invoices.
			delivery, response, opened, viewed := "delivered", "none", "", ""
			switch {
			case i%50 == 0:
				delivery = "bounced"
			case i%3 == 0:
				opened = issue.Format("2006-01-02") + " 10:00:00.000Z"
				if i%2 == 0 {
					viewed = issue.Format("2006-01-02") + " 11:00:00.000Z"
					response = []string{"accepted", "accepted", "accepted", "rejected", "queried"}[i%5]
				}
			}
			if _, err := insert.Bind(map[string]any{
				"delivery": delivery, "response": response, "opened": opened, "viewed": viewed,
				"id": fmt.Sprintf("scaleinv%07d", i), "customer": customer, "number": fmt.Sprintf("S-%d-%06d", issue.Year(), i),
				"payment": payment, "issue": issue.Format("2006-01-02") + " 00:00:00.000Z", "due": issue.AddDate(0, 0, 30).Format("2006-01-02") + " 00:00:00.000Z",
				"subtotal": subtotal, "tax": total - subtotal, "total": total, "paid": paid,
			}).Execute(); err != nil {
				return err
			}
			if payment != "paid" {
				continue
			}
			// Paid in one payment, or every fourth in two, the last up to
			// 44 days after the issue and never after today.
			paidOn := func(days int) time.Time {
				if on := issue.AddDate(0, 0, days); on.Before(today) {
					return on
				}
				return today
			}
			parts := []part{{total, paidOn(i % 45)}}
			if i%4 == 0 {
				half := math.Floor(total*50) / 100
				parts = []part{{half, paidOn(i % 9)}, {total - half, paidOn(i % 45)}}
			}
			for n, p := range parts {
				if _, err := pay.Bind(map[string]any{
					"id": fmt.Sprintf("scalepa%07d%d", i, n), "invoice": fmt.Sprintf("scaleinv%07d", i), "amount": p.amount,
					"paid_on": p.on.Format("2006-01-02") + " 00:00:00.000Z",
				}).Execute(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	contacts, _ := app.FindCollectionByNameOrId(invoicing.Contacts)
	c := core.NewRecord(contacts)
	c.Load(map[string]any{"customer": "scalecust000000", "email": "big@scale.example", "password": "contact-password-1", "role": "approver"})
	if err := app.Save(c); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d invoices in %v", ScaleInvoices, time.Since(start).Round(time.Millisecond))
	return "big@scale.example"
}

// Percentiles times n sequential requests to path and returns the median
// and the 95th percentile.
func Percentiles(tb testing.TB, b *Browser, path string, n int) (p50, p95 time.Duration) {
	tb.Helper()
	var ds []time.Duration
	for range n {
		start := time.Now()
		p := b.Get(path)
		ds = append(ds, time.Since(start))
		if p.Status != 200 {
			tb.Fatalf("%s: %d", path, p.Status)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2], ds[n*95/100]
}
