package pdf

// Kind is what a document drawn from an Invoice is.
type Kind int

const (
	// KindInvoice is an issued invoice, as the customer receives it.
	KindInvoice Kind = iota
	// KindDraft is the preview of a draft invoice: marked as a draft on
	// every page, with no number and no QR code, so that it can never pass
	// for an invoice.
	KindDraft
	// KindQuote is a quote (presupuesto): its own title and number, the day
	// it stands until instead of a due date, no payment block and no QR.
	KindQuote
)

// numberLabel is the label of the document's number.
func (r *renderer) numberLabel() string {
	if r.inv.Kind == KindQuote {
		return r.t("pdf.quote.number")
	}
	return r.t("pdf.number")
}

// numberText is the number as printed; a draft has none yet.
func (r *renderer) numberText() string {
	if r.inv.Kind == KindDraft {
		return r.t("pdf.draft.no_number")
	}
	return r.inv.Number
}

// draftMark is what marks every page of a draft's preview.
func (r *renderer) draftMark() string {
	if r.inv.Kind != KindDraft {
		return ""
	}
	return r.t("pdf.draft.mark")
}
