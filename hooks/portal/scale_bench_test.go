package portal_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"testing"
	"time"

	"facturo/internal/apptest"
)

// BenchmarkPortalAtScale measures the portal's figures at the scale above:
// the first screen and the invoice list for the customer with 5,000
// invoices (p50 and p95 over sequential requests on loopback), its XLSX
// export, and the staff's XLSX export of all 200,000, with the Go heap's
// peak during it.
func BenchmarkPortalAtScale(b *testing.B) {
	app := apptest.New(b)
	email := apptest.SeedScale(b, app)
	base := apptest.Serve(b, app)
	br := newBrowser(b, base)
	br.signIn(email)
	for range b.N {
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		p50, p95 := apptest.Percentiles(b, br.Browser, "/portal/", 100)
		b.ReportMetric(ms(p50), "home-p50-ms")
		b.ReportMetric(ms(p95), "home-p95-ms")
		p50, p95 = apptest.Percentiles(b, br.Browser, "/portal/invoices", 100)
		b.ReportMetric(ms(p95), "list-p95-ms")
		p50, p95 = apptest.Percentiles(b, br.Browser, "/portal/invoices?q=S-2025&page=3", 50)
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
// once (first screen, then list) and reports errors and latencies: of the
// first burst (cold-*: it arrives as the server starts, while every
// customer's figures are being computed, and writes every session's last
// visit) and of the last (the figures kept since). Run it with -benchtime 2x
// or more.
func BenchmarkPortal300Contacts(b *testing.B) {
	app := apptest.New(b)
	apptest.SeedScale(b, app)
	base := apptest.Serve(b, app)
	var tokens []string
	for i := range apptest.ScaleCustomers {
		// Written straight to SQLite: hashing 300 passwords would only
		// measure bcrypt.
		id := fmt.Sprintf("scalecont%06d", i)
		if _, err := app.DB().NewQuery(`INSERT INTO contacts (id, email, password, tokenKey, customer, role, language, verified, emailVisibility, name, created, updated)
			VALUES ({:id}, {:email}, 'x', {:key}, {:customer}, 'viewer', 'es', 1, 0, '', '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z')`).
			Bind(map[string]any{"id": id, "email": fmt.Sprintf("p%d@scale.example", i), "key": fmt.Sprintf("scaletokenkey%040d", i), "customer": fmt.Sprintf("scalecust%06d", i)}).Execute(); err != nil {
			b.Fatal(err)
		}
		// A session row as signing in writes it: the cookie carries a
		// random id, the row its SHA-256.
		token := fmt.Sprintf("scalesession%020d", i)
		sum := sha256.Sum256([]byte(token))
		if _, err := app.DB().NewQuery(`INSERT INTO web_sessions (id, area, account_collection, account, token_hash, created, last_seen, expires, ip, user_agent)
			VALUES ({:id}, '/portal', 'contacts', {:account}, {:hash}, '2026-01-01 00:00:00.000Z', '2026-01-01 00:00:00.000Z', '9999-01-01 00:00:00.000Z', '', '')`).
			Bind(map[string]any{"id": fmt.Sprintf("scalesess%06d", i), "account": id, "hash": hex.EncodeToString(sum[:])}).Execute(); err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, token)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 400}}
	for burst := range b.N {
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
		prefix := ""
		if burst == 0 {
			prefix = "cold-"
		}
		b.ReportMetric(float64(errors), prefix+"errors")
		b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, prefix+"p95-ms")
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, prefix+"p50-ms")
		b.ReportMetric(float64(len(ds))/time.Since(start).Seconds(), prefix+"req/s")
		if errors > 0 {
			b.Errorf("%d of %d requests failed", errors, len(ds))
		}
	}
}
