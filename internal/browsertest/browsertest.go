// Package browsertest drives Debian's Chromium, headless, for the tests of
// the product's pages: actions, scripts, conditions waited for and
// screenshots. Without Chromium a test is skipped, except on CI.
package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"facturo/internal/toolcheck"
)

// Browser is one headless Chromium tab; it closes when the test ends.
type Browser struct {
	t     testing.TB
	ctx   context.Context
	shots string
}

// Start opens a tab. Screenshots go to the folder the environment variable
// shotsEnv names, or to a temporary folder that the log names.
func Start(t testing.TB, shotsEnv string) *Browser {
	t.Helper()
	chromium := toolcheck.Require(t, "chromium", "chromium")
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
	)...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	b := &Browser{t: t, ctx: ctx, shots: os.Getenv(shotsEnv)}
	if b.shots == "" {
		b.shots = t.TempDir()
	}
	t.Cleanup(func() {
		cancelTime()
		cancelTab()
		cancelAlloc()
		t.Logf("screenshots in %s", b.shots)
	})
	return b
}

// Do runs the actions, failing the test on an error.
func (b *Browser) Do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// Eval runs a script (awaiting a promise it returns) and returns its string
// result.
func (b *Browser) Eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// WaitFor evaluates a condition until it holds, up to 15 s. An evaluation
// that fails because the page navigated away under it is simply retried.
func (b *Browser) WaitFor(js string) {
	b.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("still not true after 15 s (last error %v): %s", err, js)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Shot writes a screenshot of the whole page as a PNG file called name.
func (b *Browser) Shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// ChartDrawn is a script that tells whether the chart with the id shows
// its bars: "drawn" when some bar has an area on the screen and all lie
// within the chart's box, else "no chart", "empty" or "outside".
func ChartDrawn(id string) string {
	return `(() => {
		const el = document.getElementById('` + id + `');
		if (!el) return "no chart";
		const box = el.getBoundingClientRect();
		const bars = [...el.querySelectorAll('rect')].filter(r => !r.closest('.legend'))
			.map(r => r.getBoundingClientRect()).filter(b => b.width > 0 && b.height > 0);
		if (!bars.length) return "empty";
		if (bars.some(b => b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1)) return "outside";
		return "drawn";
	})()`
}

// NoSideScroll is a script that tells ("true" or "false") whether the page
// fits the window's width.
const NoSideScroll = `String(document.documentElement.scrollWidth <= window.innerWidth)`
