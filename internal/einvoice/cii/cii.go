// Package cii writes an invoice as a UN/CEFACT Cross Industry Invoice
// (D16B) under the EN 16931 profile: the XML that Factur-X and ZUGFeRD
// carry inside the PDF.
package cii

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"facturo/internal/einvoice"
	"facturo/internal/taxid"
	"facturo/internal/xmltree"
)

const (
	nsRSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	nsRAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
	nsUDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
	nsQDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
)

// Guideline is the EN 16931 specification identifier (BT-24), which is
// also Factur-X's EN 16931 profile.
const Guideline = "urn:cen.eu:en16931:2017"

// Write returns the document as CII XML.
func Write(d *einvoice.Document) []byte { return xmltree.Document(Build(d)) }

// Build returns the document's CII tree.
func Build(d *einvoice.Document) *xmltree.Element {
	root := xmltree.New("rsm:CrossIndustryInvoice").
		Declare("rsm", nsRSM).Declare("ram", nsRAM).Declare("udt", nsUDT).Declare("qdt", nsQDT)
	cur := d.Currency
	root.Add("rsm:ExchangedDocumentContext").Add("ram:GuidelineSpecifiedDocumentContextParameter").AddText("ram:ID", Guideline)

	doc := root.Add("rsm:ExchangedDocument")
	doc.AddText("ram:ID", d.Number)
	typeCode := "380"
	if d.CreditNote() {
		typeCode = "381"
	}
	doc.AddText("ram:TypeCode", typeCode)
	dateTime(doc.Add("ram:IssueDateTime"), "udt:DateTimeString", d.IssueDate)
	for _, n := range d.Notes {
		if strings.TrimSpace(n) != "" {
			doc.Add("ram:IncludedNote").AddText("ram:Content", n)
		}
	}

	tx := root.Add("rsm:SupplyChainTradeTransaction")
	for i, l := range d.ENLines() {
		item := tx.Add("ram:IncludedSupplyChainTradeLineItem")
		item.Add("ram:AssociatedDocumentLineDocument").AddText("ram:LineID", strconv.Itoa(i+1))
		item.Add("ram:SpecifiedTradeProduct").AddText("ram:Name", l.Description)
		amount(item.Add("ram:SpecifiedLineTradeAgreement").Add("ram:NetPriceProductTradePrice"), "ram:ChargeAmount", l.UnitPrice, "")
		item.Add("ram:SpecifiedLineTradeDelivery").AddText("ram:BilledQuantity", l.Quantity.String()).Set("unitCode", "C62")
		settlement := item.Add("ram:SpecifiedLineTradeSettlement")
		tax := settlement.Add("ram:ApplicableTradeTax")
		tax.AddText("ram:TypeCode", "VAT")
		tax.AddText("ram:CategoryCode", l.Category.Code)
		if l.Category.Code != einvoice.CategoryNotSubject {
			tax.AddText("ram:RateApplicablePercent", einvoice.Percent(l.Percent))
		}
		if !l.Discount.IsZero() {
			allowance := settlement.Add("ram:SpecifiedTradeAllowanceCharge")
			allowance.Add("ram:ChargeIndicator").AddText("udt:Indicator", "false")
			allowance.AddText("ram:CalculationPercent", l.Discount.String())
			amount(allowance, "ram:BasisAmount", l.Gross, "")
			amount(allowance, "ram:ActualAmount", l.Allowance, "")
			allowance.AddText("ram:ReasonCode", "95") // discount
		}
		amount(settlement.Add("ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount", l.Amount, "")
	}

	agreement := tx.Add("ram:ApplicableHeaderTradeAgreement")
	agreement.AddOptional("ram:BuyerReference", d.BuyerReference)
	notSubject := d.NotSubject()
	party(agreement.Add("ram:SellerTradeParty"), d.Seller, !notSubject)
	party(agreement.Add("ram:BuyerTradeParty"), d.Buyer, !notSubject)
	if d.OrderReference != "" {
		agreement.Add("ram:BuyerOrderReferencedDocument").AddText("ram:IssuerAssignedID", d.OrderReference)
	}

	delivery := tx.Add("ram:ApplicableHeaderTradeDelivery")
	intraEU := d.HasCategory(einvoice.CategoryIntraEU)
	if intraEU {
		address(delivery.Add("ram:ShipToTradeParty"), d.Buyer)
	}
	if !d.OperationDate.IsZero() || intraEU {
		when := d.OperationDate
		if when.IsZero() {
			when = d.IssueDate
		}
		dateTime(delivery.Add("ram:ActualDeliverySupplyChainEvent").Add("ram:OccurrenceDateTime"), "udt:DateTimeString", when)
	}

	settlement := tx.Add("ram:ApplicableHeaderTradeSettlement")
	if d.Payment != nil {
		settlement.AddOptional("ram:PaymentReference", d.Payment.Reference)
	}
	settlement.AddText("ram:InvoiceCurrencyCode", cur)
	if p := d.Payment; p != nil {
		means := settlement.Add("ram:SpecifiedTradeSettlementPaymentMeans")
		means.AddText("ram:TypeCode", "58") // SEPA credit transfer
		means.Add("ram:PayeePartyCreditorFinancialAccount").AddText("ram:IBANID", taxid.Normalize(p.IBAN))
		if p.BIC != "" {
			means.Add("ram:PayeeSpecifiedCreditorFinancialInstitution").AddText("ram:BICID", taxid.Normalize(p.BIC))
		}
	}
	for _, row := range d.ENBreakdown() {
		tax := settlement.Add("ram:ApplicableTradeTax")
		amount(tax, "ram:CalculatedAmount", row.Tax, "")
		tax.AddText("ram:TypeCode", "VAT")
		if row.Category.Exempt() {
			tax.AddOptional("ram:ExemptionReason", row.Category.Reason)
		}
		amount(tax, "ram:BasisAmount", row.Base, "")
		tax.AddText("ram:CategoryCode", row.Category.Code)
		if row.Category.Exempt() {
			tax.AddOptional("ram:ExemptionReasonCode", row.Category.VATEX)
		}
		if row.Category.Code != einvoice.CategoryNotSubject {
			tax.AddText("ram:RateApplicablePercent", einvoice.Percent(row.Percent))
		}
	}
	if !d.DueDate.IsZero() || d.PaymentTerms != "" {
		terms := settlement.Add("ram:SpecifiedTradePaymentTerms")
		terms.AddOptional("ram:Description", d.PaymentTerms)
		if !d.DueDate.IsZero() && !d.CreditNote() {
			dateTime(terms.Add("ram:DueDateDateTime"), "udt:DateTimeString", d.DueDate)
		}
	}
	totals := d.ENTotals()
	sum := settlement.Add("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	amount(sum, "ram:LineTotalAmount", totals.Lines, "")
	amount(sum, "ram:TaxBasisTotalAmount", totals.TaxExclusive, "")
	amount(sum, "ram:TaxTotalAmount", totals.Tax, cur)
	amount(sum, "ram:GrandTotalAmount", totals.TaxInclusive, "")
	if !totals.Prepaid.IsZero() {
		amount(sum, "ram:TotalPrepaidAmount", totals.Prepaid, "")
	}
	amount(sum, "ram:DuePayableAmount", totals.Payable, "")
	if r := d.Rectification; r != nil && r.OriginalNumber != "" {
		ref := settlement.Add("ram:InvoiceReferencedDocument")
		ref.AddText("ram:IssuerAssignedID", r.OriginalNumber)
		if !r.OriginalDate.IsZero() {
			dateTime(ref.Add("ram:FormattedIssueDateTime"), "qdt:DateTimeString", r.OriginalDate)
		}
	}
	return root
}

// party writes a seller or buyer: name, legal identifier, contact, postal
// address, electronic address and VAT number (none when the invoice is
// not subject to VAT, BR-O-02).
func party(e *xmltree.Element, p einvoice.Party, withVAT bool) {
	e.AddText("ram:Name", p.Name)
	if id := taxid.Normalize(p.TaxID); id != "" {
		legal := e.Add("ram:SpecifiedLegalOrganization")
		legal.AddText("ram:ID", id)
		legal.AddOptional("ram:TradingBusinessName", p.TradeName)
	}
	if p.Phone != "" || p.Email != "" {
		contact := e.Add("ram:DefinedTradeContact")
		if p.Phone != "" {
			contact.Add("ram:TelephoneUniversalCommunication").AddText("ram:CompleteNumber", p.Phone)
		}
		if p.Email != "" {
			contact.Add("ram:EmailURIUniversalCommunication").AddText("ram:URIID", p.Email)
		}
	}
	address(e, p)
	if scheme, id, ok := einvoice.EndpointID(p); ok {
		e.Add("ram:URIUniversalCommunication").AddText("ram:URIID", id).Set("schemeID", scheme)
	}
	if vat := einvoice.VATNumber(p); withVAT && vat != "" {
		e.Add("ram:SpecifiedTaxRegistration").AddText("ram:ID", vat).Set("schemeID", "VA")
	}
}

func address(parent *xmltree.Element, p einvoice.Party) {
	a := parent.Add("ram:PostalTradeAddress")
	a.AddOptional("ram:PostcodeCode", p.PostalCode)
	a.AddOptional("ram:LineOne", p.Address)
	a.AddOptional("ram:CityName", p.City)
	a.AddText("ram:CountryID", p.Country)
	a.AddOptional("ram:CountrySubDivisionName", p.Province)
}

func dateTime(parent *xmltree.Element, name string, t time.Time) {
	parent.AddText(name, t.Format("20060102")).Set("format", "102")
}

func amount(parent *xmltree.Element, name string, a decimal.Decimal, currency string) {
	e := parent.AddText(name, einvoice.Money(a))
	if currency != "" {
		e.Set("currencyID", currency)
	}
}
