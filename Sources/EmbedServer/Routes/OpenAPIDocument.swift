/// The server's OpenAPI 3.1 document (``json``, generated from docs/openapi.json by
/// scripts/gen-openapi-swift.sh) and the `/docs` page that lists it.
enum OpenAPIDocument {
    /// A self-contained page: a few lines of inline script fetch `openapi.json` (relative, so
    /// it works behind a path prefix too) and list every operation with its summary, whether
    /// it needs the API key, and its statuses. Nothing is loaded from anywhere else.
    static let page = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>swift-embed API</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #ddd; vertical-align: top; }
code { font: 13px ui-monospace, monospace; }
.method { font-weight: bold; text-transform: uppercase; }
</style>
</head>
<body>
<h1 id="title">swift-embed API</h1>
<p id="summary"></p>
<p>The full document: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</p>
<table>
<thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>API key</th><th>Statuses</th></tr></thead>
<tbody id="operations"></tbody>
</table>
<script>
fetch("openapi.json").then(function (r) { return r.json(); }).then(function (doc) {
  document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
  document.getElementById("summary").textContent = doc.info.summary || "";
  var body = document.getElementById("operations");
  Object.keys(doc.paths).forEach(function (path) {
    ["get", "head", "post", "put", "patch", "delete", "options"].forEach(function (method) {
      var op = doc.paths[path][method];
      if (!op) return;
      var open = op.security !== undefined && op.security.length === 0;
      var cells = [method, path, op.summary || "", open ? "no" : "when set", Object.keys(op.responses).join(", ")];
      var row = document.createElement("tr");
      cells.forEach(function (text, i) {
        var cell = document.createElement("td");
        var inner = document.createElement(i === 1 ? "code" : "span");
        if (i === 0) inner.className = "method";
        inner.textContent = text;
        cell.appendChild(inner);
        row.appendChild(cell);
      });
      body.appendChild(row);
    });
  });
}).catch(function (e) { document.getElementById("summary").textContent = "could not load openapi.json: " + e; });
</script>
</body>
</html>
"""#
}
