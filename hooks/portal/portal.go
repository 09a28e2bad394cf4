// Package portal is what the customers' people use: their sign-in, the list
// and pages of their invoices, their answers to them, and the response route
// of the REST API.
package portal

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/web"
)

// Register binds the portal's routes, the sign-in limits of the contacts'
// REST routes, and the end of a contact's sessions when their password or
// email changes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		// A list of trusted proxies that does not read would trust nobody,
		// or the wrong peer: refuse to start rather than guess.
		if err := web.CheckTrustedProxiesEnv(); err != nil {
			return err
		}
		se.Router.Bind(site.LimitREST())
		se.Router.POST("/api/invoices/{id}/respond", handleRespond)
		bindPages(se)
		bindQuotes(se)
		return se.Next()
	})
	app.OnRecordUpdateExecute(invoicing.Contacts).BindFunc(web.EndSessionsOnKeyChange)
}
