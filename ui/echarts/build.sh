#!/bin/sh
# Builds ui/static/echarts/echarts.min.js, the ECharts bundle the binary
# serves, from the npm package's modular entry points (entry.js lists the
# chart types and components the pages use), with the versions pinned in
# package.json. Run it from anywhere; it needs node and npm, and works in a
# temporary folder so that the repository holds no node_modules.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../static/echarts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/entry.js" "$work/"
cd "$work"
npm install --no-audit --no-fund --ignore-scripts >/dev/null
# esbuild's binary comes as an optional dependency; its install script only
# checks it, so it is run here explicitly.
node node_modules/esbuild/install.js
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2017 \
	--define:process.env.NODE_ENV='"production"' --legal-comments=eof --outfile="$out/echarts.min.js"
cp node_modules/echarts/LICENSE "$out/LICENSE"
wc -c "$out/echarts.min.js"
