"""The converter at scale: time and peak memory of 1M- and 10M-parameter MLP conversions, with
massif's allocation sites when memory passes the flag.
"""
import json
import os
import re
import shutil
import subprocess

from measure import HERE, ROOT, last_json, log, run, time_v


SCALE_LAYERS = {"1M": 1, "10M": 10}


RSS_FLAG = 10.0


PROJECT_FRAME = re.compile(r"^\$s\d+(Topiary|HDF5|topiary)")


def demangle(names):
    p = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names) + "\n",
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.splitlines() if p.returncode == 0 else list(names)
    return [re.sub(r"^(specialized |static )+", "", name) for name in out]


def massif_sites(ctx, cmd, env, folder, limit=6):
    """Heap at the peak of `cmd` (a topiary command) by the code that allocated it: valgrind's
    massif on a copy of topiary without debug info (valgrind 3.19 cannot read the DWARF 5 of
    Swift 6 binaries), the tree at the peak grouped by the first frame in Topiary's own
    modules, with the standard-library call that allocated and the frame's caller."""
    stripped = os.path.join(folder, "topiary-nodebug")
    shutil.copy(cmd[0], stripped)
    run(["strip", "-g", stripped])
    out = os.path.join(folder, "massif.out")
    run([shutil.which("valgrind"), "--tool=massif", "--depth=40", "--threshold=0.5", "--massif-out-file=" + out,
         stripped] + cmd[1:], env=env)
    lines = open(out).read().splitlines()
    start = next(i for i, line in enumerate(lines) if line == "heap_tree=peak")
    heap = next(int(line.split("=")[1]) for line in reversed(lines[:start]) if line.startswith("mem_heap_B="))
    nodes, stack = [], []  # (depth, bytes, name, parent index)
    for line in lines[start + 1:]:
        m = re.match(r"^( *)n\d+: (\d+) (?:0x[0-9A-Fa-f]+: )?(.*?)(?: \(in .*\))?$", line)
        if not m:
            break
        depth = len(m.group(1))
        while stack and nodes[stack[-1]][0] >= depth:
            stack.pop()
        nodes.append((depth, int(m.group(2)), m.group(3), stack[-1] if stack else None))
        stack.append(len(nodes) - 1)
    sites = {}
    for i, (depth, size, name, parent) in enumerate(nodes):
        if not PROJECT_FRAME.match(name):
            continue
        ancestors, a = [], parent
        while a is not None:
            ancestors.append(a)
            a = nodes[a][3]
        if any(PROJECT_FRAME.match(nodes[a][2]) for a in ancestors):
            continue
        library = next((nodes[a][2] for a in ancestors if nodes[a][2].startswith("$s")), "")
        callers = [j for j in range(i + 1, len(nodes)) if nodes[j][3] == i]
        caller = nodes[max(callers, key=lambda j: nodes[j][1])][2] if callers else ""
        key = (library, name, caller)
        sites[key] = sites.get(key, 0) + size
    top = sorted(sites.items(), key=lambda kv: -kv[1])[:limit]
    names = demangle([n for (key, _) in top for n in key if n]) if top else []
    described, k = [], 0
    for (library, name, caller), size in top:
        parts = []
        for n in (library, name, caller):
            parts.append(names[k] if n else "")
            k += 1 if n else 0
        module = PROJECT_FRAME.match(name).group(1)
        text = "%s.%s" % (module, parts[1])
        if parts[0]:
            text = "`%s` in `%s`" % (parts[0], text)
        else:
            text = "`%s`" % text
        if parts[2]:
            text += ", called from `%s`" % parts[2]
        described.append({"bytes": size, "site": text})
    return {"peak_heap": heap, "sites": described}


def scale_bench(ctx):
    folder = os.path.join(ctx.work, "scale")
    os.makedirs(folder, exist_ok=True)
    results = {"rows": []}
    no_toolchain = dict(os.environ, PATH="/nonexistent")
    # Fixed costs: the process alone, and converting the 6.6k-parameter digits MLP.
    _, results["help_rss"], _ = time_v([ctx.topiary, "--help"], env=no_toolchain)
    mlp = os.path.join(ROOT, "samples", "models", "mlp", "model.h5")
    _, results["small_rss"], _ = time_v([ctx.topiary, "convert", mlp, "-o", os.path.join(folder, "small"), "--name", "small",
                                         "--quantize", "int8", "--sparsity", "0.9", "--prune-method", "magnitude",
                                         "--calibration", os.path.join(ctx.work, "mlp", "calibration.npy"), "--json"], env=no_toolchain)
    sizes = ["1M"] if ctx.quick else ["1M", "10M"]
    for size in sizes:
        h5 = os.path.join(folder, "mlp%s.h5" % size)
        cal = os.path.join(folder, "mlp%s_calibration.npy" % size)
        p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "scale", str(SCALE_LAYERS[size]), h5, cal], cwd=folder, check=False)
        try:
            made = last_json(p.stdout)
        except ValueError:
            made = {"error": "peers.py exited %d" % p.returncode}
        if "error" in made:
            results["rows"].append({"size": size, "error": "could not make the model: " + made["error"]})
            continue
        row = {"size": size, "params": made["params"], "float_bytes": made["params"] * 4, "h5_bytes": made["h5_bytes"]}
        cmd = [ctx.topiary, "convert", h5, "-o", os.path.join(folder, "out" + size), "--name", "big",
               "--quantize", "int8", "--sparsity", "0.9", "--prune-method", "magnitude", "--calibration", cal, "--json"]
        row["seconds"], row["rss"], out = time_v(cmd)
        report = json.loads(out)
        row["weight_bytes"] = report["compression"]["bytes"]
        row["nonzero_macs"] = report["compression"]["nonzero_multiply_adds"]
        row["reported_flash"] = report["sizes"]["flash"] if report["sizes"]["measured"] else None
        row["c_bytes"] = os.path.getsize(os.path.join(folder, "out" + size, "big.c"))
        # The converter alone: without the ARM toolchain on PATH it skips compiling the C to
        # measure flash, so the figures are topiary's own.
        row["alone_seconds"], row["alone_rss"], _ = time_v(cmd, env=no_toolchain)
        row["ratio"] = row["rss"] / row["float_bytes"]
        row["alone_ratio"] = row["alone_rss"] / row["float_bytes"]
        row["marginal_ratio"] = (row["alone_rss"] - results["small_rss"]) / row["float_bytes"]
        if row["ratio"] > RSS_FLAG:
            # Where the memory goes, measured: the heap at its peak by allocating code.
            try:
                row["massif"] = massif_sites(ctx, cmd, no_toolchain, folder)
            except Exception as error:
                row["massif"] = {"error": str(error).splitlines()[0]}
        results["rows"].append(row)
        log("  scale %s: %d params, convert %.1f s, peak RSS %.0f MB (%.1fx float32)"
            % (size, row["params"], row["seconds"], row["rss"] / 1e6, row["ratio"]))
    return results
