"""Topiary's text output, for the commands that have no --json yet (evaluate, convert): every
regular expression over Topiary's output lives here, so it goes when those commands gain JSON.
"""
import re


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
