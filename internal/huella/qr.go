package huella

import (
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The tax agency's QR verification services. Invoices from a VERI*FACTU
// system point at ValidarQR; others at ValidarQRNoVerifactu.
const (
	qrBaseProduction = "https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/"
	qrBaseTesting    = "https://prewww2.aeat.es/wlpl/TIKE-CONT/"
)

// QR is what the printed QR code encodes.
type QR struct {
	IssuerTaxID string
	Number      string
	IssueDate   time.Time
	Total       decimal.Decimal
	VeriFactu   bool // the invoice comes from a VERI*FACTU system
	Testing     bool // point at the agency's test environment
}

// URL is the verification URL: nif, numserie, fecha (dd-mm-yyyy) and importe,
// each URL-encoded, in the order of the agency's specification.
func (q QR) URL() string {
	var b strings.Builder
	if q.Testing {
		b.WriteString(qrBaseTesting)
	} else {
		b.WriteString(qrBaseProduction)
	}
	if q.VeriFactu {
		b.WriteString("ValidarQR")
	} else {
		b.WriteString("ValidarQRNoVerifactu")
	}
	b.WriteString("?nif=")
	b.WriteString(url.QueryEscape(q.IssuerTaxID))
	b.WriteString("&numserie=")
	b.WriteString(url.QueryEscape(q.Number))
	b.WriteString("&fecha=")
	b.WriteString(url.QueryEscape(FormatDate(q.IssueDate)))
	b.WriteString("&importe=")
	b.WriteString(url.QueryEscape(FormatAmount(q.Total)))
	return b.String()
}
