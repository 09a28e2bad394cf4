package verifactu

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
	"facturo/internal/clock"
	"facturo/internal/huella"
	"facturo/internal/taxid"
	"facturo/internal/web"
	"facturo/ui"
)

// Correction is what a subsanación changes in a record the AEAT refused or
// accepted with errors: what the record says beyond the invoice, which stays
// as issued (a mistake in the invoice itself is corrected with a factura
// rectificativa, or by voiding it). Empty fields keep what the record said.
type Correction struct {
	Description      string            `json:"description"`       // DescripcionOperacion
	RecipientName    string            `json:"recipient_name"`    // the customer's name as the AEAT's census has it
	RecipientTaxID   string            `json:"recipient_tax_id"`  // its NIF, or VAT number or other id abroad
	RecipientCountry string            `json:"recipient_country"` // with a tax id: its country (ISO 3166-1), ES when empty
	RecipientIDType  string            `json:"recipient_id_type"` // for an id abroad: 02 VAT number, 03 passport, 04 id of the country, 05 residence certificate, 06 other, 07 not in the census
	Classifications  map[string]string `json:"classifications"`   // breakdown detail (from 1) → E1…E6, N1, N2 or S2, for lines without VAT
}

// Correct makes the subsanación of a record the AEAT refused or accepted
// with errors: a new record of the same invoice and act, with the
// correction, Subsanacion S (and RechazoPrevio S when the AEAT had refused
// it), chained at the end of its issuer's chain and sent like any other. A
// refused cancellation is sent again (RechazoPrevio S), saying whether the
// AEAT holds the invoice's issue.
func Correct(app core.App, recordID string, c Correction) (*core.Record, error) {
	var made *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		original, err := tx.FindRecordById(Records, recordID)
		if err != nil {
			return apis.NewNotFoundError("No registration record with id "+recordID+".", nil)
		}
		if err := correctable(tx, original); err != nil {
			return err
		}
		inv, err := tx.FindRecordById(invoicing.Invoices, original.GetString("invoice"))
		if err != nil {
			return err
		}
		settings, err := loadRecordSettings(tx)
		if err != nil {
			return err
		}
		issuer, _, err := invoicing.Parties(tx, inv)
		if err != nil {
			return err
		}
		prev, err := lastLink(tx, original.GetString("issuer_tax_id"))
		if err != nil {
			return err
		}
		r := recordOf(inv, original.GetString("kind"), prev, settings)
		// A correction goes where the record went, whatever the switch says
		// now: the invoice was issued under it.
		r.Status, r.VeriFactu, r.Environment, r.Corrects, r.Incidencia = StatusPending, true, original.GetString("environment"), original.Id, settings.outage()
		parsed, err := aeat.ParseRecord([]byte(original.GetString("xml")))
		if err != nil {
			return err
		}
		now := clock.Now().UTC().Truncate(1e9)
		rejected := original.GetString("status") == StatusRejected
		var rec marshaller
		if a := parsed.Alta; a != nil {
			if err := c.apply(a); err != nil {
				return err
			}
			a.RefExterna, a.Subsanacion, a.RechazoPrevio = r.ID, "S", ""
			if rejected {
				a.RechazoPrevio = "S"
			}
			a.Encadenamiento = aeat.Link(prev.previous())
			a.FechaHoraHusoGenRegistro = huella.FormatTimestamp(now)
			a.Seal()
			rec = a
		} else {
			if !c.empty() {
				return web.Refuse(apis.NewBadRequestError("A cancellation record says nothing to correct; it is only sent again.", nil),
					"verifactu.err.cancellation_as_is", nil)
			}
			registered, err := altaRegistered(tx, inv.Id)
			if err != nil {
				return err
			}
			cancel := buildAnulacion(inv, prev, system(issuer, settings.Installation), r.ID, huella.FormatTimestamp(now), !registered)
			cancel.RechazoPrevio = "S"
			cancel.Seal()
			rec = cancel
		}
		if err := saveRecord(tx, r, rec, dateTime(now)); err != nil {
			return err
		}
		made, err = tx.FindRecordById(Records, r.ID)
		return err
	})
	return made, err
}

func (c Correction) empty() bool {
	return c.Description == "" && c.RecipientName == "" && c.RecipientTaxID == "" && c.RecipientCountry == "" &&
		c.RecipientIDType == "" && len(c.Classifications) == 0
}

// correctable refuses to correct a record that needs no correction, or was
// corrected already.
func correctable(tx core.App, r *core.Record) error {
	switch r.GetString("status") {
	case StatusRejected, StatusAcceptedWithErrors:
	default:
		return web.Refuse(apis.NewBadRequestError("Only a record the AEAT refused or accepted with errors is corrected; this one is "+r.GetString("status")+".", nil),
			"verifactu.err.not_correctable", nil)
	}
	var later string
	err := tx.DB().NewQuery("SELECT id FROM verifactu_records WHERE corrects = {:id} LIMIT 1").Bind(dbx.Params{"id": r.Id}).Row(&later)
	if err == nil {
		return web.Refuse(apis.NewBadRequestError("This record was corrected already (record "+later+").", nil),
			"verifactu.err.corrected_already", ui.Args{"record": later})
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// apply changes a record of an issue as the correction says.
func (c Correction) apply(a *aeat.Alta) error {
	if d := strings.TrimSpace(c.Description); d != "" {
		if err := invoicing.CheckText("description", d, false); err != nil {
			return err
		}
		a.DescripcionOperacion = aeat.Text(d, 500)
	}
	if id := taxid.Normalize(c.RecipientTaxID); id != "" || strings.TrimSpace(c.RecipientName) != "" {
		party := aeat.Party{}
		if a.Destinatarios != nil && len(a.Destinatarios.IDDestinatario) > 0 {
			party = a.Destinatarios.IDDestinatario[0]
		}
		if name := strings.TrimSpace(c.RecipientName); name != "" {
			if err := invoicing.CheckText("recipient_name", name, false); err != nil {
				return err
			}
			party.NombreRazon = aeat.Text(name, 120)
		}
		if id != "" {
			country := strings.ToUpper(strings.TrimSpace(c.RecipientCountry))
			if err := taxid.Validate(id, country); err != nil {
				return web.Refuse(apis.NewBadRequestError("The recipient's tax id: "+err.Error()+".",
					validation.Errors{"recipient_tax_id": validation.NewError("validation_invalid_tax_id", err.Error())}),
					"verifactu.err.recipient_tax_id", ui.Args{"problem": taxIDProblem(err)})
			}
			p, _ := recipientParty(invoicing.Party{Name: party.NombreRazon, TaxID: id, Country: country})
			party.NIF, party.IDOtro = p.NIF, p.IDOtro
			if t := c.RecipientIDType; t != "" {
				if party.IDOtro == nil || !strings.Contains(" 02 03 04 05 06 07 ", " "+t+" ") {
					return web.Refuse(apis.NewBadRequestError("The recipient's id type applies to an id that is not a Spanish NIF: 02 to 07.",
						validation.Errors{"recipient_id_type": validation.NewError("validation_invalid", "02 to 07, for an id abroad")}),
						"verifactu.err.recipient_id_type", nil)
				}
				party.IDOtro.IDType = t
			}
		}
		if party.NombreRazon == "" || (party.NIF == "" && party.IDOtro == nil) {
			return web.Refuse(apis.NewBadRequestError("The recipient needs a name and a tax id.",
				validation.Errors{"recipient_tax_id": validation.NewError("validation_required", "is required")}),
				"verifactu.err.recipient_required", nil)
		}
		a.Destinatarios = &aeat.Recipients{IDDestinatario: []aeat.Party{party}}
	}
	if len(c.Classifications) > 0 {
		changes := map[int]string{}
		for k, code := range c.Classifications {
			n, err := strconv.Atoi(k)
			if err != nil {
				return web.Refuse(apis.NewBadRequestError("Classifications are given by the number of the breakdown's detail, from 1.",
					validation.Errors{"classifications": validation.NewError("validation_invalid", "keys are detail numbers from 1")}),
					"verifactu.err.classification_keys", nil)
			}
			changes[n-1] = strings.ToUpper(strings.TrimSpace(code))
		}
		details, err := withClassification(a.Desglose.DetalleDesglose, changes)
		if err != nil {
			return web.Refuse(apis.NewBadRequestError("The classification: "+err.Error()+".",
				validation.Errors{"classifications": validation.NewError("validation_invalid", err.Error())}),
				"verifactu.err.classification", ui.Args{"problem": err})
		}
		a.Desglose.DetalleDesglose = details
	}
	return nil
}

// Review notes that staff read what the AEAT said of a record it accepted
// with errors and found nothing to correct: it leaves what needs action.
func Review(app core.App, recordID string) (*core.Record, error) {
	r, err := app.FindRecordById(Records, recordID)
	if err != nil {
		return nil, apis.NewNotFoundError("No registration record with id "+recordID+".", nil)
	}
	if r.GetString("status") != StatusAcceptedWithErrors {
		return nil, apis.NewBadRequestError("Only a record the AEAT accepted with errors is marked as reviewed; a refused one is corrected.", nil)
	}
	r.Set("reviewed_at", dateTime(clock.Now()))
	return r, app.SaveWithContext(own(), r)
}

// taxIDProblem is what the tax id checker found, as a problem a page
// writes in its reader's language.
func taxIDProblem(err error) any {
	var te *taxid.Error
	if errors.As(err, &te) && te.Key != "" {
		return ui.Errorf(te.Key, ui.Args(te.Args))
	}
	return err.Error()
}
