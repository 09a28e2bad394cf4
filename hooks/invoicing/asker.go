package invoicing

import (
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Asker is the address of the customer's person who last asked about an
// invoice: queried or rejected it in the portal, or wrote about it by
// e-mail; empty when nobody did. An answer goes to that person.
func Asker(app core.App, invoiceID string) (string, error) {
	evs, err := app.FindRecordsByFilter(Events,
		"invoice = {:id} && by_firm = false && (type = {:queried} || type = {:rejected} || type = {:replied})",
		"-created,-id", 20, 0,
		dbx.Params{"id": invoiceID, "queried": EventQueried, "rejected": EventRejected, "replied": EventReplied})
	if err != nil {
		return "", err
	}
	for _, ev := range evs {
		if id := ev.GetString("actor"); id != "" {
			if c, err := app.FindRecordById(Contacts, id); err == nil && c.Email() != "" {
				return c.Email(), nil
			}
		}
		if a := strings.TrimSpace(ev.GetString("actor_email")); a != "" {
			return a, nil
		}
	}
	return "", nil
}
