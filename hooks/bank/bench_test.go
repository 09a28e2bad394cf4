package bank_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/bank"
	"facturo/internal/apptest"
)

const benchInvoices = 10_000

// seedOpenInvoices writes benchInvoices open invoices straight into SQLite
// across 300 customers, as apptest.SeedScale does, and returns each one's
// number, total in cents and customer's name.
func seedOpenInvoices(b *testing.B, app core.App) (numbers []string, totals []int64, names []string) {
	b.Helper()
	err := app.RunInTransaction(func(tx core.App) error {
		for c := range 300 {
			if _, err := tx.DB().NewQuery("INSERT INTO customers (id, name, tax_id, email, language, country, payment_terms_days, created, updated) VALUES ({:id}, {:name}, '', {:email}, 'es', 'ES', 30, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')").
				Bind(map[string]any{"id": fmt.Sprintf("benchcust%06d", c), "name": fmt.Sprintf("Cliente %d S.L.", c), "email": fmt.Sprintf("c%d@bench.example", c)}).Execute(); err != nil {
				return err
			}
		}
		insert := tx.DB().NewQuery(`INSERT INTO invoices (id, customer, series, number, status, delivery, response, payment, currency,
			issue_date, due_date, subtotal, tax_total, total, paid_total, lines, taxes, created, updated)
			VALUES ({:id}, {:customer}, 'S', {:number}, 'issued', 'delivered', 'none', 'unpaid', 'EUR',
			'2026-10-01 00:00:00.000Z', '2026-10-31 00:00:00.000Z', {:subtotal}, {:tax}, {:total}, 0, '[]', '{}', '2026-10-01 00:00:00.000Z', '2026-10-01 00:00:00.000Z')`).Prepare()
		defer insert.Close()
		for i := range benchInvoices {
			subtotal := float64(100 + i%900)
			total := math.Round(subtotal*121) / 100
			number := fmt.Sprintf("S-2026-%06d", i+1)
			numbers = append(numbers, number)
			totals = append(totals, int64(math.Round(total*100)))
			names = append(names, fmt.Sprintf("CLIENTE %d SL", i%300))
			if _, err := insert.Bind(map[string]any{"id": fmt.Sprintf("benchinv%07d", i), "customer": fmt.Sprintf("benchcust%06d", i%300),
				"number": number, "subtotal": subtotal, "tax": total - subtotal, "total": total}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return numbers, totals, names
}

// BenchmarkReconcile10k imports a 10,000-movement Norma 43 statement
// against 10,000 open invoices: 8,000 credits name their invoice (without
// dashes, as banks write them), 1,000 name only the customer, 1,000 are
// debits.
func BenchmarkReconcile10k(b *testing.B) {
	for range b.N {
		b.StopTimer()
		app := apptest.New(b)
		apptest.ClearWorld(b, app)
		numbers, totals, names := seedOpenInvoices(b, app)
		moves := make([]move, benchInvoices)
		for i := range moves {
			flat := numbers[i][:1] + numbers[i][2:6] + numbers[i][7:]
			switch {
			case i%10 < 8:
				moves[i] = move{Cents: totals[i], Concept: "TRANSFERENCIA " + names[i] + " FRA " + flat, Ref: ""}
			case i%10 == 8:
				moves[i] = move{Cents: totals[i], Concept: "TRANSFERENCIA " + names[i], Ref: ""}
			default:
				moves[i] = move{Cents: -totals[i], Concept: "RECIBO PROVEEDOR", Ref: ""}
			}
		}
		statement := norma43(moves...)
		b.StartTimer()
		start := time.Now()
		s, err := bank.Import(app, "bench.n43", statement, false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(s.Matched) != 8000 || s.Ignored != 1000 || s.Movements != benchInvoices {
			b.Fatalf("matched %d, proposed %d, unmatched %d, ignored %d", len(s.Matched), s.Proposed, s.Unmatched, s.Ignored)
		}
		elapsed := time.Since(start)
		if n, _ := app.CountRecords("payments"); n != 8000 {
			b.Fatalf("%d payments written, want 8000", n)
		}
		if n, _ := app.CountRecords("invoices", dbx.HashExp{"payment": "paid"}); n != 8000 {
			b.Fatalf("%d invoices paid, want 8000", n)
		}
		b.ReportMetric(elapsed.Seconds(), "s/import")
		app.Cleanup()
	}
}
