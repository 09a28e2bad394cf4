package tracking

import (
	"net/netip"
	"testing"
	"time"
)

// Addresses of people are from the documentation ranges (RFC 5737, RFC
// 3849), which no proxy or scanner uses.
const (
	personIPv4 = "203.0.113.42"
	personIPv6 = "2001:db8:5:7::9"
)

// User agents of people reading mail, which must never be automated.
const (
	uaThunderbird  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.2"
	uaOutlook      = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)"
	uaOutlookMSO   = "Mozilla/4.0 (compatible; ms-office; MSOffice 16)"
	uaIPhoneMail   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
	uaChromeWin    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
	uaNewOutlook   = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
	uaAppleMailMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"
	uaSafariMac    = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
	uaAndroidGmail = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240705.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.122 Mobile Safari/537.36"
	uaCubot        = "Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
	uaFirefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"
	uaThunderLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.12.2"
)

// later is when a person opens the mail: well past the timing window.
var later = sentAt.Add(2 * time.Hour)

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		name   string
		ua, ip string
		at     time.Time
		want   string // the reason; empty for a person
	}{
		// Webmail image proxies.
		{"Gmail proxy", "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", "66.249.84.21", later, "Google image proxy"},
		{"Gmail proxy, ggpht only", "Mozilla/5.0 (via ggpht.com)", "66.249.84.22", later, "Google image proxy"},
		{"Yahoo proxy", "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", "98.137.27.103", later, "Yahoo/AOL image proxy"},

		// Apple Mail Privacy Protection: bare user agent from Apple's ranges.
		{"MPP via Akamai", "Mozilla/5.0", "172.224.224.5", later, "Apple Mail Privacy Protection"},
		{"MPP via Akamai, other block", "Mozilla/5.0", "172.226.67.241", later, "Apple Mail Privacy Protection"},
		{"MPP via Cloudflare", "Mozilla/5.0", "104.28.47.206", later, "Apple Mail Privacy Protection"},
		{"MPP via Fastly", "Mozilla/5.0", "146.75.232.27", later, "Apple Mail Privacy Protection"},
		{"MPP from Apple", "Mozilla/5.0", "17.58.101.7", later, "Apple Mail Privacy Protection"},
		{"MPP over IPv6", "Mozilla/5.0", "2a02:26f7:e8c0:4000::1", later, "Apple Mail Privacy Protection"},
		{"MPP over IPv6, Cloudflare", "Mozilla/5.0", "2a09:bac2:1e78::5", later, "Apple Mail Privacy Protection"},
		{"MPP with a port", "Mozilla/5.0", "[2a04:4e41:3a27::8]:443", later, "Apple Mail Privacy Protection"},
		{"MPP as mapped IPv4", "Mozilla/5.0", "::ffff:172.224.224.5", later, "Apple Mail Privacy Protection"},
		{"MPP, spaces and case", "  MOZILLA/5.0 ", "172.224.224.5", later, "Apple Mail Privacy Protection"},
		{"bare UA elsewhere", "Mozilla/5.0", "198.51.100.7", later, "bare user agent (likely Apple Mail Privacy Protection)"},
		{"bare UA, no address", "Mozilla/5.0", "", later, "bare user agent (likely Apple Mail Privacy Protection)"},

		// Microsoft.
		{"Safe Links as Chrome", uaChromeWin, "40.107.22.60", later, "link scanner: Microsoft Safe Links"},
		{"Safe Links over IPv6", uaChromeWin, "2a01:111:f403:c201::5", later, "link scanner: Microsoft Safe Links"},
		{"Office existence check", "Microsoft Office Existence Discovery", personIPv4, later, "link scanner: Microsoft"},
		{"Office protocol check", "Microsoft Office Protocol Discovery", personIPv4, later, "link scanner: Microsoft"},
		{"BingPreview", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b", "65.55.210.12", later, "link scanner: Microsoft"},
		{"Skype preview", "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5", "52.114.6.10", later, "link scanner: Microsoft"},

		// Security gateways that name themselves.
		{"Barracuda", "Barracuda Sentinel (EE)", personIPv4, later, "link scanner: Barracuda"},
		{"Proofpoint", "Mozilla/5.0 (compatible; Proofpoint URL Defense)", personIPv4, later, "link scanner: Proofpoint"},
		{"Proofpoint urldefense", "urldefense-scanner/2.0", personIPv4, later, "link scanner: Proofpoint"},
		{"Mimecast", "Mozilla/5.0 (compatible; Mimecast URL Protect)", personIPv4, later, "link scanner: Mimecast"},
		{"Symantec", "Mozilla/5.0 (compatible; Symantec Email Security.cloud)", personIPv4, later, "link scanner: Symantec"},
		{"Broadcom", "Broadcom-ClickTime/1.0", personIPv4, later, "link scanner: Symantec"},
		{"Trend Micro", "Mozilla/5.0 (compatible; Trend Micro Email Security)", personIPv4, later, "link scanner: Trend Micro"},
		{"Cisco IronPort", "Mozilla/5.0 (compatible; IronPort URL Filter)", personIPv4, later, "link scanner: Cisco IronPort"},
		{"Cisco Secure Email", "Cisco Secure Email URL Scanner", personIPv4, later, "link scanner: Cisco IronPort"},
		{"Sophos", "Sophos Email Time-of-Click", personIPv4, later, "link scanner: Sophos"},
		{"FortiGuard", "Mozilla/5.0 (compatible; FortiGuard URL Rating)", personIPv4, later, "link scanner: FortiGuard"},

		// Link previews of chat apps.
		{"Facebook preview", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", personIPv4, later, "link preview"},
		{"WhatsApp preview", "WhatsApp/2.24.12.78 A", personIPv4, later, "link preview"},

		// Generic automation.
		{"empty UA", "", personIPv4, later, "no user agent"},
		{"blank UA", "   ", personIPv4, later, "no user agent"},
		{"headless Chrome", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", personIPv4, later, "headless browser"},
		{"PhantomJS", "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", personIPv4, later, "headless browser"},
		{"curl", "curl/8.5.0", personIPv4, later, "HTTP library"},
		{"python-requests", "python-requests/2.31.0", personIPv4, later, "HTTP library"},
		{"Go", "Go-http-client/1.1", personIPv4, later, "HTTP library"},
		{"Go HTTP/2", "Go-http-client/2.0", personIPv6, later, "HTTP library"},
		{"wget", "Wget/1.21.4", personIPv4, later, "HTTP library"},
		{"okhttp", "okhttp/4.12.0", personIPv4, later, "HTTP library"},
		{"Java", "Java/17.0.2", personIPv4, later, "HTTP library"},
		{"Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66.1", later, "bot or crawler"},
		{"bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "157.55.39.1", later, "bot or crawler"},
		{"Slackbot", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", personIPv4, later, "bot or crawler"},
		{"AhrefsBot", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", personIPv4, later, "bot or crawler"},
		{"crawler", "Mozilla/5.0 (compatible; SiteAuditCrawler/1.0)", personIPv4, later, "bot or crawler"},
		{"spider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", personIPv4, later, "bot or crawler"},

		// Timing: anything quick after sending.
		{"Chrome 3 s after", uaChromeWin, personIPv4, sentAt.Add(3 * time.Second), "fetched 3 s after sending"},
		{"Chrome 9.9 s after", uaChromeWin, personIPv4, sentAt.Add(9900 * time.Millisecond), "fetched 9 s after sending"},
		{"Outlook at once", uaOutlook, personIPv4, sentAt.Add(400 * time.Millisecond), "fetched under 1 s after sending"},
		{"stamped before sending", uaThunderbird, personIPv4, sentAt.Add(-2 * time.Second), "fetched under 1 s after sending"},
		{"Chrome at 10 s", uaChromeWin, personIPv4, sentAt.Add(10 * time.Second), ""},
		{"known proxy also quick", "YahooMailProxy", "98.137.27.103", sentAt.Add(time.Second), "Yahoo/AOL image proxy"},

		// People.
		{"Thunderbird", uaThunderbird, personIPv4, later, ""},
		{"Thunderbird on Linux", uaThunderLinux, personIPv6, later, ""},
		{"Outlook desktop", uaOutlook, personIPv4, later, ""},
		{"Outlook desktop, MSO engine", uaOutlookMSO, personIPv4, later, ""},
		{"new Outlook", uaNewOutlook, personIPv4, later, ""},
		{"iPhone Mail without MPP", uaIPhoneMail, personIPv4, later, ""},
		{"iPhone Mail over IPv6", uaIPhoneMail, personIPv6, later, ""},
		{"Safari through Private Relay", uaSafariMac, "172.225.33.70", later, ""},
		{"iPhone through Private Relay", uaIPhoneMail, "2a02:26f7:e8c0:4000::1", later, ""},
		{"Apple Mail on a Mac", uaAppleMailMac, personIPv4, later, ""},
		{"Gmail web in Chrome on Windows", uaChromeWin, personIPv4, later, ""},
		{"Gmail app on Android", uaAndroidGmail, personIPv4, later, ""},
		{"Cubot phone", uaCubot, personIPv4, later, ""},
		{"Firefox on Linux", uaFirefoxLinux, personIPv4, later, ""},
		{"person with a port", uaChromeWin, personIPv4 + ":51234", later, ""},
		{"person, unreadable address", uaChromeWin, "unknown", later, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.ua, tc.ip, sentAt, tc.at)
			want := Verdict{Automated: tc.want != "", Reason: tc.want}
			if got != want {
				t.Fatalf("Classify(%q, %q) = %+v, want %+v", tc.ua, tc.ip, got, want)
			}
		})
	}
}

func TestEveryRuleIsReached(t *testing.T) {
	// A rule shadowed by one above it would never fire; each must be
	// reachable by a fetch that matches it alone.
	reached := map[string]bool{}
	for _, f := range []struct{ ua, ip string }{
		{"GoogleImageProxy", personIPv4},
		{"YahooMailProxy", personIPv4},
		{"Mozilla/5.0", "172.224.224.5"},
		{uaChromeWin, "52.100.1.1"},
		{"BingPreview", personIPv4},
		{"Barracuda", personIPv4},
		{"Proofpoint", personIPv4},
		{"Mimecast", personIPv4},
		{"Symantec", personIPv4},
		{"TrendMicro", personIPv4},
		{"IronPort", personIPv4},
		{"Sophos", personIPv4},
		{"FortiGuard", personIPv4},
		{"facebookexternalhit/1.1", personIPv4},
		{"Mozilla/5.0", personIPv4},
		{"", personIPv4},
		{"HeadlessChrome", personIPv4},
		{"curl/8", personIPv4},
		{"somebot", personIPv4},
	} {
		reached[Classify(f.ua, f.ip, sentAt, later).Reason] = true
	}
	for _, r := range rules {
		if !reached[r.reason] {
			t.Errorf("rule %q is never reached", r.reason)
		}
	}
}

func TestClassifierWindow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		window time.Duration
		after  time.Duration
		want   bool
	}{
		{"default, inside", 0, 9 * time.Second, true},
		{"default, outside", 0, 11 * time.Second, false},
		{"longer, inside", 30 * time.Second, 20 * time.Second, true},
		{"longer, outside", 30 * time.Second, 30 * time.Second, false},
		{"shorter, outside", 2 * time.Second, 3 * time.Second, false},
		{"off", -1, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Classifier{Window: tc.window}
			if got := c.Classify(uaChromeWin, personIPv4, sentAt, sentAt.Add(tc.after)); got.Automated != tc.want {
				t.Fatalf("automated = %v (%q), want %v", got.Automated, got.Reason, tc.want)
			}
		})
	}
	if got := Classify(uaChromeWin, personIPv4, time.Time{}, sentAt); got.Automated {
		t.Fatalf("unknown send time: %+v, want a person", got)
	}
}

func TestClassifierAppleNets(t *testing.T) {
	// An operator who loads Apple's full list gets MPP named for prefixes
	// that the embedded sample lacks.
	c := Classifier{AppleNets: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}}
	if got := c.Classify("Mozilla/5.0", "198.51.100.7", sentAt, later); got.Reason != "Apple Mail Privacy Protection" {
		t.Fatalf("bare UA from an added Apple prefix: %+v", got)
	}
	if got := c.Classify(uaIPhoneMail, "198.51.100.7", sentAt, later); got.Automated {
		t.Fatalf("full UA from an added Apple prefix: %+v, want a person", got)
	}
}
