package staff

import (
	"net"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// defaultAppURL is the public URL a new store starts with: PocketBase's
// own default, which no customer can reach.
const defaultAppURL = "http://localhost:8090"

// ListenURL is the URL of the address the server listens on (its --http or
// --https), for the links of e-mails while the settings hold no public URL
// of their own. An address that names no host (":8090", "0.0.0.0:8090")
// gets localhost, which only works on the server itself.
func ListenURL(addr string, https bool) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		host, port = addr, ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	scheme := "http://"
	if https {
		scheme = "https://"
	}
	if port == "" || (port == "80" && !https) || (port == "443" && https) {
		return scheme + host
	}
	return scheme + net.JoinHostPort(host, port)
}

// LinkBase is what the links the product writes start with: the public
// URL of the settings (set), or while it is unset (or PocketBase's
// default), the address the server listens on; fallback tells the latter.
func LinkBase(set, addr string, https bool) (base string, fallback bool) {
	set = strings.TrimRight(set, "/")
	if (set != "" && set != defaultAppURL) || addr == "" {
		return set, false
	}
	return ListenURL(addr, https), true
}

// usePublicURL makes every link the product writes (e-mailed view links
// and pixels, invitations, reminders) start with LinkBase, and says in the
// log when that is the listening address: links to localhost:8090 from a
// server listening elsewhere would be wrong without a word.
func usePublicURL(se *core.ServeEvent) {
	if se.Server == nil {
		return // not a real server (tests serve the router themselves)
	}
	meta := &se.App.Settings().Meta
	base, fallback := LinkBase(meta.AppURL, se.Server.Addr, se.Server.TLSConfig != nil || se.CertManager != nil)
	if !fallback {
		return
	}
	meta.AppURL = base
	se.App.Logger().Warn("No public URL in the settings: e-mailed links use the address the server listens on; set it in the workspace's settings",
		"url", base)
}
