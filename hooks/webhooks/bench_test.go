package webhooks_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/webhooks"
	"facturo/internal/apptest"
)

// BenchmarkDeliveries measures how many queued deliveries the worker sends
// to receivers on 127.0.0.1 that answer at once: claim, sign, POST, record.
func BenchmarkDeliveries(b *testing.B) {
	for _, endpoints := range []int{1, 4} {
		b.Run(fmt.Sprintf("endpoints=%d", endpoints), func(b *testing.B) {
			app := apptest.New(b)
			var ids []string
			for range endpoints {
				ids = append(ids, newWebhook(b, app, newReceiver(b, http.StatusNoContent).URL, nil, true).Id)
			}
			must(b, app.RunInTransaction(func(tx core.App) error {
				for i := range b.N {
					if _, err := webhooks.QueuePing(tx, ids[i%endpoints]); err != nil {
						return err
					}
				}
				return nil
			}))
			b.ResetTimer()
			started := time.Now()
			startWorker(b, app, nil)
			for {
				n, err := app.CountRecords(webhooks.Deliveries, dbx.HashExp{"status": webhooks.StatusDelivered})
				must(b, err)
				if int(n) == b.N {
					break
				}
				time.Sleep(2 * time.Millisecond)
			}
			b.ReportMetric(float64(b.N)/time.Since(started).Seconds(), "deliveries/s")
		})
	}
}
