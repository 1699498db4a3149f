#!/usr/bin/python3
"""Convert the CORDIS H2020 participations into a coopgraph dataset directory.

Reads data/cordis-h2020/participations.csv.gz (see its SOURCE.md)
and writes nodes.csv.gz and edges.csv.gz (loader/FORMAT.md), shaped like the
output of `coopgraph gen`:

  nodes  h2020:<project_id>  Project       "H2020 project <project_id>"
         pic:<org_id>        Organisation  org_name, or "PIC <org_id>"; property country
         country:<code>      Country       the country's name; property country
  edges  pic:… PARTICIPATES_IN h2020:…  role as in CORDIS (coordinator, participant, partner)
         pic:… LOCATED_IN country:…     (11 rows have no country: no LOCATED_IN)

Subsets by country: --countries PL (or PL,CZ,SK,HU) keeps the organisations
located in those countries, the projects they take part in and those
participations only (the induced subgraph); add --with-partners to keep
every partner of those projects, wherever located.
--no-countries leaves out Country entities and LOCATED_IN relations: the
plain bipartite project-organisation graph.

The default output directory is .bench-cache/<name> at the repository root,
where <name> is cordis-h2020, then -PL-CZ-… for a subset, -partners,
-bipartite; the directory's name is printed on the last line of stdout. An
output that is already complete for the same source and options is reused
(--force rebuilds it). The files are deterministic: sorted rows, gzip
without a timestamp.

Standard library only.
"""

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import countries  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "cordis-h2020", "participations.csv.gz")
CACHE = os.path.join(REPO, ".bench-cache")
STAMP = ".cordis_dataset.json"  # hidden: the loader ignores it


def dataset_name(codes, with_partners, no_countries):
    name = "cordis-h2020"
    if codes:
        name += "-" + "-".join(codes)
        if with_partners:
            name += "-partners"
    if no_countries:
        name += "-bipartite"
    return name


def parse_codes(text):
    if not text:
        return []
    codes = []
    for part in text.replace("+", ",").split(","):
        part = part.strip().upper()
        if part and part not in codes:
            codes.append(part)
    return codes


def build(source, codes, with_partners, no_countries):
    rows = []
    with gzip.open(source, "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["project_id"].strip(), r["org_id"].strip(), r["org_name"].strip(),
                         r["country"].strip(), r["role"].strip()))
    keep = set(codes)
    if keep:
        unknown = keep - {r[3] for r in rows}
        if unknown:
            sys.exit("cordis_dataset: no organisation in %s (codes are CORDIS's: EL for Greece, UK for the United Kingdom)"
                     % ", ".join(sorted(unknown)))
        if with_partners:
            projects = {r[0] for r in rows if r[3] in keep}
            rows = [r for r in rows if r[0] in projects]
        else:
            rows = [r for r in rows if r[3] in keep]

    orgs = {}  # org_id -> (name, country)
    projects = set()
    for project, org, name, country, _ in rows:
        projects.add(project)
        old = orgs.get(org)
        if old is None or (not old[0] and name):
            orgs[org] = (name, country)
    used = sorted({c for _, c in orgs.values() if c}) if not no_countries else []

    def key(x):  # numeric ids in numeric order
        return (len(x), x)

    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow(["id", "kind", "name", "country"])
    for c in used:
        w.writerow(["country:" + c, "Country", countries.name(c), c])
    for p in sorted(projects, key=key):
        w.writerow(["h2020:" + p, "Project", "H2020 project " + p, ""])
    for o in sorted(orgs, key=key):
        name, country = orgs[o]
        w.writerow(["pic:" + o, "Organisation", name or "PIC " + o, country])

    edges = io.StringIO()
    w = csv.writer(edges, lineterminator="\n")
    w.writerow(["source", "target", "type", "role"])
    for project, org, _, _, role in sorted(rows, key=lambda r: (key(r[0]), key(r[1]))):
        w.writerow(["pic:" + org, "h2020:" + project, "PARTICIPATES_IN", role])
    located = 0
    if not no_countries:
        for o in sorted(orgs, key=key):
            if orgs[o][1]:
                w.writerow(["pic:" + o, "country:" + orgs[o][1], "LOCATED_IN", ""])
                located += 1
    counts = {
        "participations": len(rows), "projects": len(projects), "organisations": len(orgs),
        "countries": len(used), "located_in": located,
        "entities": len(projects) + len(orgs) + len(used), "relations": len(rows) + located,
    }
    return nodes.getvalue(), edges.getvalue(), counts


def write_gz(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as z:
            z.write(text.encode("utf-8"))
    os.replace(tmp, path)


def source_id(path):
    st = os.stat(path)
    return {"path": os.path.abspath(path), "size": st.st_size, "mtime": int(st.st_mtime)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", default=DEFAULT_SOURCE, help="participations.csv.gz (default: %(default)s)")
    ap.add_argument("--countries", default="", metavar="CODES",
                    help="keep only organisations of these CORDIS country codes, e.g. PL or PL,CZ,SK,HU (or PL+CZ)")
    ap.add_argument("--with-partners", action="store_true",
                    help="with --countries: keep every partner of the kept projects, wherever located")
    ap.add_argument("--no-countries", action="store_true",
                    help="leave out Country entities and LOCATED_IN relations (plain bipartite graph)")
    ap.add_argument("--out", help="output directory (default: .bench-cache/<name> at the repository root)")
    ap.add_argument("--force", action="store_true", help="rebuild even when the output is up to date")
    ap.add_argument("--quiet", action="store_true", help="print only the output directory")
    args = ap.parse_args(argv)

    codes = parse_codes(args.countries)
    if args.with_partners and not codes:
        ap.error("--with-partners needs --countries")
    name = dataset_name(codes, args.with_partners, args.no_countries)
    out = args.out or os.path.join(CACHE, name)
    options = {"countries": codes, "with_partners": args.with_partners, "no_countries": args.no_countries,
               "source": source_id(args.source), "version": 1}

    stamp_path = os.path.join(out, STAMP)
    if not args.force and os.path.exists(stamp_path):
        try:
            with open(stamp_path) as f:
                stamp = json.load(f)
        except (OSError, ValueError):
            stamp = {}
        if stamp.get("options") == options and all(
                os.path.exists(os.path.join(out, f)) for f in ("nodes.csv.gz", "edges.csv.gz")):
            if not args.quiet:
                c = stamp["counts"]
                print("up to date: %d entities, %d relations" % (c["entities"], c["relations"]), file=sys.stderr)
            print(out)
            return out

    began = time.time()
    nodes, edges, counts = build(args.source, codes, args.with_partners, args.no_countries)
    os.makedirs(out, exist_ok=True)
    if os.path.exists(stamp_path):
        os.remove(stamp_path)  # incomplete until the new stamp is written
    for stale in ("nodes.csv", "edges.csv"):
        if os.path.exists(os.path.join(out, stale)):
            os.remove(os.path.join(out, stale))
    write_gz(os.path.join(out, "nodes.csv.gz"), nodes)
    write_gz(os.path.join(out, "edges.csv.gz"), edges)
    with open(stamp_path, "w") as f:
        json.dump({"options": options, "counts": counts}, f, indent=1)
    if not args.quiet:
        print("wrote %s: %d participations, %d projects, %d organisations, %d countries "
              "(%d entities, %d relations) in %.1fs" % (
                  name, counts["participations"], counts["projects"], counts["organisations"],
                  counts["countries"], counts["entities"], counts["relations"], time.time() - began),
              file=sys.stderr)
    print(out)
    return out


if __name__ == "__main__":
    main()
