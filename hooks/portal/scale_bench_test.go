package portal_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"facturo/apptest"
	"facturo/hooks/invoicing"
)

// Scale of the portal's figures: 200,000 issued invoices across 300
// customers, one of which has 5,000.
const (
	scaleCustomers = 300
	scaleInvoices  = 200_000
	bigCustomer    = 5_000
)

// seedScale writes the invoices straight into SQLite, in one transaction,
// with what lists, charts and exports read (no lines, no PDFs, no chain):
// issuing 200,000 invoices one by one would take minutes and measure
// something else. It returns the big customer's contact's email.
func seedScale(b *testing.B, app *tests.TestApp) string {
	b.Helper()
	start := time.Now()
	err := app.RunInTransaction(func(tx core.App) error {
		customers := make([]string, scaleCustomers)
		for i := range customers {
			customers[i] = fmt.Sprintf("scalecust%06d", i)
			if _, err := tx.DB().NewQuery("INSERT INTO customers (id, name, email, language, country, payment_terms_days, created, updated) VALUES ({:id}, {:name}, {:email}, 'es', 'ES', 30, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')").
				Bind(map[string]any{"id": customers[i], "name": fmt.Sprintf("Cliente %d S.L.", i), "email": fmt.Sprintf("c%d@scale.example", i)}).Execute(); err != nil {
				return err
			}
		}
		insert := tx.DB().NewQuery(`INSERT INTO invoices (id, customer, series, number, status, delivery, response, payment, currency,
			issue_date, due_date, subtotal, tax_total, total, paid_total, lines, taxes, created, updated)
			VALUES ({:id}, {:customer}, 'S', {:number}, 'issued', 'delivered', 'none', {:payment}, 'EUR',
			{:issue}, {:due}, {:subtotal}, {:tax}, {:total}, {:paid}, '[]', '{}', {:issue}, {:issue})`).Prepare()
		defer insert.Close()
		today := time.Now().UTC()
		for i := range scaleInvoices {
			customer := customers[0]
			if i >= bigCustomer {
				customer = customers[1+i%(scaleCustomers-1)]
			}
			issue := today.AddDate(0, 0, -(i % 1095))
			subtotal := float64(100 + i%900)
			total := subtotal * 1.21
			paid, payment := total, "paid"
			if i%7 == 0 {
				paid, payment = 0, "unpaid"
			}
			if _, err := insert.Bind(map[string]any{
				"id": fmt.Sprintf("scaleinv%07d", i), "customer": customer, "number": fmt.Sprintf("S-%d-%06d", issue.Year(), i),
				"payment": payment, "issue": issue.Format("2006-01-02") + " 00:00:00.000Z", "due": issue.AddDate(0, 0, 30).Format("2006-01-02") + " 00:00:00.000Z",
				"subtotal": subtotal, "tax": total - subtotal, "total": total, "paid": paid,
			}).Execute(); err != nil {
				return err
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
	b.Logf("seeded %d invoices in %v", scaleInvoices, time.Since(start).Round(time.Millisecond))
	return "big@scale.example"
}

// percentiles times n requests to path and returns the median and p95.
func percentiles(b *testing.B, br browser, path string, n int) (p50, p95 time.Duration) {
	b.Helper()
	var ds []time.Duration
	for range n {
		start := time.Now()
		p := br.Get(path)
		ds = append(ds, time.Since(start))
		if p.Status != 200 {
			b.Fatalf("%s: %d", path, p.Status)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[n/2], ds[n*95/100]
}

// BenchmarkPortalAtScale measures the portal's figures at the scale above:
// the first screen and the invoice list for the customer with 5,000
// invoices (p50 and p95 over sequential requests on loopback), its XLSX
// export, and the staff's XLSX export of all 200,000, with the Go heap's
// peak during it.
func BenchmarkPortalAtScale(b *testing.B) {
	app := apptest.New(b)
	email := seedScale(b, app)
	base := apptest.Serve(b, app)
	br := newBrowser(b, base)
	br.signIn(email)
	for range b.N {
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		p50, p95 := percentiles(b, br, "/portal/", 100)
		b.ReportMetric(ms(p50), "home-p50-ms")
		b.ReportMetric(ms(p95), "home-p95-ms")
		p50, p95 = percentiles(b, br, "/portal/invoices", 100)
		b.ReportMetric(ms(p95), "list-p95-ms")
		p50, p95 = percentiles(b, br, "/portal/invoices?q=S-2025&page=3", 50)
		b.ReportMetric(ms(p95), "search-p95-ms")

		start := time.Now()
		if p := br.Get("/portal/exports/invoices.xlsx"); p.Status != 200 || len(p.Body) < 10_000 {
			b.Fatalf("customer export: %d, %d bytes", p.Status, len(p.Body))
		}
		b.ReportMetric(ms(time.Since(start)), "xlsx-5000-ms")

		var peak uint64
		done := make(chan struct{})
		go func() {
			var m runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}
		}()
		start = time.Now()
		req, _ := http.NewRequest("GET", base+"/api/exports/invoices.xlsx", nil)
		req.Header.Set("Authorization", apptest.Tokens.Staff)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		close(done)
		if res.StatusCode != 200 || n < 1_000_000 {
			b.Fatalf("staff export: %d, %d bytes", res.StatusCode, n)
		}
		b.ReportMetric(ms(time.Since(start)), "xlsx-all-ms")
		b.ReportMetric(float64(peak)/(1<<20), "xlsx-all-heap-MB")
	}
}

// BenchmarkPortal300Contacts has 300 contacts, one per customer, browse at
// once (first screen, then list) and reports errors and latencies.
func BenchmarkPortal300Contacts(b *testing.B) {
	app := apptest.New(b)
	seedScale(b, app)
	base := apptest.Serve(b, app)
	contacts, _ := app.FindCollectionByNameOrId(invoicing.Contacts)
	var tokens []string
	for i := range scaleCustomers {
		// Written straight to SQLite: hashing 300 passwords would only
		// measure bcrypt. The session cookie carries an auth token.
		id := fmt.Sprintf("scalecont%06d", i)
		if _, err := app.DB().NewQuery(`INSERT INTO contacts (id, email, password, tokenKey, customer, role, language, verified, emailVisibility, name, created, updated)
			VALUES ({:id}, {:email}, 'x', {:key}, {:customer}, 'viewer', 'es', 1, 0, '', '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).
			Bind(map[string]any{"id": id, "email": fmt.Sprintf("p%d@scale.example", i), "key": fmt.Sprintf("scaletokenkey%040d", i), "customer": fmt.Sprintf("scalecust%06d", i)}).Execute(); err != nil {
			b.Fatal(err)
		}
		c, err := app.FindRecordById(contacts, id)
		if err != nil {
			b.Fatal(err)
		}
		token, err := c.NewAuthToken()
		if err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 400}}
	for range b.N {
		type result struct {
			d   time.Duration
			err bool
		}
		results := make(chan result, 2*len(tokens))
		start := time.Now()
		for _, token := range tokens {
			go func() {
				for _, path := range []string{"/portal/", "/portal/invoices"} {
					req, _ := http.NewRequest("GET", base+path, nil)
					req.AddCookie(&http.Cookie{Name: "facturo_session", Value: token})
					t0 := time.Now()
					res, err := client.Do(req)
					failed := err != nil
					if err == nil {
						io.Copy(io.Discard, res.Body)
						res.Body.Close()
						failed = res.StatusCode != 200
					}
					results <- result{time.Since(t0), failed}
				}
			}()
		}
		var ds []time.Duration
		errors := 0
		for range 2 * len(tokens) {
			r := <-results
			ds = append(ds, r.d)
			if r.err {
				errors++
			}
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		b.ReportMetric(float64(errors), "errors")
		b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(len(ds))/time.Since(start).Seconds(), "req/s")
		if errors > 0 {
			b.Errorf("%d of %d requests failed", errors, len(ds))
		}
	}
}
