// Package staff is the firm's workspace under /app: where the billing team
// sees where every invoice stands, works through what needs action, answers
// its customers and brings invoices in from its ERP. Staff sign in with
// their PocketBase superuser account; the admin dashboard stays for raw
// records and settings.
package staff

import (
	"net/http"
	"net/url"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/accountstatement"
	"facturo/hooks/einvoice"
	"facturo/hooks/imports"
	"facturo/hooks/invoicing"
	"facturo/internal/web"
	"facturo/ui"
)

// site is the workspace: superusers signed in by cookies scoped to /app.
var site = web.Area{
	Path: "/app", Collection: core.CollectionNameSuperusers,
	SessionCookie: "facturo_staff_session", CSRFCookie: "facturo_staff_csrf", Templates: "app",
}

// Register binds the workspace's pages, the sign-in limits of the
// superusers' REST routes, and the end of a staff member's sessions when
// their password or email changes.
func Register(app core.App) {
	app.OnRecordUpdateExecute(core.CollectionNameSuperusers).BindFunc(web.EndSessionsOnKeyChange)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		usePublicURL(se)
		se.Router.Bind(site.LimitREST())
		se.Router.GET("/app", func(e *core.RequestEvent) error { return e.Redirect(http.StatusMovedPermanently, "/app/") })
		se.Router.GET("/app/login", handleLoginPage)
		se.Router.POST("/app/login", handleLogin)
		se.Router.POST("/app/logout", handleLogout)
		se.Router.GET("/app/{$}", staffRoute(handleOverview))
		se.Router.GET("/app/invoices", staffRoute(handleInvoices))
		se.Router.GET("/app/invoices/{id}", staffRoute(handleInvoice))
		se.Router.GET("/app/invoices/{id}/pdf", staffRoute(handleInvoicePDF))
		for _, format := range einvoice.XMLFormats {
			se.Router.GET("/app/invoices/{id}/"+format+".xml", staffRoute(func(e *core.RequestEvent, p page) error {
				inv, err := e.App.FindRecordById(invoicing.Invoices, e.Request.PathValue("id"))
				if err != nil {
					return e.NotFoundError("", nil)
				}
				return einvoice.Serve(e, inv, format, invoicing.ActorFromRequest(e), false)
			}))
		}
		se.Router.POST("/app/invoices/{id}/{action}", staffRoute(handleInvoiceAction))
		bindDailyWork(se)
		se.Router.GET("/app/customers", staffRoute(handleCustomers))
		se.Router.GET("/app/customers/{id}", staffRoute(handleCustomer))
		se.Router.POST("/app/customers/{id}/{action}", staffRoute(handleCustomerAction))
		se.Router.GET("/app/inbox", staffRoute(handleUnmatched))
		se.Router.GET("/app/exports/{file}", staffRoute(handleExport))
		se.Router.GET("/app/webhooks", staffRoute(handleWebhooks))
		se.Router.POST("/app/webhooks", staffRoute(handleWebhookCreate))
		se.Router.POST("/app/webhooks/{id}/{action}", staffRoute(handleWebhookAction))
		se.Router.POST("/app/webhook-deliveries/{id}/retry", staffRoute(handleDeliveryRetry))
		se.Router.GET("/app/reminders", staffRoute(handleReminders))
		se.Router.POST("/app/reminders/run", staffRoute(handleRemindersRun))
		se.Router.GET("/app/verifactu", staffRoute(handleVerifactu))
		se.Router.POST("/app/verifactu/{action}", staffRoute(handleVerifactuAction))
		se.Router.POST("/app/verifactu/records/{id}/{action}", staffRoute(handleVerifactuRecordAction))
		se.Router.GET("/app/bank", staffRoute(handleBank))
		se.Router.POST("/app/bank", staffRoute(handleBankUpload)).Bind(statementBodyLimit())
		se.Router.POST("/app/bank/movements/{id}/{action}", staffRoute(handleMovementAction))
		se.Router.GET("/app/customers/{id}/statement.pdf", staffRoute(func(e *core.RequestEvent, _ page) error { return accountstatement.HandleDownload(e) }))
		se.Router.GET("/app/import", staffRoute(handleImportPage))
		// The import's own body limit replaces the router's: the page sends
		// its token in a header, so the body is first read by the upload.
		se.Router.POST("/app/import", staffRoute(func(e *core.RequestEvent, _ page) error { return imports.HandleUpload(e) })).
			Bind(imports.BodyLimit())
		se.Router.GET("/app/import/jobs/{id}", staffRoute(func(e *core.RequestEvent, _ page) error { return imports.HandleJob(e) }))
		se.Router.GET("/app/import/template.csv", staffRoute(func(e *core.RequestEvent, _ page) error { return imports.HandleTemplate(imports.CSV)(e) }))
		se.Router.GET("/app/import/template.xlsx", staffRoute(func(e *core.RequestEvent, _ page) error { return imports.HandleTemplate(imports.XLSX)(e) }))
		return se.Next()
	})
}

// staffRoute runs h only for a signed-in staff member, who becomes the
// request's auth (so the routes it calls see a superuser); anyone else is
// sent to sign in, and a form posted without this browser's CSRF token is
// refused.
func staffRoute(h func(e *core.RequestEvent, p page) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		staff := site.SignedIn(e)
		if staff == nil {
			if e.Request.Method != http.MethodGet {
				return web.SignInFirst(e, web.BrowserLanguage(e))
			}
			return e.Redirect(http.StatusSeeOther, "/app/login?next="+url.QueryEscape(e.Request.URL.RequestURI()))
		}
		p := newPage(e, staff, "")
		if e.Request.Method == http.MethodPost && !site.ValidCSRF(e) {
			return web.StaleForm(e, p.Lang)
		}
		e.Auth = staff
		return h(e, p)
	}
}

// page is what every workspace page shows around its content.
type page struct {
	Lang, Title, Firm, Staff, CSRF, Section string
}

// language is the firm's own (the issuer's default, when there is an
// issuer), unless ?lang= asks otherwise for one page.
func language(e *core.RequestEvent, issuer *core.Record) string {
	firm := ""
	if issuer != nil {
		firm = issuer.GetString("default_language")
	}
	return ui.Pick(e.Request.URL.Query().Get("lang"), firm, ui.AcceptLanguage(e.Request.Header.Get("Accept-Language")))
}

func newPage(e *core.RequestEvent, staff *core.Record, titleKey string) page {
	issuer, err := invoicing.LoadIssuer(e.App)
	if err != nil {
		issuer = nil
	}
	p := page{Lang: language(e, issuer), CSRF: site.CSRFToken(e)}
	if titleKey != "" {
		p.Title = ui.T(p.Lang, titleKey)
	}
	if issuer != nil {
		p.Firm = invoicing.FirmName(issuer)
	}
	if staff != nil {
		p.Staff = staff.Email()
	}
	return p
}

// titled is the page with its title and the navigation section it is in.
func (p page) titled(key, section string) page {
	p.Title, p.Section = ui.T(p.Lang, key), section
	return p
}

func render(e *core.RequestEvent, status int, name string, p page, data any) error {
	return site.Render(e, status, name, p.Lang, data)
}
