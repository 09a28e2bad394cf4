package invoicing

import (
	"encoding/json"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Open is one fetch of an email's tracking pixel.
type Open struct {
	InvoiceID  string
	CustomerID string
	Actor      Actor
	Data       map[string]any
	// Automated fetches (image proxies, prefetchers) are logged but do not
	// set the invoice's opened_at.
	Automated bool
	At        string // PocketBase datetime
}

// AppendOpens writes a batch of pixel fetches to the timeline in one
// transaction, and sets opened_at on the invoices a person opened for the
// first time. Pixels are the product's hottest route (every image load of
// every email), so this path goes to SQL directly, with one prepared
// statement, instead of saving each event as a record: it skips the
// per-record validation (the fields come from a verified token) and
// PocketBase's realtime notifications, which a weak signal does not need.
func AppendOpens(app core.App, opens []Open) error {
	if len(opens) == 0 {
		return nil
	}
	defer invoicesChanged() // after the commit, or the rollback
	return app.RunInTransaction(func(tx core.App) error {
		insert := tx.DB().NewQuery("INSERT INTO events (id, invoice, customer, type, actor, actor_email, ip, user_agent, data, created) " +
			"VALUES ({:id}, {:invoice}, {:customer}, '" + EventOpened + "', '', {:email}, {:ip}, {:ua}, {:data}, {:at})").Prepare()
		defer insert.Close()
		firstOpen := map[string]string{}
		for _, o := range opens {
			data, err := json.Marshal(o.Data)
			if err != nil {
				return err
			}
			if _, err := insert.Bind(dbx.Params{
				"id": core.GenerateDefaultRandomId(), "invoice": o.InvoiceID, "customer": o.CustomerID,
				"email": o.Actor.Email, "ip": o.Actor.IP, "ua": truncate(o.Actor.UserAgent, 500),
				"data": string(data), "at": o.At,
			}).Execute(); err != nil {
				return err
			}
			if _, ok := firstOpen[o.InvoiceID]; !ok && !o.Automated {
				firstOpen[o.InvoiceID] = o.At
			}
		}
		for id, at := range firstOpen {
			if _, err := tx.DB().NewQuery("UPDATE invoices SET opened_at = {:at}, updated = {:now} WHERE id = {:id} AND opened_at = ''").
				Bind(dbx.Params{"at": at, "id": id, "now": dateTime(now().UTC()).String()}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
}

// truncate cuts s to at most n bytes without splitting a UTF-8 character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && (s[n]&0xC0) == 0x80 {
		n--
	}
	return s[:n]
}
