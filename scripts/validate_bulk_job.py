"""Consistency checks of deploy/kubernetes/bulk-job.yaml and bulk-merge-job.yaml that no
schema can see (run by scripts/validate-deploy.sh from the repository root).

Usage: validate_bulk_job.py TMP HAVE_EMBED   (TMP holds encode-help.txt and merge-help.txt
when HAVE_EMBED is 1). Exit status 1 when a check fails.
"""
import re
import sys
from pathlib import Path

import yaml

tmp, have_embed = Path(sys.argv[1]), sys.argv[2] == "1"
kdir = Path("deploy/kubernetes")
errors = []


def check(ok, what):
    print(f"    {'ok ' if ok else 'BAD'} {what}")
    if not ok:
        errors.append(what)


def flag(args, name):
    return args[args.index(name) + 1] if name in args else None


def secure(pod, container, what):
    psc, sc = pod.get("securityContext", {}), container.get("securityContext", {})
    check(psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0, f"{what}: non-root")
    check(sc.get("readOnlyRootFilesystem") is True and sc.get("allowPrivilegeEscalation") is False,
          f"{what}: read-only root, no privilege escalation")
    check(pod.get("automountServiceAccountToken") is False, f"{what}: no service-account token")
    res = container.get("resources", {})
    check(all(k in res.get("requests", {}) and k in res.get("limits", {}) for k in ("cpu", "memory")),
          f"{what}: cpu and memory requests and limits")


def data_mount(pod, container, claim, what):
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    check(all(name in volumes for name in mounts.values()), f"{what}: every volumeMount has a volume")
    data = [path for path, name in mounts.items()
            if volumes.get(name, {}).get("persistentVolumeClaim", {}).get("claimName") == claim]
    check(len(data) == 1, f"{what}: mounts the PVC {claim}")
    return data[0] if data else "/nonexistent"


docs = [d for d in yaml.safe_load_all((kdir / "bulk-job.yaml").read_text()) if d]
pvc = next((d for d in docs if d["kind"] == "PersistentVolumeClaim"), None)
job = next((d for d in docs if d["kind"] == "Job"), None)
merge = yaml.safe_load((kdir / "bulk-merge-job.yaml").read_text())
check(pvc is not None and job is not None and merge.get("kind") == "Job", "bulk-job.yaml: a PVC and a Job; bulk-merge-job.yaml: a Job")
claim = pvc["metadata"]["name"]
check("ReadWriteMany" in pvc["spec"]["accessModes"], "the PVC is ReadWriteMany (pods on several nodes write it)")

spec = job["spec"]
pod = spec["template"]["spec"]
c = pod["containers"][0]
args = c.get("args", [])
check(spec.get("completionMode") == "Indexed", "completionMode: Indexed")
check(c.get("command") == ["embed", "encode"], f"runs embed encode: {c.get('command')}")
shard = flag(args, "--shard") or ""
m = re.fullmatch(r"\$\(JOB_COMPLETION_INDEX\)/(\d+)", shard)
check(m is not None, f"--shard $(JOB_COMPLETION_INDEX)/N: {shard!r}")
shards = int(m.group(1)) if m else None
check(spec.get("completions") == shards, f"completions {spec.get('completions')} = the N of --shard ({shards})")
check(1 <= spec.get("parallelism", 1) <= (shards or 0), f"1 <= parallelism {spec.get('parallelism')} <= completions")
env = {e["name"]: e for e in c.get("env", [])}
ref = env.get("JOB_COMPLETION_INDEX", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
check(ref == "metadata.annotations['batch.kubernetes.io/job-completion-index']",
      "JOB_COMPLETION_INDEX from the pod's completion-index annotation")
check(pod.get("restartPolicy") == "OnFailure", "restartPolicy OnFailure: a failed container restarts and resumes")
secure(pod, c, "bulk Job")
mount = data_mount(pod, c, claim, "bulk Job")
out, inp = flag(args, "--output-dir") or "", flag(args, "--input") or ""
check(out.startswith(mount + "/") and inp.startswith(mount + "/"), f"--input {inp} and --output-dir {out} are on the PVC ({mount})")
mounts = {m["mountPath"] for m in c["volumeMounts"]}
check({"/cache", "/tmp"} <= mounts, "writable /cache (XDG_CACHE_HOME of the image) and /tmp")
check(flag(args, "--fallback") is not None and "hashing" not in flag(args, "--fallback"), "no hashing fallback")

mspec = merge["spec"]
mpod = mspec["template"]["spec"]
mc = mpod["containers"][0]
margs = mc.get("args", [])
check(mc.get("command") == ["embed", "merge"], f"the merge Job runs embed merge: {mc.get('command')}")
secure(mpod, mc, "merge Job")
mmount = data_mount(mpod, mc, claim, "merge Job")
check(margs[:1] == [out.replace(mount, mmount, 1)], f"the merge Job reads the bulk Job's --output-dir ({margs[:1]})")
moutput = flag(margs, "--output") or ""
fmt = flag(args, "--format") or "jsonl"
check(moutput.startswith(mmount + "/") and (fmt != "npy" or moutput.endswith(".npy")), f"merge --output {moutput} on the PVC ({fmt})")

if have_embed:
    for command, words, help_file in (("encode", args, "encode-help.txt"), ("merge", margs, "merge-help.txt")):
        text = (tmp / help_file).read_text()
        for word in words:
            if word.startswith("--"):
                check(re.search(r"^\s+" + re.escape(word) + r"[ ,/<]", text, re.M) is not None, f"{word} is in `embed {command} --help`")
else:
    print("    (skipped: the Jobs' flags against `embed encode --help` and `embed merge --help`)")
sys.exit(1 if errors else 0)
