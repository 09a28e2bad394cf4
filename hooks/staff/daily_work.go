package staff

import (
	"github.com/pocketbase/pocketbase/core"
)

// bindDailyWork adds the pages of the firm's daily work: writing invoices
// and quotes, its customers and their people, its products, its recurring
// invoices, its settings, and the first run's setup.
func bindDailyWork(se *core.ServeEvent) {
	se.Router.GET("/app/invoices/new", staffRoute(handleInvoiceNew))
	se.Router.POST("/app/invoices/new", staffRoute(handleInvoiceSave))
	se.Router.GET("/app/invoices/{id}/edit", staffRoute(handleInvoiceEdit))
	se.Router.POST("/app/invoices/{id}/edit", staffRoute(handleInvoiceSave))
	se.Router.POST("/app/invoices/preview", staffRoute(handleInvoicePreview))
	se.Router.GET("/app/invoices/{id}/preview.pdf", staffRoute(handleDraftPreview))
	se.Router.POST("/app/totals", staffRoute(handleTotals))
	se.Router.GET("/app/customers/search", staffRoute(handleCustomerSearch))
	se.Router.GET("/app/customers/new", staffRoute(handleCustomerNew))
	se.Router.POST("/app/customers/new", staffRoute(handleCustomerCreate))
	se.Router.GET("/app/customers/{id}/edit", staffRoute(handleCustomerEdit))
	se.Router.POST("/app/customers/{id}/edit", staffRoute(handleCustomerUpdate))
	se.Router.POST("/app/customers/{id}/contacts/{contact}/{action}", staffRoute(handleContactAction))
}
