package staff

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/hooks/invoicing"
	"facturo/hooks/verifactu"
	"facturo/internal/aeat"
	"facturo/internal/certificate"
	"facturo/internal/clock"
	"facturo/ui"
)

type aeatRecordRow struct {
	ID, InvoiceID, Number, Kind, Status, StatusLabel, When, CSV, Code, Text, Advice string
	Correctable, Reviewable, Cancellation                                           bool
	Details                                                                         []aeatDetail
	RecipientName, RecipientTaxID, RecipientCountry, Description                    string
}

// aeatDetail is a line of a record's breakdown without VAT, which staff may
// classify anew in a correction.
type aeatDetail struct {
	No                   int
	Base, Classification string
}

type verifactuPage struct {
	page
	Status                             verifactu.Status
	Waiting                            string // why nothing goes now, as a sentence
	NextSend, LastAnswer, OutageSince  string
	CertificateExpiry, CertificateKind string
	ExpiresSoon, Expired               bool
	NeedsAction, Recent                []aeatRecordRow
	Environments                       []option
	Classifications, IDTypes           []string
	Declaration                        verifactu.Declaration
	CustomEndpoint, ServerCA           string // as saved, for the form
	Notice, Error                      string
}

// handleVerifactu is the workspace's VERI*FACTU page: whether records go
// to the AEAT and where, the certificate, the queue, what the AEAT refused
// and what to do, the latest records, and the producer's declaration.
func handleVerifactu(e *core.RequestEvent, p page) error {
	var notice string
	if k := e.Request.URL.Query().Get("done"); k != "" {
		notice = ui.T(p.Lang, "app.verifactu.done."+k)
	}
	return renderVerifactu(e, p, http.StatusOK, notice, "")
}

func renderVerifactu(e *core.RequestEvent, p page, status int, notice, problem string) error {
	p = p.titled("app.verifactu", "verifactu")
	lang := p.Lang
	s, err := verifactu.LoadStatus(e.App)
	if err != nil {
		return err
	}
	now := clock.Now()
	moment := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return ui.FormatMoment(lang, t)
	}
	vp := verifactuPage{page: p, Status: s, Notice: notice, Error: problem, Classifications: verifactu.Classifications,
		IDTypes:  []string{"02", "03", "04", "05", "06", "07"},
		NextSend: moment(s.NextSend(now)), LastAnswer: moment(s.LastAnswerAt), OutageSince: moment(s.OutageSince),
		Declaration: verifactu.DeclarationOf(e.App)}
	if settings, err := verifactu.LoadSettings(e.App); err == nil {
		vp.CustomEndpoint, vp.ServerCA = settings.GetString("endpoint"), settings.GetString("server_ca")
	}
	for _, env := range []string{verifactu.EnvTest, verifactu.EnvProduction, verifactu.EnvCustom} {
		vp.Environments = append(vp.Environments, option{Value: env, Label: ui.T(lang, "app.verifactu.env."+env), Selected: env == s.Environment})
	}
	if c := s.Certificate; c != nil {
		vp.CertificateExpiry = ui.FormatDate(lang, c.NotAfter)
		vp.ExpiresSoon, vp.Expired = c.ExpiresSoon, c.Expired
		vp.CertificateKind = ui.T(lang, "app.verifactu.cert.person")
		if c.EntitySeal {
			vp.CertificateKind = ui.T(lang, "app.verifactu.cert.seal")
		}
	}
	waiting := s.Pending + s.Sent
	switch {
	case s.Certificate == nil:
		vp.Waiting = ui.T(lang, "app.verifactu.waiting.certificate")
	case !s.Enabled && waiting == 0:
		vp.Waiting = ui.T(lang, "app.verifactu.waiting.off")
	case s.Certificate.Expired:
		vp.Waiting = ui.T(lang, "app.verifactu.waiting.expired")
	case !s.OutageSince.IsZero():
		vp.Waiting = strings.NewReplacer("{since}", vp.OutageSince, "{next}", vp.NextSend).Replace(ui.T(lang, "app.verifactu.waiting.outage"))
	case s.LastError != "":
		vp.Waiting = strings.ReplaceAll(ui.T(lang, "app.verifactu.waiting.failed"), "{next}", vp.NextSend)
	case waiting > 0 && vp.NextSend != "":
		vp.Waiting = strings.ReplaceAll(ui.T(lang, "app.verifactu.waiting.pause"), "{next}", vp.NextSend)
	case waiting > 0:
		vp.Waiting = ui.T(lang, "app.verifactu.waiting.sending")
	default:
		vp.Waiting = ui.T(lang, "app.verifactu.waiting.idle")
	}
	needs, err := verifactu.NeedsAction(e.App, 200)
	if err != nil {
		return err
	}
	for _, r := range needs {
		vp.NeedsAction = append(vp.NeedsAction, aeatRow(e.App, lang, r, true))
	}
	recent, err := e.App.FindRecordsByFilter(verifactu.Records, "", "-created,-seq", 50, 0)
	if err != nil {
		return err
	}
	for _, r := range recent {
		vp.Recent = append(vp.Recent, aeatRow(e.App, lang, r, false))
	}
	return render(e, status, "verifactu.html", p, vp)
}

// aeatRow is a record as the page lists it; with detail, what a correction
// may change, prefilled with what the record says.
func aeatRow(app core.App, lang string, r *core.Record, detail bool) aeatRecordRow {
	st := r.GetString("status")
	row := aeatRecordRow{
		ID: r.Id, InvoiceID: r.GetString("invoice"), Number: r.GetString("number"), Kind: r.GetString("kind"),
		Status: st, StatusLabel: ui.T(lang, "app.verifactu.status."+st), CSV: r.GetString("csv"),
		Code: r.GetString("error_code"), Text: r.GetString("error_text"),
		When:         ui.FormatMoment(lang, r.GetDateTime("generated_at").Time()),
		Cancellation: r.GetString("kind") == verifactu.KindAnulacion,
	}
	if r.GetBool("subsanacion") {
		row.Kind = "subsanacion"
	}
	if !detail {
		return row
	}
	row.Advice = ui.T(lang, "app.verifactu.advice."+verifactu.Advice(r.GetString("kind"), st, row.Code))
	row.Correctable = st == verifactu.StatusRejected || st == verifactu.StatusAcceptedWithErrors
	row.Reviewable = st == verifactu.StatusAcceptedWithErrors
	if rec, err := aeat.ParseRecord([]byte(r.GetString("xml"))); err == nil && rec.Alta != nil {
		row.Description = rec.Alta.DescripcionOperacion
		if d := rec.Alta.Destinatarios; d != nil && len(d.IDDestinatario) > 0 {
			party := d.IDDestinatario[0]
			row.RecipientName, row.RecipientTaxID = party.NombreRazon, party.NIF
			if o := party.IDOtro; o != nil {
				row.RecipientTaxID, row.RecipientCountry = o.ID, o.CodigoPais
			}
		}
		for i, d := range rec.Alta.Desglose.DetalleDesglose {
			if d.CalificacionOperacion != "S1" {
				row.Details = append(row.Details, aeatDetail{No: i + 1, Base: d.BaseImponibleOimporteNoSujeto, Classification: d.CalificacionOperacion + d.OperacionExenta})
			}
		}
	}
	return row
}

// handleVerifactuAction does what staff do on the page: save the settings
// (and a new certificate), send now, correct a record, mark one reviewed.
func handleVerifactuAction(e *core.RequestEvent, p page) error {
	action := e.Request.PathValue("action")
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	var err error
	switch action {
	case "settings":
		err = saveVerifactuSettings(e, form)
	case "send":
		err = verifactu.SendNow(e.App)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		return renderVerifactu(e, p, http.StatusBadRequest, "", problemText(p.Lang, err))
	}
	return e.Redirect(http.StatusSeeOther, "/app/verifactu?done="+action)
}

// handleVerifactuRecordAction corrects a record or marks it reviewed.
func handleVerifactuRecordAction(e *core.RequestEvent, p page) error {
	id, action := e.Request.PathValue("id"), e.Request.PathValue("action")
	form := func(name string) string { return strings.TrimSpace(e.Request.PostFormValue(name)) }
	var err error
	switch action {
	case "correct":
		c := verifactu.Correction{Description: form("description"), RecipientName: form("recipient_name"), RecipientTaxID: form("recipient_tax_id"),
			RecipientCountry: form("recipient_country"), RecipientIDType: form("recipient_id_type"), Classifications: map[string]string{}}
		for key, values := range e.Request.PostForm {
			if n, ok := strings.CutPrefix(key, "class_"); ok && len(values) > 0 {
				if _, err := strconv.Atoi(n); err == nil && values[0] != "" {
					c.Classifications[n] = values[0]
				}
			}
		}
		_, err = verifactu.Correct(e.App, id, c)
	case "review":
		_, err = verifactu.Review(e.App, id)
	default:
		return e.NotFoundError("", nil)
	}
	if err != nil {
		return renderVerifactu(e, p, http.StatusBadRequest, "", problemText(p.Lang, err))
	}
	return e.Redirect(http.StatusSeeOther, "/app/verifactu?done="+action)
}

// saveVerifactuSettings saves the switch, the environment, a custom
// endpoint and its roots, and a new certificate with its password (checked
// when saved: a wrong password is refused here, not when records wait).
func saveVerifactuSettings(e *core.RequestEvent, form func(string) string) error {
	settings, err := verifactu.LoadSettings(e.App)
	if err != nil {
		return err
	}
	settings.Set("enabled", form("enabled") == "on")
	settings.Set("environment", form("environment"))
	settings.Set("endpoint", form("endpoint"))
	settings.Set("server_ca", form("server_ca"))
	if file, header, err := e.Request.FormFile("certificate"); err == nil {
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, certificate.MaxFileSize+1))
		if err != nil {
			return err
		}
		if len(data) > 0 {
			f, err := filesystem.NewFileFromBytes(data, header.Filename)
			if err != nil {
				return err
			}
			settings.Set("certificate", f)
			settings.Set("certificate_password", e.Request.PostFormValue("certificate_password"))
		}
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return err
	}
	return e.App.Save(settings)
}

// aeatState is an invoice's standing with the AEAT, for its page.
type aeatState struct {
	Status, Label, CSV, Code, Text string
	Legend                         bool // it carries the VERI*FACTU legend
	Records                        []aeatRecordRow
}

// invoiceAEATState is what the AEAT knows of an issued invoice: the state
// of its last record, and each record.
func invoiceAEATState(app core.App, lang string, inv *core.Record) *aeatState {
	rs, err := verifactu.InvoiceRecords(app, inv.Id)
	if err != nil || len(rs) == 0 {
		return nil
	}
	st := &aeatState{}
	if mode, err := invoicing.QRModeOf(app, inv); err == nil {
		st.Legend = mode.VeriFactu
	}
	for _, r := range rs {
		st.Records = append(st.Records, aeatRow(app, lang, r, false))
	}
	last := st.Records[len(st.Records)-1]
	st.Status, st.Label, st.Code, st.Text = last.Status, last.StatusLabel, last.Code, last.Text
	for _, r := range st.Records {
		if r.CSV != "" {
			st.CSV = r.CSV
		}
	}
	return st
}
