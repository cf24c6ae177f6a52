#!/usr/bin/env bash
# Refreshes the vendored GraphiQL explorer assets from the npm registry.
#
# The versions below are pinned exactly; bump them here, run this script from
# anywhere, then run `go test ./graph/explorer/` (including the browser test,
# which needs /usr/bin/chromium) before committing the result.
#
# GraphiQL stays on 3.x: it is the last line whose standalone (UMD) bundle is
# supported; 4.x marks it deprecated and 5.x needs a bundler. React stays on
# 18.x because React 19 no longer ships UMD builds.
#
# Only the minified files and the licenses are kept: no source maps (the
# files are otherwise byte-identical to the npm tarballs, so they still end in
# a sourceMappingURL comment that is harmless when the map is absent).
set -euo pipefail

GRAPHIQL_VERSION=3.9.0
REACT_VERSION=18.3.1

dest="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# unpack PKG@VERSION into $work/PKG
unpack() {
	local spec="$1" name="${1%@*}"
	local tgz
	tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
	mkdir -p "$work/$name"
	tar -xzf "$work/$tgz" -C "$work/$name" --strip-components=1
	local got
	got="$(node -p "require('$work/$name/package.json').version")"
	if [[ "$got" != "${spec##*@}" ]]; then
		echo "update.sh: asked for $spec, got $got" >&2
		exit 1
	fi
}

unpack "graphiql@$GRAPHIQL_VERSION"
unpack "react@$REACT_VERSION"
unpack "react-dom@$REACT_VERSION"

install -m 0644 "$work/graphiql/graphiql.min.js" "$dest/graphiql.min.js"
install -m 0644 "$work/graphiql/graphiql.min.css" "$dest/graphiql.min.css"
install -m 0644 "$work/graphiql/LICENSE" "$dest/LICENSE.graphiql"
install -m 0644 "$work/react/umd/react.production.min.js" "$dest/react.production.min.js"
install -m 0644 "$work/react/LICENSE" "$dest/LICENSE.react"
install -m 0644 "$work/react-dom/umd/react-dom.production.min.js" "$dest/react-dom.production.min.js"
install -m 0644 "$work/react-dom/LICENSE" "$dest/LICENSE.react-dom"

# VERSIONS is embedded too: the handler hashes every asset into the URL, and
# this file records where they came from.
cat >"$dest/VERSIONS" <<VERSIONS
graphiql $GRAPHIQL_VERSION
react $REACT_VERSION
react-dom $REACT_VERSION
VERSIONS

(cd "$dest" && sha256sum graphiql.min.js graphiql.min.css react.production.min.js react-dom.production.min.js >>VERSIONS)
echo "updated assets in $dest:"
cat "$dest/VERSIONS"
