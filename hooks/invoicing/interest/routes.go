package interest

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/clock"
)

// Register binds the rates table's guard and the staff route that turns
// accrued interest into a draft.
func Register(app core.App) {
	app.OnRecordCreate(Rates).BindFunc(guardRate)
	app.OnRecordUpdate(Rates).BindFunc(guardRate)
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/interest/draft", handleDraft).Bind(apis.RequireSuperuserAuth())
		return se.Next()
	})
}

func handleDraft(e *core.RequestEvent) error {
	var body struct {
		Invoices     []string `json:"invoices"`
		AsOf         string   `json:"as_of"`
		Compensation bool     `json:"compensation"`
	}
	if err := invoicing.DecodeBody(e, &body); err != nil {
		return err
	}
	asOf, err := ParseAsOf(body.AsOf)
	if err != nil {
		return err
	}
	draft, err := InterestDraft(e.App, body.Invoices, asOf, body.Compensation)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, draft)
}

// ParseAsOf reads an as_of date (YYYY-MM-DD); empty is today in Spain.
func ParseAsOf(s string) (time.Time, error) {
	if s == "" {
		return clock.Today(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apis.NewBadRequestError("as_of must be a date, YYYY-MM-DD.", nil)
	}
	return t, nil
}
