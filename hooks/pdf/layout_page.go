package pdf

import "strconv"

// drawRunningHeader marks the pages after the first with the issuer and the
// invoice number, so that a loose page can still be told apart.
func (r *renderer) drawRunningHeader() {
	y := marginTop - 4
	h := lineHeight(sizeSmall)
	r.font("B", sizeSmall)
	r.textColor(colorText)
	r.text(marginLeft, y, contentWidth/2, h, r.inv.Issuer.Name, "L")
	r.font("", sizeSmall)
	r.textColor(colorMuted)
	label := r.title() + " " + r.numberText() + " (" + r.t("pdf.continued") + ")"
	if r.stmt != nil {
		label = r.t("pdf.statement") + " " + r.inv.Customer.Name + " " + r.date(r.stmt.AsOf) + " (" + r.t("pdf.continued") + ")"
	}
	r.text(marginLeft+contentWidth/2, y, contentWidth/2, h, label, "R")
	r.hrule(marginLeft, contentRight, y+h+1.5, 0.2, colorRule)
}

// drawFooter prints the issuer's legal identification and "page x of y" on
// page number page of pages.
func (r *renderer) drawFooter(page, pages int) {
	iss := r.inv.Issuer
	r.hrule(marginLeft, contentRight, footerTop, 0.2, colorRule)
	r.font("", sizeCaption)
	r.textColor(colorMuted)
	h := lineHeight(sizeCaption)
	pageW := 30.0
	ident := joinNonEmpty(" | ", r.draftMark(), iss.Name, iss.TaxID, iss.Registry)
	r.lines(marginLeft, footerTop+2, contentWidth-pageW-4, h, r.wrap(ident, contentWidth-pageW-4), "L")
	label := r.tf("pdf.page", "page", strconv.Itoa(page), "pages", strconv.Itoa(pages))
	r.text(contentRight-pageW, footerTop+2, pageW, h, label, "R")
}
