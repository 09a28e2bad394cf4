package pdf

import "strings"

// The customer box takes the left of the row under the heading; the tax QR
// code sits on its right, near the top of the page as the AEAT asks.
const (
	qrLeft       = contentRight - qrSize
	customerW    = qrLeft - marginLeft - 10
	boxPadding   = 4.0
	accentStripe = 1.2
)

// drawPartiesRow draws the customer box and the QR block side by side and
// returns the y under the taller of the two.
func (r *renderer) drawPartiesRow(y float64) (float64, error) {
	bottom := r.drawCustomer(y)
	if strings.TrimSpace(r.inv.QR) != "" {
		qrBottom, err := r.drawQR(qrLeft, y)
		if err != nil {
			return 0, err
		}
		bottom = max(bottom, qrBottom)
	}
	return bottom + 6, nil
}

// drawCustomer draws the "bill to" panel, sized to its wrapped content, and
// returns the y under it.
func (r *renderer) drawCustomer(y float64) float64 {
	c := r.inv.Customer
	innerX := marginLeft + accentStripe + boxPadding
	innerW := customerW - accentStripe - 2*boxPadding

	r.font("B", sizeName)
	nameLines := r.wrap(c.Name, innerW)
	r.font("", sizeBody)
	var details []string
	for _, l := range r.partyDetails(c) {
		details = append(details, r.wrap(l, innerW)...)
	}
	labelH, nameH, bodyH := lineHeight(sizeCaption), lineHeight(sizeName), lineHeight(sizeBody)
	h := 2*boxPadding + labelH + 1 + float64(len(nameLines))*nameH + 0.5 + float64(len(details))*bodyH

	r.panel(marginLeft, y, customerW, h)

	ty := y + boxPadding
	r.font("B", sizeCaption)
	r.textColor(colorAccent)
	label := r.t("pdf.bill_to")
	if r.inv.Kind == KindQuote {
		label = r.t("pdf.quote.for")
	}
	if r.stmt != nil {
		label = r.t("pdf.statement.customer")
	}
	r.text(innerX, ty, innerW, labelH, strings.ToUpper(label), "L")
	ty += labelH + 1
	r.font("B", sizeName)
	r.textColor(colorText)
	ty = r.lines(innerX, ty, innerW, nameH, nameLines, "L") + 0.5
	r.font("", sizeBody)
	r.lines(innerX, ty, innerW, bodyH, details, "L")
	return y + h
}

// drawRectification states that the invoice is a rectifying one, with its
// type, the invoice it corrects and why. It returns the y under the box.
func (r *renderer) drawRectification(y float64) float64 {
	rect := r.inv.Rectification
	if rect == nil {
		return y
	}
	innerX := marginLeft + accentStripe + boxPadding
	innerW := contentWidth - accentStripe - 2*boxPadding
	code := strings.TrimSpace(rect.Code)
	bodyTexts := []string{
		r.tf("pdf.rectification.original", "number", rect.OriginalNumber, "date", r.date(rect.OriginalDate)),
		r.tf("pdf.rectification.code", "code", code, "description", r.t("pdf.rectification.code."+code)),
	}
	if reason := strings.TrimSpace(rect.Reason); reason != "" {
		bodyTexts = append(bodyTexts, r.tf("pdf.rectification.reason", "reason", reason))
	}
	r.font("", sizeBody)
	var body []string
	for _, s := range bodyTexts {
		body = append(body, r.wrap(s, innerW)...)
	}
	headH, bodyH := lineHeight(sizeBody+0.5), lineHeight(sizeBody)
	h := 2*boxPadding - 1 + headH + float64(len(body))*bodyH

	r.panel(marginLeft, y, contentWidth, h)
	ty := y + boxPadding - 0.5
	r.font("B", sizeBody+0.5)
	r.textColor(colorAccent)
	r.text(innerX, ty, innerW, headH, r.t("pdf.rectification.statement"), "L")
	r.font("", sizeBody)
	r.textColor(colorText)
	r.lines(innerX, ty+headH, innerW, bodyH, body, "L")
	return y + h + 6
}

// panel draws the tinted background, with an accent stripe on its left, that
// sets the customer and the rectification apart from the rest of the page.
func (r *renderer) panel(x, y, w, h float64) {
	r.box(x, y, w, h, colorTint)
	r.box(x, y, accentStripe, h, colorAccent)
}
