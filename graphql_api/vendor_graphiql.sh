#!/bin/sh
# Re-vendors GraphiQL's browser assets into graphql_api/static/graphql_api/graphiql/ from the npm registry, so that
# the IDE served in DEBUG needs no CDN. The versions are the ones strawberry's own graphiql.html loads; change them
# together with graphql_api/templates/graphql/graphiql.html. Run with `make graphiql-assets`.
set -eu
DEST="$(cd "$(dirname "$0")" && pwd)/static/graphql_api/graphiql"
GRAPHIQL=3.8.3 EXPLORER=1.0.2 REACT=18.2.0 JS_COOKIE=3.0.5
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "graphiql@$GRAPHIQL" "@graphiql/plugin-explorer@$EXPLORER" "react@$REACT" "react-dom@$REACT" \
  "js-cookie@$JS_COOKIE" >/dev/null
for archive in *.tgz; do mkdir "${archive%.tgz}" && tar xzf "$archive" -C "${archive%.tgz}"; done
mkdir -p "$DEST"
cp "graphiql-$GRAPHIQL/package/graphiql.min.js" "graphiql-$GRAPHIQL/package/graphiql.min.css" "$DEST/"
# Their source maps are not vendored: drop the references, which collectstatic's hashed storage would fail to resolve.
sed -i '/sourceMappingURL=graphiql\.min\.\(css\|js\)\.map/d' "$DEST/graphiql.min.js" "$DEST/graphiql.min.css"
cp "graphiql-$GRAPHIQL/package/LICENSE" "$DEST/LICENSE.graphiql"
cp "graphiql-plugin-explorer-$EXPLORER/package/dist/index.umd.js" "$DEST/plugin-explorer.umd.js"
cp "graphiql-plugin-explorer-$EXPLORER/package/dist/style.css" "$DEST/plugin-explorer.css"
cp "graphiql-plugin-explorer-$EXPLORER/package/package.json" "$DEST/LICENSE.plugin-explorer.package.json"
cp "react-$REACT/package/umd/react.production.min.js" "$DEST/"
cp "react-$REACT/package/LICENSE" "$DEST/LICENSE.react"
cp "react-dom-$REACT/package/umd/react-dom.production.min.js" "$DEST/"
cp "react-dom-$REACT/package/LICENSE" "$DEST/LICENSE.react-dom"
cp "js-cookie-$JS_COOKIE/package/dist/js.cookie.min.js" "$DEST/"
cp "js-cookie-$JS_COOKIE/package/LICENSE" "$DEST/LICENSE.js-cookie"
echo "GraphiQL $GRAPHIQL, explorer $EXPLORER, React $REACT, js-cookie $JS_COOKIE vendored in $DEST"
