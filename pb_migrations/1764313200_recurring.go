package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

const (
	recurringID        = "pbc_recurring_invoices"
	recurringPeriodsID = "pbc_recurring_periods"
	recurringRunsID    = "pbc_recurring_settings"
)

// Recurring billing: invoices made by themselves every period, from a
// template per customer. Each period made is a row of recurring_periods,
// unique per template and period and written in the same transaction as
// its invoice, so that no period is ever billed twice (a restart mid-run,
// a second run the same day). Staff only (no API rules).
func init() {
	register(func(app core.App) error {
		c := core.NewBaseCollection("recurring_invoices", recurringID)
		c.Fields.Add(
			&core.RelationField{Name: "customer", CollectionId: customerID, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "name", Max: 200, Presentable: true, Help: "What staff call it: «Mantenimiento mensual»"},
			&core.JSONField{Name: "lines", MaxSize: 2 << 20, Help: "The invoice lines; their text may hold {month}, {year} and {period}, written in the customer's language"},
			&core.TextField{Name: "series", Max: 10, Pattern: `^[A-Za-z0-9]*$`, Help: "Empty: the issuer's default series"},
			&core.TextField{Name: "notes", Max: 2000, Help: "Printed on each invoice; may hold {month}, {year} and {period}"},
			&core.SelectField{Name: "interval", Values: []string{"monthly", "quarterly", "yearly", "days", "months"}, MaxSelect: 1, Required: true},
			&core.NumberField{Name: "every", OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(3650.0), Help: "For days and months: how many make a period"},
			&core.DateField{Name: "start_date", Required: true, Help: "The first period's day"},
			&core.DateField{Name: "next_date", Help: "The next period's day; empty once it has ended; set by the system"},
			&core.DateField{Name: "end_date", Help: "No period after this day"},
			&core.NumberField{Name: "count", OnlyInt: true, Min: types.Pointer(0.0), Help: "How many invoices in all; 0 or empty: no limit"},
			&core.NumberField{Name: "made", OnlyInt: true, Help: "Periods billed so far; set by the system"},
			&core.SelectField{Name: "action", Values: []string{"draft", "issue", "issue_send"}, MaxSelect: 1, Required: true, Help: "On the day: make a draft, issue it, or issue and e-mail it"},
			&core.BoolField{Name: "active", Help: "Paused templates make nothing"},
			&core.TextField{Name: "last_error", Max: 2000, Help: "Why the last period could not be made; set by the system"},
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_recurring_due", false, "active, next_date", "")
		if err := app.Save(c); err != nil {
			return err
		}

		p := core.NewBaseCollection("recurring_periods", recurringPeriodsID)
		p.Fields.Add(
			&core.RelationField{Name: "recurring", CollectionId: recurringID, MaxSelect: 1, Required: true, CascadeDelete: true},
			&core.TextField{Name: "period", Required: true, Max: 10, Help: "The period's day, YYYY-MM-DD"},
			relation("invoice", invoiceID, false),
			&core.DateField{Name: "issue_date", Help: "The day the invoice is dated"},
			&core.TextField{Name: "action", Max: 20},
			&core.TextField{Name: "note", Max: 500, Help: "Why the invoice is not dated on its period's day"},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		p.AddIndex("idx_recurring_periods_once", true, "recurring, period", "")
		p.AddIndex("idx_recurring_periods_invoice", false, "invoice", "")
		if err := app.Save(p); err != nil {
			return err
		}

		s := core.NewBaseCollection("recurring_settings", recurringRunsID)
		s.Fields.Add(
			&core.TextField{Name: "last_run_on", Max: 10, Help: "Day (YYYY-MM-DD, Madrid) of the last daily run; set by the system"},
			&core.TextField{Name: "status", Max: 2000, Help: "What the last run did; set by the system"},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		if err := app.Save(s); err != nil {
			return err
		}
		return app.Save(core.NewRecord(s))
	}, func(app core.App) error {
		return deleteCollections(app, "recurring_settings", "recurring_periods", "recurring_invoices")
	})
}
