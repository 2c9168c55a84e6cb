"""Topiary's own machine-readable output (`--json`), read as JSON rather than parsed as text."""
import json

from measure import run


def profile(topiary, model, inputs, options, samples, target):
    """`topiary profile --json`: instructions per inference and per layer on the emulated core,
    the model's flash and RAM, and whether its outputs equal the Swift reference."""
    p = run([topiary, "profile", model, "--input", inputs, "--samples", str(samples), "--target", target, "--json"] + options)
    # Compression may print notes before the report; the report is the last JSON object.
    return json.loads(p.stdout[p.stdout.index("{\n"):])
