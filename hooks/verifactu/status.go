package verifactu

import (
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"facturo/internal/clock"
)

// CertificateWarning is how long before its expiry the certificate is
// flagged: the time to get a new one from the FNMT or another authority.
const CertificateWarning = 30 * 24 * time.Hour

// Status is where sending stands, for staff and the status command.
type Status struct {
	Enabled      bool
	Environment  string
	Endpoint     string // where records go, when a certificate says which
	Installation string

	Certificate      *CertificateInfo // nil without a usable one
	CertificateError string           // why there is none

	Pending, Sent, Accepted, AcceptedWithErrors, Rejected, NotSent int
	NeedsAction                                                    int

	NextSendAt   time.Time // the AEAT's wait ends (TiempoEsperaEnvio)
	RetryAt      time.Time // the next attempt after a failure
	LastAnswerAt time.Time
	OutageSince  time.Time
	LastError    string
	Text         string // what the sender last said it was doing
}

// CertificateInfo is who the loaded certificate names, and until when.
type CertificateInfo struct {
	Holder, TaxID, Organization string
	EntitySeal                  bool
	NotAfter                    time.Time
	ExpiresSoon, Expired        bool
}

// NextSend is when the next request may go: the later of the AEAT's wait
// and the next attempt after a failure, if either is still ahead.
func (s Status) NextSend(now time.Time) time.Time {
	next := s.NextSendAt
	if s.RetryAt.After(next) {
		next = s.RetryAt
	}
	if next.After(now) {
		return next
	}
	return time.Time{}
}

// LoadStatus reads where sending stands.
func LoadStatus(app core.App) (Status, error) {
	settings, err := LoadSettings(app)
	if err != nil {
		return Status{}, err
	}
	s := Status{
		Enabled: settings.GetBool("enabled"), Environment: settings.GetString("environment"), Installation: settings.GetString("installation_number"),
		NextSendAt: settings.GetDateTime("next_send_at").Time(), RetryAt: settings.GetDateTime("retry_at").Time(),
		LastAnswerAt: settings.GetDateTime("last_answer_at").Time(), OutageSince: settings.GetDateTime("outage_since").Time(),
		LastError: settings.GetString("last_error"), Text: settings.GetString("status"),
	}
	if cert, err := Certificate(app); err != nil {
		s.CertificateError = err.Error()
	} else {
		now := clock.Now()
		s.Certificate = &CertificateInfo{Holder: cert.Holder, TaxID: cert.TaxID, Organization: cert.Organization, EntitySeal: cert.EntitySeal,
			NotAfter: cert.NotAfter, Expired: cert.ExpiresWithin(now, 0), ExpiresSoon: cert.ExpiresWithin(now, CertificateWarning)}
		if url, _, err := endpoint(settings, cert); err == nil {
			s.Endpoint = url
		}
	}
	var counts []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := app.DB().NewQuery("SELECT status, COUNT(*) AS n FROM verifactu_records GROUP BY status").All(&counts); err != nil {
		return s, err
	}
	for _, c := range counts {
		switch c.Status {
		case StatusPending:
			s.Pending = c.N
		case StatusSent:
			s.Sent = c.N
		case StatusAccepted:
			s.Accepted = c.N
		case StatusAcceptedWithErrors:
			s.AcceptedWithErrors = c.N
		case StatusRejected:
			s.Rejected = c.N
		case StatusNotSent:
			s.NotSent = c.N
		}
	}
	s.NeedsAction, err = CountNeedsAction(app)
	return s, err
}

// needsActionWhere selects, among the records aliased r, those staff must
// act on: refused, or accepted with errors and not reviewed, not corrected
// yet, and not overtaken (the record of an issue is no longer wanted once
// its invoice was voided).
const needsActionWhere = `(r.status = 'rejected' OR (r.status = 'accepted_with_errors' AND r.reviewed_at = ''))
	AND NOT EXISTS (SELECT 1 FROM verifactu_records c WHERE c.corrects = r.id)
	AND NOT (r.kind = 'alta' AND EXISTS (SELECT 1 FROM verifactu_records a WHERE a.invoice = r.invoice AND a.kind = 'anulacion' AND a.seq > r.seq))`

// CountNeedsAction counts the records staff must act on.
func CountNeedsAction(app core.App) (int, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM verifactu_records r WHERE " + needsActionWhere).Row(&n)
	return n, err
}

// NeedsAction are the records staff must act on, oldest first.
func NeedsAction(app core.App, limit int) ([]*core.Record, error) {
	var ids []string
	if err := app.DB().NewQuery("SELECT r.id FROM verifactu_records r WHERE " + needsActionWhere + " ORDER BY r.answered_at, r.seq LIMIT {:n}").
		Bind(dbx.Params{"n": limit}).Column(&ids); err != nil {
		return nil, err
	}
	records, err := app.FindRecordsByIds(Records, ids)
	slices.SortFunc(records, func(a, b *core.Record) int { return slices.Index(ids, a.Id) - slices.Index(ids, b.Id) })
	return records, err
}

// InvoiceRecords are an invoice's records, in chain order.
func InvoiceRecords(app core.App, invoiceID string) ([]*core.Record, error) {
	return app.FindRecordsByFilter(Records, "invoice = {:id}", "seq", 0, 0, dbx.Params{"id": invoiceID})
}

// Advice is what to do about a record the AEAT refused or accepted with
// errors, as a translation key (verifactu.advice.…) by the AEAT's code.
func Advice(kind, status, code string) string {
	switch {
	case kind == KindAnulacion && (code == "3002" || code == "3001"):
		return "cancel_missing"
	case slices.Contains([]string{"1109", "1110", "1121", "1123", "1103", "1122", "1126", "1131", "1156", "1189", "1191", "1192", "1193",
		"1232", "1233", "1234", "1239", "1283", "1289", "1290", "2001"}, code):
		return "recipient"
	case slices.Contains([]string{"1124", "1127", "1142", "1143", "1181", "1182", "1195", "1196", "1197", "1198", "1199", "1200", "1201",
		"1203", "1207", "1208", "1237", "1238", "1245", "1246", "1252", "1279", "1280", "1281", "1284", "1286", "1293"}, code):
		return "breakdown"
	case slices.Contains([]string{"2004", "2007"}, code) && status == StatusAcceptedWithErrors:
		return "nothing"
	case slices.Contains([]string{"1104", "1105", "1106", "1112", "1130", "1133", "1152", "1174", "1175", "1176", "1177", "1179", "1180",
		"1244", "1262", "1263", "1264", "1265", "1266", "1267", "1268", "1269", "1278", "1291", "1292", "2000", "2002", "2003", "2005",
		"2006", "2008"}, code):
		return "system"
	}
	return "default"
}
