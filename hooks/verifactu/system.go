package verifactu

import (
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/aeat"
)

// The system's identity, as every record's SistemaInformatico and the
// declaración responsable state it.
const (
	SystemName = "Facturo"
	// SystemID is the IdSistemaInformatico the producer gives this system.
	SystemID = "FT"
)

// The producer of the build, set by whoever distributes it:
//
//	go build -ldflags "-X 'facturo/hooks/verifactu.ProducerName=…' -X 'facturo/hooks/verifactu.ProducerNIF=…' \
//	  -X 'facturo/hooks/verifactu.ProducerAddress=…' -X 'facturo/hooks/verifactu.Version=1.4.0'"
//
// A build that names no producer is the firm's own: the firm that builds and
// runs it is the producer of its system, and its issuer profile (legal
// name, NIF, address) says so in the records and the declaration.
var (
	ProducerName    = ""
	ProducerNIF     = ""
	ProducerAddress = ""
	// Version is the build's version; without it, the module's version or
	// the commit the binary was built from.
	Version = ""
)

// Producer is who produced the running system.
type Producer struct {
	Name, NIF, Address string
	OwnBuild           bool // the firm's own build: the issuer is the producer
}

// ProducerOf is the producer of the running build.
func ProducerOf(app core.App) Producer {
	if ProducerNIF != "" {
		return Producer{Name: ProducerName, NIF: ProducerNIF, Address: ProducerAddress}
	}
	p := Producer{OwnBuild: true}
	if firm, err := invoicing.LoadIssuer(app); err == nil {
		p.Name, p.NIF = strings.TrimSpace(firm.GetString("legal_name")), firm.GetString("tax_id")
		if street := strings.TrimSpace(firm.GetString("address")); street != "" {
			p.Address = strings.Join(nonEmpty(street, strings.TrimSpace(firm.GetString("postal_code")+" "+firm.GetString("city")),
				firm.GetString("province"), firm.GetString("country")), ", ")
		}
	}
	return p
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SystemVersion is the running build's version, at most 50 characters as
// the records hold it.
func SystemVersion() string { return systemVersion() }

var systemVersion = sync.OnceValue(func() string {
	v := Version
	if v == "" {
		v = "dev"
		if info, ok := debug.ReadBuildInfo(); ok {
			if info.Main.Version != "" && info.Main.Version != "(devel)" {
				v = info.Main.Version
			} else {
				var rev, modified string
				for _, s := range info.Settings {
					switch s.Key {
					case "vcs.revision":
						rev = s.Value
					case "vcs.modified":
						if s.Value == "true" {
							modified = "+modified"
						}
					}
				}
				if len(rev) > 12 {
					rev = rev[:12]
				}
				if rev != "" {
					v = "dev-" + rev + modified
				}
			}
		}
	}
	return aeat.Text(v, 50)
})

// system is the SistemaInformatico block of the records of an invoice of
// issuer this installation makes: VERI*FACTU only, used by one taxpayer
// (each installation has one issuer profile). A build without a producer
// is the issuer's own, as the invoice states it.
func system(issuer invoicing.Party, installation string) aeat.System {
	p := Producer{Name: ProducerName, NIF: ProducerNIF}
	if p.NIF == "" {
		p = Producer{Name: issuer.Name, NIF: issuer.TaxID}
	}
	return aeat.System{
		NombreRazon: aeat.Text(p.Name, 120), NIF: p.NIF, NombreSistemaInformatico: SystemName, IdSistemaInformatico: SystemID,
		Version: SystemVersion(), NumeroInstalacion: installation,
		TipoUsoPosibleSoloVerifactu: "S", TipoUsoPosibleMultiOT: "N", IndicadorMultiplesOT: "N",
	}
}
