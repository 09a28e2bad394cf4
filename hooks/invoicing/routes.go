package invoicing

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// bindRoutes adds the staff routes that move an invoice through its life,
// and the check that every JSON request body parses.
func bindRoutes(se *core.ServeEvent) {
	se.Router.BindFunc(limitRecordBodies)
	se.Router.BindFunc(rejectMalformedJSON)

	staff := se.Router.Group("/api/invoices/{id}")
	staff.Bind(apis.RequireSuperuserAuth())
	staff.POST("/issue", handleIssue)
	staff.POST("/rectify", handleRectify)
	staff.POST("/void", handleVoid)
	staff.POST("/payments", handlePayment)

	// Staff or a contact of the invoice's customer; the handler decides.
	se.Router.GET("/api/invoices/{id}/pdf", handleDownloadPDF)
}

func handleIssue(e *core.RequestEvent) error {
	var body struct{}
	if err := DecodeBody(e, &body); err != nil {
		return err
	}
	inv, err := Issue(e.App, e.Request.PathValue("id"), ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, inv)
}

func handleRectify(e *core.RequestEvent) error {
	var body struct {
		Code   string `json:"code"`
		Reason string `json:"reason"`
	}
	if err := DecodeBody(e, &body); err != nil {
		return err
	}
	draft, err := Rectify(e.App, e.Request.PathValue("id"), body.Code, body.Reason)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, draft)
}

func handlePayment(e *core.RequestEvent) error {
	var body struct {
		Amount    amountJSON `json:"amount"`
		PaidOn    paidOnJSON `json:"paid_on"`
		Method    string     `json:"method"`
		Reference string     `json:"reference"`
	}
	if err := DecodeBody(e, &body); err != nil {
		return err
	}
	if !body.Amount.set {
		return bodyError(&fieldError{"amount", "is required"})
	}
	payment, err := RecordPayment(e.App, e.Request.PathValue("id"), Payment{
		Amount: body.Amount.Decimal, PaidOn: body.PaidOn.Time, Method: body.Method, Reference: body.Reference,
	}, ActorFromRequest(e))
	if err != nil {
		return err
	}
	return e.JSON(http.StatusCreated, payment)
}
