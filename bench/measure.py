"""Measurements every part of the benchmark shares: running commands, the one host C driver
(counted with callgrind), Cortex-M4 section sizes, and time and peak memory of a command; and
the command line the standalone bench scripts share.
"""
import argparse
import json
import os
import re
import subprocess


HERE = os.path.dirname(os.path.abspath(__file__))


ROOT = os.path.dirname(HERE)


ARM_CC = ["arm-none-eabi-gcc", "-std=c99", "-mcpu=cortex-m4", "-mthumb", "-Os", "-c"]


HOST_CFLAGS = ["-std=c99", "-O2"]


def log(*args):
    print(*args, flush=True)


def script_arguments(doc, work):
    """The argument parser of a standalone bench script whose docstring is `doc`: `--topiary`
    (the binary, required) and `--work` (its folder, default `work`), to which the script adds
    its own."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--topiary", required=True)
    parser.add_argument("--work", default=work)
    return parser


def recorded(row, what, measure):
    """`row` once `measure(row)` has filled it in; a failure is kept in `row["error"]` (and
    logged under `what`) rather than raised, so that the report shows it beside the rest."""
    try:
        measure(row)
    except Exception as error:
        row["error"] = str(error).splitlines()[0]
        log("%s FAILED: %s" % (what, error))
    return row


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


def arm_size(folder, source, obj, includes=()):
    """Flash (text + rodata + data) and RAM (bss + data) of `source` compiled for a Cortex-M4."""
    flags = [a for inc in includes for a in ("-I", inc)]
    run(ARM_CC + flags + [source, "-o", obj], cwd=folder)
    return parse_size(run(["arm-none-eabi-size", "-A", obj], cwd=folder).stdout)


def callgrind_total(out_file):
    """The instruction total a callgrind output file records; None when it records none."""
    total = None
    with open(out_file) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                total = int(line.split()[1])
    return total


def callgrind(folder, program, entry, args, tag):
    """Instructions executed inside `entry` (and what it calls) over one run of `program`."""
    out_file = os.path.join(folder, "callgrind.%s.out" % tag)
    p = run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file,
             "--toggle-collect=" + entry, program] + args, cwd=folder)
    total = callgrind_total(out_file)
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


def time_v(cmd, env=None):
    p = run(["/usr/bin/time", "-v"] + cmd, env=env)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) * 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", p.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, rss, p.stdout
