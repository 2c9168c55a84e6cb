"""Topiary's benchmark beside the tools users would pick instead (TFLite int8, emlearn).

Run through bench/run.sh (`make bench`), which builds topiary and prepares the peers' venv.
Every figure in the report is measured in this one run:
  - top-1 accuracy on the held-out digits (each sample model's input.npy / labels.npy) with
    `topiary evaluate`, and the same through the compiled C on the host;
  - flash and RAM of the generated C compiled for a Cortex-M4 (arm-none-eabi-gcc -Os -c,
    arm-none-eabi-size);
  - instructions per inference of the C compiled -O2 for the host, counted by
    valgrind --tool=callgrind with --toggle-collect on the entry point;
  - the wall-clock time of `topiary convert`;
  - the peers' figures measured the same way where they produce C (emlearn), or through their
    own runtime (TFLite's interpreter);
  - the converter's time and peak memory on 1M- and 10M-parameter MLPs.

Usage: python3 bench/bench.py --topiary PATH --work DIR --out DIR [--venv-python PATH] [--quick]
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import svgplot  # noqa: E402

MODELS = ["mlp", "cnn", "dscnn", "conv1d", "residual", "gru", "lstm"]
QUICK_MODELS = ["mlp", "cnn"]

# (key, label, topiary options). Every int8 variant also gets the calibration options.
VARIANTS = [
    ("float", "float32 dense", []),
    ("int8", "int8 dense", ["--quantize", "int8"]),
    ("s50", "int8 + 50% sparse", ["--sparsity", "0.5", "--quantize", "int8"]),
    ("s80", "int8 + 80% sparse", ["--sparsity", "0.8", "--quantize", "int8"]),
    ("s90", "int8 + 90% sparse", ["--sparsity", "0.9", "--quantize", "int8"]),
    ("ch30", "int8 + 30% channels pruned", ["--prune-channels", "0.3", "--quantize", "int8"]),
    ("s80g", "int8 + 80% sparse, global + reconstruct",
     ["--sparsity", "0.8", "--prune-scope", "global", "--reconstruct", "--quantize", "int8"]),
    ("s80o", "int8 + 80% sparse, OBS", ["--sparsity", "0.8", "--prune-method", "obs", "--quantize", "int8"]),
    ("s90o", "int8 + 90% sparse, OBS", ["--sparsity", "0.9", "--prune-method", "obs", "--quantize", "int8"]),
]
QUICK_VARIANTS = ["float", "int8", "s90", "s80o"]
SPARSITY = {"int8": 0.0, "s50": 0.5, "s80": 0.8, "s90": 0.9}

CALIBRATION_ROWS = 200
ARM_CC = ["arm-none-eabi-gcc", "-std=c99", "-mcpu=cortex-m4", "-mthumb", "-Os", "-c"]
HOST_CFLAGS = ["-std=c99", "-O2"]
# TFLite Micro's published footprint (REFERENCES.md): its memory_footprint example, Cortex-M3.
TFLM_RUNTIME_BYTES = 10 * 1024
TFLM_ENTRY = "*MicroInterpreter::Invoke*"
SCALE_LAYERS = {"1M": 1, "10M": 10}
RSS_FLAG = 10.0
# Errors that say a variant does not apply to a model (reported as such, not as failures).
NOT_APPLICABLE = ["no layer can lose channels"]


def log(*args):
    print(*args, flush=True)


def run(cmd, cwd=None, env=None, check=True):
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        # The first line says what failed (topiary's own "error: ..." when it gave one).
        said = [line.strip() for line in (p.stderr + "\n" + p.stdout).splitlines() if line.strip().startswith("error:")]
        raise RuntimeError("%s\ncommand (exit %d): %s\n%s%s" % (said[0] if said else "exit status %d" % p.returncode, p.returncode,
                                                             " ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return p


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON result in output:\n" + text[-2000:])


def first_line(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return p.stdout.strip().splitlines()[0]
    except Exception as error:
        return "unavailable (%s)" % error


# ---------------------------------------------------------------------------------------
# Measurements shared by Topiary and emlearn


def arm_size(folder, source, obj, includes=()):
    """Flash (text + rodata + data) and RAM (bss + data) of `source` compiled for a Cortex-M4."""
    flags = [a for inc in includes for a in ("-I", inc)]
    run(ARM_CC + flags + [source, "-o", obj], cwd=folder)
    return parse_size(run(["arm-none-eabi-size", "-A", obj], cwd=folder).stdout)


def callgrind(folder, program, entry, args, tag):
    """Instructions executed inside `entry` (and what it calls) over one run of `program`."""
    out_file = os.path.join(folder, "callgrind.%s.out" % tag)
    p = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file,
             "--toggle-collect=" + entry, program] + args, cwd=folder)
    total = None
    with open(out_file) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    if not total:
        raise RuntimeError("callgrind counted no instructions in %s (%s)" % (entry, program))
    return total, p.stdout


DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
%(includes)s

/* Runs COUNT inferences on raw float32 samples read from a file and prints each top-1 class.
   Only the entry point is counted (callgrind --toggle-collect), so reading and printing
   do not enter the figures. */
int main(int argc, char **argv)
{
    static float x[%(input_size)d];
    long n, count;
    FILE *f;
    if (argc != 3) return 1;
    count = atol(argv[2]);
    f = fopen(argv[1], "rb");
    if (f == NULL) return 2;
    for (n = 0; n < count; ++n) {
        int best = 0, i;
        if (fread(x, sizeof x, 1, f) != 1) return 2;
%(body)s
        printf("%%d\n", best);
    }
    fclose(f);
    return 0;
}
"""

BODY_FLOAT = r"""        {
            static float y[%(output_size)d];
            if (%(entry)s(x, y) != 0) return 3;
            for (i = 1; i < %(output_size)d; ++i) if (y[i] > y[best]) best = i;
        }"""

BODY_INT8 = r"""        {
            static int8_t q[%(input_size)d], y[%(output_size)d];
            for (i = 0; i < %(input_size)d; ++i)
                q[i] = tp_quantize_one_f32(x[i], %(upper)s_INPUT_SCALE, %(upper)s_INPUT_ZERO_POINT);
            if (%(entry)s(q, y) != 0) return 3;
            for (i = 1; i < %(output_size)d; ++i) if (y[i] > y[best]) best = i;
        }"""

BODY_EMLEARN = r"""        {
            best = (int)%(entry)s(x, %(input_size)d);
            if (best < 0) return 3;
        }"""


def host_run(folder, sources, driver, entry, samples_file, count, tag):
    """Compiles `sources` + the driver -O2 for the host, runs it under callgrind."""
    with open(os.path.join(folder, "bench_driver.c"), "w") as f:
        f.write(driver)
    program = os.path.join(folder, "bench_run")
    cc = os.environ.get("CC", "cc")
    run([cc] + HOST_CFLAGS + ["-I", folder] + sources + [os.path.join(folder, "bench_driver.c"), "-o", program, "-lm"], cwd=folder)
    total, stdout = callgrind(folder, program, entry, [samples_file, str(count)], tag)
    predictions = [int(v) for v in stdout.split()]
    return total, predictions


# ---------------------------------------------------------------------------------------
# Topiary


def parse_accuracy(text, compressed):
    pattern = r"^compressed:\s+top-1 accuracy [\d.]+% \((\d+)/(\d+)\)" if compressed else r"^top-1 accuracy [\d.]+% \((\d+)/(\d+)\)"
    m = re.search(pattern, text, re.M)
    if not m:
        raise RuntimeError("no accuracy in topiary evaluate's output:\n" + text)
    return int(m.group(1)), int(m.group(2))


def parse_convert(text):
    out = {}
    m = re.search(r"^arena: (\d+) bytes planned", text, re.M)
    out["arena"] = int(m.group(1)) if m else None
    m = re.search(r"^float32 dense model: (\d+) bytes of parameters, (\d+) multiply-adds", text, re.M)
    if m:
        out["float_bytes"], out["dense_macs"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"^Total\s+(\S+%)\s.*?(\d+)\s+(\d+)\s*$", text, re.M)
    if m:
        out["sparsity"], out["nonzero_macs"] = m.group(1), int(m.group(2))
    m = re.search(r"^compressed weights \+ indices \+ metadata: (\d+) bytes", text, re.M)
    if m:
        out["weight_bytes"] = int(m.group(1))
    m = re.search(r"^flash: (\d+) bytes", text, re.M)
    out["reported_flash"] = int(m.group(1)) if m else None
    out["removed_channels"] = sum(int(n) for n in re.findall(r"^removed (\d+) channel", text, re.M))
    return out


def topiary_variant(ctx, model, info, key, options):
    folder = os.path.join(ctx.work, model, key)
    shutil.rmtree(folder, ignore_errors=True)
    mdir = os.path.join(ROOT, "samples", "models", model)
    model_file = os.path.join(mdir, info["file"])
    opts = list(options)
    if "int8" in opts:
        opts += ["--calibration", os.path.join(ctx.work, model, "calibration.npy")]
    result = {"model": model, "variant": key, "options": " ".join(options)}

    p = run([ctx.topiary, "evaluate", model_file, "--input", os.path.join(mdir, "input.npy"),
             "--labels", os.path.join(mdir, "labels.npy")] + opts)
    result["correct"], result["total"] = parse_accuracy(p.stdout, compressed=bool(opts))
    result["accuracy"] = result["correct"] / result["total"]
    result["keras_accuracy"] = info["accuracy"]

    start = time.perf_counter()
    p = run([ctx.topiary, "convert", model_file, "-o", folder, "--name", model] + opts)
    result["convert_seconds"] = time.perf_counter() - start
    result.update(parse_convert(p.stdout))

    result.update(arm_size(folder, model + ".c", model + ".o", includes=[folder]))
    upper = model.upper()
    header = open(os.path.join(folder, model + ".h")).read()
    input_size = int(re.search(r"#define %s_INPUT_SIZE\s+(\d+)" % upper, header).group(1))
    output_size = int(re.search(r"#define %s_OUTPUT_SIZE\s+(\d+)" % upper, header).group(1))
    int8 = "int8" in opts
    entry = model + ("_predict_int8" if int8 else "_predict")
    values = {"input_size": input_size, "output_size": output_size, "entry": entry, "upper": upper}
    includes = '#include "%s.h"' % model + ('\n#include "tp_quantize_f32.h"' if int8 else "")
    body = (BODY_INT8 if int8 else BODY_FLOAT) % values
    driver = DRIVER % dict(values, includes=includes, body=body)
    count = ctx.inferences
    total, predictions = host_run(folder, [os.path.join(folder, model + ".c")], driver, entry,
                                  ctx.samples[model], count, key)
    result["entry"] = entry
    result["inferences"] = count
    result["instructions"] = total / count
    labels = ctx.labels[model][:count]
    result["c_correct"] = int(sum(int(a) == int(b) for a, b in zip(predictions, labels)))
    macs = result.get("nonzero_macs")
    result["instructions_per_mac"] = result["instructions"] / macs if macs else None
    return result


# ---------------------------------------------------------------------------------------
# Peers


def tflite_peer(ctx, model, info):
    folder = os.path.join(ctx.work, model, "tflite")
    os.makedirs(folder, exist_ok=True)
    mdir = os.path.join(ROOT, "samples", "models", model)
    shape = "x".join(str(d) for d in info["input_shape"])
    p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "tflite", os.path.join(mdir, info["file"]), shape,
             os.path.join(ctx.work, model, "calibration.npy"), os.path.join(mdir, "input.npy"),
             os.path.join(mdir, "labels.npy"), os.path.join(folder, model + "_int8.tflite")], cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        r = {"error": "peers.py exited %d: %s" % (p.returncode, (p.stderr.strip().splitlines() or ["?"])[-1])}
    r["model"] = model
    if "correct" in r:
        r["accuracy"] = r["correct"] / r["total"]
        r["flatbuffer"] = os.path.join(folder, model + "_int8.tflite")
        r["tflm"] = tflm_peer(ctx, model, r["flatbuffer"])
    return r


def tflm_peer(ctx, model, flatbuffer):
    """TFLite Micro's interpreter from the tflite-micro wheel (its reference kernels, built for
    x86-64 by the wheel) under callgrind: instructions inside MicroInterpreter::Invoke, the
    arena its allocator reports, and top-1 on the same samples."""
    folder = os.path.dirname(flatbuffer)
    mdir = os.path.join(ROOT, "samples", "models", model)
    out_file = os.path.join(folder, "callgrind.tflm.out")
    count = ctx.inferences
    p = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file, "--toggle-collect=" + TFLM_ENTRY,
             ctx.venv_python, os.path.join(HERE, "peers.py"), "tflm", flatbuffer, os.path.join(mdir, "input.npy"),
             os.path.join(mdir, "labels.npy"), str(count)], cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        return {"error": "TFLite Micro run failed (%d): %s" % (p.returncode, (p.stderr.strip().splitlines() or ["?"])[-1])}
    if "error" in r:
        return r
    m = re.search(r"Arena allocation total (\d+) bytes", p.stdout + p.stderr)
    r["arena"] = int(m.group(1)) if m else None
    total = None
    with open(out_file) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    if not total:
        return {"error": "callgrind counted nothing in " + TFLM_ENTRY}
    r["instructions"] = total / count
    r["accuracy"] = r["correct"] / r["total"]
    return r


def emlearn_peer(ctx, model, info):
    folder = os.path.join(ctx.work, model, "emlearn")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    mdir = os.path.join(ROOT, "samples", "models", model)
    name = "eml_" + model
    header = os.path.join(folder, name + ".h")
    p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "emlearn", os.path.join(mdir, info["file"]), name, header],
            cwd=folder, check=False)
    try:
        r = last_json(p.stdout)
    except ValueError:
        r = {"error": "peers.py exited %d" % p.returncode}
    r["model"] = model
    if "error" in r:
        return r
    # The generated header defines the model and its entry point: give it a translation unit
    # of its own, as Topiary's NAME.c has, so the entry point is a real call.
    source = os.path.join(folder, name + ".c")
    with open(source, "w") as f:
        f.write('#include "%s.h"\n' % name)
    include = r["include"]
    try:
        r.update(arm_size(folder, name + ".c", name + ".o", includes=[include]))
        input_size = int(np.prod(info["input_shape"]))
        values = {"input_size": input_size, "entry": r["entry"]}
        includes = "int32_t %s(const float *values, int32_t length);" % r["entry"]
        driver = DRIVER % dict(values, includes=includes, body=BODY_EMLEARN % values)
        cc = os.environ.get("CC", "cc")
        program = os.path.join(folder, "bench_run")
        with open(os.path.join(folder, "bench_driver.c"), "w") as f:
            f.write(driver)
        run([cc] + HOST_CFLAGS + ["-I", include, "-I", folder, source, os.path.join(folder, "bench_driver.c"), "-o", program, "-lm"], cwd=folder)
        count = ctx.inferences
        total, stdout = callgrind(folder, program, r["entry"], [ctx.samples[model], str(count)], "emlearn")
        predictions = [int(v) for v in stdout.split()]
        labels = ctx.labels[model][:count]
        r["instructions"] = total / count
        r["inferences"] = count
        r["correct"] = int(sum(int(a) == int(b) for a, b in zip(predictions, labels)))
        r["total"] = count
        r["accuracy"] = r["correct"] / count
    except RuntimeError as error:
        r["error"] = "build or run failed: " + str(error).splitlines()[0]
    return r


def parse_size(out):
    sections = {"text": 0, "rodata": 0, "data": 0, "bss": 0}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        for key in sections:
            if parts[0] == "." + key or parts[0].startswith("." + key + "."):
                sections[key] += int(parts[1])
    sections["flash"] = sections["text"] + sections["rodata"] + sections["data"]
    sections["ram"] = sections["bss"] + sections["data"]
    return sections


# ---------------------------------------------------------------------------------------
# Scale


def time_v(cmd, env=None):
    p = run(["/usr/bin/time", "-v"] + cmd, env=env)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) * 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, rss, p.stdout


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
                                         "--quantize", "int8", "--sparsity", "0.9", "--calibration",
                                         os.path.join(ctx.work, "mlp", "calibration.npy")], env=no_toolchain)
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
               "--quantize", "int8", "--sparsity", "0.9", "--calibration", cal]
        row["seconds"], row["rss"], out = time_v(cmd)
        row.update({k: v for k, v in parse_convert(out).items() if k in ("weight_bytes", "nonzero_macs", "reported_flash")})
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


# ---------------------------------------------------------------------------------------
# Report


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.0f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    osname = platform.platform()
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "%s, %d cores, %s, %s %s" % (cpu, os.cpu_count() or 0, mem, osname, platform.machine())


def pct(x):
    return "%.2f%%" % (100 * x)


def points(a, b):
    return "%+.2f" % (100 * (a - b))


def kb(n):
    return "{:,}".format(n)


def write_report(ctx, rows, tflite, emlearn, scale, versions, path):
    by = {(r["model"], r["variant"]): r for r in rows}
    models = [m for m in ctx.models if any(r["model"] == m for r in rows)]
    variants = [v for v in VARIANTS if v[0] in ctx.variants]
    out = []
    w = out.append
    w("# Topiary benchmarks\n")
    w("Measured in one run of `%s` (%s). Every figure below comes from that run; "
      "rerun it to check them.\n" % ("BENCH_QUICK=1 make bench" if ctx.quick else "make bench", ctx.date))
    w("- Machine: %s" % machine())
    w("- Topiary: %s, commit %s" % (versions["topiary"], versions["commit"]))
    for key in ("swift", "cc", "arm-none-eabi-gcc", "valgrind", "python"):
        w("- %s: %s" % (key, versions[key]))
    peers = versions["peers"]
    w("- Peers (installed by the benchmark into its venv from PyPI): TensorFlow %s, Keras %s, tflite-micro %s, emlearn %s, NumPy %s"
      % (peers.get("tensorflow"), peers.get("keras"), peers.get("tflite_micro"), peers.get("emlearn"), peers.get("numpy")))
    w("- Whole run: %.0f s wall clock on a shared machine.\n" % ctx.elapsed)

    w("## What is measured\n")
    w("- **Accuracy**: top-1 on the held-out digits split (each model folder's `input.npy`/`labels.npy`, %d samples), "
      "with `topiary evaluate MODEL --input input.npy --labels labels.npy OPTIONS`; *vs Keras* is the change in points against the "
      "Keras float accuracy recorded in the model's `info.json`. The compiled C run on the host gives the same "
      "top-1 (column *C top-1*)." % ctx.test_count)
    w("- **Calibration** (int8 variants): `--calibration calibration.npy` = the first %d rows of "
      "`samples/data/digits_train_x.npy` reshaped to the model's input. TFLite gets the same %d samples as its "
      "representative dataset." % (CALIBRATION_ROWS, CALIBRATION_ROWS))
    w("- **Flash**: text + rodata + data of `%s NAME.c` (`arm-none-eabi-size -A`). **RAM**: bss + data of the same "
      "object; the activation arena (planned by `topiary convert`, column *arena*) is part of bss. Float "
      "arithmetic and `expf` are library calls under this soft-float command and are not in the object, for "
      "Topiary and emlearn alike." % " ".join(ARM_CC))
    w("- **Instructions per inference**: `NAME_predict` (float) or `NAME_predict_int8` (int8, input quantized "
      "outside the count) compiled `cc %s` for the host (%s), run on the first %d test samples under "
      "`valgrind --tool=callgrind --toggle-collect=ENTRY`; total / samples. *Per nonzero MAC* divides by the "
      "nonzero multiply-adds of `topiary convert`'s per-layer table (float: the dense multiply-adds). These are "
      "host x86-64 instructions, a repeatable measure of work, not Cortex-M cycles: at -O2 gcc %s vectorizes "
      "the float loops with SSE (several multiply-adds per instruction), which a Cortex-M4 cannot do, so the float "
      "figures flatter float against int8."
      % (" ".join(HOST_CFLAGS), platform.machine(), ctx.inferences, versions["cc"].split()[-1]))
    w("- **convert**: wall-clock time of `topiary convert MODEL -o DIR --name NAME OPTIONS`, which also compiles the "
      "C for the Cortex-M4 to report its size. Wall clock on a shared 2-core machine: indicative only.\n")

    w("## Summary\n")
    w("| model | variant | top-1 | vs Keras (points) | flash (B) | RAM (B) | instructions / inference | per nonzero MAC |")
    w("|---|---|---:|---:|---:|---:|---:|---:|")
    for m in models:
        for key, label, _ in variants:
            r = by.get((m, key))
            if r is None:
                continue
            if "skipped" in r:
                w("| %s | %s | n/a: %s | | | | | |" % (m, label, r["skipped"]))
                continue
            if "error" in r:
                w("| %s | %s | **failed**: %s | | | | | |" % (m, label, r["error"]))
                continue
            ipm = "%.1f" % r["instructions_per_mac"] if r.get("instructions_per_mac") and not ctx.recurrent[m] else "—"
            w("| %s | %s | %s | %s | %s | %s | %s | %s |" % (m, label, pct(r["accuracy"]), points(r["accuracy"], r["keras_accuracy"]),
                                                        kb(r["flash"]), kb(r["ram"]), kb(round(r["instructions"])), ipm))
        t = tflite.get(m)
        if t is not None:
            if "error" in t:
                w("| %s | *TFLite int8 PTQ* | failed: %s | | | | | |" % (m, t["error"].replace("|", "/")))
            else:
                u = t.get("tflm", {})
                dense = by.get((m, "int8"), {}).get("dense_macs")
                if "instructions" in u:
                    ram, instr = "%s arena" % kb(u["arena"]) if u.get("arena") else "?", kb(round(u["instructions"]))
                    ipm = "%.1f" % (u["instructions"] / dense) if dense and not ctx.recurrent[m] else "—"
                else:
                    ram, instr, ipm = "—", "TFLite Micro failed: %s" % u.get("error", "not run"), "—"
                w("| %s | *TFLite int8 PTQ → TFLite Micro* | %s | %s | %s flatbuffer + ~%s runtime | %s | %s | %s |"
                  % (m, pct(t["accuracy"]), points(t["accuracy"], ctx.info[m]["accuracy"]), kb(t["bytes"]), kb(TFLM_RUNTIME_BYTES),
                     ram, instr, ipm))
        e = emlearn.get(m)
        if e is not None:
            if "error" in e:
                w("| %s | *emlearn float* | failed: %s | | | | | |" % (m, e["error"]))
            else:
                dense = by.get((m, "int8"), {}).get("dense_macs")
                ipm = "%.1f" % (e["instructions"] / dense) if dense else "—"
                w("| %s | *emlearn float (%s)* | %s | %s | %s | %s | %s | %s |"
                  % (m, e["method"], pct(e["accuracy"]), points(e["accuracy"], ctx.info[m]["accuracy"]), kb(e["flash"]),
                     kb(e["ram"]), kb(round(e["instructions"])), ipm))
    w("")
    if any(ctx.recurrent[m] for m in models):
        w("GRU and LSTM layers stay float32 in Topiary's int8 mode (only Dense and convolution kernels are pruned and "
          "quantized), and the per-layer table counts multiply-adds of those kernels only, so *per nonzero MAC* is "
          "left out for the recurrent models.\n")

    w("## Details per model\n")
    w("*Format*: sparsity over pruned kernels as `topiary convert` reports it. *weights*: bytes of weights + indices "
      "+ per-channel metadata from its table. *C top-1*: the compiled C on the host.\n")
    for m in models:
        info = ctx.info[m]
        w("### %s (%s, %s parameters, Keras top-1 %s)\n" % (m, info["file"], kb(info["count_params"]), pct(info["accuracy"])))
        w("| variant | options | top-1 | C top-1 | flash: text + rodata + data | RAM: bss + data | arena | weights (B) | sparsity | nonzero MACs | instr / inference | instr / MAC | convert (wall) |")
        w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for key, label, _ in variants:
            r = by.get((m, key))
            if r is None:
                continue
            if "skipped" in r or "error" in r:
                w("| %s | `%s` | %s |||||||||||" % (label, r.get("options", ""), "n/a: " + r["skipped"] if "skipped" in r
                                                    else "**failed**: " + r["error"]))
                continue
            note = ""
            if key == "ch30":
                note = " (%d channels removed)" % r["removed_channels"]
            ipm = "%.2f" % r["instructions_per_mac"] if r.get("instructions_per_mac") and not ctx.recurrent[m] else "—"
            macs = r.get("nonzero_macs", r.get("dense_macs"))
            if key == "float":
                macs = by.get((m, "int8"), {}).get("dense_macs")
            w("| %s%s | `%s` | %d/%d | %d/%d | %s = %s + %s + %s | %s = %s + %s | %s | %s | %s | %s | %s | %s | %.2f s |"
              % (label, note, r["options"] or "(none)", r["correct"], r["total"], r["c_correct"], r["inferences"],
                 kb(r["flash"]), kb(r["text"]), kb(r["rodata"]), kb(r["data"]), kb(r["ram"]), kb(r["bss"]), kb(r["data"]),
                 kb(r["arena"]) if r.get("arena") is not None else "?",
                 kb(r["weight_bytes"]) if r.get("weight_bytes") else kb(r.get("float_bytes") or by.get((m, "int8"), {}).get("float_bytes", 0)) + " (float32)",
                 r.get("sparsity", "0%"), kb(macs) if macs else "?", kb(round(r["instructions"])), ipm, r["convert_seconds"]))
        w("")

    w("## Peers\n")
    w("**TensorFlow Lite**, int8 post-training quantization of the same Keras file: "
      "`tf.lite.TFLiteConverter.from_keras_model(keras.models.load_model(FILE))`, `optimizations=[Optimize.DEFAULT]`, "
      "`representative_dataset` = the same %d calibration samples, `supported_ops=[TFLITE_BUILTINS_INT8]`, int8 input "
      "and output; accuracy through `tf.lite.Interpreter` on the same held-out samples. The flatbuffer holds the weights "
      "and the graph; on a microcontroller TFLite Micro's interpreter comes on top: its published footprint is about "
      "10 KB of flash on a Cortex-M3 (the `memory_footprint` example), a fixed cost quoted here, not measured, and "
      "without the op kernels a model pulls in.\n" % CALIBRATION_ROWS)
    w("**TFLite Micro**: the same flatbuffer run by TFLite Micro's interpreter from the `tflite-micro` wheel (its "
      "reference kernels, compiled for x86-64 by the wheel's build, not by this benchmark) on the same %d samples under "
      "`valgrind --tool=callgrind --toggle-collect='%s'`: instructions per inference, the arena its allocator reports "
      "(`print_allocations`: total = the `tensor_arena` a firmware must provide), and top-1.\n" % (ctx.inferences, TFLM_ENTRY))
    w("| model | TFLite top-1 | vs Keras (points) | flatbuffer (B) | + ~10 KB runtime (B) | TFLite Micro top-1 | TFLite Micro arena (B) | TFLite Micro instr / inference | Topiary int8 dense: top-1 | flash (B) | RAM (B) | instr / inference |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m in models:
        t = tflite.get(m)
        if t is None:
            continue
        ours = by.get((m, "int8"), {})
        if "accuracy" in ours:
            mine = "%s | %s | %s | %s" % (pct(ours["accuracy"]), kb(ours["flash"]), kb(ours["ram"]), kb(round(ours["instructions"])))
        else:
            mine = "— | — | — | —"
        if "error" in t:
            w("| %s | failed: %s | | | | | | | %s |" % (m, t["error"].replace("|", "/"), mine))
            continue
        u = t.get("tflm", {})
        if "instructions" in u:
            micro = "%s | %s | %s" % (pct(u["accuracy"]), kb(u["arena"]) if u.get("arena") else "?", kb(round(u["instructions"])))
        else:
            micro = "failed: %s | | " % u.get("error", "not run").replace("|", "/")
        w("| %s | %s | %s | %s | %s | %s | %s |" % (m, pct(t["accuracy"]), points(t["accuracy"], ctx.info[m]["accuracy"]),
                                                   kb(t["bytes"]), kb(t["bytes"] + TFLM_RUNTIME_BYTES), micro, mine))
    w("")
    w("**emlearn** (Dense-only models): `emlearn.convert(model, method=...)` then `.save(file=NAME.h, name=NAME)`, "
      "compiled and counted exactly like Topiary's C (its header in its own translation unit with `-I emlearn.includedir`; "
      "entry point `NAME_predict(values, length)`, which returns the class).\n")
    w("| model | method | top-1 (C) | vs Keras (points) | flash: text + rodata + data | RAM | instr / inference | Topiary float flash | Topiary float instr / inference | notes |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for m in models:
        e = emlearn.get(m)
        if e is None:
            continue
        ours = by.get((m, "float"), {})
        if "error" in e:
            w("| %s | — | failed | | | | | | | %s |" % (m, e["error"]))
            continue
        w("| %s | %s | %d/%d = %s | %s | %s = %s + %s + %s | %s | %s | %s | %s | %s |"
          % (m, e["method"], e["correct"], e["total"], pct(e["accuracy"]), points(e["accuracy"], ctx.info[m]["accuracy"]),
             kb(e["flash"]), kb(e["text"]), kb(e["rodata"]), kb(e["data"]), kb(e["ram"]), kb(round(e["instructions"])),
             kb(ours.get("flash", 0)), kb(round(ours.get("instructions", 0))), "; ".join(e.get("notes", [])) or ""))
    w("")

    w("## Scale: converting 1M- and 10M-parameter MLPs\n")
    w("Random-weight Keras MLPs (1024 inputs, Dense(1024, relu) layers, Dense(10, softmax)), made in the venv and "
      "saved under the work folder; converted with `topiary convert MODEL.h5 -o DIR --name big --quantize int8 "
      "--sparsity 0.9 --calibration RANDOM.npy` (200 random normal rows). Time and peak memory from `/usr/bin/time -v` "
      "(*Maximum resident set size* covers topiary and the compiler it runs to measure flash). *Converter alone*: the "
      "same command with the ARM toolchain hidden from PATH, so topiary skips compiling the C.\n")
    w("| model | parameters | float32 bytes | convert wall | peak RSS | RSS / float32 | converter alone: wall | peak RSS | RSS / float32 | (RSS − fixed) / float32 | NAME.c bytes | weights + indices + metadata |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    flagged = []
    for r in scale["rows"]:
        if "error" in r:
            w("| %s | failed: %s |||||||||||" % (r["size"], r["error"]))
            continue
        w("| %s | %s | %s | %.1f s | %.1f MB | %.1f× | %.1f s | %.1f MB | %.1f× | %.1f× | %s | %s |"
          % (r["size"], kb(r["params"]), kb(r["float_bytes"]), r["seconds"], r["rss"] / 1e6, r["ratio"],
             r["alone_seconds"], r["alone_rss"] / 1e6, r["alone_ratio"], r["marginal_ratio"], kb(r["c_bytes"]),
             kb(r.get("weight_bytes", 0))))
        if r["ratio"] > RSS_FLAG:
            flagged.append(r)
    w("")
    w("Fixed cost, measured in the same run with the toolchain hidden: `topiary --help` peaks at %.1f MB (the Swift "
      "runtime, Foundation and libhdf5 mapped in), and converting the 6.6k-parameter digits MLP with the same options at "
      "%.1f MB. *(RSS − fixed) / float32* subtracts the latter.\n" % (scale["help_rss"] / 1e6, scale["small_rss"] / 1e6))
    if flagged:
        for r in flagged:
            w("**Flag**: peak RSS for %s is %.1f× the model's float32 size (threshold %g×). Of its %.1f MB, %.1f MB is what "
              "converting the 6.6k-parameter sample already takes; the converter's use above that is %.1f MB = %.1f× the "
              "float32 weights%s.\n"
              % (r["size"], r["ratio"], RSS_FLAG, r["rss"] / 1e6, scale["small_rss"] / 1e6,
                 (r["alone_rss"] - scale["small_rss"]) / 1e6, r["marginal_ratio"],
                 ", so most of the excess is a fixed cost, not memory that grows with the model"
                 if r["marginal_ratio"] <= RSS_FLAG else ", which grows with the model"))
            heap = r.get("massif", {})
            if "peak_heap" in heap:
                w("Heap of the converter alone at its peak (valgrind `--tool=massif` on the same command): %.1f MB = %.1f× "
                  "the float32 weights; the rest of the RSS is the code and data of the Swift runtime, Foundation and "
                  "libhdf5 (compare `topiary --help`). The allocations live at the peak, by the first frame in "
                  "Topiary's own modules:\n" % (heap["peak_heap"] / 1e6, heap["peak_heap"] / r["float_bytes"]))
                w("| bytes | × float32 | allocated by |")
                w("|---:|---:|---|")
                for site in heap["sites"]:
                    w("| %s | %.2f | %s |" % (kb(site["bytes"]), site["bytes"] / r["float_bytes"], site["site"].replace("|", "/")))
                w("")
            elif "error" in heap:
                w("(massif could not profile %s: %s)\n" % (r["size"], heap["error"]))
    else:
        w("No model exceeds %g× its float32 size in peak RSS.\n" % RSS_FLAG)

    w("## Plots\n")
    w("![accuracy against flash](accuracy_vs_flash.svg)\n")
    w("*accuracy_vs_flash.svg*: top-1 against flash bytes (log scale) per model; Topiary's variants as circles, the "
      "Keras float accuracy dashed, TFLite int8 as triangles (hollow: flatbuffer alone; filled: + ~10 KB runtime), "
      "emlearn as a diamond.\n")
    w("![instructions against sparsity](instructions_vs_sparsity.svg)\n")
    w("*instructions_vs_sparsity.svg*: host instructions per inference (log scale) of `NAME_predict_int8` at 0, 50, 80 "
      "and 90% per-layer sparsity; hollow squares: the float32 dense `NAME_predict`; diamond: emlearn; hollow triangles: TFLite Micro's reference "
      "int8 kernels on the TFLite flatbuffer (dense).\n")

    w("## Reproduce\n")
    w("```sh\nmake bench                 # full run, rewrites bench/RESULTS.md and the plots\n"
      "BENCH_QUICK=1 make bench   # smoke run (mlp and cnn, 4 variants, 40 inferences, 1M scale model) into bench/work/quick/\n```\n")
    w("Work files (generated C, venv, scale models, callgrind outputs) go to `bench/work/` (not committed). A peer that "
      "cannot be installed or fails is noted in its table and skipped.")
    with open(path, "w") as f:
        f.write(("\n".join(out) + "\n").replace(ROOT + "/", ""))


def plots(ctx, rows, tflite, emlearn, out_dir):
    by = {(r["model"], r["variant"]): r for r in rows if "error" not in r and "skipped" not in r}
    models = [m for m in ctx.models if (m, "float") in by]
    variants = [v for v in VARIANTS if v[0] in ctx.variants]
    colors = {key: svgplot.PALETTE[i] for i, (key, _, _) in enumerate(variants)}
    peer_color = "#333333"
    panels = []
    for m in models:
        xs = [by[(m, k)]["flash"] for k, _, _ in variants if (m, k) in by]
        ys = [by[(m, k)]["accuracy"] for k, _, _ in variants if (m, k) in by]
        t = tflite.get(m)
        e = emlearn.get(m)
        if t and "bytes" in t:
            xs += [t["bytes"], t["bytes"] + TFLM_RUNTIME_BYTES]
            ys += [t["accuracy"]]
        if e and "flash" in e:
            xs.append(e["flash"])
            ys.append(e["accuracy"])
        ys.append(ctx.info[m]["accuracy"])
        lo = min(ys)
        lo = min(0.9, (int(lo * 10) / 10.0))
        panel = svgplot.Panel(m, svgplot.Axis(min(xs), max(xs), log=True, label="flash bytes (Cortex-M4, -Os)"),
                              svgplot.Axis(lo, 1.0, label="top-1", percent=True))
        panel.hline(ctx.info[m]["accuracy"], "#555555", "Keras float")
        for key, _, _ in variants:
            r = by.get((m, key))
            if r:
                panel.points([r["flash"]], [r["accuracy"]], colors[key])
        if t and "bytes" in t:
            panel.segment(t["bytes"], t["accuracy"], t["bytes"] + TFLM_RUNTIME_BYTES, t["accuracy"], peer_color)
            panel.points([t["bytes"]], [t["accuracy"]], peer_color, shape="triangle", filled=False)
            panel.points([t["bytes"] + TFLM_RUNTIME_BYTES], [t["accuracy"]], peer_color, shape="triangle")
        if e and "flash" in e:
            panel.points([e["flash"]], [e["accuracy"]], "#b8860b", shape="diamond")
        if t and "error" in t:
            panel.note("TFLite int8: conversion failed")
        panels.append(panel)
    legend = [("Topiary " + label, colors[key], "circle", True) for key, label, _ in variants]
    legend += [("TFLite int8 flatbuffer", peer_color, "triangle", False),
               ("TFLite int8 + ~10 KB runtime", peer_color, "triangle", True),
               ("emlearn float", "#b8860b", "diamond", True)]
    svgplot.figure(os.path.join(out_dir, "accuracy_vs_flash.svg"), panels, columns=min(4, len(panels)), legend=legend,
                   caption="Top-1 on held-out digits against flash bytes; dashed: Keras float accuracy.")

    keys = [k for k in ("int8", "s50", "s80", "s90") if k in ctx.variants]
    all_y = [by[(m, k)]["instructions"] for m in models for k in keys + ["float"] if (m, k) in by]
    all_y += [e["instructions"] for e in emlearn.values() if "instructions" in e]
    all_y += [t["tflm"]["instructions"] for t in tflite.values() if "instructions" in t.get("tflm", {})]
    panel = svgplot.Panel("Instructions per inference against sparsity",
                          svgplot.Axis(-0.06, 0.9, label="per-layer sparsity (int8; the dense references at 0% are spread sideways)", percent=True),
                          svgplot.Axis(min(all_y), max(all_y), log=True, label="host instructions / inference"))
    legend = []
    for i, m in enumerate(models):
        color = svgplot.PALETTE[i % len(svgplot.PALETTE)]
        xs = [SPARSITY[k] for k in keys if (m, k) in by]
        ys = [by[(m, k)]["instructions"] for k in keys if (m, k) in by]
        panel.points(xs, ys, color, line=True)
        # Dense references at 0%, spread sideways so that they do not hide one another.
        panel.points([-0.03], [by[(m, "float")]["instructions"]], color, shape="square", filled=False)
        legend.append((m, color, "circle", True))
        e = emlearn.get(m)
        if e and "instructions" in e:
            panel.points([-0.06], [e["instructions"]], color, shape="diamond", filled=False)
        u = tflite.get(m, {}).get("tflm", {})
        if "instructions" in u:
            panel.points([0.03], [u["instructions"]], color, shape="triangle", filled=False)
    legend += [("float32 dense (Topiary)", "#555555", "square", False), ("emlearn float", "#555555", "diamond", False),
               ("TFLite Micro int8 (reference kernels)", "#555555", "triangle", False)]
    svgplot.figure(os.path.join(out_dir, "instructions_vs_sparsity.svg"), [panel], columns=1, legend=legend,
                   panel_width=720, panel_height=420,
                   caption="NAME_predict_int8, -O2, valgrind callgrind; circles: int8 at each sparsity.")


# ---------------------------------------------------------------------------------------


class Context:
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--venv-python")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    ctx = Context()
    ctx.topiary = os.path.abspath(args.topiary)
    ctx.work = os.path.abspath(args.work)
    ctx.quick = args.quick
    ctx.venv_python = os.path.abspath(args.venv_python) if args.venv_python else None
    ctx.models = QUICK_MODELS if args.quick else MODELS
    ctx.variants = QUICK_VARIANTS if args.quick else [v[0] for v in VARIANTS]
    ctx.date = datetime.date.today().isoformat()
    os.makedirs(ctx.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)

    train = np.load(os.path.join(ROOT, "samples", "data", "digits_train_x.npy"))
    ctx.info, ctx.samples, ctx.labels, ctx.recurrent = {}, {}, {}, {}
    for m in ctx.models:
        mdir = os.path.join(ROOT, "samples", "models", m)
        info = json.load(open(os.path.join(mdir, "info.json")))
        ctx.info[m] = info
        ctx.recurrent[m] = bool(info.get("recurrent"))
        os.makedirs(os.path.join(ctx.work, m), exist_ok=True)
        shape = tuple(info["input_shape"])
        cal = train[:CALIBRATION_ROWS].reshape((CALIBRATION_ROWS,) + shape).astype(np.float32)
        np.save(os.path.join(ctx.work, m, "calibration.npy"), cal)
        x = np.load(os.path.join(mdir, "input.npy")).astype(np.float32)
        raw = os.path.join(ctx.work, m, "input.f32")
        np.ascontiguousarray(x).tofile(raw)
        ctx.samples[m] = raw
        ctx.labels[m] = [int(v) for v in np.load(os.path.join(mdir, "labels.npy")).reshape(-1)]
    ctx.test_count = len(ctx.labels[ctx.models[0]])
    ctx.inferences = 40 if args.quick else ctx.test_count

    versions = {
        "topiary": first_line([ctx.topiary, "--version"]),
        "commit": first_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "swift": first_line(["swift", "--version"]),
        "cc": first_line([os.environ.get("CC", "cc"), "--version"]),
        "arm-none-eabi-gcc": first_line(["arm-none-eabi-gcc", "--version"]),
        "valgrind": first_line(["valgrind", "--version"]),
        "python": "Python " + platform.python_version() + " (bench), NumPy " + np.__version__,
        "peers": {},
    }
    if subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "Sources", "include", "codegen"]).returncode != 0:
        versions["commit"] += " (with uncommitted changes to the converter)"
    if ctx.venv_python:
        p = run([ctx.venv_python, os.path.join(HERE, "peers.py"), "versions"], cwd=ctx.work, check=False)
        try:
            versions["peers"] = last_json(p.stdout)
        except ValueError:
            versions["peers"] = {}

    rows = []
    for m in ctx.models:
        for key, label, options in VARIANTS:
            if key not in ctx.variants:
                continue
            try:
                r = topiary_variant(ctx, m, ctx.info[m], key, options)
                log("%-8s %-5s top-1 %6.2f%%  flash %7d  RAM %6d  %9.0f instr/inference  convert %.2f s"
                    % (m, key, 100 * r["accuracy"], r["flash"], r["ram"], r["instructions"], r["convert_seconds"]))
                if r.get("reported_flash") and r["reported_flash"] != r["flash"]:
                    log("  note: topiary convert reported %d bytes of flash, arm-none-eabi-size here %d" % (r["reported_flash"], r["flash"]))
                if r["inferences"] == r["total"] and r["c_correct"] != r["correct"]:
                    log("  note: the C's top-1 (%d) differs from topiary evaluate's (%d)" % (r["c_correct"], r["correct"]))
            except Exception as error:
                reason = str(error).splitlines()[0]
                r = {"model": m, "variant": key, "options": " ".join(options)}
                if any(phrase in reason for phrase in NOT_APPLICABLE):
                    log("%-8s %-5s not applicable: %s" % (m, key, reason))
                    r["skipped"] = reason
                else:
                    log("%-8s %-5s FAILED: %s" % (m, key, error))
                    r["error"] = reason
            rows.append(r)
        # Float rows: instructions per dense multiply-add, counted by the int8 dense conversion.
        dense = next((r.get("dense_macs") for r in rows if r["model"] == m and r["variant"] == "int8"), None)
        for r in rows:
            if r["model"] == m and r["variant"] == "float" and "error" not in r and dense:
                r["nonzero_macs"] = dense
                r["instructions_per_mac"] = r["instructions"] / dense

    tflite, emlearn = {}, {}
    if ctx.venv_python:
        for m in ctx.models:
            tflite[m] = tflite_peer(ctx, m, ctx.info[m])
            t = tflite[m]
            log("%-8s TFLite int8: %s" % (m, t["error"] if "error" in t else "top-1 %.2f%%, %d bytes" % (100 * t["accuracy"], t["bytes"])))
            if "tflm" in t:
                u = t["tflm"]
                log("%-8s TFLite Micro: %s" % (m, u["error"] if "error" in u else "top-1 %.2f%%, arena %s, %.0f instr/inference"
                                                % (100 * u["accuracy"], u["arena"], u["instructions"])))
            classes = {layer["class"] for layer in ctx.info[m]["layers"]}
            if classes <= {"Dense", "Dropout", "InputLayer"}:
                emlearn[m] = emlearn_peer(ctx, m, ctx.info[m])
                e = emlearn[m]
                log("%-8s emlearn: %s" % (m, e["error"] if "error" in e else "top-1 %.2f%%, flash %d, %.0f instr/inference"
                                           % (100 * e["accuracy"], e["flash"], e["instructions"])))
    else:
        log("note: no venv for the peers (see bench/run.sh's output): TFLite, emlearn and the scale models are skipped")

    if ctx.venv_python:
        scale = scale_bench(ctx)
    else:
        scale = {"rows": [{"size": s, "error": "no venv to make the model"} for s in SCALE_LAYERS], "help_rss": 0, "small_rss": 0}

    ctx.elapsed = time.perf_counter() - started
    with open(os.path.join(args.out, "results.json"), "w") as f:
        # Paths relative to the repository, so the file does not depend on where it was run.
        text = json.dumps({"topiary": rows, "tflite": tflite, "emlearn": emlearn, "scale": scale, "versions": versions},
                          indent=1, sort_keys=True)
        f.write(text.replace(ROOT + "/", "") + "\n")
    write_report(ctx, rows, tflite, emlearn, scale, versions, os.path.join(args.out, "RESULTS.md"))
    plots(ctx, rows, tflite, emlearn, args.out)
    log("wrote %s (%.0f s)" % (os.path.join(args.out, "RESULTS.md"), ctx.elapsed))
    failures = [r for r in rows if "error" in r]
    for r in failures:
        log("failed: %s %s: %s" % (r["model"], r["variant"], r["error"]))
    # A variant that fails is a finding, recorded in the report; the run itself fails only
    # when a baseline (float or int8 dense) could not be measured.
    return 1 if any(r["variant"] in ("float", "int8") for r in failures) else 0


if __name__ == "__main__":
    sys.exit(main())
