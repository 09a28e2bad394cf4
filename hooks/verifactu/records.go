package verifactu

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
	"facturo/internal/clock"
	"facturo/internal/huella"
	"facturo/internal/taxes"
)

// Records is the collection of registration records.
const Records = "verifactu_records"

// Kinds of record.
const (
	KindAlta      = "alta"
	KindAnulacion = "anulacion"
)

// Record statuses.
const (
	StatusPending            = "pending"  // waits to be sent
	StatusSent               = "sent"     // sent, no answer yet: the AEAT is asked what it holds before it is sent again
	StatusAccepted           = "accepted" // the AEAT registered it
	StatusAcceptedWithErrors = "accepted_with_errors"
	StatusRejected           = "rejected"
	StatusNotSent            = "not_sent" // made while sending was off; kept, never sent
)

// Environments a record is made for.
const (
	EnvTest       = "test"
	EnvProduction = "production"
	EnvCustom     = "custom"
)

// sealedRecordFields never change once a record is made: what it says,
// where it stands in its chain and what it was made for.
var sealedRecordFields = []string{
	"invoice", "kind", "issuer_tax_id", "number", "issue_date", "seq", "prev_hash", "huella", "generated_at",
	"xml", "verifactu", "environment", "subsanacion", "corrects",
}

// ownKey marks a write made by this package; the record hooks refuse every
// other.
type ownKey struct{}

func own() context.Context { return context.WithValue(context.Background(), ownKey{}, true) }

func isOwn(ctx context.Context) bool { return ctx != nil && ctx.Value(ownKey{}) != nil }

// bindRecordGuards keeps the records this package's alone: nobody else
// creates, changes or deletes one (REST, the dashboard, other Go code), and
// not even this package changes what a record says once it is made.
func bindRecordGuards(app core.App) {
	app.OnRecordCreate(Records).BindFunc(func(e *core.RecordEvent) error {
		if !isOwn(e.Context) {
			return apis.NewBadRequestError("Registration records are made only by the product, when an invoice is issued, voided or its record corrected.", nil)
		}
		return e.Next()
	})
	app.OnRecordUpdate(Records).BindFunc(func(e *core.RecordEvent) error {
		if !isOwn(e.Context) {
			return apis.NewBadRequestError("Registration records are changed only by the product, as the AEAT answers.", nil)
		}
		stored, err := e.App.FindRecordById(Records, e.Record.Id)
		if err != nil {
			return err
		}
		for _, f := range sealedRecordFields {
			if fmt.Sprint(stored.GetRaw(f)) != fmt.Sprint(e.Record.GetRaw(f)) {
				return apis.NewBadRequestError("A registration record never changes what it says ("+f+").", nil)
			}
		}
		return e.Next()
	})
	app.OnRecordDelete(Records).BindFunc(func(e *core.RecordEvent) error {
		return apis.NewBadRequestError("Registration records are never deleted.", nil)
	})
}

// lastLink is the last record of an issuer's chain, or nil.
func lastLink(tx core.App, issuerTaxID string) (*link, error) {
	l := &link{}
	err := tx.DB().NewQuery("SELECT seq, huella, issuer_tax_id, number, issue_date FROM verifactu_records WHERE issuer_tax_id = {:nif} ORDER BY seq DESC LIMIT 1").
		Bind(dbx.Params{"nif": issuerTaxID}).Row(&l.Seq, &l.Huella, &l.Issuer, &l.Number, &l.IssueDate)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return l, err
}

// registry is this package as invoicing's keeper of the chain.
type registry struct{}

func (registry) ChainHead(tx core.App, issuerTaxID string) (string, error) {
	l, err := lastLink(tx, issuerTaxID)
	if err != nil {
		return "", err
	}
	// The record of the issue, made next in the same transaction, follows
	// this link: it is kept for it rather than read twice.
	if info := tx.TxInfo(); info != nil {
		heads.Store(info, head{issuerTaxID, l})
		info.OnComplete(func(error) error {
			heads.Delete(info)
			return nil
		})
	}
	return prevHuella(l), nil
}

// heads are the chain heads issuing transactions read, by transaction,
// until the record that follows is made.
var heads sync.Map

type head struct {
	issuer string
	link   *link
}

// chainLink is the link a new record of an issuer follows: the head its
// transaction read, or the last record.
func chainLink(tx core.App, issuerTaxID string) (*link, error) {
	if info := tx.TxInfo(); info != nil {
		if h, ok := heads.LoadAndDelete(info); ok && h.(head).issuer == issuerTaxID {
			return h.(head).link, nil
		}
	}
	return lastLink(tx, issuerTaxID)
}

func (registry) CheckChain(app core.App) (int, []invoicing.Problem, error) { return checkChain(app) }

func (registry) QR(app core.App, inv *core.Record) (invoicing.QRMode, error) {
	var row struct {
		VeriFactu   bool   `db:"verifactu"`
		Environment string `db:"environment"`
	}
	err := app.DB().NewQuery("SELECT verifactu, environment FROM verifactu_records WHERE invoice = {:id} AND kind = 'alta' ORDER BY seq LIMIT 1").
		Bind(dbx.Params{"id": inv.Id}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return invoicing.QRMode{}, nil
	}
	// Sending off, the records go nowhere: the QR is the production one of
	// systems that send nothing.
	return invoicing.QRMode{VeriFactu: row.VeriFactu, Testing: row.VeriFactu && row.Environment == EnvTest}, err
}

// recordSettings are the settings a new record follows, read in SQL: one
// is made in every issuing transaction.
type recordSettings struct {
	Enabled      bool   `db:"enabled"`
	Environment  string `db:"environment"`
	Installation string `db:"installation_number"`
	OutageSince  string `db:"outage_since"`
}

// loadRecordSettings reads them once until they change: the product
// changes them through setState or a save of the settings row, which both
// say so (settingsChanged).
func loadRecordSettings(tx core.App) (recordSettings, error) {
	c := tx.Store().GetOrSet(storeRecordSettings, func() any { return &settingsCache{} }).(*settingsCache)
	version := settingsVersion.Load()
	c.Lock()
	defer c.Unlock()
	if c.loaded && c.version == version {
		return c.settings, nil
	}
	var s recordSettings
	if err := tx.DB().NewQuery("SELECT enabled, environment, installation_number, outage_since FROM verifactu_settings LIMIT 1").One(&s); err != nil {
		return s, err
	}
	c.settings, c.version, c.loaded = s, version, true
	return s, nil
}

const storeRecordSettings = "facturo.verifactu.record_settings"

type settingsCache struct {
	sync.Mutex
	loaded   bool
	version  int64
	settings recordSettings
}

// settingsVersion counts the changes to the settings row.
var settingsVersion atomic.Int64

// settingsChanged says the settings row changed (or is about to, in a
// transaction that may yet roll back: reading it again costs nothing).
func settingsChanged() { settingsVersion.Add(1) }

// outage tells whether the AEAT could not be reached when last tried.
func (s recordSettings) outage() bool { return s.OutageSince != "" }

// newRecord is a record of invoice inv, chained after prev, not yet saved.
type newRecord struct {
	ID, Invoice, Kind, Issuer, Number string
	IssueDate                         types.DateTime
	Seq                               int
	PrevHash                          string
	VeriFactu                         bool
	Environment, Status               string
	Incidencia                        bool
	Corrects                          string
}

// recordOf starts the record of invoice inv, chained after prev, as the
// settings say: sent or kept, and late when the AEAT cannot be reached.
func recordOf(inv *core.Record, kind string, prev *link, settings recordSettings) *newRecord {
	r := &newRecord{ID: core.GenerateDefaultRandomId(), Invoice: inv.Id, Kind: kind, Issuer: inv.GetString("issuer_tax_id"),
		Number: inv.GetString("number"), IssueDate: inv.GetDateTime("issue_date"), Seq: 1, VeriFactu: settings.Enabled,
		Environment: settings.Environment, Status: StatusNotSent, Incidencia: settings.Enabled && settings.outage()}
	if prev != nil {
		r.Seq, r.PrevHash = prev.Seq+1, prev.Huella
	}
	if settings.Enabled {
		r.Status = StatusPending
	}
	return r
}

// addAlta makes the record of an invoice's issue, inside the issuing
// transaction, from its lines and totals as the issue computed them.
func addAlta(tx core.App, inv *core.Record, lines []taxes.Line, totals taxes.Totals) error {
	settings, err := loadRecordSettings(tx)
	if err != nil {
		return err
	}
	issuer, recipient, err := invoicing.Parties(tx, inv)
	if err != nil {
		return err
	}
	if settings.Enabled {
		if strings.TrimSpace(recipient.TaxID) == "" {
			return apis.NewBadRequestError("The customer has no tax id (NIF, or VAT number abroad): with sending to the AEAT on, an invoice names its customer; add it to the customer first.",
				nil)
		}
	}
	prev, err := chainLink(tx, inv.GetString("issuer_tax_id"))
	if err != nil {
		return err
	}
	if got := prevHuella(prev); got != inv.GetString("prev_hash") {
		return fmt.Errorf("invoice %s chains to %q but its issuer's last record is %q", inv.GetString("number"), inv.GetString("prev_hash"), got)
	}
	r := recordOf(inv, KindAlta, prev, settings)
	rows, descriptions := issuedLines(lines, totals)
	alta, err := buildAltaOf(tx, inv, issuer, recipient, rows, descriptions, prev, system(issuer, settings.Installation), r.ID)
	if err != nil {
		return err
	}
	// The record and the invoice state one huella, computed twice: from
	// the invoice's fields by invoicing, from the record's texts here.
	if alta.Huella != inv.GetString("hash") {
		return fmt.Errorf("invoice %s: its record's huella %s is not the invoice's %s", inv.GetString("number"), alta.Huella, inv.GetString("hash"))
	}
	return saveRecord(tx, r, alta, inv.GetDateTime("hashed_at"))
}

// addAnulacion makes the cancellation record of an invoice being voided,
// inside the voiding transaction.
func addAnulacion(tx core.App, inv *core.Record) error {
	settings, err := loadRecordSettings(tx)
	if err != nil {
		return err
	}
	issuer, _, err := invoicing.Parties(tx, inv)
	if err != nil {
		return err
	}
	prev, err := lastLink(tx, inv.GetString("issuer_tax_id"))
	if err != nil {
		return err
	}
	r := recordOf(inv, KindAnulacion, prev, settings)
	registered, err := altaRegistered(tx, inv.Id)
	if err != nil {
		return err
	}
	now := clock.Now().UTC().Truncate(time.Second)
	c := buildAnulacion(inv, prev, system(issuer, settings.Installation), r.ID, huella.FormatTimestamp(now), !registered)
	return saveRecord(tx, r, c, dateTime(now))
}

// altaRegistered tells whether the AEAT holds, or is to hold, the invoice's
// issue: its last alta record is registered, or on its way.
func altaRegistered(tx core.App, invoiceID string) (bool, error) {
	var status string
	err := tx.DB().NewQuery("SELECT status FROM verifactu_records WHERE invoice = {:id} AND kind = 'alta' ORDER BY seq DESC LIMIT 1").
		Bind(dbx.Params{"id": invoiceID}).Row(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	switch status {
	case StatusPending, StatusSent, StatusAccepted, StatusAcceptedWithErrors:
		return true, err
	}
	return false, err
}

// marshaller is an aeat record.
type marshaller interface{ Marshal() ([]byte, error) }

// saveRecord completes r with rec's XML, huella and time, and writes it,
// in SQL: one is written in every issuing transaction, and PocketBase's
// record machinery would double the cost of making it. The sender looks
// at it once it is committed.
func saveRecord(tx core.App, r *newRecord, rec marshaller, generated types.DateTime) error {
	xml, err := rec.Marshal()
	if err != nil {
		return err
	}
	var h string
	subsanacion := false
	switch x := rec.(type) {
	case *aeat.Alta:
		h, subsanacion = x.Huella, x.Subsanacion == "S"
	case *aeat.Anulacion:
		h = x.Huella
	}
	now := types.NowDateTime().String()
	if _, err := tx.DB().Insert(Records, dbx.Params{
		"id": r.ID, "invoice": r.Invoice, "kind": r.Kind, "issuer_tax_id": r.Issuer, "number": r.Number,
		"issue_date": r.IssueDate.String(), "seq": r.Seq, "prev_hash": r.PrevHash, "huella": h, "generated_at": generated.String(),
		"xml": string(xml), "verifactu": r.VeriFactu, "environment": r.Environment, "status": r.Status, "incidencia": r.Incidencia,
		"subsanacion": subsanacion, "corrects": r.Corrects, "created": now, "updated": now,
	}).Execute(); err != nil {
		return err
	}
	if r.Status == StatusPending {
		if info := tx.TxInfo(); info != nil {
			info.OnComplete(func(txErr error) error {
				if txErr == nil {
					wakeSender()
				}
				return nil
			})
		} else {
			wakeSender()
		}
	}
	return nil
}

func prevHuella(l *link) string {
	if l == nil {
		return ""
	}
	return l.Huella
}

func parseDate(s string) time.Time {
	d, _ := types.ParseDateTime(s)
	return d.Time()
}

// dateTime is t as PocketBase stores it.
func dateTime(t time.Time) types.DateTime {
	d, _ := types.ParseDateTime(t)
	return d
}
