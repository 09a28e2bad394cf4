// Package aeattest is a stand-in for the AEAT's VERI*FACTU web service,
// for tests: an HTTPS server on 127.0.0.1 that demands a client
// certificate from a test CA, validates every request it receives against
// the official schemas with xmllint, registers the records as the AEAT
// would (refusing duplicates, applying corrections and cancellations),
// answers queries of what it holds, and can be told how to answer the next
// requests: all correct, one record refused with a code, accepted with
// errors, a duplicate, a wait (TiempoEsperaEnvio), a SOAP fault, no answer
// in time, or down.
package aeattest

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"facturo/internal/certificate/certtest"
	"facturo/internal/toolcheck"
)

// Path is where the service listens, as on the AEAT's hosts.
const Path = "/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP"

// Server is the stand-in. Its zero value is not usable: call New.
type Server struct {
	URL     string       // the service's endpoint
	CA      *certtest.CA // issues the clients' certificates it accepts, and its own
	RootPEM string       // the CA as PEM, for a client to trust the server

	t       testing.TB
	xmllint string
	schemas string // the folder of the official schemas

	mu        sync.Mutex
	unchecked bool
	plan      []Answer
	down      bool
	wait      int // TiempoEsperaEnvio of an answer the plan says nothing about
	pageSize  int
	held      map[string]*Held // what it registered, by issuer and number
	received  []Request
	invalid   []string
	hung      sync.WaitGroup
	busy      sync.WaitGroup
}

// Held is what the stand-in holds of one invoice, as the AEAT's query
// service tells it.
type Held struct {
	Issuer, Number, Date string
	Type, Total, Tax     string
	Huella               string
	State                string // Correcto, AceptadoConErrores or Anulado
	Code, Description    string
	Corrected            bool // the last record was a Subsanacion
	Incidencia           bool // it came in a request marked Incidencia S
}

// Request is a request the stand-in received and validated.
type Request struct {
	Operation  string // RegFactuSistemaFacturacion or ConsultaFactuSistemaFacturacion
	Issuer     string
	Incidencia bool
	Records    []RecordSent
	Number     string // a query's NumSerieFactura, if any
	Period     string // a query's year and month, 2026-01
	At         time.Time
}

// RecordSent is one record of a request.
type RecordSent struct {
	Kind               string // Alta or Anulacion
	Issuer             string // IDEmisorFactura (IDEmisorFacturaAnulada)
	Number, Date       string
	RefExterna         string
	Huella, PrevHuella string
	Subsanacion        string
	RechazoPrevio      string
	SinRegistroPrevio  string
	Type, Total, Tax   string
	Recipients         bool // an alta names its recipients (Destinatarios)
	First              bool // PrimerRegistro S
}

// New starts a stand-in for the test; it stops when the test ends, and
// fails the test if any request it received did not validate. Without
// xmllint (or the schemas beside the repository) the test is skipped, or
// fails on CI.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, xmllint: toolcheck.Require(t, "xmllint", "libxml2-utils"), wait: 60, pageSize: 10000, held: map[string]*Held{}}
	s.schemas = toolcheck.SharedPath("validators", "verifactu")
	if _, err := os.Stat(filepath.Join(s.schemas, "SuministroLR.xsd")); err != nil {
		msg := "the AEAT's schemas are not at " + s.schemas + " (../shared/validators beside the repository)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s.CA = certtest.NewCA(t)
	cert, key := s.CA.Issue(t, pkix.Name{CommonName: "127.0.0.1"}, time.Now().AddDate(1, 0, 0), "127.0.0.1")
	pool := x509.NewCertPool()
	pool.AddCert(s.CA.Cert)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0),
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{{Certificate: [][]byte{cert.Raw}, PrivateKey: key, Leaf: cert}},
			ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12,
		}}
	go srv.ServeTLS(ln, "", "")
	s.URL = "https://" + ln.Addr().String() + Path
	s.RootPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.CA.Cert.Raw}))
	t.Cleanup(func() {
		srv.Close()
		s.hung.Wait()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, problem := range s.invalid {
			t.Errorf("the stand-in AEAT received an invalid request: %s", problem)
		}
	})
	return s
}

// ClientPFX is a PKCS#12 file of a client certificate the stand-in
// accepts, for subject, valid until notAfter.
func (s *Server) ClientPFX(t testing.TB, subject pkix.Name, notAfter time.Time, password string) []byte {
	return s.CA.PFX(t, subject, notAfter, password)
}

// Answer is how the stand-in answers one request.
type Answer struct {
	kind  string
	index int
	code  string
	wait  int
	hang  time.Duration
}

// Correct answers as the AEAT does when all is well: every record
// registered, unless it is a duplicate or corrects nothing it holds.
func Correct() Answer { return Answer{kind: "correct", wait: -1} }

// Incorrect refuses the record at index (from 0) with an error code of
// the AEAT's list; the others are registered.
func Incorrect(index int, code string) Answer {
	return Answer{kind: "incorrect", index: index, code: code, wait: -1}
}

// WithErrors registers every record, the one at index accepted with errors
// (AceptadoConErrores) and code.
func WithErrors(index int, code string) Answer {
	return Answer{kind: "errors", index: index, code: code, wait: -1}
}

// Duplicate refuses the record at index as a duplicate (3000) of a record
// already held, correct.
func Duplicate(index int) Answer { return Answer{kind: "duplicate", index: index, wait: -1} }

// Wait answers correctly, asking the client to wait seconds before its next
// request (TiempoEsperaEnvio).
func Wait(seconds int) Answer { return Answer{kind: "correct", wait: seconds} }

// Fault answers with a SOAP fault: the request refused as a whole, nothing
// registered.
func Fault() Answer { return Answer{kind: "fault", wait: -1} }

// Timeout registers the records but answers only after hang, or when the
// client gives up: as when the AEAT's answer is lost.
func Timeout(hang time.Duration) Answer { return Answer{kind: "timeout", hang: hang, wait: -1} }

// Down answers HTTP 503 with an HTML page, as the service does when it is
// down; nothing is registered.
func Down() Answer { return Answer{kind: "down", wait: -1} }

// Then queues how to answer the next requests to RegFactuSistemaFacturacion,
// in order; once the queue is empty every request is answered Correct.
func (s *Server) Then(answers ...Answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan = append(s.plan, answers...)
}

// SetDown makes the service down (every request, queries included,
// answered 503) until it is set up again.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// SetWait is the TiempoEsperaEnvio of answers the queue says nothing about
// (60 unless set).
func (s *Server) SetWait(seconds int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wait = seconds
}

// SkipValidation stops checking requests against the schemas, for
// benchmarks: xmllint would compete for the CPU they measure. Tests keep
// the check.
func (s *Server) SkipValidation() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unchecked = true
}

// SetPageSize is how many invoices a query answers at most per page.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// Received is every valid request received so far.
func (s *Server) Received() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.received...)
}

// Holds is what the stand-in holds of an issuer's invoice, or nil.
func (s *Server) Holds(issuer, number string) *Held {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.held[issuer+"|"+number]; h != nil {
		c := *h
		return &c
	}
	return nil
}

// HeldCount is how many invoices the stand-in holds.
func (s *Server) HeldCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.held)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != Path {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if len(r.TLS.PeerCertificates) == 0 {
		http.Error(w, "a client certificate is required", http.StatusForbidden)
		return
	}
	s.busy.Add(1)
	working := true
	done := func() {
		if working {
			working = false
			s.busy.Done()
		}
	}
	defer done()
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return
	}
	s.mu.Lock()
	down := s.down
	s.mu.Unlock()
	if down {
		writeDown(w)
		return
	}
	op, fragment, err := bodyElement(body)
	if err != nil {
		s.refuse(w, "the request is not a SOAP envelope: "+err.Error())
		return
	}
	schema := map[string]string{"RegFactuSistemaFacturacion": "SuministroLR.xsd", "ConsultaFactuSistemaFacturacion": "ConsultaLR.xsd"}[op]
	if schema == "" {
		s.refuse(w, "unknown operation "+op)
		return
	}
	s.mu.Lock()
	unchecked := s.unchecked
	s.mu.Unlock()
	if !unchecked {
		if problem := s.validate(fragment, schema); problem != "" {
			s.refuse(w, op+": "+problem)
			return
		}
	}
	switch op {
	case "RegFactuSistemaFacturacion":
		s.register(w, r, fragment, done)
	default:
		s.query(w, fragment)
	}
}

// Processed waits until every request received so far has been validated
// and its records registered, whether or not its answer was sent (a
// Timeout holds it back): a client may give up before the stand-in is done.
func (s *Server) Processed() { s.busy.Wait() }

// refuse notes an invalid request (the test fails at its end) and answers
// with the fault the AEAT gives for a request that breaks its schema.
func (s *Server) refuse(w http.ResponseWriter, problem string) {
	s.mu.Lock()
	s.invalid = append(s.invalid, problem)
	s.mu.Unlock()
	writeFault(w, "env:Client", "Codigo[4102].El XML no cumple el esquema. "+problem)
}

// validate runs xmllint on the request's body element against schema.
func (s *Server) validate(fragment []byte, schema string) string {
	f, err := os.CreateTemp(s.t.TempDir(), "request-*.xml")
	if err != nil {
		return err.Error()
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(fragment); err != nil {
		f.Close()
		return err.Error()
	}
	f.Close()
	cmd := exec.Command(s.xmllint, "--noout", "--nonet", "--schema", filepath.Join(s.schemas, schema), f.Name())
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(filepath.Dir(s.schemas), "catalog.xml"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return strings.TrimSpace(strings.ReplaceAll(string(out), f.Name(), "request"))
	}
	return ""
}

// bodyElement is the name of the element in a SOAP envelope's body, and
// that element alone, carrying the namespace declarations of the envelope
// and body around it so that it stands alone.
func bodyElement(envelope []byte) (string, []byte, error) {
	d := xml.NewDecoder(bytes.NewReader(envelope))
	var outer []xml.Attr
	depth := 0
	for {
		offset := d.InputOffset()
		tok, err := d.Token()
		if err != nil {
			return "", nil, err
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		depth++
		if depth == 1 && start.Name.Local != "Envelope" {
			return "", nil, errors.New("the root is " + start.Name.Local)
		}
		if depth == 2 && start.Name.Local == "Header" {
			if err := d.Skip(); err != nil {
				return "", nil, err
			}
			depth--
			continue
		}
		if depth <= 2 {
			for _, a := range start.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					outer = append(outer, a)
				}
			}
			continue
		}
		if err := d.Skip(); err != nil {
			return "", nil, err
		}
		raw := envelope[offset:d.InputOffset()]
		// The start tag's end: the first '>' outside quotes.
		end, quote := -1, byte(0)
		for i := 0; i < len(raw) && end < 0; i++ {
			switch c := raw[i]; {
			case quote != 0 && c == quote:
				quote = 0
			case quote == 0 && (c == '"' || c == '\''):
				quote = c
			case quote == 0 && c == '>':
				end = i
			}
		}
		tag := string(raw[:end])
		var extra strings.Builder
		for _, a := range outer {
			name := "xmlns"
			if a.Name.Space == "xmlns" {
				name += ":" + a.Name.Local
			}
			if !strings.Contains(tag, name+"=") {
				fmt.Fprintf(&extra, " %s=%q", name, a.Value)
			}
		}
		cut := strings.IndexAny(tag, " \t\r\n/")
		if cut < 0 {
			cut = len(tag)
		}
		fragment := tag[:cut] + extra.String() + string(raw[cut:])
		return start.Name.Local, []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + fragment), nil
	}
}

// request is a RegFactuSistemaFacturacion request, read by local names.
type request struct {
	Cabecera struct {
		ObligadoEmision struct {
			NombreRazon string `xml:"NombreRazon"`
			NIF         string `xml:"NIF"`
		} `xml:"ObligadoEmision"`
		RemisionVoluntaria struct {
			Incidencia string `xml:"Incidencia"`
		} `xml:"RemisionVoluntaria"`
	} `xml:"Cabecera"`
	Records []struct {
		Alta *struct {
			IDFactura struct {
				IDEmisorFactura, NumSerieFactura, FechaExpedicionFactura string
			} `xml:"IDFactura"`
			RefExterna     string
			Subsanacion    string
			RechazoPrevio  string
			TipoFactura    string
			Destinatarios  *struct{} `xml:"Destinatarios"`
			CuotaTotal     string
			ImporteTotal   string
			Encadenamiento chainRead `xml:"Encadenamiento"`
			Huella         string
		} `xml:"RegistroAlta"`
		Anulacion *struct {
			IDFactura struct {
				IDEmisorFacturaAnulada, NumSerieFacturaAnulada, FechaExpedicionFacturaAnulada string
			} `xml:"IDFactura"`
			RefExterna        string
			SinRegistroPrevio string
			RechazoPrevio     string
			Encadenamiento    chainRead `xml:"Encadenamiento"`
			Huella            string
		} `xml:"RegistroAnulacion"`
	} `xml:"RegistroFactura"`
}

type chainRead struct {
	PrimerRegistro   string
	RegistroAnterior struct{ Huella string }
}

func (s *Server) register(w http.ResponseWriter, r *http.Request, fragment []byte, processed func()) {
	var req request
	if err := xml.Unmarshal(fragment, &req); err != nil {
		s.refuse(w, err.Error())
		return
	}
	received := Request{Operation: "RegFactuSistemaFacturacion", Issuer: req.Cabecera.ObligadoEmision.NIF,
		Incidencia: req.Cabecera.RemisionVoluntaria.Incidencia == "S", At: time.Now()}
	for _, rec := range req.Records {
		switch {
		case rec.Alta != nil:
			a := rec.Alta
			received.Records = append(received.Records, RecordSent{Kind: "Alta", Issuer: a.IDFactura.IDEmisorFactura, Number: a.IDFactura.NumSerieFactura,
				Date: a.IDFactura.FechaExpedicionFactura, RefExterna: a.RefExterna, Huella: a.Huella,
				PrevHuella: a.Encadenamiento.RegistroAnterior.Huella, First: a.Encadenamiento.PrimerRegistro == "S",
				Subsanacion: a.Subsanacion, RechazoPrevio: a.RechazoPrevio, Type: a.TipoFactura, Total: a.ImporteTotal, Tax: a.CuotaTotal,
				Recipients: a.Destinatarios != nil})
		case rec.Anulacion != nil:
			c := rec.Anulacion
			received.Records = append(received.Records, RecordSent{Kind: "Anulacion", Issuer: c.IDFactura.IDEmisorFacturaAnulada, Number: c.IDFactura.NumSerieFacturaAnulada,
				Date: c.IDFactura.FechaExpedicionFacturaAnulada, RefExterna: c.RefExterna, Huella: c.Huella,
				PrevHuella: c.Encadenamiento.RegistroAnterior.Huella, First: c.Encadenamiento.PrimerRegistro == "S",
				RechazoPrevio: c.RechazoPrevio, SinRegistroPrevio: c.SinRegistroPrevio})
		}
	}
	s.mu.Lock()
	s.received = append(s.received, received)
	answer := Correct()
	if len(s.plan) > 0 {
		answer, s.plan = s.plan[0], s.plan[1:]
	}
	wait := s.wait
	if answer.wait >= 0 {
		wait = answer.wait
	}
	switch answer.kind {
	case "down":
		s.mu.Unlock()
		writeDown(w)
		return
	case "fault":
		s.mu.Unlock()
		writeFault(w, "env:Server", "Codigo[4111].Error técnico al crear el trámite.")
		return
	}
	issuer, name := received.Issuer, req.Cabecera.ObligadoEmision.NombreRazon
	lines := make([]line, len(received.Records))
	for i, rec := range received.Records {
		lines[i] = s.apply(issuer, received.Incidencia, rec, i, answer)
	}
	s.mu.Unlock()
	processed()
	if answer.kind == "timeout" {
		s.hung.Add(1)
		defer s.hung.Done()
		select {
		case <-r.Context().Done():
			return
		case <-time.After(answer.hang):
		}
	}
	writeAnswer(w, issuer, name, wait, lines)
}

// line is the answer about one record.
type line struct {
	rec               RecordSent
	state, code, desc string
	duplicate         *Held
}

// apply registers one record as the AEAT would, or refuses it as answer
// says; s.mu is held.
func (s *Server) apply(issuer string, incidencia bool, rec RecordSent, i int, answer Answer) line {
	key := issuer + "|" + rec.Number
	l := line{rec: rec, state: "Correcto"}
	if rec.Issuer != issuer {
		l.state, l.code, l.desc = "Incorrecto", "1108", describe("1108")
		return l
	}
	if rec.Kind == "Alta" {
		// Invoices to a named recipient name it; simplified ones and their
		// corrections (F2, R5) name none.
		simplified := rec.Type == "F2" || rec.Type == "R5"
		switch {
		case simplified && rec.Recipients:
			l.state, l.code, l.desc = "Incorrecto", "1190", describe("1190")
			return l
		case !simplified && !rec.Recipients:
			l.state, l.code, l.desc = "Incorrecto", "1189", describe("1189")
			return l
		}
	}
	held := s.held[key]
	if answer.index == i {
		switch answer.kind {
		case "incorrect":
			l.state, l.code, l.desc = "Incorrecto", answer.code, describe(answer.code)
			return l
		case "duplicate":
			dup := &Held{State: "Correcta"}
			if held != nil {
				c := *held
				dup = &c
			}
			l.state, l.code, l.desc, l.duplicate = "Incorrecto", "3000", describe("3000"), dup
			return l
		case "errors":
			l.state, l.code, l.desc = "AceptadoConErrores", answer.code, describe(answer.code)
		}
	}
	switch rec.Kind {
	case "Alta":
		if held != nil && rec.Subsanacion != "S" {
			c := *held
			l.state, l.code, l.desc, l.duplicate = "Incorrecto", "3000", describe("3000"), &c
			return l
		}
		if held == nil && rec.Subsanacion == "S" && rec.RechazoPrevio != "S" && rec.RechazoPrevio != "X" {
			l.state, l.code, l.desc = "Incorrecto", "3002", describe("3002")
			return l
		}
		s.held[key] = &Held{Issuer: issuer, Number: rec.Number, Date: rec.Date, Type: rec.Type, Total: rec.Total, Tax: rec.Tax,
			Huella: rec.Huella, State: l.state, Code: l.code, Description: l.desc, Corrected: rec.Subsanacion == "S", Incidencia: incidencia}
	case "Anulacion":
		switch {
		case held != nil && held.State == "Anulado":
			l.state, l.code, l.desc = "Incorrecto", "3001", describe("3001")
			return l
		case held != nil:
			held.State, held.Code, held.Description = "Anulado", "", ""
		case rec.SinRegistroPrevio == "S":
			s.held[key] = &Held{Issuer: issuer, Number: rec.Number, Date: rec.Date, Huella: rec.Huella, State: "Anulado", Incidencia: incidencia}
		default:
			l.state, l.code, l.desc = "Incorrecto", "3002", describe("3002")
		}
	}
	return l
}

// describe is the AEAT's text of an error code, from its list beside the
// schemas.
func describe(code string) string {
	f, err := os.Open(toolcheck.SharedPath("validators", "verifactu", "errores.tsv"))
	if err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if fields := strings.SplitN(sc.Text(), "\t", 3); len(fields) == 3 && fields[0] == code {
				return fields[2]
			}
		}
	}
	return "Error " + code + "."
}

const (
	nsSF    = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd"
	nsR     = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd"
	nsLRRC  = "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaConsultaLR.xsd"
	soapEnv = "http://schemas.xmlsoap.org/soap/envelope/"
)

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func writeDown(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, "<html><body><h1>Servicio no disponible</h1></body></html>")
}

func writeFault(w http.ResponseWriter, code, text string) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="%s"><env:Body><env:Fault><faultcode>%s</faultcode><faultstring>%s</faultstring></env:Fault></env:Body></env:Envelope>`,
		soapEnv, code, esc(text))
}

// writeAnswer writes a RespuestaRegFactuSistemaFacturacion, prefixed as
// the AEAT writes it.
func writeAnswer(w http.ResponseWriter, issuer, name string, wait int, lines []line) {
	incorrect, withErrors := 0, 0
	for _, l := range lines {
		switch l.state {
		case "Incorrecto":
			incorrect++
		case "AceptadoConErrores":
			withErrors++
		}
	}
	state := "Correcto"
	switch {
	case incorrect == len(lines):
		state = "Incorrecto"
	case incorrect > 0 || withErrors > 0:
		state = "ParcialmenteCorrecto"
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="` + soapEnv + `"><env:Header/><env:Body Id="Body">`)
	b.WriteString(`<tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR="` + nsR + `" xmlns:tik="` + nsSF + `">`)
	if state != "Incorrecto" {
		fmt.Fprintf(&b, `<tikR:CSV>%s</tikR:CSV><tikR:DatosPresentacion><tik:NIFPresentador>%s</tik:NIFPresentador><tik:TimestampPresentacion>%s</tik:TimestampPresentacion></tikR:DatosPresentacion>`,
			csv(), esc(issuer), time.Now().Format(time.RFC3339))
	}
	fmt.Fprintf(&b, `<tikR:Cabecera><tik:ObligadoEmision><tik:NombreRazon>%s</tik:NombreRazon><tik:NIF>%s</tik:NIF></tik:ObligadoEmision></tikR:Cabecera>`, esc(name), esc(issuer))
	fmt.Fprintf(&b, `<tikR:TiempoEsperaEnvio>%d</tikR:TiempoEsperaEnvio><tikR:EstadoEnvio>%s</tikR:EstadoEnvio>`, wait, state)
	for _, l := range lines {
		b.WriteString(`<tikR:RespuestaLinea><tikR:IDFactura>`)
		fmt.Fprintf(&b, `<tik:IDEmisorFactura>%s</tik:IDEmisorFactura><tik:NumSerieFactura>%s</tik:NumSerieFactura><tik:FechaExpedicionFactura>%s</tik:FechaExpedicionFactura>`,
			esc(l.rec.Issuer), esc(l.rec.Number), esc(l.rec.Date))
		fmt.Fprintf(&b, `</tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>%s</tik:TipoOperacion>`, l.rec.Kind)
		if l.rec.Subsanacion != "" {
			fmt.Fprintf(&b, `<tik:Subsanacion>%s</tik:Subsanacion>`, l.rec.Subsanacion)
		}
		if l.rec.RechazoPrevio != "" {
			fmt.Fprintf(&b, `<tik:RechazoPrevio>%s</tik:RechazoPrevio>`, l.rec.RechazoPrevio)
		}
		if l.rec.SinRegistroPrevio != "" {
			fmt.Fprintf(&b, `<tik:SinRegistroPrevio>%s</tik:SinRegistroPrevio>`, l.rec.SinRegistroPrevio)
		}
		b.WriteString(`</tikR:Operacion>`)
		if l.rec.RefExterna != "" {
			fmt.Fprintf(&b, `<tikR:RefExterna>%s</tikR:RefExterna>`, esc(l.rec.RefExterna))
		}
		fmt.Fprintf(&b, `<tikR:EstadoRegistro>%s</tikR:EstadoRegistro>`, l.state)
		if l.code != "" {
			fmt.Fprintf(&b, `<tikR:CodigoErrorRegistro>%s</tikR:CodigoErrorRegistro><tikR:DescripcionErrorRegistro>%s</tikR:DescripcionErrorRegistro>`, l.code, esc(l.desc))
		}
		if d := l.duplicate; d != nil {
			state := map[string]string{"Correcto": "Correcta", "AceptadoConErrores": "AceptadaConErrores", "Anulado": "Anulada"}[d.State]
			if state == "" {
				state = d.State
			}
			fmt.Fprintf(&b, `<tikR:RegistroDuplicado><tik:IdPeticionRegistroDuplicado>%s</tik:IdPeticionRegistroDuplicado><tik:EstadoRegistroDuplicado>%s</tik:EstadoRegistroDuplicado>`,
				strings.ToUpper(randomText(16)), state)
			if d.Code != "" {
				fmt.Fprintf(&b, `<tik:CodigoErrorRegistro>%s</tik:CodigoErrorRegistro>`, d.Code)
			}
			b.WriteString(`</tikR:RegistroDuplicado>`)
		}
		b.WriteString(`</tikR:RespuestaLinea>`)
	}
	b.WriteString(`</tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>`)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	io.WriteString(w, b.String())
}

// queryRequest is a ConsultaFactuSistemaFacturacion request, read by local
// names.
type queryRequest struct {
	Cabecera struct {
		ObligadoEmision struct {
			NombreRazon string `xml:"NombreRazon"`
			NIF         string `xml:"NIF"`
		} `xml:"ObligadoEmision"`
	} `xml:"Cabecera"`
	Filtro struct {
		Periodo struct {
			Ejercicio string `xml:"Ejercicio"`
			Periodo   string `xml:"Periodo"`
		} `xml:"PeriodoImputacion"`
		NumSerieFactura string `xml:"NumSerieFactura"`
		Clave           *struct {
			NumSerieFactura string `xml:"NumSerieFactura"`
		} `xml:"ClavePaginacion"`
	} `xml:"FiltroConsulta"`
}

func (s *Server) query(w http.ResponseWriter, fragment []byte) {
	var q queryRequest
	if err := xml.Unmarshal(fragment, &q); err != nil {
		s.refuse(w, err.Error())
		return
	}
	issuer, name := q.Cabecera.ObligadoEmision.NIF, q.Cabecera.ObligadoEmision.NombreRazon
	period := q.Filtro.Periodo.Ejercicio + "-" + q.Filtro.Periodo.Periodo
	s.mu.Lock()
	s.received = append(s.received, Request{Operation: "ConsultaFactuSistemaFacturacion", Issuer: issuer,
		Number: q.Filtro.NumSerieFactura, Period: period, At: time.Now()})
	var found []Held
	for _, h := range s.held {
		parts := strings.Split(h.Date, "-") // dd-mm-yyyy
		if h.Issuer != issuer || len(parts) != 3 || parts[2]+"-"+parts[1] != period {
			continue
		}
		if q.Filtro.NumSerieFactura != "" && h.Number != q.Filtro.NumSerieFactura {
			continue
		}
		if q.Filtro.Clave != nil && h.Number <= q.Filtro.Clave.NumSerieFactura {
			continue
		}
		found = append(found, *h)
	}
	pageSize := s.pageSize
	s.mu.Unlock()
	sort.Slice(found, func(i, j int) bool { return found[i].Number < found[j].Number })
	more := len(found) > pageSize
	if more {
		found = found[:pageSize]
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="` + soapEnv + `"><env:Body>`)
	b.WriteString(`<tikLRRC:RespuestaConsultaFactuSistemaFacturacion xmlns:tikLRRC="` + nsLRRC + `" xmlns:tik="` + nsSF + `">`)
	fmt.Fprintf(&b, `<tikLRRC:Cabecera><tik:IDVersion>1.0</tik:IDVersion><tik:ObligadoEmision><tik:NombreRazon>%s</tik:NombreRazon><tik:NIF>%s</tik:NIF></tik:ObligadoEmision></tikLRRC:Cabecera>`, esc(name), esc(issuer))
	fmt.Fprintf(&b, `<tikLRRC:PeriodoImputacion><tikLRRC:Ejercicio>%s</tikLRRC:Ejercicio><tikLRRC:Periodo>%s</tikLRRC:Periodo></tikLRRC:PeriodoImputacion>`,
		esc(q.Filtro.Periodo.Ejercicio), esc(q.Filtro.Periodo.Periodo))
	result := "SinDatos"
	if len(found) > 0 {
		result = "ConDatos"
	}
	fmt.Fprintf(&b, `<tikLRRC:IndicadorPaginacion>%s</tikLRRC:IndicadorPaginacion><tikLRRC:ResultadoConsulta>%s</tikLRRC:ResultadoConsulta>`, yesNo(more), result)
	for _, h := range found {
		fmt.Fprintf(&b, `<tikLRRC:RegistroRespuestaConsultaFactuSistemaFacturacion><tikLRRC:IDFactura><tik:IDEmisorFactura>%s</tik:IDEmisorFactura><tik:NumSerieFactura>%s</tik:NumSerieFactura><tik:FechaExpedicionFactura>%s</tik:FechaExpedicionFactura></tikLRRC:IDFactura>`,
			esc(h.Issuer), esc(h.Number), esc(h.Date))
		b.WriteString(`<tikLRRC:DatosRegistroFacturacion>`)
		if h.Corrected {
			b.WriteString(`<tikLRRC:Subsanacion>S</tikLRRC:Subsanacion>`)
		}
		if h.Type != "" {
			fmt.Fprintf(&b, `<tikLRRC:TipoFactura>%s</tikLRRC:TipoFactura><tikLRRC:CuotaTotal>%s</tikLRRC:CuotaTotal><tikLRRC:ImporteTotal>%s</tikLRRC:ImporteTotal>`,
				esc(h.Type), esc(h.Tax), esc(h.Total))
		}
		fmt.Fprintf(&b, `<tikLRRC:TipoHuella>01</tikLRRC:TipoHuella><tikLRRC:Huella>%s</tikLRRC:Huella>`, esc(h.Huella))
		if h.Incidencia {
			b.WriteString(`<tikLRRC:Incidencia>S</tikLRRC:Incidencia>`)
		}
		fmt.Fprintf(&b, `</tikLRRC:DatosRegistroFacturacion><tikLRRC:EstadoRegistro><tikLRRC:TimestampUltimaModificacion>%s</tikLRRC:TimestampUltimaModificacion><tikLRRC:EstadoRegistro>%s</tikLRRC:EstadoRegistro>`,
			time.Now().Format(time.RFC3339), h.State)
		if h.Code != "" {
			fmt.Fprintf(&b, `<tikLRRC:CodigoErrorRegistro>%s</tikLRRC:CodigoErrorRegistro><tikLRRC:DescripcionErrorRegistro>%s</tikLRRC:DescripcionErrorRegistro>`, h.Code, esc(truncate(h.Description, 500)))
		}
		b.WriteString(`</tikLRRC:EstadoRegistro></tikLRRC:RegistroRespuestaConsultaFactuSistemaFacturacion>`)
	}
	if more {
		last := found[len(found)-1]
		fmt.Fprintf(&b, `<tikLRRC:ClavePaginacion><tik:IDEmisorFactura>%s</tik:IDEmisorFactura><tik:NumSerieFactura>%s</tik:NumSerieFactura><tik:FechaExpedicionFactura>%s</tik:FechaExpedicionFactura></tikLRRC:ClavePaginacion>`,
			esc(last.Issuer), esc(last.Number), esc(last.Date))
	}
	b.WriteString(`</tikLRRC:RespuestaConsultaFactuSistemaFacturacion></env:Body></env:Envelope>`)
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	io.WriteString(w, b.String())
}

func yesNo(b bool) string {
	if b {
		return "S"
	}
	return "N"
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// csv is a code like the AEAT's secure verification codes.
func csv() string { return "A-" + strings.ToUpper(randomText(14)) }

func randomText(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	for i, c := range buf {
		buf[i] = letters[int(c)%len(letters)]
	}
	return string(buf)
}

// answerSamples are answers of each kind, for the test that checks them
// against the AEAT's answer schema.
func (s *Server) answerSamples() map[string]string {
	rec := RecordSent{Kind: "Alta", Issuer: "B12345674", Number: "A-2026-000001", Date: "02-01-2026", RefExterna: "ref1"}
	samples := map[string]string{}
	for name, lines := range map[string][]line{
		"correct":   {{rec: rec, state: "Correcto"}},
		"refused":   {{rec: rec, state: "Incorrecto", code: "1100", desc: describe("1100")}, {rec: rec, state: "AceptadoConErrores", code: "2001", desc: describe("2001")}},
		"duplicate": {{rec: rec, state: "Incorrecto", code: "3000", desc: describe("3000"), duplicate: &Held{State: "Correcto"}}},
	} {
		rw := &recorder{header: http.Header{}}
		writeAnswer(rw, "B12345674", "Talleres Norte S.L.", 60, lines)
		samples[name] = rw.body.String()
	}
	return samples
}

// recorder is a ResponseWriter that keeps what is written.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// Validate checks an XML document against one of the AEAT's schemas
// (SuministroLR.xsd, SuministroInformacion.xsd, ConsultaLR.xsd,
// RespuestaSuministro.xsd…) with xmllint, failing the test with what
// xmllint says; a SOAP envelope is checked by the element in its body.
// Without xmllint or the schemas the test is skipped, or fails on CI.
func Validate(t testing.TB, doc []byte, schema string) {
	t.Helper()
	xmllint := toolcheck.Require(t, "xmllint", "libxml2-utils")
	dir := toolcheck.SharedPath("validators", "verifactu")
	if _, err := os.Stat(filepath.Join(dir, schema)); err != nil {
		msg := "the AEAT's schema " + schema + " is not in " + dir
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if bytes.Contains(doc[:min(len(doc), 400)], []byte("Envelope")) {
		_, fragment, err := bodyElement(doc)
		if err != nil {
			t.Fatalf("not a SOAP envelope: %v", err)
		}
		doc = fragment
	}
	file := filepath.Join(t.TempDir(), "document.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join(dir, schema), file)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(filepath.Dir(dir), "catalog.xml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the document breaks %s:\n%s\n%s", schema, out, doc)
	}
}
