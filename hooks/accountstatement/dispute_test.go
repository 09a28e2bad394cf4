package accountstatement_test

import (
	"testing"

	"facturo/hooks/accountstatement"
	"facturo/hooks/invoicing"
	"facturo/hooks/mail"
	"facturo/internal/apptest"
)

// The statement claims no interest nor compensation on an invoice the
// customer has queried or rejected until the firm answers, as the reminders
// wait for that answer; once answered, both are claimed again.
func TestStatementClaimsNoInterestOnAnUnansweredDispute(t *testing.T) {
	cases := []struct {
		name     string
		response string // the customer's action on the late invoice
		answered bool
		claimed  bool
	}{
		{"not disputed", "", false, true},
		{"queried", "query", false, false},
		{"rejected", "reject", false, false},
		{"queried and answered", "query", true, true},
		{"accepted", "accept", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			inv := world(t, app)
			if c.response != "" {
				if _, err := invoicing.Respond(app, inv.Id, invoicing.Response{Action: c.response, Reason: "PRI", Note: "¿Precio?"}, invoicing.Actor{Email: "buyer@example.com"}); err != nil {
					t.Fatal(err)
				}
			}
			if c.answered {
				if _, err := mail.Answer(app, inv.Id, "El precio es el acordado en el presupuesto.", invoicing.Actor{Email: apptest.StaffEmail}); err != nil {
					t.Fatal(err)
				}
			}
			s, err := accountstatement.Build(app, apptest.CustomerA, asOf, "es")
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range s.Open {
				if row.Number != inv.GetString("number") {
					continue
				}
				if claimed := row.Interest.IsPositive() && row.Compensation.IsPositive(); claimed != c.claimed {
					t.Errorf("interest %s and compensation %s claimed; want claimed %v", row.Interest, row.Compensation, c.claimed)
				}
				if !row.Outstanding.IsPositive() {
					t.Errorf("a disputed invoice is still listed with what is owed on it: %s", row.Outstanding)
				}
				return
			}
			t.Fatalf("invoice %s is not on the statement", inv.GetString("number"))
		})
	}
}
