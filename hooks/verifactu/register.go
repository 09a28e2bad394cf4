package verifactu

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
)

// Register binds the package to the app: it keeps invoicing's chain of
// records, makes the record of every issue and void in the transaction
// that does it, guards the records and the settings, serves its routes, and
// runs the sender while the server serves.
func Register(app core.App) {
	invoicing.SetRegistry(app, registry{})
	invoicing.OnIssuing(app).BindFunc(func(e *invoicing.IssuingEvent) error {
		if err := addAlta(e.App, e.Invoice, e.Lines, e.Totals); err != nil {
			return err
		}
		return e.Next()
	})
	invoicing.OnVoiding(app).BindFunc(func(e *invoicing.VoidingEvent) error {
		if err := addAnulacion(e.App, e.Invoice); err != nil {
			return err
		}
		return e.Next()
	})
	bindRecordGuards(app)
	app.OnRecordValidate(SettingsCollection).BindFunc(checkCertificate)
	// The certificate's password opens the firm's qualified certificate:
	// no API answer shows it, to staff neither (PocketBase shows hidden
	// fields to superusers; hidden after its own enriching, it stays so).
	app.OnRecordEnrich(SettingsCollection).BindFunc(func(e *core.RecordEnrichEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		e.Record.Hide("certificate_password")
		return nil
	})
	// A form that never saw the password (the dashboard's) sends it empty:
	// the stored one is kept, unless a new certificate file comes with it.
	app.OnRecordUpdateRequest(SettingsCollection).BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Record.GetString("certificate_password") == "" && len(e.Record.GetUnsavedFiles("certificate")) == 0 {
			e.Record.Set("certificate_password", e.Record.Original().GetString("certificate_password"))
		}
		return e.Next()
	})
	app.OnRecordAfterUpdateSuccess(SettingsCollection).BindFunc(func(e *core.RecordEvent) error {
		settingsChanged()
		forgetClient()
		wakeSender()
		return e.Next()
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// The migrations have run by now: the invoices issued before the
		// records existed get theirs, at the head of their chains.
		if err := RecordLegacyInvoices(se.App); err != nil {
			return err
		}
		bindRoutes(se)
		if err := se.Next(); err != nil {
			return err
		}
		if se.Server == nil {
			return nil // a test router: tests drive the sender themselves
		}
		w := StartSender(se.App)
		se.App.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			w.Stop()
			return te.Next()
		})
		return nil
	})
}
