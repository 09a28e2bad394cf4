// Package ubl writes an invoice as a UBL 2.1 Invoice or CreditNote under
// EN 16931 and Peppol BIS Billing 3.0.
package ubl

import (
	"strings"

	"facturo/internal/einvoice"
	"facturo/internal/taxid"
	"facturo/internal/xmltree"
)

// Namespaces of the UBL documents.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// The Peppol BIS Billing 3.0 identifiers (BT-24, BT-23).
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Write returns the document as UBL XML: an Invoice, or a CreditNote for a
// factura rectificativa that credits.
func Write(d *einvoice.Document) []byte {
	return xmltree.Document(Build(d))
}

// Build returns the document's UBL tree.
func Build(d *einvoice.Document) *xmltree.Element {
	credit := d.CreditNote()
	root, ns := xmltree.New("Invoice"), nsInvoice
	if credit {
		root, ns = xmltree.New("CreditNote"), nsCreditNote
	}
	root.Declare("", ns).Declare("cac", nsCAC).Declare("cbc", nsCBC)
	cur := d.Currency

	root.AddText("cbc:CustomizationID", CustomizationID)
	root.AddText("cbc:ProfileID", ProfileID)
	root.AddText("cbc:ID", d.Number)
	root.AddText("cbc:IssueDate", date(d.IssueDate))
	if credit {
		root.AddText("cbc:CreditNoteTypeCode", "381")
	} else {
		if !d.DueDate.IsZero() {
			root.AddText("cbc:DueDate", date(d.DueDate))
		}
		root.AddText("cbc:InvoiceTypeCode", "380")
	}
	// Peppol allows one note (PEPPOL-EN16931-R002): the notes are joined.
	root.AddOptional("cbc:Note", strings.Join(d.Notes, "\n"))
	root.AddText("cbc:DocumentCurrencyCode", cur)
	root.AddText("cbc:BuyerReference", buyerReference(d))
	if d.OrderReference != "" {
		root.Add("cac:OrderReference").AddText("cbc:ID", d.OrderReference)
	}
	if r := d.Rectification; r != nil && r.OriginalNumber != "" {
		ref := root.Add("cac:BillingReference").Add("cac:InvoiceDocumentReference")
		ref.AddText("cbc:ID", r.OriginalNumber)
		if !r.OriginalDate.IsZero() {
			ref.AddText("cbc:IssueDate", date(r.OriginalDate))
		}
	}
	notSubject := d.NotSubject()
	party(root.Add("cac:AccountingSupplierParty"), d.Seller, !notSubject)
	party(root.Add("cac:AccountingCustomerParty"), d.Buyer, !notSubject)

	intraEU := d.HasCategory(einvoice.CategoryIntraEU)
	if !d.OperationDate.IsZero() || intraEU {
		delivery := root.Add("cac:Delivery")
		when := d.OperationDate
		if when.IsZero() {
			when = d.IssueDate
		}
		delivery.AddText("cbc:ActualDeliveryDate", date(when))
		if intraEU {
			// The goods go to the buyer's address (BR-IC-12 wants its country).
			postalAddress(delivery.Add("cac:DeliveryLocation"), "cac:Address", d.Buyer)
		}
	}
	if p := d.Payment; p != nil {
		means := root.Add("cac:PaymentMeans")
		means.AddText("cbc:PaymentMeansCode", "58").Set("name", "SEPA credit transfer")
		means.AddOptional("cbc:PaymentID", p.Reference)
		account := means.Add("cac:PayeeFinancialAccount")
		account.AddText("cbc:ID", taxid.Normalize(p.IBAN))
		if p.BIC != "" {
			account.Add("cac:FinancialInstitutionBranch").AddText("cbc:ID", taxid.Normalize(p.BIC))
		}
	}
	if credit || d.PaymentTerms != "" {
		// A credit note has no due date of its own (BT-9 would sit in a
		// payment means); its terms say when the credit is settled.
		root.Add("cac:PaymentTerms").AddText("cbc:Note", paymentTerms(d))
	}

	totals := d.ENTotals()
	taxTotal := root.Add("cac:TaxTotal")
	amount(taxTotal, "cbc:TaxAmount", totals.Tax, cur)
	for _, row := range d.ENBreakdown() {
		sub := taxTotal.Add("cac:TaxSubtotal")
		amount(sub, "cbc:TaxableAmount", row.Base, cur)
		amount(sub, "cbc:TaxAmount", row.Tax, cur)
		category := sub.Add("cac:TaxCategory")
		category.AddText("cbc:ID", row.Category.Code)
		if row.Category.Code != einvoice.CategoryNotSubject {
			category.AddText("cbc:Percent", einvoice.Percent(row.Percent))
		}
		if row.Category.Exempt() {
			category.AddOptional("cbc:TaxExemptionReasonCode", row.Category.VATEX)
			category.AddOptional("cbc:TaxExemptionReason", row.Category.Reason)
		}
		category.Add("cac:TaxScheme").AddText("cbc:ID", "VAT")
	}

	monetary := root.Add("cac:LegalMonetaryTotal")
	amount(monetary, "cbc:LineExtensionAmount", totals.Lines, cur)
	amount(monetary, "cbc:TaxExclusiveAmount", totals.TaxExclusive, cur)
	amount(monetary, "cbc:TaxInclusiveAmount", totals.TaxInclusive, cur)
	if !totals.Prepaid.IsZero() {
		amount(monetary, "cbc:PrepaidAmount", totals.Prepaid, cur)
	}
	amount(monetary, "cbc:PayableAmount", totals.Payable, cur)

	lineName, quantityName := "cac:InvoiceLine", "cbc:InvoicedQuantity"
	if credit {
		lineName, quantityName = "cac:CreditNoteLine", "cbc:CreditedQuantity"
	}
	for i, l := range d.ENLines() {
		line := root.Add(lineName)
		line.AddText("cbc:ID", itoa(i+1))
		line.AddText(quantityName, l.Quantity.String()).Set("unitCode", "C62")
		amount(line, "cbc:LineExtensionAmount", l.Amount, cur)
		if !l.Discount.IsZero() {
			allowance := line.Add("cac:AllowanceCharge")
			allowance.AddText("cbc:ChargeIndicator", "false")
			allowance.AddText("cbc:AllowanceChargeReasonCode", "95") // discount
			allowance.AddText("cbc:MultiplierFactorNumeric", l.Discount.String())
			amount(allowance, "cbc:Amount", l.Allowance, cur)
			amount(allowance, "cbc:BaseAmount", l.Gross, cur)
		}
		item := line.Add("cac:Item")
		item.AddText("cbc:Name", l.Description)
		category := item.Add("cac:ClassifiedTaxCategory")
		category.AddText("cbc:ID", l.Category.Code)
		if l.Category.Code != einvoice.CategoryNotSubject {
			category.AddText("cbc:Percent", einvoice.Percent(l.Percent))
		}
		category.Add("cac:TaxScheme").AddText("cbc:ID", "VAT")
		amount(line.Add("cac:Price"), "cbc:PriceAmount", l.UnitPrice, cur)
	}
	return root
}

// buyerReference is BT-10, which Peppol requires unless an order is named
// (PEPPOL-EN16931-R003): the customer's reference, else the order's, else
// the invoice's own number, which the buyer can quote back.
func buyerReference(d *einvoice.Document) string {
	switch {
	case d.BuyerReference != "":
		return d.BuyerReference
	case d.OrderReference != "":
		return d.OrderReference
	}
	return d.Number
}

// paymentTerms is the text of BT-20.
func paymentTerms(d *einvoice.Document) string {
	if d.PaymentTerms != "" {
		return d.PaymentTerms
	}
	return date(d.DueDate)
}

// party writes a seller or buyer: its Peppol address, names, postal
// address, VAT number (unless the invoice is not subject to VAT, BR-O-02)
// and legal identifier, and contact.
func party(parent *xmltree.Element, p einvoice.Party, withVAT bool) {
	e := parent.Add("cac:Party")
	if scheme, id, ok := einvoice.EndpointID(p); ok {
		e.AddText("cbc:EndpointID", id).Set("schemeID", scheme)
	}
	if p.TradeName != "" {
		e.Add("cac:PartyName").AddText("cbc:Name", p.TradeName)
	}
	postalAddress(e, "cac:PostalAddress", p)
	if vat := einvoice.VATNumber(p); withVAT && vat != "" {
		scheme := e.Add("cac:PartyTaxScheme")
		scheme.AddText("cbc:CompanyID", vat)
		scheme.Add("cac:TaxScheme").AddText("cbc:ID", "VAT")
	}
	legal := e.Add("cac:PartyLegalEntity")
	legal.AddText("cbc:RegistrationName", p.Name)
	legal.AddOptional("cbc:CompanyID", taxid.Normalize(p.TaxID))
	if p.Phone != "" || p.Email != "" {
		contact := e.Add("cac:Contact")
		contact.AddOptional("cbc:Telephone", p.Phone)
		contact.AddOptional("cbc:ElectronicMail", p.Email)
	}
}

func postalAddress(parent *xmltree.Element, name string, p einvoice.Party) {
	a := parent.Add(name)
	a.AddOptional("cbc:StreetName", p.Address)
	a.AddOptional("cbc:CityName", p.City)
	a.AddOptional("cbc:PostalZone", p.PostalCode)
	a.AddOptional("cbc:CountrySubentity", p.Province)
	a.Add("cac:Country").AddText("cbc:IdentificationCode", p.Country)
}
