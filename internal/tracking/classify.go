package tracking

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// DefaultWindow is how soon after sending a fetch counts as automated by
// its timing alone. Privacy prefetchers and link scanners fetch as the mail
// arrives, within a second or two; a person rarely opens a mail, lets its
// images load and clicks its link within ten seconds of it being sent.
const DefaultWindow = 10 * time.Second

// Verdict is what Classify says of one fetch of a pixel or view link.
type Verdict struct {
	// Automated is true when no person is known to be behind the fetch.
	Automated bool
	// Reason is a short phrase for the timeline saying why the fetch is
	// automated ("Google image proxy", "fetched 3 s after sending"); it is
	// empty when Automated is false.
	Reason string
}

// Classifier tells automated fetches from people. Its zero value uses
// DefaultWindow and the embedded Apple prefixes.
type Classifier struct {
	// Window is how soon after sending a fetch counts as automated: zero
	// means DefaultWindow, a negative value turns the timing rule off.
	Window time.Duration
	// AppleNets adds prefixes to the embedded Apple ones, for an operator
	// who loads Apple's full published list of Private Relay egress ranges.
	AppleNets []netip.Prefix
}

// Classify says whether a fetch with the default Classifier is automated.
func Classify(userAgent, remoteIP string, sentAt, at time.Time) Verdict {
	return Classifier{}.Classify(userAgent, remoteIP, sentAt, at)
}

// Classify says whether a fetch by userAgent from remoteIP at time at, of a
// message sent at sentAt, is automated and why. remoteIP may carry a port;
// a zero sentAt skips the timing rule. The first rule of the table that
// matches gives the reason; the timing rule comes after the table, so a
// known proxy is named even when it was also quick.
func (c Classifier) Classify(userAgent, remoteIP string, sentAt, at time.Time) Verdict {
	f := fetch{ua: strings.ToLower(strings.TrimSpace(userAgent)), addr: parseAddr(remoteIP), apple: c.AppleNets}
	for _, r := range rules {
		if r.match(&f) {
			return Verdict{Automated: true, Reason: r.reason}
		}
	}
	window := c.Window
	if window == 0 {
		window = DefaultWindow
	}
	if window > 0 && !sentAt.IsZero() {
		// A fetch stamped before the send (clocks of two processes) is
		// treated as immediate: it cannot be a person either way.
		if d := at.Sub(sentAt); d < window {
			return Verdict{Automated: true, Reason: quickReason(d)}
		}
	}
	return Verdict{}
}

// quickReason words the timing rule's reason.
func quickReason(d time.Duration) string {
	if d < time.Second {
		return "fetched under 1 s after sending"
	}
	return fmt.Sprintf("fetched %d s after sending", int64(d/time.Second))
}

// rules is the classification table, read top to bottom; the first match
// wins, so specific families come before the generic rules that would
// also match them.
//
// What each line rests on:
//   - Google image proxy: Gmail fetches images through its proxy with
//     "GoogleImageProxy" and "via ggpht.com" in the user agent.
//   - Yahoo and AOL Mail: their proxy sends "YahooMailProxy".
//   - Apple Mail Privacy Protection: Apple Mail with MPP on fetches remote
//     content through the iCloud Private Relay network as soon as mail
//     reaches the device, with the bare user agent "Mozilla/5.0"; the
//     requests leave from Apple's relay egress ranges (see appleNets). No
//     browser sends a bare "Mozilla/5.0", so the user agent is the strong
//     signal and the address only confirms it.
//   - Microsoft: Safe Links and the rest of Microsoft 365's filtering
//     fetch links and images while the mail is in transit, often posing as
//     a browser, so they are known by address: the ranges of Exchange
//     Online's mail protection (see exchangeNets), where mail to Microsoft
//     365 passes and people do not browse from. Office probes a link before
//     opening it with "Microsoft Office Existence Discovery" or "...
//     Protocol Discovery"; Outlook and Skype previews send "BingPreview"
//     and "SkypeUriPreview".
//   - Security gateways (Barracuda, Proofpoint URL Defense, Mimecast,
//     Symantec/Broadcom, Trend Micro, Cisco IronPort, Sophos, FortiGuard):
//     the substrings are their product names, which their fetchers carry
//     when they do not pose as a browser. Most do pose as one, fetching at
//     delivery; those are left to the timing rule.
//   - Generic automation: bots and crawlers name themselves, and HTTP
//     libraries and headless browsers keep their default user agents.
//
// Every substring is lower case: the user agent is lowered once before the
// table is read.
var rules = []rule{
	{"Google image proxy", uaContains("googleimageproxy", "via ggpht.com")},
	{"Yahoo/AOL image proxy", uaContains("yahoomailproxy")},
	{"Apple Mail Privacy Protection", both(uaIs("mozilla/5.0"), fromApple)},
	{"link scanner: Microsoft Safe Links", fromNets(exchangeNets)},
	{"link scanner: Microsoft", uaContains(
		"microsoft office existence discovery", "microsoft office protocol discovery",
		"bingpreview", "skypeuripreview")},
	{"link scanner: Barracuda", uaContains("barracuda")},
	{"link scanner: Proofpoint", uaContains("proofpoint", "urldefense")},
	{"link scanner: Mimecast", uaContains("mimecast")},
	{"link scanner: Symantec", uaContains("symantec", "broadcom", "messagelabs")},
	{"link scanner: Trend Micro", uaContains("trend micro", "trendmicro")},
	{"link scanner: Cisco IronPort", uaContains("ironport", "cisco")},
	{"link scanner: Sophos", uaContains("sophos")},
	{"link scanner: FortiGuard", uaContains("fortiguard", "fortinet")},
	{"link preview", uaContains("facebookexternalhit", "whatsapp/")},
	// A bare "Mozilla/5.0" from outside the embedded prefixes is still MPP
	// as often as not (the embedded list is a sample), but say so honestly.
	{"bare user agent (likely Apple Mail Privacy Protection)", uaIs("mozilla/5.0")},
	{"no user agent", uaIs("")},
	{"headless browser", uaContains("headless", "phantomjs")},
	{"HTTP library", uaContains(
		"curl", "wget", "python-requests", "python-urllib", "python-httpx", "aiohttp",
		"go-http-client", "okhttp", "java/", "apache-httpclient", "libwww-perl",
		"axios", "node-fetch", "undici", "scrapy")},
	// "bot" only at the end of a word (Googlebot, bingbot, Slackbot), and
	// not the phone maker Cubot, whose name ends Android user agents.
	{"bot or crawler", either(uaWordEndsWith("bot", "cubot"), uaContains("crawler", "spider"))},
}

// appleNets are Apple's own network and the egress blocks of iCloud
// Private Relay, through which MPP fetches. Apple publishes the relay's
// egress ranges (egress-ip-ranges.csv) but this package fetches nothing,
// so it embeds the blocks that the entries of that list fall in, as seen
// in copies of it from 2023 to 2026; it is a sample, not the list, and
// Classifier.AppleNets takes the rest.
var appleNets = prefixes(
	"17.0.0.0/8",     // Apple's own allocation (AS714)
	"172.224.0.0/12", // relay egress run by Akamai (AS36183), e.g. 172.224.224.0/27 London
	"104.28.0.0/16",  // relay egress run by Cloudflare, e.g. 104.28.47.206/31
	"146.75.0.0/16",  // relay egress run by Fastly, e.g. 146.75.232.26/31
	"140.248.0.0/16", // relay egress run by Fastly, e.g. 140.248.12.26/31
	"2a02:26f7::/32", // relay egress run by Akamai
	"2a04:4e41::/32", // relay egress run by Fastly
	"2606:54c0::/30", // relay egress run by Cloudflare
	"2a09:bac0::/29", // relay egress run by Cloudflare
)

// exchangeNets are the ranges Microsoft publishes for Exchange Online's
// mail protection (*.mail.protection.outlook.com, "Office 365 URLs and IP
// address ranges"). Mail to Microsoft 365 passes through them, and a fetch
// from them is the filter looking at the mail, not a person.
var exchangeNets = prefixes(
	"40.92.0.0/15",
	"40.107.0.0/16",
	"52.100.0.0/14",
	"104.47.0.0/17",
	"2a01:111:f400::/48",
	"2a01:111:f403::/48",
)

// rule is one line of the table: a fetch that matches is automated, for
// reason.
type rule struct {
	reason string
	match  matcher
}

// fetch is what the rules look at.
type fetch struct {
	ua    string         // trimmed and lower-cased
	addr  netip.Addr     // invalid when the remote address did not parse
	apple []netip.Prefix // the Classifier's extra Apple prefixes
}

// matcher is one test of a rule.
type matcher func(f *fetch) bool

// uaContains matches a user agent containing any of subs.
func uaContains(subs ...string) matcher {
	return func(f *fetch) bool {
		for _, s := range subs {
			if strings.Contains(f.ua, s) {
				return true
			}
		}
		return false
	}
}

// uaIs matches a user agent that is exactly s.
func uaIs(s string) matcher {
	return func(f *fetch) bool { return f.ua == s }
}

// uaWordEndsWith matches a user agent with a word ending in suffix, words
// being runs of letters and digits, unless that word is one of except.
func uaWordEndsWith(suffix string, except ...string) matcher {
	return func(f *fetch) bool {
		for _, w := range strings.FieldsFunc(f.ua, notAlnum) {
			if strings.HasSuffix(w, suffix) && !slices.Contains(except, w) {
				return true
			}
		}
		return false
	}
}

// fromNets matches a fetch from an address in nets.
func fromNets(nets []netip.Prefix) matcher {
	return func(f *fetch) bool { return inNets(f.addr, nets) }
}

// fromApple matches a fetch from Apple's embedded or added prefixes.
func fromApple(f *fetch) bool {
	return inNets(f.addr, appleNets) || inNets(f.addr, f.apple)
}

// both matches when a and b do.
func both(a, b matcher) matcher {
	return func(f *fetch) bool { return a(f) && b(f) }
}

// either matches when a or b does.
func either(a, b matcher) matcher {
	return func(f *fetch) bool { return a(f) || b(f) }
}

// inNets reports whether addr is in any of nets.
func inNets(addr netip.Addr, nets []netip.Prefix) bool {
	if !addr.IsValid() {
		return false
	}
	for _, p := range nets {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// parseAddr reads an address with or without a port, unmapping IPv4 in
// IPv6 so that IPv4 prefixes match it; it returns the zero Addr for
// anything else.
func parseAddr(s string) netip.Addr {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone("")
}

// prefixes parses the table's literal prefixes; a typo fails at start-up.
func prefixes(ss ...string) []netip.Prefix {
	ps := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		ps[i] = netip.MustParsePrefix(s)
	}
	return ps
}

// notAlnum reports whether r separates words of a user agent.
func notAlnum(r rune) bool {
	return (r < 'a' || r > 'z') && (r < '0' || r > '9')
}
