#!/bin/sh
# Lighthouse (mobile and desktop) on the overviews of the portal and the
# workspace, signed in as the demo's contact and staff, against a server on
# 127.0.0.1 and Debian's chromium. Prints, per page and form factor, the
# performance and accessibility scores and the bytes transferred, of the
# run with the median performance score out of RUNS (default 3): a busy
# machine makes single runs noisy. Throttling is Lighthouse's own simulation
# (mobile: slow 4G and the CPU slowed 4x; desktop: cable, CPU as is). The 4x
# assumes a fast desktop (a "benchmarkIndex" of 1000 or more, printed with
# each result); on a slower or busy machine Lighthouse's own advice is to
# calibrate it: CPU_SLOWDOWN=1 when the machine is itself as slow as a
# low-end phone (benchmarkIndex about 260).
#
#   tools/pagespeed/run.sh [base-url]        (default http://127.0.0.1:8091)
#   PAGES=a11y tools/pagespeed/run.sh        accessibility (axe-core's rules, as Lighthouse
#                                            runs them) of the lists and pages at 375 px wide
#
# Start the server first, with the demo data and a data folder of its own:
#   go run . serve --demo --http 127.0.0.1:8091 --dir /tmp/pagespeed_pb
# Needs node and npm; Lighthouse is installed once into $LH_DIR.
set -eu
BASE=${1:-http://127.0.0.1:8091}
LH_DIR=${LH_DIR:-/tmp/pagespeed_lighthouse}
OUT=${OUT:-/tmp/pagespeed_out}
RUNS=${RUNS:-3}
CPU_SLOWDOWN=${CPU_SLOWDOWN:-4}
PRESETS=${PRESETS:-mobile desktop}
CHROME_PATH=${CHROME_PATH:-$(command -v chromium)}
export CHROME_PATH
mkdir -p "$OUT"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
	mkdir -p "$LH_DIR" && (cd "$LH_DIR" && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12 >/dev/null)
fi

# cookie AREA EMAIL PASSWORD COOKIE_NAME: signs in through the area's form
# and prints "name=value" of its session cookie.
cookie() {
	jar=$(mktemp)
	csrf=$(curl -s -c "$jar" "$BASE/$1/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
	curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=$2" \
		--data-urlencode "password=$3" --data-urlencode "next=/$1/" "$BASE/$1/login"
	awk -v n="$4" '$6 == n { print n "=" $7 }' "$jar"
	rm -f "$jar"
}

portal=$(cookie portal compras@ferreteria-lopez.example demo-portal-2026 facturo_session)
staff=$(cookie app admin@facturo.example demo-admin-2026 facturo_staff_session)
[ -n "$portal" ] && [ -n "$staff" ] || { echo "sign-in failed" >&2; exit 1; }

run() { # name url cookie preset
	name=$1 url=$2 c=$3 preset=$4
	set -- --quiet --output=json \
		--only-categories=performance,accessibility,best-practices \
		--chrome-flags="--headless=new --no-sandbox --disable-gpu" \
		--extra-headers="{\"Cookie\":\"$c\"}"
	if [ "$preset" = desktop ]; then set -- "$@" --preset=desktop; else set -- "$@" --throttling.cpuSlowdownMultiplier="$CPU_SLOWDOWN"; fi
	i=1
	while [ $i -le "$RUNS" ]; do
		"$LH_DIR/node_modules/.bin/lighthouse" "$url" "$@" --output-path="$OUT/$name-$preset-$i.json" || true
		i=$((i + 1))
	done
	node -e '
		const [name, preset, runs] = process.argv.slice(1);
		const reports = [];
		for (let i = 1; i <= +runs; i++) try {
			const r = require(`${process.env.OUT}/${name}-${preset}-${i}.json`);
			if (!r.runtimeError && r.categories.performance.score !== null) reports.push(r); // a failed trace is not a score
		} catch {}
		if (!reports.length) { console.log(name, preset, "no run succeeded"); process.exit(0); }
		reports.sort((x, y) => x.categories.performance.score - y.categories.performance.score);
		const r = reports[Math.floor(reports.length / 2)], a = r.audits, c = r.categories;
		const s = k => c[k] ? Math.round(c[k].score * 100) : "-";
		console.log([name.padEnd(7), preset.padEnd(8), "perf", s("performance"),
			"(runs " + reports.map(x => Math.round(x.categories.performance.score * 100)).join(",") + ")",
			"a11y", s("accessibility"), "best", s("best-practices"), "bytes", a["total-byte-weight"].numericValue,
			"FCP", Math.round(a["first-contentful-paint"].numericValue), "LCP", Math.round(a["largest-contentful-paint"].numericValue),
			"TBT", Math.round(a["total-blocking-time"].numericValue), "CLS", a["cumulative-layout-shift"].numericValue.toFixed(3),
			"benchmarkIndex", Math.round(r.environment.benchmarkIndex)].join(" "));
		for (const k of Object.keys(c)) for (const ref of c[k].auditRefs) {
			const x = a[ref.id]; if (ref.weight > 0 && x.score !== null && x.score < 0.9 && k !== "performance") console.log("   fails:", k, ref.id, x.title);
		}' "$name" "$preset" "$RUNS"
}

export OUT
if [ "${PAGES:-}" = a11y ]; then
	invoice=$(curl -s -H "Cookie: $portal" "$BASE/portal/invoices" | sed -n 's/.*href="\(\/portal\/invoices\/[a-z0-9]\{15\}\)".*/\1/p' | head -1)
	staffinvoice=$(curl -s -H "Cookie: $staff" "$BASE/app/invoices" | sed -n 's/.*href="\(\/app\/invoices\/[a-z0-9]\{15\}\)".*/\1/p' | head -1)
	for page in "/portal/ $portal" "/portal/invoices $portal" "$invoice $portal" "/app/ $staff" "/app/invoices $staff" \
		"/app/customers $staff" "$staffinvoice $staff" "/app/bank $staff" "/app/webhooks $staff" "/app/reminders $staff"; do
		path=${page%% *} c=${page#* }
		"$LH_DIR/node_modules/.bin/lighthouse" "$BASE$path" --quiet --output=json --output-path="$OUT/a11y.json" \
			--only-categories=accessibility --screenEmulation.width=375 --screenEmulation.height=667 --screenEmulation.deviceScaleFactor=2 \
			--chrome-flags="--headless=new --no-sandbox --disable-gpu" --extra-headers="{\"Cookie\":\"$c\"}" || true
		node -e '
			const r = require(process.argv[1]), c = r.categories.accessibility;
			console.log(process.argv[2].padEnd(40), "a11y", Math.round(c.score * 100));
			for (const ref of c.auditRefs) { const x = r.audits[ref.id]; if (x.score !== null && x.score < 1) console.log("   fails:", ref.id, x.title); }
		' "$OUT/a11y.json" "$path"
	done
	exit 0
fi
for preset in $PRESETS; do
	run portal "$BASE/portal/" "$portal" $preset
	run app "$BASE/app/" "$staff" $preset
done
