package aeat

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"strings"
	"time"
)

// Client sends requests to the AEAT's service with the firm's certificate.
type Client struct {
	Endpoint string
	http     *http.Client
}

// maxAnswer bounds what is read of an answer: a full one, 1,000 lines with
// duplicates' details, stays under 2 MB.
const maxAnswer = 16 << 20

// NewClient is a client of the service at endpoint that authenticates with
// cert. roots are trusted besides the system's roots (for a custom
// endpoint); timeout bounds each exchange.
func NewClient(endpoint string, cert tls.Certificate, roots []*x509.Certificate, timeout time.Duration) *Client {
	// TLS 1.2, whose handshake ends only after the server has checked the
	// client's certificate: a refused certificate is a handshake error
	// before any record goes out. Under TLS 1.3 the client writes its
	// request first, and the server's alert is often lost to the reset
	// that closing over the unread request sends, so that a refusal would
	// look like a request that may have been processed. The AEAT's service
	// speaks TLS 1.2.
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}
	if len(roots) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, r := range roots {
			pool.AddCert(r)
		}
		cfg.RootCAs = pool
	}
	transport := &http.Transport{
		TLSClientConfig: cfg, Proxy: http.ProxyFromEnvironment,
		MaxIdleConns: 2, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 30 * time.Second,
	}
	return &Client{Endpoint: endpoint, http: &http.Client{Transport: transport, Timeout: timeout}}
}

// RootsFromPEM reads the PEM certificates of a custom endpoint's roots;
// empty text gives none.
func RootsFromPEM(text string) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := []byte(text)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("a certificate in the PEM text does not parse: %w", err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 && strings.TrimSpace(text) != "" {
		return nil, errors.New("the PEM text holds no certificate")
	}
	return certs, nil
}

// Close drops the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// TransportError is an exchange that got no answer: the service could not
// be reached, did not answer in time, or answered with something that is
// not SOAP (an HTTP error page). Delivered tells whether the request was
// written out whole: if so, the AEAT may have registered its records, and
// what it holds must be asked before they are sent again.
type TransportError struct {
	Delivered bool
	Refused   bool // the service refused the connection (a TLS alert: the certificate)
	Status    int  // the HTTP status, when one came
	Err       error
}

// Outage tells whether the error means the service could not be used (no
// connection, no answer, a server error), rather than that it refused the
// firm's certificate or request.
func (e *TransportError) Outage() bool {
	return !e.Refused && (e.Status == 0 || e.Status >= 500)
}

func (e *TransportError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("the AEAT's service answered HTTP %d: %v", e.Status, e.Err)
	}
	return "the AEAT's service could not be reached: " + e.Err.Error()
}

func (e *TransportError) Unwrap() error { return e.Err }

// Send posts a RegFactuSistemaFacturacion request and reads its answer.
// It returns a *Fault when the AEAT refused the request as a whole, and a
// *TransportError when no answer came.
func (c *Client) Send(ctx context.Context, request []byte) (*Answer, error) {
	body, err := c.post(ctx, request)
	if err != nil {
		return nil, err
	}
	return ParseAnswer(body)
}

// Query posts a ConsultaFactuSistemaFacturacion request and reads its
// answer, with the same errors as Send.
func (c *Client) Query(ctx context.Context, request []byte) (*QueryAnswer, error) {
	body, err := c.post(ctx, request)
	if err != nil {
		return nil, err
	}
	return ParseQueryAnswer(body)
}

func (c *Client) post(ctx context.Context, request []byte) ([]byte, error) {
	delivered := false
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) { delivered = info.Err == nil }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, c.Endpoint, bytes.NewReader(request))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `""`)
	res, err := c.http.Do(req)
	if err != nil {
		// A TLS alert means the service refused the connection (the
		// certificate), and processed nothing.
		var op *net.OpError
		refused := errors.As(err, &op) && op.Op == "remote error"
		return nil, &TransportError{Delivered: delivered && !refused, Refused: refused, Err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return nil, &TransportError{Delivered: true, Status: res.StatusCode, Err: err}
	}
	// A SOAP fault comes with HTTP 500; any other body that is not SOAP
	// means the service did not process the request, unless a gateway gave
	// up waiting for it (502, 504): then it may have.
	if !bytes.Contains(body, []byte("Envelope")) {
		return nil, &TransportError{Delivered: res.StatusCode == http.StatusBadGateway || res.StatusCode == http.StatusGatewayTimeout,
			Status: res.StatusCode, Err: errors.New(snippet(body))}
	}
	return body, nil
}

// snippet is the start of a body, on one line, for an error message.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "an empty answer"
	}
	return s
}
