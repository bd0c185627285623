#!/usr/bin/env python3
"""Writes fuzz/corpus/<target>/seed-* from the conformance vectors.

Run from anywhere: `python3 fuzz/seed-corpus.py`. Reads
tests/conformance/*.json, and for `tlsrpt_report` the report vectors in
tests/data/tlsrpt-report.json and the reports in tests/data/tlsrpt-reports/;
inputs larger than 4 KiB (the generated size tests) are left out so
libFuzzer keeps its default input length.
"""
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent
VECTORS = ROOT.parent / "tests" / "conformance"
DATA = ROOT.parent / "tests" / "data"
CORPUS = ROOT / "corpus"
LIMIT = 4096


def expand(vector):
    if "input" in vector:
        return vector["input"]
    gen = vector["generate"]
    if "repeat" in gen:
        return gen.get("prefix", "") + gen["repeat"] * gen["times"] + gen.get("suffix", "")
    lines = "\n".join(gen["mx_template"].replace("{i}", str(i)) for i in range(1, gen["mx_lines"] + 1))
    return gen["base"].replace("{MX}", lines)


def load(name):
    return json.loads((VECTORS / f"{name}.json").read_text(encoding="utf-8"))


def write(target, ident, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > LIMIT:
        return
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", ident)
    (directory / f"seed-{name}").write_bytes(data)


def main():
    # Only the targets fed from the vectors; others keep hand-written seeds.
    for target in ("policy", "roundtrip", "lint", "txt", "rrset", "mx_match", "tlsrpt_report"):
        for old in (CORPUS / target).glob("seed-*"):
            old.unlink()
    policies = load("policy")
    for v in policies:
        text = expand(v)
        write("policy", v["id"], text)
        write("roundtrip", v["id"], text)
        write("lint", v["id"], text)
    for v in load("lint"):
        parts = [v["input"], v.get("domain", ""), ""]
        if "dns_mx" in v:
            parts += v["dns_mx"] or [""]
        while parts and parts[-1] == "" and "dns_mx" not in v:
            parts.pop()
        write("lint", v["id"], "\0".join(parts))
        write("policy", v["id"], v["input"])
    for v in load("txt"):
        write("txt", v["id"], expand(v))
        write("rrset", v["id"], expand(v))
    for v in load("rrset"):
        write("rrset", v["id"], "\0".join(v["records"]))
        for i, record in enumerate(v["records"]):
            write("txt", f"{v['id']}-{i}", record)
    for v in load("match"):
        for i, pattern in enumerate(v["patterns"] or ["*.example.com"]):
            write("mx_match", f"{v['id']}-{i}", f"{pattern}\n{v['host']}")
    for v in json.loads((DATA / "tlsrpt-report.json").read_text(encoding="utf-8")):
        write("tlsrpt_report", v["id"], v["input"])
    for report in sorted((DATA / "tlsrpt-reports").glob("*.json")):
        write("tlsrpt_report", report.stem, report.read_bytes())


if __name__ == "__main__":
    main()
