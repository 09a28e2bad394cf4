package staff

import (
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/imports"
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
	se.Router.GET("/app/products", staffRoute(handleProducts))
	se.Router.GET("/app/products/search", staffRoute(handleProductSearch))
	se.Router.GET("/app/products/template.csv", staffRoute(handleProductsTemplate))
	se.Router.POST("/app/products/import", staffRoute(handleProductsImport)).Bind(imports.BodyLimit())
	se.Router.GET("/app/products/new", staffRoute(handleProductNew))
	se.Router.POST("/app/products/new", staffRoute(handleProductSave))
	se.Router.GET("/app/products/{id}", staffRoute(handleProductEdit))
	se.Router.POST("/app/products/{id}", staffRoute(handleProductSave))
	se.Router.POST("/app/products/{id}/delete", staffRoute(handleProductDelete))
	se.Router.GET("/app/recurring", staffRoute(handleRecurringList))
	se.Router.GET("/app/recurring/new", staffRoute(handleRecurringNew))
	se.Router.POST("/app/recurring/new", staffRoute(handleRecurringSave))
	se.Router.GET("/app/recurring/{id}", staffRoute(handleRecurringEdit))
	se.Router.POST("/app/recurring/{id}", staffRoute(handleRecurringSave))
	se.Router.POST("/app/recurring/{id}/delete", staffRoute(handleRecurringDelete))
	se.Router.GET("/app/quotes", staffRoute(handleQuotes))
	se.Router.GET("/app/quotes/new", staffRoute(handleQuoteNew))
	se.Router.POST("/app/quotes/new", staffRoute(handleQuoteSave))
	se.Router.POST("/app/quotes/preview", staffRoute(handleQuotePreview))
	se.Router.GET("/app/quotes/{id}", staffRoute(handleQuote))
	se.Router.GET("/app/quotes/{id}/edit", staffRoute(handleQuoteEdit))
	se.Router.POST("/app/quotes/{id}/edit", staffRoute(handleQuoteSave))
	se.Router.GET("/app/quotes/{id}/pdf", staffRoute(handleQuotePDF))
	se.Router.POST("/app/quotes/{id}/invoice", staffRoute(handleQuoteInvoice))
	se.Router.POST("/app/quotes/{id}/send", staffRoute(handleQuoteSend))
	se.Router.GET("/app/setup", staffRoute(handleSetup))
	se.Router.GET("/app/settings", staffRoute(handleSettings))
	se.Router.GET("/app/settings/logo", staffRoute(handleSettingsLogo))
	se.Router.POST("/app/settings/profile", staffRoute(handleSettingsProfile))
	se.Router.POST("/app/settings/public-url", staffRoute(handleSettingsPublicURL))
	se.Router.POST("/app/settings/mail", staffRoute(handleSettingsMail))
	se.Router.POST("/app/settings/mail/test", staffRoute(handleSettingsMailTest))
	se.Router.POST("/app/settings/mailbox", staffRoute(handleSettingsMailbox))
	se.Router.POST("/app/settings/staff", staffRoute(handleStaffInvite))
	se.Router.POST("/app/settings/staff/{id}/remove", staffRoute(handleStaffRemove))
}
