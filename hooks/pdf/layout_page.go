package pdf

import "strconv"

// drawRunningHeader marks the pages after the first with the issuer and the
// invoice number, so that a loose page can still be told apart.
func (r *renderer) drawRunningHeader() {
	if r.f.PageNo() == 1 {
		return
	}
	y := marginTop - 4
	h := lineHeight(sizeSmall)
	r.font("B", sizeSmall)
	r.textColor(colorText)
	r.text(marginLeft, y, contentWidth/2, h, r.inv.Issuer.Name, "L")
	r.font("", sizeSmall)
	r.textColor(colorMuted)
	label := r.title() + " " + r.inv.Number + " (" + r.t("pdf.continued") + ")"
	r.text(marginLeft+contentWidth/2, y, contentWidth/2, h, label, "R")
	r.hrule(marginLeft, contentRight, y+h+1.5, 0.2, colorRule)
}

// drawFooter prints the issuer's legal identification and "page x of y" on
// every page.
func (r *renderer) drawFooter() {
	iss := r.inv.Issuer
	r.hrule(marginLeft, contentRight, footerTop, 0.2, colorRule)
	r.font("", sizeCaption)
	r.textColor(colorMuted)
	h := lineHeight(sizeCaption)
	pageW := 30.0
	ident := joinNonEmpty(" | ", iss.Name, iss.TaxID, iss.Registry)
	r.lines(marginLeft, footerTop+2, contentWidth-pageW-4, h, r.wrap(ident, contentWidth-pageW-4), "L")
	r.text(contentRight-pageW+r.pageCountExcess(), footerTop+2, pageW, h, r.pageLabel(), "R")
}

// pageCountAlias is replaced by fpdf with the page count when the document
// is closed.
const pageCountAlias = "{nb}"

// pageLabel is "page x of y", with y still as pageCountAlias.
func (r *renderer) pageLabel() string {
	return r.tf("pdf.page", "page", strconv.Itoa(r.f.PageNo()), "pages", pageCountAlias)
}

// pageCountExcess is how much wider the alias is than the page count it
// stands for, so that the label still ends on the right margin once the
// count is put in. The count is taken to have as many digits as the current
// page number: exact on the last page and whenever both have the same
// number of digits.
func (r *renderer) pageCountExcess() float64 {
	return r.f.GetStringWidth(pageCountAlias) - r.f.GetStringWidth(strconv.Itoa(r.f.PageNo()))
}
