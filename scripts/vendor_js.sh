#!/usr/bin/env bash
# Re-fetch the vendored browser files of dyadwatch/web/static/ from the npm registry with
# `npm pack`, then rebuild the bundled GeoJSON. The results are committed, so installing
# dyadwatch never needs npm; run this only to upgrade (and update static/PROVENANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."
STATIC=dyadwatch/web/static
VENDOR=$STATIC/vendor
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PACKAGES=(vega@6.4.0 vega-lite@6.5.0 vega-embed@7.3.0 vega-interpreter@2.3.2 htmx.org@2.0.11
  swagger-ui-dist@5.35.0 us-atlas@3.0.1 @svg-maps/mexico@2.0.0)
for spec in "${PACKAGES[@]}"; do
  name=${spec%@*}
  dir="$WORK/${name//\//_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
done

copy() { install -D -m 0644 "$WORK/$1/package/$2" "$VENDOR/$3"; }
copy vega build/vega.min.js vega/vega.min.js
copy vega LICENSE vega/LICENSE
copy vega-lite build/vega-lite.min.js vega-lite/vega-lite.min.js
copy vega-lite LICENSE vega-lite/LICENSE
copy vega-embed build/vega-embed.min.js vega-embed/vega-embed.min.js
copy vega-embed LICENSE vega-embed/LICENSE
copy vega-interpreter LICENSE vega-interpreter/LICENSE
# vega-interpreter ships only as an ES module importing vega-util; the global vega build
# exports the same functions, so it becomes a classic script that adds
# vega.expressionInterpreter (Vega without eval, for a Content-Security-Policy of 'self').
{
  echo "(function () {"
  sed -e "s/^import { \(.*\) } from 'vega-util';/const { \1 } = vega;/" \
    -e "s/^export { expression as expressionInterpreter };/vega.expressionInterpreter = expression;/" \
    -e '/^\/\/# sourceMappingURL=/d' "$WORK/vega-interpreter/package/build/vega-interpreter.js"
  echo "})();"
} >"$VENDOR/vega-interpreter/vega-interpreter.js"
copy htmx.org dist/htmx.min.js htmx/htmx.min.js
copy htmx.org LICENSE htmx/LICENSE
copy swagger-ui-dist swagger-ui-bundle.js swagger-ui/swagger-ui-bundle.js
copy swagger-ui-dist swagger-ui.css swagger-ui/swagger-ui.css
copy swagger-ui-dist LICENSE swagger-ui/LICENSE
copy swagger-ui-dist NOTICE swagger-ui/NOTICE
copy us-atlas LICENSE geo/us-atlas-LICENSE
copy @svg-maps_mexico LICENSE.md geo/svg-maps-mexico-LICENSE.md
# The minified bundles end with a source-map comment whose .map is not shipped.
sed -i '/^\/\/# sourceMappingURL=/d' "$VENDOR"/*/*.js

python3 scripts/build_geo.py \
  --us-atlas "$WORK/us-atlas/package/states-10m.json" \
  --mexico "$WORK/@svg-maps_mexico/package/index.js" \
  --out "$STATIC/geo"
