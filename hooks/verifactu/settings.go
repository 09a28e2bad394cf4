// Package verifactu sends every invoice record to the AEAT's VERI*FACTU
// service and keeps its answers: the settings and the firm's certificate,
// the registration records, the sender and what staff see of it.
package verifactu

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"facturo/internal/aeat"
	"facturo/internal/certificate"
)

// SettingsCollection is the one row of VERI*FACTU settings.
const SettingsCollection = "verifactu_settings"

// ErrNoCertificate is settings without a certificate file.
var ErrNoCertificate = errors.New("no certificate is loaded (collection verifactu_settings: certificate and certificate_password)")

// LoadSettings returns the settings row, which the migrations create.
func LoadSettings(app core.App) (*core.Record, error) {
	r := &core.Record{}
	if err := app.RecordQuery(SettingsCollection).Limit(1).One(r); err != nil {
		return nil, errors.New("the VERI*FACTU settings are missing; the migrations create them")
	}
	return r, nil
}

// Certificate is the firm's certificate, from the settings: the VERI*FACTU
// sender authenticates with it, and Facturae invoices are signed with it.
func Certificate(app core.App) (*certificate.Certificate, error) {
	settings, err := LoadSettings(app)
	if err != nil {
		return nil, err
	}
	return certificateOf(app, settings)
}

// certificateOf is the certificate the settings hold.
func certificateOf(app core.App, settings *core.Record) (*certificate.Certificate, error) {
	name := settings.GetString("certificate")
	if name == "" {
		return nil, ErrNoCertificate
	}
	// Decoding a PKCS#12 file costs tens of milliseconds (its key is
	// derived from the password on purpose slowly): the certificate read
	// is kept until the settings change.
	cache := app.Store().GetOrSet(storeCertificate, func() any { return &certificateCache{} }).(*certificateCache)
	key := settings.Id + "|" + name + "|" + settings.GetString("updated") + "|" + settings.GetString("certificate_password")
	cache.Lock()
	defer cache.Unlock()
	if cache.key == key {
		return cache.cert, nil
	}
	pfx, err := readFile(app, settings, name)
	if err != nil {
		return nil, fmt.Errorf("reading the certificate file: %w", err)
	}
	cert, err := certificate.Load(pfx, settings.GetString("certificate_password"))
	if err != nil {
		return nil, err
	}
	cache.key, cache.cert = key, cert
	return cert, nil
}

const storeCertificate = "facturo.verifactu.certificate"

// certificateCache is the certificate last read, with what it was read
// from; one per app.
type certificateCache struct {
	sync.Mutex
	key  string
	cert *certificate.Certificate
}

func readFile(app core.App, r *core.Record, name string) ([]byte, error) {
	fsys, err := app.NewFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	f, err := fsys.GetReader(r.BaseFilesPath() + "/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, certificate.MaxFileSize+1))
}

// checkCertificate refuses a certificate file its password does not open,
// when either is saved, so that a wrong password is found when it is typed,
// not when the first record waits to be sent; and, likewise, roots that are
// not PEM certificates, a custom environment without its endpoint, or a
// change of the installation number.
func checkCertificate(e *core.RecordEvent) error {
	r := e.Record
	// NumeroInstalacion names this installation in every record: made once,
	// by the migrations.
	if !r.IsNew() && r.GetString("installation_number") != r.Original().GetString("installation_number") {
		return validation.Errors{"installation_number": validation.NewError("validation_fixed", "the installation number is made once, when the database is created, and never changes")}
	}
	if _, err := aeat.RootsFromPEM(r.GetString("server_ca")); err != nil {
		return validation.Errors{"server_ca": validation.NewError("validation_pem", err.Error())}
	}
	if r.GetString("environment") == EnvCustom && strings.TrimSpace(r.GetString("endpoint")) == "" {
		return validation.Errors{"endpoint": validation.NewError("validation_required", "the custom environment needs its endpoint")}
	}
	if !r.IsNew() && r.GetString("certificate") == r.Original().GetString("certificate") &&
		r.GetString("certificate_password") == r.Original().GetString("certificate_password") {
		return e.Next()
	}
	var pfx []byte
	if files := r.GetUnsavedFiles("certificate"); len(files) > 0 {
		data, err := readUnsaved(files[0])
		if err != nil {
			return err
		}
		pfx = data
	} else if name := r.GetString("certificate"); name != "" {
		data, err := readFile(e.App, r, name)
		if err != nil {
			return err
		}
		pfx = data
	}
	if pfx != nil {
		if _, err := certificate.Load(pfx, r.GetString("certificate_password")); err != nil {
			return validation.Errors{"certificate": validation.NewError("validation_certificate", err.Error())}
		}
	}
	return e.Next()
}

func readUnsaved(f *filesystem.File) ([]byte, error) {
	rc, err := f.Reader.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, certificate.MaxFileSize+1))
}

// endpoint is where records go with the settings and the certificate: the
// AEAT's service for persons or for entity seals in its test or production
// environment, or a custom endpoint with its own roots to trust.
func endpoint(settings *core.Record, cert *certificate.Certificate) (string, []*x509.Certificate, error) {
	switch env := settings.GetString("environment"); env {
	case EnvTest, EnvProduction:
		return aeat.Endpoint(env, cert.EntitySeal), nil, nil
	case EnvCustom:
		url := strings.TrimSpace(settings.GetString("endpoint"))
		if url == "" {
			return "", nil, errors.New("the custom environment has no endpoint (verifactu_settings: endpoint)")
		}
		roots, err := aeat.RootsFromPEM(settings.GetString("server_ca"))
		return url, roots, err
	default:
		return "", nil, fmt.Errorf("unknown environment %q", env)
	}
}

// setState writes the sender's own fields of the settings row in SQL, so
// that it never writes back what staff are editing in the same row.
func setState(app core.App, fields dbx.Params) error {
	_, err := app.DB().Update(SettingsCollection, fields, nil).Execute()
	settingsChanged()
	// Inside a transaction the change is seen once it commits.
	if info := app.TxInfo(); info != nil {
		info.OnComplete(func(error) error {
			settingsChanged()
			return nil
		})
	}
	return err
}
