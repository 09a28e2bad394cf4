package mail_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/dbx"

	"facturo/hooks/invoicing"
	"facturo/internal/tracking"
)

// BenchmarkPixel loads the pixel route from parallel keep-alive clients on
// loopback, next to a bare net/http handler that answers the same GIF, and
// checks that every hit on the product was written to the timeline.
func BenchmarkPixel(b *testing.B) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	hit := func(b *testing.B, url string) {
		b.SetParallelism(16)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				res, err := client.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "hits/s")
	}

	b.Run("bare", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Type", tracking.PixelContentType)
			w.Write(tracking.PixelGIF)
		}))
		defer srv.Close()
		hit(b, srv.URL+"/t/x")
	})

	b.Run("product", func(b *testing.B) {
		app, base, pixel, _, msg := sentEmailLinks(b)
		opened := func() int {
			n, err := app.CountRecords(invoicing.Events, dbx.HashExp{"invoice": msg.GetString("invoice"), "type": "opened"})
			must(b, err)
			return int(n)
		}
		before := opened()
		b.ResetTimer()
		hit(b, base+"/t/"+pixel)
		b.StopTimer()
		if got := eventually(b, opened, before+b.N) - before; got != b.N {
			b.Errorf("%d opened events for %d hits", got, b.N)
		}
	})
}
