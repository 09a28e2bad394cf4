// Package portal is what the customers' people use: their sign-in, the list
// and pages of their invoices, their answers to them, and the response route
// of the REST API.
package portal

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the portal's routes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/invoices/{id}/respond", handleRespond)
		bindPages(se)
		return se.Next()
	})
}
