package apptest

import (
	"os"

	"github.com/pocketbase/pocketbase/core"
	"github.com/shopspring/decimal"

	"facturo/hooks"
	"facturo/hooks/invoicing"
)

// buildTemplate migrates a database in a temporary folder and creates the
// fixed world in it; New copies that folder for every test.
func buildTemplate() (string, error) {
	dir, err := os.MkdirTemp("", "facturo-test-*")
	if err != nil {
		return "", err
	}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir, EncryptionEnv: "pb_test_env"})
	if err := app.Bootstrap(); err != nil {
		return "", err
	}
	defer app.ClearBootstrap()
	if err := app.RunAllMigrations(); err != nil {
		return "", err
	}
	hooks.RegisterApp(app)
	if err := createWorld(app); err != nil {
		return "", err
	}
	return dir, nil
}

func createWorld(app core.App) error {
	issuer, err := invoicing.LoadIssuer(app)
	if err != nil {
		return err
	}
	issuer.Load(map[string]any{
		"legal_name": "Talleres Norte S.L.", "tax_id": "B12345674", "address": "Calle Mayor 1",
		"city": "Bilbao", "postal_code": "48001", "province": "Bizkaia", "iban": "ES9121000418450200051332",
	})
	if err := app.Save(issuer); err != nil {
		return err
	}

	superusers, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return err
	}
	staff := core.NewRecord(superusers)
	staff.SetEmail(StaffEmail)
	staff.SetPassword("staff-password-1")
	if err := app.Save(staff); err != nil {
		return err
	}

	a, err := record(app, invoicing.Customers, CustomerA, map[string]any{
		"name": "Alfa Comercial S.L.", "tax_id": "B87654323", "email": "billing@alfa.example", "payment_terms_days": 30,
	})
	if err != nil {
		return err
	}
	b, err := record(app, invoicing.Customers, CustomerB, map[string]any{
		"name": "Beta Distribuciones S.A.", "tax_id": "A28391043", "email": "billing@beta.example", "payment_terms_days": 60, "language": "en",
	})
	if err != nil {
		return err
	}
	contacts := []struct{ id, customer, email, role string }{
		{ContactA, a.Id, "ana@alfa.example", "approver"},
		{ViewerA, a.Id, "victor@alfa.example", "viewer"},
		{ContactB, b.Id, "bob@beta.example", "approver"},
	}
	for _, c := range contacts {
		if _, err := record(app, invoicing.Contacts, c.id, map[string]any{
			"customer": c.customer, "role": c.role, "name": c.email, "email": c.email, "password": "contact-password-1",
		}); err != nil {
			return err
		}
	}

	for _, inv := range []struct {
		id, customer string
		issue        bool
	}{{IssuedA, a.Id, true}, {DraftA, a.Id, false}, {IssuedB, b.Id, true}, {DraftB, b.Id, false}} {
		if _, err := record(app, invoicing.Invoices, inv.id, map[string]any{
			"customer": inv.customer, "issue_date": Date(0), "lines": IssuedLines,
		}); err != nil {
			return err
		}
		if inv.issue {
			if _, err := invoicing.Issue(app, inv.id, invoicing.Actor{Email: StaffEmail}); err != nil {
				return err
			}
		}
	}
	if _, err := invoicing.RecordPayment(app, IssuedA, invoicing.Payment{Amount: decimal.RequireFromString("21")}, invoicing.Actor{Email: StaffEmail}); err != nil {
		return err
	}
	return signTokens(app, staff)
}

// record creates a record with a fixed id.
func record(app core.App, collection, id string, data map[string]any) (*core.Record, error) {
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	r.Id = id
	r.Load(data)
	return r, app.Save(r)
}

func signTokens(app core.App, staff *core.Record) error {
	var err error
	if Tokens.Staff, err = staff.NewAuthToken(); err != nil {
		return err
	}
	for id, dst := range map[string]*string{ContactA: &Tokens.ContactA, ContactB: &Tokens.ContactB, ViewerA: &Tokens.ViewerA} {
		c, err := app.FindRecordById(invoicing.Contacts, id)
		if err != nil {
			return err
		}
		if *dst, err = c.NewAuthToken(); err != nil {
			return err
		}
	}
	return nil
}
