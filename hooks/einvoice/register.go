package einvoice

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/einvoice"
	"facturo/internal/einvoice/cii"
)

// Register binds the download and check routes, the check made when an
// invoice is issued, and the Factur-X XML into invoice PDFs.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		for _, format := range XMLFormats {
			se.Router.GET("/api/invoices/{id}/"+format+".xml", handleDownload(format))
		}
		se.Router.GET("/api/invoices/{id}/einvoice-check", handleCheck).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
	invoicing.OnIssuing(app).BindFunc(checkOnIssue)
	invoicing.OnRenderingPDF(app).BindFunc(embedFacturX)
}

// checkOnIssue refuses to issue an invoice whose customer's preferred
// format cannot be produced from it, naming what is missing, so that the
// customer never gets an invoice its software cannot read.
func checkOnIssue(e *invoicing.IssuingEvent) error {
	format, err := PreferredFormat(e.App, e.Invoice.GetString("customer"))
	if err != nil {
		return err
	}
	if format == einvoice.FormatPDF {
		return e.Next()
	}
	d, err := Document(e.App, e.Invoice)
	if err != nil {
		return err
	}
	if problems := einvoice.Missing(d, format); len(problems) > 0 {
		firm, err := invoicing.LoadIssuer(e.App)
		if err != nil {
			return err
		}
		return missingError(firm.GetString("default_language"), &MissingError{Format: format, Problems: problems})
	}
	return e.Next()
}

// embedFacturX puts the invoice's CII XML into its PDF, which makes it a
// Factur-X file, when the firm's facturx setting is on or the customer
// prefers Factur-X, and the invoice can be expressed in EN 16931 (when it
// cannot, the PDF stays a plain one).
func embedFacturX(e *invoicing.RenderingPDFEvent) error {
	firm, err := invoicing.LoadIssuer(e.App)
	if err != nil {
		return err
	}
	if !firm.GetBool("facturx") {
		format, err := PreferredFormat(e.App, e.Invoice.GetString("customer"))
		if err != nil {
			return err
		}
		if format != einvoice.FormatFacturX {
			return e.Next()
		}
	}
	d, err := Document(e.App, e.Invoice)
	if err != nil {
		return err
	}
	if len(einvoice.Missing(d, einvoice.FormatFacturX)) == 0 {
		e.Document.FacturX = cii.Write(d)
	}
	return e.Next()
}

// PreferredFormat is a customer's preferred e-invoice format: "pdf" when it
// has none.
func PreferredFormat(app core.App, customerID string) (string, error) {
	c, err := app.FindRecordById(invoicing.Customers, customerID)
	if err != nil {
		return "", err
	}
	if f := c.GetString("einvoice_format"); f != "" {
		return f, nil
	}
	return einvoice.FormatPDF, nil
}
