"""RESULTS.md and the SVG plots, written from the measured rows.
"""
import os
import platform

import svgplot

from measure import ARM_CC, HOST_CFLAGS, ROOT
from peer_rows import TFLM_ENTRY, TFLM_RUNTIME_BYTES
from scale import RSS_FLAG
from variants import CALIBRATION_ROWS, SPARSITY, VARIANTS


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


def peer_rows(models, peer, by, variant):
    """Each model the peer ran, in table order, with the peer's result and Topiary's row of `variant`
    beside it (empty where Topiary has none)."""
    for m in models:
        if m in peer:
            yield m, peer[m], by.get((m, variant), {})


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
    for m, t, ours in peer_rows(models, tflite, by, "int8"):
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
    for m, e, ours in peer_rows(models, emlearn, by, "float"):
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
