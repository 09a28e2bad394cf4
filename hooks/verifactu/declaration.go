package verifactu

import (
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"facturo/hooks/invoicing"
	"facturo/internal/clock"
)

// Where and when the producer signs the declaration, set at build time
// with the producer (-ldflags -X …DeclarationPlace=Madrid -X
// …DeclarationDate=2026-12-01); a build that sets none is dated by its
// commit and placed where the firm is.
var (
	DeclarationPlace = ""
	DeclarationDate  = ""
)

// Declaration is the declaración responsable of the running system (art.
// 13 of Real Decreto 1007/2023 and art. 15 of Orden HAC/1177/2024): what
// the system is, who produced it, and the producer's statement that it
// meets the rules. It is in Spanish, the language in which it binds.
type Declaration struct {
	Title     string
	Items     []DeclarationItem
	Statement string
	Signed    string // "En <lugar>, a <fecha>."
	Producer  Producer
}

// DeclarationItem is one point of the declaration.
type DeclarationItem struct {
	Label, Value string
}

// Text is the declaration as plain text, one point a paragraph.
func (d Declaration) Text() string {
	var b strings.Builder
	b.WriteString(d.Title + "\n\n")
	for _, it := range d.Items {
		b.WriteString(it.Label + ": " + it.Value + "\n\n")
	}
	b.WriteString(d.Statement + "\n\n" + d.Signed + "\n")
	return b.String()
}

// DeclarationOf is the declaration of the running build.
func DeclarationOf(app core.App) Declaration {
	p := ProducerOf(app)
	producer := p.Name + ", NIF " + p.NIF
	if p.NIF == "" {
		producer = "— (el perfil de emisor no tiene aún razón social y NIF)"
	}
	if p.OwnBuild {
		producer += " (sistema producido por el propio obligado tributario, que lo compila y lo usa para su facturación)"
	}
	address := p.Address
	if address == "" {
		address = "—"
	}
	place := DeclarationPlace
	if place == "" {
		if firm, err := invoicing.LoadIssuer(app); err == nil {
			place = strings.TrimSpace(firm.GetString("city"))
		}
	}
	if place == "" {
		place = "—"
	}
	return Declaration{
		Title: "Declaración responsable del sistema informático de facturación " + SystemName + " " + SystemVersion(),
		Items: []DeclarationItem{
			{"a) Nombre del sistema informático", SystemName},
			{"b) Código identificador del sistema informático", SystemID},
			{"c) Identificador completo de la versión", SystemVersion()},
			{"d) Componentes, hardware y software, y funcionalidades", "Programa único (un ejecutable) que se instala en un servidor del usuario, " +
				"con su base de datos SQLite embebida; no requiere hardware específico. Permite emitir facturas numeradas sin saltos por serie y año, " +
				"facturas rectificativas y la anulación de facturas emitidas por error; genera en la misma operación el registro de facturación de alta " +
				"o de anulación, encadenado por su huella (SHA-256) con el anterior del mismo obligado, y lo remite a la sede electrónica de la AEAT por su " +
				"servicio web con el certificado electrónico del obligado o de su representante; conserva cada registro tal como se remitió y la respuesta " +
				"de la AEAT; imprime en cada factura el código QR tributario. Incluye además envío de facturas por correo electrónico, portal de clientes, " +
				"cobros, recordatorios y conciliación bancaria, que no intervienen en los registros de facturación."},
			{"e) Funciona exclusivamente como sistema VERI*FACTU", "Sí (TipoUsoPosibleSoloVerifactu = S). Cuando la remisión está activada, todos los registros " +
				"se remiten a la AEAT; el sistema no genera el registro de eventos ni firma los registros, propios de los sistemas que no son VERI*FACTU."},
			{"f) Uso por varios obligados tributarios", "No (TipoUsoPosibleMultiOT = N): cada instalación emite las facturas de un único obligado tributario, " +
				"el de su perfil de emisor. Cada NIF emisor lleva su propia cadena de registros."},
			{"g) Tipos de firma", "No aplica: como sistema VERI*FACTU, los registros no se firman; su autenticidad la garantiza la remisión a la AEAT."},
			{"h) Productor", producer},
			{"i) Dirección postal completa de contacto del productor", address},
		},
		Statement: "El productor declara bajo su responsabilidad que el sistema informático de facturación descrito, en la versión indicada, cumple " +
			"lo dispuesto en el artículo 29.2.j) de la Ley 58/2003, de 17 de diciembre, General Tributaria, en el Reglamento que establece los requisitos " +
			"que deben adoptar los sistemas y programas informáticos o electrónicos que soporten los procesos de facturación de empresarios y " +
			"profesionales, aprobado por el Real Decreto 1007/2023, de 5 de diciembre, en la Orden HAC/1177/2024, de 17 de octubre, y en las demás " +
			"normas que los desarrollan.",
		Signed:   "En " + place + ", a " + declarationDate() + ".",
		Producer: p,
	}
}

var months = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// declarationDate is the day the declaration is signed, written out in
// Spanish: the one set at build time, else the day of the build's commit.
func declarationDate() string {
	var day time.Time
	if d, err := time.Parse(time.DateOnly, DeclarationDate); err == nil {
		day = d
	} else if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					day = t.In(clock.Zone)
				}
			}
		}
	}
	if day.IsZero() {
		return "—"
	}
	return strings.Join([]string{strconv.Itoa(day.Day()), "de", months[day.Month()-1], "de", strconv.Itoa(day.Year())}, " ")
}
