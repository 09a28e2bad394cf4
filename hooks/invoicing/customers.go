package invoicing

import (
	"github.com/pocketbase/pocketbase/core"
)

// FlagBouncing marks a customer's address as bouncing for good, with what
// the receiving server said, so that staff fix it and reminders skip it. It
// reports whether the flag is new.
func FlagBouncing(app core.App, customerID, note string) (bool, error) {
	customer, err := app.FindRecordById(Customers, customerID)
	if err != nil {
		return false, err
	}
	if customer.GetBool("email_bouncing") {
		return false, nil
	}
	customer.Set("email_bouncing", true)
	customer.Set("email_bounce_note", truncate(note, 1000))
	return true, app.Save(customer)
}
