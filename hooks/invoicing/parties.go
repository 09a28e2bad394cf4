package invoicing

import (
	"encoding/json"
	"facturo/ui"
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"facturo/hooks/pdf"
)

// Party is the identity of an invoice's issuer or recipient as the invoice
// states it. Issuing copies both onto the invoice (fields issuer and
// recipient), where they freeze with the rest of it: editing the customer
// or the firm's profile later changes no issued invoice, and every view,
// document, export and record of an issued invoice reads these copies.
type Party struct {
	Name       string `json:"name"` // legal name (razón social) or the person's full name
	TradeName  string `json:"trade_name,omitempty"`
	TaxID      string `json:"tax_id"`
	Address    string `json:"address"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Province   string `json:"province"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2
	// The issuer's contact and payment details, as printed.
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	IBAN  string `json:"iban,omitempty"`
	BIC   string `json:"bic,omitempty"`
	// Language is the recipient's: the language of the invoice's document.
	Language string `json:"language,omitempty"`
	// The recipient's reference for routing its invoices and, for a public
	// body, its DIR3 units: the structured invoices state them, and FACe
	// delivers a Facturae by them, so they freeze with the invoice.
	BuyerReference        string `json:"buyer_reference,omitempty"`
	DIR3OficinaContable   string `json:"dir3_oficina_contable,omitempty"`
	DIR3OrganoGestor      string `json:"dir3_organo_gestor,omitempty"`
	DIR3UnidadTramitadora string `json:"dir3_unidad_tramitadora,omitempty"`
}

// DisplayName is the name people know the party by: its trade name when it
// has one.
func (p Party) DisplayName() string {
	if p.TradeName != "" {
		return p.TradeName
	}
	return p.Name
}

// issuerParty is the firm's profile as an invoice issued now states it.
func issuerParty(issuer *core.Record) Party {
	country := issuer.GetString("country")
	if country == "" {
		country = "ES"
	}
	return Party{
		Name: strings.TrimSpace(issuer.GetString("legal_name")), TradeName: strings.TrimSpace(issuer.GetString("trade_name")),
		TaxID: issuer.GetString("tax_id"), Address: issuer.GetString("address"), City: issuer.GetString("city"),
		PostalCode: issuer.GetString("postal_code"), Province: issuer.GetString("province"), Country: country,
		Email: issuer.GetString("email_reply_to"), Phone: issuer.GetString("phone"),
		IBAN: issuer.GetString("iban"), BIC: issuer.GetString("bic"),
	}
}

// recipientParty is a customer as an invoice issued now states it; lang is
// the firm's default language, for a customer that has none.
func recipientParty(customer *core.Record, lang string) Party {
	country := customer.GetString("country")
	if country == "" {
		country = "ES"
	}
	if l := customer.GetString("language"); l != "" {
		lang = l
	}
	return Party{
		Name: strings.TrimSpace(customer.GetString("name")), TaxID: customer.GetString("tax_id"),
		Address: customer.GetString("address"), City: customer.GetString("city"),
		PostalCode: customer.GetString("postal_code"), Province: customer.GetString("province"), Country: country,
		Language: lang, BuyerReference: customer.GetString("buyer_reference"),
		DIR3OficinaContable: customer.GetString("dir3_oficina_contable"), DIR3OrganoGestor: customer.GetString("dir3_organo_gestor"),
		DIR3UnidadTramitadora: customer.GetString("dir3_unidad_tramitadora"),
	}
}

// Parties are an invoice's issuer and recipient: for an issued invoice the
// copies frozen at issue; for a draft the firm's profile and the customer
// as they are now, as the draft would be issued.
func Parties(app core.App, inv *core.Record) (issuer, recipient Party, err error) {
	if inv.GetString("status") != StatusDraft {
		if err := readParty(inv, "issuer", &issuer); err != nil {
			return issuer, recipient, err
		}
		return issuer, recipient, readParty(inv, "recipient", &recipient)
	}
	firm, err := LoadIssuer(app)
	if err != nil {
		return issuer, recipient, err
	}
	customer, err := app.FindRecordById(Customers, inv.GetString("customer"))
	if err != nil {
		return issuer, recipient, fmt.Errorf("the invoice's customer: %w", err)
	}
	return issuerParty(firm), recipientParty(customer, firm.GetString("default_language")), nil
}

func readParty(inv *core.Record, field string, p *Party) error {
	raw := strings.TrimSpace(inv.GetString(field))
	if raw == "" || raw == "null" {
		return fmt.Errorf("invoice %s has no %s copy", inv.GetString("number"), field)
	}
	if err := json.Unmarshal([]byte(raw), p); err != nil {
		return fmt.Errorf("invoice %s: its %s copy does not read: %w", inv.GetString("number"), field, err)
	}
	return nil
}

// Printed is the party as a document prints it, in lang; the country is
// named only when it is not homeCountry, the issuer's own.
func (p Party) Printed(lang, homeCountry string) pdf.Party {
	printed := pdf.Party{
		Name:  p.Name,
		TaxID: p.TaxID,
		Email: p.Email,
		Phone: p.Phone,
		Address: pdf.Address{
			Line1:      p.Address,
			PostalCode: p.PostalCode,
			City:       p.City,
			Province:   p.Province,
		},
	}
	if p.Country != "" && !strings.EqualFold(p.Country, homeCountry) {
		printed.Address.Country = countryName(p.Country, lang)
	}
	return printed
}

// PartyOf reads the identity of a customer or of the firm's profile as it is
// now, for documents that speak of the present (a statement of account).
func PartyOf(r *core.Record) Party {
	if r.Collection().Name == Issuer {
		return issuerParty(r)
	}
	return recipientParty(r, "")
}

// countryName is an ISO 3166 code's name in lang ("GB" → "Reino Unido").
func countryName(code, lang string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(language.Make(lang)).Name(region); name != "" {
		return name
	}
	return code
}

// FirmName is the name the firm goes by, from its profile: the trade name,
// or the legal name when it has none. Pages, e-mails and reminders sign
// with it.
func FirmName(issuer *core.Record) string {
	return issuerParty(issuer).DisplayName()
}

// FirmLanguage is the firm's own language (the issuer's default), in which
// a customer or a document that says nothing else is written.
func FirmLanguage(app core.App) string {
	if issuer, err := LoadIssuer(app); err == nil {
		return ui.Pick(issuer.GetString("default_language"))
	}
	return ui.DefaultLang
}
