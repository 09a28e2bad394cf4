package invoicing

import (
	"github.com/pocketbase/pocketbase/core"
)

// Register binds the package's record hooks and routes.
func Register(app core.App) {
	bindGuards(app)
	bindSchemaGuard(app)
	bindTextRules(app)
	bindCustomerView(app)
	bindTaxIDRules(app)
	bindFirmOverviewCache(app)
	bindFiguresWarmup(app)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		bindRoutes(se)
		return se.Next()
	})
}
