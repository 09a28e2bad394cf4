package web

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// TrustedProxiesEnv names the environment variable that lists the reverse
// proxies in front of the server (addresses or CIDR ranges, separated by
// commas or spaces), e.g. "127.0.0.1,::1" or "10.0.0.0/8". Only a request
// that comes from one of them is believed about the client's address
// (X-Forwarded-For) and about having come over HTTPS (X-Forwarded-Proto).
const TrustedProxiesEnv = "FACTURO_TRUSTED_PROXIES"

// defaultClientIPHeader is the header a trusted proxy puts the client's
// address in, unless PocketBase's "user IP proxy headers" setting names
// another.
const defaultClientIPHeader = "X-Forwarded-For"

const storeProxies = "facturo.web.proxies"

// trustedProxies is the app's list of proxy ranges.
type trustedProxies []netip.Prefix

func (t trustedProxies) contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a list of addresses and CIDR ranges, separated
// by commas or spaces; an address alone is a range of one.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is neither an IP address nor a CIDR range", TrustedProxiesEnv, s)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// CheckTrustedProxiesEnv tells whether the environment's list of trusted
// proxies reads, so that a server does not start on a typo and quietly
// trust nobody (or the wrong peer).
func CheckTrustedProxiesEnv() error {
	_, err := ParseTrustedProxies(os.Getenv(TrustedProxiesEnv))
	return err
}

// TrustProxies sets the app's trusted proxies, in place of the
// environment's; an empty list trusts none.
func TrustProxies(app core.App, proxies ...netip.Prefix) {
	app.Store().Set(storeProxies, trustedProxies(proxies))
}

func proxiesOf(app core.App) trustedProxies {
	return app.Store().GetOrSet(storeProxies, func() any {
		p, err := ParseTrustedProxies(os.Getenv(TrustedProxiesEnv))
		if err != nil {
			app.Logger().Error("web: trusting no proxy", "error", err)
		}
		return trustedProxies(p)
	}).(trustedProxies)
}

// peer is the address at the other end of the TCP connection.
func peer(e *core.RequestEvent) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(e.Request.RemoteAddr)
	if err != nil {
		host = e.Request.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// fromTrustedProxy tells whether the request came through one of the app's
// trusted proxies.
func fromTrustedProxy(e *core.RequestEvent) bool {
	p, ok := peer(e)
	return ok && proxiesOf(e.App).contains(p)
}

// ClientIP is the address of whoever made the request: the TCP peer, or,
// when the peer is a trusted proxy, the address the proxy forwarded. A
// forwarded list ("client, proxy1, proxy2") is read from the right,
// skipping the trusted proxies, so that whatever the client wrote into the
// header itself is never believed. PocketBase's own RealIP believes the
// header from any peer; the product records and limits by this instead.
func ClientIP(e *core.RequestEvent) string {
	p, ok := peer(e)
	if !ok {
		return e.Request.RemoteAddr
	}
	proxies := proxiesOf(e.App)
	if !proxies.contains(p) {
		return p.String()
	}
	headers := e.App.Settings().TrustedProxy.Headers
	if len(headers) == 0 {
		headers = []string{defaultClientIPHeader}
	}
	for _, h := range headers {
		values := e.Request.Header.Values(h)
		if len(values) == 0 {
			continue
		}
		hops := strings.Split(strings.Join(values, ","), ",")
		client := p
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a proxy wrote something else: keep the last address it vouched for
			}
			client = a.Unmap()
			if !proxies.contains(client) {
				break
			}
		}
		return client.String()
	}
	return p.String()
}

// secure tells whether the browser reached the server over HTTPS: directly,
// or through a trusted proxy that says so.
func secure(e *core.RequestEvent) bool {
	return e.Request.TLS != nil || (e.Request.Header.Get("X-Forwarded-Proto") == "https" && fromTrustedProxy(e))
}
