// Package facturae writes an invoice as Facturae 3.2.2, the Spanish
// format FACe takes from suppliers of public administrations; the xades
// package signs it.
package facturae

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"

	"facturo/internal/einvoice"
	"facturo/internal/taxid"
	"facturo/internal/xmltree"
)

// Namespace is Facturae 3.2.2's.
const Namespace = "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml"

// Write returns the document as unsigned Facturae XML.
func Write(d *einvoice.Document) []byte { return xmltree.Document(Build(d)) }

// Build returns the document's Facturae tree, which xades.Sign can sign.
func Build(d *einvoice.Document) *xmltree.Element {
	root := xmltree.New("fe:Facturae").Declare("fe", Namespace)
	t := d.Totals

	header := root.Add("FileHeader")
	header.AddText("SchemaVersion", "3.2.2")
	header.AddText("Modality", "I")           // one invoice
	header.AddText("InvoiceIssuerType", "EM") // the seller issues it
	batch := header.Add("Batch")
	batch.AddText("BatchIdentifier", clip(taxid.Normalize(d.Seller.TaxID)+d.Number, 70))
	batch.AddText("InvoicesCount", "1")
	money(batch.Add("TotalInvoicesAmount"), "TotalAmount", t.Total)
	money(batch.Add("TotalOutstandingAmount"), "TotalAmount", t.Total)
	money(batch.Add("TotalExecutableAmount"), "TotalAmount", t.Total)
	batch.AddText("InvoiceCurrencyCode", d.Currency)

	parties := root.Add("Parties")
	business(parties.Add("SellerParty"), d.Seller, false)
	business(parties.Add("BuyerParty"), d.Buyer, true)

	inv := root.Add("Invoices").Add("Invoice")
	h := inv.Add("InvoiceHeader")
	h.AddText("InvoiceNumber", clip(d.Number, 20))
	h.AddText("InvoiceDocumentType", "FC") // factura completa
	if r := d.Rectification; r != nil {
		h.AddText("InvoiceClass", "OR") // original rectificativa
		corrective(h.Add("Corrective"), r)
	} else {
		h.AddText("InvoiceClass", "OO")
	}

	issue := inv.Add("InvoiceIssueData")
	issue.AddText("IssueDate", date(d.IssueDate))
	if !d.OperationDate.IsZero() {
		issue.AddText("OperationDate", date(d.OperationDate))
	}
	issue.AddText("InvoiceCurrencyCode", d.Currency)
	issue.AddText("TaxCurrencyCode", d.Currency)
	issue.AddText("LanguageName", languageCode(d.Language))
	issue.AddOptional("ReceiverTransactionReference", clip(d.OrderReference, 20))
	issue.AddOptional("FileReference", clip(d.BuyerReference, 20))

	outputs := inv.Add("TaxesOutputs")
	for _, row := range d.VAT {
		tax := outputs.Add("Tax")
		tax.AddText("TaxTypeCode", "01") // IVA
		tax.AddText("TaxRate", rate(row.Rate))
		money(tax.Add("TaxableBase"), "TotalAmount", row.Base)
		money(tax.Add("TaxAmount"), "TotalAmount", row.Tax)
		if !row.Surcharge.IsZero() {
			tax.AddText("EquivalenceSurcharge", rate(row.Surcharge))
			money(tax.Add("EquivalenceSurchargeAmount"), "TotalAmount", row.SurchargeAmount)
		}
	}
	if len(d.Withholdings) > 0 {
		withheld := inv.Add("TaxesWithheld")
		for _, w := range d.Withholdings {
			tax := withheld.Add("Tax")
			tax.AddText("TaxTypeCode", "04") // IRPF
			tax.AddText("TaxRate", rate(w.Rate))
			money(tax.Add("TaxableBase"), "TotalAmount", w.Base)
			money(tax.Add("TaxAmount"), "TotalAmount", w.Amount)
		}
	}

	totals := inv.Add("InvoiceTotals")
	totals.AddText("TotalGrossAmount", einvoice.Money(t.Subtotal))
	totals.AddText("TotalGrossAmountBeforeTaxes", einvoice.Money(t.Subtotal))
	totals.AddText("TotalTaxOutputs", einvoice.Money(t.Tax.Add(t.Surcharge)))
	totals.AddText("TotalTaxesWithheld", einvoice.Money(t.Withholding))
	totals.AddText("InvoiceTotal", einvoice.Money(t.Total))
	totals.AddText("TotalOutstandingAmount", einvoice.Money(t.Total))
	totals.AddText("TotalExecutableAmount", einvoice.Money(t.Total))

	items := inv.Add("Items")
	for _, l := range d.Lines {
		line := items.Add("InvoiceLine")
		line.AddText("ItemDescription", clip(l.Description, 2500))
		line.AddText("Quantity", l.Quantity.String())
		line.AddText("UnitOfMeasure", "01") // units
		line.AddText("UnitPriceWithoutTax", upTo8(l.UnitPrice))
		cost := l.Quantity.Mul(l.UnitPrice).Round(8)
		line.AddText("TotalCost", upTo8(cost))
		if !l.Discount.IsZero() {
			discount := line.Add("DiscountsAndRebates").Add("Discount")
			discount.AddText("DiscountReason", "Descuento")
			discount.AddText("DiscountRate", upTo8(l.Discount))
			discount.AddText("DiscountAmount", upTo8(cost.Sub(l.Amount)))
		}
		line.AddText("GrossAmount", einvoice.Money(l.Amount))
		if !l.Withholding.IsZero() {
			tax := line.Add("TaxesWithheld").Add("Tax")
			tax.AddText("TaxTypeCode", "04")
			tax.AddText("TaxRate", rate(l.Withholding))
			money(tax.Add("TaxableBase"), "TotalAmount", l.Amount)
		}
		tax := line.Add("TaxesOutputs").Add("Tax")
		tax.AddText("TaxTypeCode", "01")
		tax.AddText("TaxRate", rate(l.VAT))
		money(tax.Add("TaxableBase"), "TotalAmount", l.Amount)
		if !l.Surcharge.IsZero() {
			tax.AddText("EquivalenceSurcharge", rate(l.Surcharge))
		}
		if l.Category.Exempt() {
			event := line.Add("SpecialTaxableEvent")
			code := "01" // exenta
			if l.Category.Code == einvoice.CategoryNotSubject {
				code = "02" // no sujeta
			}
			event.AddText("SpecialTaxableEventCode", code)
			event.AddText("SpecialTaxableEventReason", clip(l.Category.Reason, 2500))
		}
	}

	if p := d.Payment; p != nil {
		installment := inv.Add("PaymentDetails").Add("Installment")
		installment.AddText("InstallmentDueDate", date(d.DueDate))
		installment.AddText("InstallmentAmount", einvoice.Money(t.Total))
		installment.AddText("PaymentMeans", "04") // transfer
		account := installment.Add("AccountToBeCredited")
		account.AddText("IBAN", taxid.Normalize(p.IBAN))
		if p.BIC != "" {
			account.AddText("BIC", taxid.Normalize(p.BIC))
		}
		installment.AddOptional("PaymentReconciliationReference", clip(p.Reference, 60))
	}
	if notes := strings.TrimSpace(strings.Join(d.Notes, "\n")); notes != "" {
		inv.Add("AdditionalData").AddText("InvoiceAdditionalInformation", clip(notes, 2500))
	}
	return root
}

// reasons are Facturae's reason codes for a factura rectificativa by the
// legal grounds VERI*FACTU names: R1 (error in law, art. 80.Uno, Dos and
// Seis LIVA), R4 (other causes) and R5 (simplified invoices) correct the
// taxable base; R2 and R3 (a customer in insolvency proceedings, debts not
// collected: art. 80.Tres and Cuatro) are "cuotas repercutidas no
// satisfechas".
var reasons = map[string][2]string{
	"R1": {"16", "Base imponible"},
	"R2": {"85", "Base imponible modificada cuotas repercutidas no satisfechas. Auto de declaración de concurso"},
	"R3": {"85", "Base imponible modificada cuotas repercutidas no satisfechas. Auto de declaración de concurso"},
	"R4": {"16", "Base imponible"},
	"R5": {"16", "Base imponible"},
}

// corrective writes the rectification block. The product's facturas
// rectificativas state the difference (negative quantities to cancel):
// correction method 02.
func corrective(c *xmltree.Element, r *einvoice.Rectification) {
	c.AddOptional("InvoiceNumber", clip(r.OriginalNumber, 20))
	reason, ok := reasons[r.Code]
	if !ok {
		reason = reasons["R4"]
	}
	c.AddText("ReasonCode", reason[0])
	c.AddText("ReasonDescription", reason[1])
	period := c.Add("TaxPeriod")
	period.AddText("StartDate", date(r.OriginalDate))
	period.AddText("EndDate", date(r.OriginalDate))
	c.AddText("CorrectionMethod", "02")
	c.AddText("CorrectionMethodDescription", "Rectificación por diferencias")
	c.AddOptional("AdditionalReasonDescription", clip(r.Reason, 2500))
	if !r.OriginalDate.IsZero() {
		c.AddText("InvoiceIssueDate", date(r.OriginalDate))
	}
}

// business writes a party: its tax identification, a public body's DIR3
// units (the buyer's), and its name and address as a person or an entity.
func business(e *xmltree.Element, p einvoice.Party, buyer bool) {
	id := e.Add("TaxIdentification")
	person := einvoice.NaturalPerson(p)
	if person {
		id.AddText("PersonTypeCode", "F")
	} else {
		id.AddText("PersonTypeCode", "J")
	}
	switch {
	case p.Country == "ES":
		id.AddText("ResidenceTypeCode", "R")
	case einvoice.InEU(p.Country):
		id.AddText("ResidenceTypeCode", "U")
	default:
		id.AddText("ResidenceTypeCode", "E")
	}
	taxID := taxid.Normalize(p.TaxID)
	if p.Country == "ES" {
		taxID = strings.TrimPrefix(taxID, "ES")
	}
	id.AddText("TaxIdentificationNumber", clip(taxID, 30))

	if buyer && p.DIR3.Complete() {
		centres := e.Add("AdministrativeCentres")
		for _, c := range []struct{ code, role string }{
			{p.DIR3.OficinaContable, "01"}, {p.DIR3.OrganoGestor, "02"}, {p.DIR3.UnidadTramitadora, "03"},
		} {
			centre := centres.Add("AdministrativeCentre")
			centre.AddText("CentreCode", c.code)
			centre.AddText("RoleTypeCode", c.role)
			address(centre, p)
		}
	}

	if person {
		individual := e.Add("Individual")
		given, first, second := splitName(p.Name)
		individual.AddText("Name", clip(given, 40))
		individual.AddText("FirstSurname", clip(first, 40))
		individual.AddOptional("SecondSurname", clip(second, 40))
		address(individual, p)
		contact(individual, p)
		return
	}
	entity := e.Add("LegalEntity")
	entity.AddText("CorporateName", clip(p.Name, 80))
	entity.AddOptional("TradeName", clip(p.TradeName, 40))
	address(entity, p)
	contact(entity, p)
}

// splitName reads a Spanish full name as given name and two surnames:
// the last two words are the surnames, the rest the name. Compound
// surnames ("de la Fuente") cannot be told from the words alone; the NIF
// identifies the person either way.
func splitName(full string) (given, first, second string) {
	w := strings.Fields(full)
	switch len(w) {
	case 0:
		return "", "", ""
	case 1:
		return w[0], w[0], ""
	case 2:
		return w[0], w[1], ""
	}
	return strings.Join(w[:len(w)-2], " "), w[len(w)-2], w[len(w)-1]
}

func address(e *xmltree.Element, p einvoice.Party) {
	if p.Country == "ES" {
		a := e.Add("AddressInSpain")
		a.AddText("Address", clip(p.Address, 80))
		a.AddText("PostCode", p.PostalCode)
		a.AddText("Town", clip(p.City, 50))
		a.AddText("Province", clip(p.Province, 20))
		a.AddText("CountryCode", "ESP")
		return
	}
	a := e.Add("OverseasAddress")
	a.AddText("Address", clip(p.Address, 80))
	a.AddText("PostCodeAndTown", clip(strings.TrimSpace(p.PostalCode+" "+p.City), 50))
	a.AddText("Province", clip(p.Province, 20))
	a.AddText("CountryCode", country3(p.Country))
}

func contact(e *xmltree.Element, p einvoice.Party) {
	if p.Phone == "" && p.Email == "" {
		return
	}
	c := e.Add("ContactDetails")
	c.AddOptional("Telephone", clip(p.Phone, 15))
	c.AddOptional("ElectronicMail", clip(p.Email, 60))
}

// country3 is the ISO 3166-1 alpha-3 code Facturae writes ("GB" → "GBR").
func country3(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	return r.ISO3()
}

func languageCode(lang string) string {
	if lang == "en" {
		return "en"
	}
	return "es"
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

func money(parent *xmltree.Element, name string, a decimal.Decimal) {
	parent.AddText(name, einvoice.Money(a))
}

// rate writes a percentage with two decimals ("21.00", "5.20").
func rate(r decimal.Decimal) string { return r.StringFixed(2) }

// upTo8 writes a number with at most eight decimals, as Facturae's
// DoubleUpToEightDecimalType allows.
func upTo8(v decimal.Decimal) string { return v.Round(8).String() }

// clip cuts s to at most n characters, which Facturae's text fields bound.
func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
