package remind_test

import (
	"strings"
	"testing"
	"time"

	"facturo/hooks/invoicing"
	"facturo/hooks/remind"
	"facturo/internal/apptest"
)

// A level's text speaks of earlier reminders only when they were sent: a
// run after downtime that jumps to a higher level says plainly that its
// notice is the first.
func TestRemindersSpeakOfEarlierNoticesOnlyWhenSent(t *testing.T) {
	cases := []struct {
		name    string
		days    []int // days after the due date the runs happen
		earlier bool  // the last notice may speak of earlier ones
	}{
		{"after downtime", []int{15}, false},
		{"after the second notice", []int{7, 15}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			inv, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
			if err != nil {
				t.Fatal(err)
			}
			due := inv.GetDateTime("due_date").Time().UTC().Truncate(24 * time.Hour)
			for _, d := range c.days {
				runDay(t, app, due.AddDate(0, 0, d))
			}
			var body string
			if err := app.DB().NewQuery("SELECT body FROM messages WHERE kind = 'reminder' AND invoice = {:id} ORDER BY created DESC, rowid DESC LIMIT 1").
				Bind(map[string]any{"id": apptest.IssuedA}).Row(&body); err != nil {
				t.Fatal(err)
			}
			speaks := strings.Contains(body, "avisos anteriores") || strings.Contains(body, "previous reminders")
			first := strings.Contains(body, "primera vez") || strings.Contains(body, "first time")
			if speaks != c.earlier || first == c.earlier {
				t.Errorf("earlier notices sent %v, yet the notice reads:\n%s", c.earlier, body)
			}
		})
	}
}

// The compensation of Ley 3/2004 is owed on each late invoice whatever the
// rates table holds; interest a missing rate keeps unknown is shown as
// unknown, never as 0.00; and an invoice the customer disputed waits for
// the firm's answer, in the reminders as in the statement of account.
func TestReminderFiguresSayOnlyWhatIsKnown(t *testing.T) {
	cases := []struct {
		name         string
		rates        bool
		dispute      string // the customer's response to invoice A
		reminded     bool
		interest     string
		compensation string
	}{
		{"rates known", true, "", true, "known", "40.00"},
		{"a rate missing", false, "", true, "", "40.00"},
		{"queried, not answered", true, "query", false, "", ""},
		{"rejected, not answered", true, "reject", false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			app := apptest.New(t)
			inv, err := app.FindRecordById(invoicing.Invoices, apptest.IssuedA)
			if err != nil {
				t.Fatal(err)
			}
			if c.rates {
				addRates(t, app, inv.GetDateTime("issue_date").Time(), 3)
			}
			if c.dispute != "" {
				if _, err := invoicing.Respond(app, apptest.IssuedA, invoicing.Response{Action: c.dispute, Reason: "PRI", Note: "¿Precio?"}, invoicing.Actor{Email: "buyer@example.com"}); err != nil {
					t.Fatal(err)
				}
			}
			at := inv.GetDateTime("due_date").Time().UTC().Truncate(24*time.Hour).AddDate(0, 0, 20)
			planned, err := remind.Plan(app, at)
			if err != nil {
				t.Fatal(err)
			}
			var p *remind.Planned
			for i := range planned {
				if planned[i].Invoice == apptest.IssuedA {
					p = &planned[i]
				}
			}
			if (p != nil) != c.reminded {
				t.Fatalf("reminded %v, want %v", p != nil, c.reminded)
			}
			if p == nil {
				return
			}
			if c.interest == "" && (p.Interest != "" || p.InterestNote == "") {
				t.Errorf("a missing rate shows interest %q (note %q); want none shown, and the note", p.Interest, p.InterestNote)
			}
			if c.interest == "known" && (p.Interest == "" || p.InterestNote != "") {
				t.Errorf("known rates show interest %q (note %q)", p.Interest, p.InterestNote)
			}
			if p.Compensation != c.compensation {
				t.Errorf("compensation %q, want %q", p.Compensation, c.compensation)
			}
		})
	}
}
