package mail_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"facturo/hooks/invoicing"
	"facturo/internal/apptest"
	"facturo/internal/tracking"
	"facturo/ui"
)

var ddRe = regexp.MustCompile(`<dd id="([a-z-]+)">(.*?)</dd>`)

// TestViewLinkReadsCorrectionsAsCorrections: the e-mailed page of a
// credit that corrects an invoice in full reads as a credit, names the
// invoice it corrects and says nothing is left to pay; the corrected
// invoice's page names its correction, and neither reads "pending
// payment".
func TestViewLinkReadsCorrectionsAsCorrections(t *testing.T) {
	app, _ := setup(t)
	base := apptest.Serve(t, app)
	original := issueA(t, app)
	draft, err := invoicing.Rectify(app, original.Id, "R1", "Precio erróneo")
	must(t, err)
	r, err := invoicing.Issue(app, draft.Id, invoicing.Actor{Email: apptest.StaffEmail})
	must(t, err)

	page := func(id string) map[string]string {
		msg := queue(t, app, id)
		token := signWithAppKey(t, app, tracking.Claims{Kind: tracking.KindView, MessageID: msg.Id, Recipient: "billing@alfa.example", Expires: time.Now().Add(time.Hour)})
		status, _, body := get(t, "GET", base+"/v/"+token, personUA)
		if status != 200 {
			t.Fatalf("the view page of %s: %d", id, status)
		}
		out := map[string]string{}
		for _, m := range ddRe.FindAllStringSubmatch(string(body), -1) {
			out[m[1]] = html.UnescapeString(m[2])
		}
		return out
	}
	nothing := ui.FormatMoney("es", decimal.Zero, "EUR")
	credit := page(r.Id)
	if credit["payment"] != ui.T("es", "view.payment.credit") || credit["pair-owed"] != nothing {
		t.Errorf("the credit's page: %v", credit)
	}
	corrected := page(original.Id)
	if corrected["payment"] != ui.T("es", "view.payment.pair_settled") || corrected["pair-owed"] != nothing ||
		!strings.Contains(corrected["rectified-by"], r.GetString("number")) {
		t.Errorf("the corrected invoice's page: %v", corrected)
	}
}
