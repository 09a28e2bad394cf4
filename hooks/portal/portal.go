// Package portal is what the customers' people use: for now the response
// route through which an approver accepts, rejects or queries an invoice.
package portal

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the portal's routes.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/invoices/{id}/respond", handleRespond)
		return se.Next()
	})
}
