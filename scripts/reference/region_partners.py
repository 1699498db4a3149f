#!/usr/bin/python3
"""Region partners computed from a dataset's raw rows, independently of the
engine (graph/regionpartners.go): the reference its tests compare with.
Standard library only.

Two inputs:

  * a coopgraph dataset in CSV form (nodes.csv, edges.csv):

        /usr/bin/python3 scripts/reference/region_partners.py \\
            --dataset graph/testdata/regionpartners --region nuts:PL21 --level 2

    --fixture writes graph/testdata/regionpartners/expected.json, the
    answers to every query graph/regionpartners_test.go asks (which runs
    --print-fixture to check the file is current);

  * keep.eu's published CSV files (comma- or semicolon-separated, as
    data/keep-interreg ships them, gzip or not):

        /usr/bin/python3 scripts/reference/region_partners.py \\
            --keep data/keep-interreg/partnerships-2014-2020-closed.csv.gz \\
            --region PL21 --level 2

    A project is Programme + Acronym; a partner row is placed at its most
    detailed NUTS field ("PL213  / Miasto Kraków"), a region at level L is
    the first 2+L characters of a code (level 0: the country, "country:PL"),
    so that the NUTS prefix is the hierarchy (as in every NUTS version).

    --one-place places each partner (one per country code and spelling,
    as the import's ids) where its first row with a NUTS code places it,
    as the import locates an organisation once; --same-as FILE (lines of
    tab-separated partner ids that are one organisation, e.g. the linked
    network's merges) gives the partners of a line every place of each
    (graph/regionpartners_linked_test.go explains why).

The rules, as RegionPartners documents them: the participants of region R
are the entities located in R or below it (and R and the places below it
themselves); their projects (within --from/--to years, of --programme);
every other participant of those projects is placed at --level above where
it is located; a partner region's count is its number of distinct projects.
R, the regions inside R and those containing R are no partners. Order:
projects descending, then name (code-point order), then id.

Output: JSON, a list of {"region", "name", "projects", "projectList",
"programmes"}; with --keep also "projectIds", the projects' ids as the
import makes them ("keep:" + slugs of Programme and Acronym).
"""

import argparse
import csv
import datetime
import gzip
import io
import json
import os
import sys
import unicodedata

PLACE_KINDS = {"Region", "Country", "City"}


def read_csv(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
        text = f.read()
    header = text.split("\n", 1)[0]
    delim = ";" if header.count(";") > header.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delim))


def day(date, last):
    """First (or last) day of a YYYY, YYYY-MM or YYYY-MM-DD date."""
    if not date:
        return datetime.date.max if last else datetime.date.min
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0], 12, 31) if last else datetime.date(parts[0], 1, 1)
    if len(parts) == 2:
        if not last:
            return datetime.date(parts[0], parts[1], 1)
        nxt = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return nxt - datetime.timedelta(days=1)
    return datetime.date(*parts)


def overlaps(start, end, lo, hi):
    """Whether [start, end] meets the years lo..hi (None: open)."""
    wfrom = day(lo, False) if lo else datetime.date.min
    wto = day(hi, True) if hi else datetime.date.max
    return day(start, False) <= wto and day(end, True) >= wfrom


def rank(rows):
    rows.sort(key=lambda r: (-r["projects"], r["name"].encode("utf-8"), r["region"].encode("utf-8")))
    return rows


# ----------------------------------------------------------------- dataset


class Dataset:
    def __init__(self, directory):
        self.kind, self.name, self.props = {}, {}, {}
        for row in read_csv(os.path.join(directory, "nodes.csv")):
            i = row["id"]
            self.kind[i], self.name[i] = row["kind"], row["name"]
            self.props[i] = {k: v for k, v in row.items() if k not in ("id", "kind", "name", "aliases", "documents") and v}
        self.edges = read_csv(os.path.join(directory, "edges.csv"))

    def up(self, x):
        """The places x lies in directly."""
        out = set()
        for e in self.edges:
            if e["source"] != x or e["target"] == x or self.kind.get(e["target"]) not in PLACE_KINDS:
                continue
            if e["type"] == "PART_OF" or (e["type"] == "LOCATED_IN" and self.kind[x] == "City"):
                out.add(e["target"])
        return out

    def closure(self, x):
        """x and every place above it."""
        seen, todo = {x}, [x]
        while todo:
            for p in self.up(todo.pop()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        return seen

    def level(self, x):
        if self.kind[x] == "Country":
            return 0
        if self.kind[x] == "Region":
            p = self.props[x]
            if p.get("level"):
                return int(p["level"])
            if p.get("nuts"):
                return len(p["nuts"]) - 2
        return None

    def partners(self, region, level, lo=None, hi=None, programmes=()):
        inside = {x for x in self.kind if self.kind[x] in PLACE_KINDS and region in self.closure(x)}
        own = set(inside)
        for e in self.edges:
            if e["type"] == "LOCATED_IN" and e["target"] in inside and self.kind[e["source"]] not in PLACE_KINDS:
                own.add(e["source"])
        excluded = inside | self.closure(region)

        allowed = None
        if programmes:
            allowed = {p for p in self.kind if self.kind[p] == "Programme" and self.closure_programme(p) & set(programmes)}
        funded = {}
        for e in self.edges:
            if e["type"] == "FUNDED_BY" and self.kind[e["target"]] == "Programme":
                funded.setdefault(e["source"], set()).add(e["target"])

        def counted(e):
            return (e["type"] == "PARTICIPATES_IN" and self.kind[e["target"]] == "Project"
                    and overlaps(e["start"], e["end"], lo, hi)
                    and (allowed is None or funded.get(e["target"], set()) & allowed))

        projects = {e["target"] for e in self.edges if counted(e) and e["source"] in own}
        found = {}
        for e in self.edges:
            if not counted(e) or e["target"] not in projects or e["source"] in own:
                continue
            x = e["source"]
            places = {x} if self.kind[x] in PLACE_KINDS else {
                l["target"] for l in self.edges
                if l["type"] == "LOCATED_IN" and l["source"] == x and self.kind[l["target"]] in PLACE_KINDS}
            for p in places:
                for a in self.closure(p):
                    if self.level(a) == level and a not in excluded:
                        found.setdefault(a, set()).add(e["target"])
        return rank([{"region": r, "name": self.name[r], "projects": len(ps), "projectList": sorted(ps),
                      "programmes": sorted(set().union(*(funded.get(p, set()) for p in ps)))}
                     for r, ps in found.items()])

    def closure_programme(self, p):
        seen, todo = {p}, [p]
        while todo:
            x = todo.pop()
            for e in self.edges:
                if e["source"] == x and e["type"] == "PART_OF" and self.kind[e["target"]] == "Programme" and e["target"] not in seen:
                    seen.add(e["target"])
                    todo.append(e["target"])
        return seen


# ------------------------------------------------------------------ keep.eu


def nuts_code(cell):
    """"PL213  / Miasto Kraków" -> ("PL213", "Miasto Kraków")."""
    if not cell or "/" not in cell:
        return None, None
    code, label = cell.split("/", 1)
    code = code.strip().upper()
    return (code, label.strip()) if code else (None, None)


FOLD_SPECIAL = {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
                "þ": "th", "ı": "i", "ħ": "h", "ŀ": "l", "ŧ": "t"}


def slug(text):
    """The id form of a cell as the import writes it (loader/cells.go): the
    words of the text folded (lower case, no diacritics) joined by "-", a
    letter outside ASCII written as u + its code point in hex."""
    folded = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            continue
        ch = ch.lower()
        folded.append(FOLD_SPECIAL.get(ch, ch))
    words, word = [], []
    for ch in "".join(folded):
        if unicodedata.category(ch)[0] in "LN" and unicodedata.category(ch) not in ("Nl", "No") or ch.isdigit():
            word.append(ch if ord(ch) < 0x80 else "u%x" % ord(ch))
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return "-".join(words)


def fit_id(i):
    """An id past 200 bytes: its first 183 bytes and its FNV-64a hash."""
    b = i.encode("utf-8")
    if len(b) <= 200:
        return i
    h = 0xcbf29ce484222325
    for x in b:
        h = ((h ^ x) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%s-%016x" % (b[:183].decode("utf-8", "ignore").rstrip("-/"), h)


def keep_id(*cells):
    return fit_id("keep:" + "/".join(x for x in (slug(c) for c in cells) if x))


def keep_partners(paths, region, level, lo=None, hi=None, programmes=(), one_place=False, same_as=None):
    """Region partners from keep.eu's rows. By default each row places its
    partner at the row's own NUTS code. With one_place, a partner (one id
    per country code and spelling, as the import makes it) is placed where
    its first row with a NUTS code places it (and in its country when rows
    without one came first), as the import locates an organisation once;
    with same_as (lists of partner ids that are one organisation) the
    partners of a list share their places."""
    region = region.split(":", 1)[-1].upper()
    names = {}
    rows = []
    places = {}  # partner id -> the codes it is placed at (one_place)
    for path in paths:
        for row in read_csv(path):
            def col(*names_):
                for n in names_:
                    if n in row:
                        return (row[n] or "").strip()
                return ""
            programme, acronym = col("Programme"), col("Acronym")
            code = None
            for field in (("NUTS3 (or equivalent)", "NUTS3..or.equivalent."),
                          ("NUTS2 (or equivalent)", "NUTS2..or.equivalent."),
                          ("NUTS1 (or equivalent)", "NUTS1..or.equivalent.")):
                c, label = nuts_code(col(*field))
                if c:
                    names.setdefault(c, label)
                    code = code or c
            cc = col("Country code", "Country.code").split(" ")[0].upper()
            partner = keep_id(cc, col("Project Partner", "Project.Partner"))
            got = places.setdefault(partner, [])
            if code and len(code) > 2:
                if not any(len(c) > 2 for c in got):
                    got.append(code)
            elif cc and not got:
                got.append(cc)
            if not code:
                code = cc or None
            years = programme.replace("\u2013", "-").split(" ")
            start, end = (years[0], years[2]) if len(years) > 2 and years[1] == "-" else ("", "")
            if lo or hi:
                if not overlaps(start, end, lo, hi):
                    continue
            if programmes and programme not in programmes:
                continue
            rows.append((programme + "|" + acronym, programme, partner, code))
    if one_place:
        group = {}
        for ids in same_as or ():
            for i in ids:
                group[i] = ids[0]
        shared = {}
        for partner, codes in places.items():
            shared.setdefault(group.get(partner, partner), set()).update(codes)
        rows = [(p, prog, partner, c) for p, prog, partner, _ in rows
                for c in sorted(shared[group.get(partner, partner)]) or [None]]
    own = {partner for _, _, partner, c in rows if c and c.startswith(region)} if one_place else set()
    own_projects = {p for p, _, partner, c in rows if partner in own or c and c.startswith(region)}
    found, progs = {}, {}
    for project, programme, partner, code in rows:
        if project not in own_projects or partner in own or not code or code.startswith(region) or len(code) < 2 + level:
            continue
        r = code[:2 + level]
        if region.startswith(r):
            continue
        found.setdefault(r, set()).add(project)
        progs.setdefault(r, set()).add(programme)
    out = []
    for r, ps in found.items():
        rid = "country:" + r if level == 0 else "nuts:" + r
        out.append({"region": rid, "name": names.get(r, r), "projects": len(ps), "projectList": sorted(ps),
                    "projectIds": sorted({keep_id(*p.split("|", 1)) for p in ps}), "programmes": sorted(progs[r])})
    return rank(out)


# ----------------------------------------------------------------- fixture

# The queries graph/regionpartners_test.go asks of graph/testdata/regionpartners.
FIXTURE_QUERIES = [
    {"region": "nuts:PL21", "level": 2},
    {"region": "nuts:PL21", "level": 0},
    {"region": "nuts:PL21", "level": 3},
    {"region": "nuts:PL2", "level": 1},
    {"region": "nuts:PL213", "level": 2},
    {"region": "country:PL", "level": 2},
    {"region": "nuts:ES51", "level": 2},
    {"region": "nuts:PL21", "level": 2, "from": "2019", "to": "2020"},
    {"region": "nuts:PL21", "level": 2, "programmes": ["prog:interreg"]},
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", help="a dataset directory with nodes.csv and edges.csv")
    ap.add_argument("--keep", nargs="+", help="keep.eu CSV files")
    ap.add_argument("--region")
    ap.add_argument("--level", type=int, default=2)
    ap.add_argument("--from", dest="lo", help="first year")
    ap.add_argument("--to", dest="hi", help="last year")
    ap.add_argument("--programme", action="append", default=[])
    ap.add_argument("--one-place", action="store_true",
                    help="keep.eu: place each partner where its first row with a NUTS code does, as the import does")
    ap.add_argument("--same-as", help="keep.eu: a file of partner ids that are one organisation, tab-separated, a line each "
                    "(implies --one-place)")
    ap.add_argument("--fixture", action="store_true", help="write graph/testdata/regionpartners/expected.json")
    ap.add_argument("--print-fixture", action="store_true", help="print what --fixture writes (the Go test compares)")
    a = ap.parse_args()
    if a.fixture or a.print_fixture:
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        d = os.path.join(root, "graph", "testdata", "regionpartners")
        ds = Dataset(d)
        cases = [dict(q, want=ds.partners(q["region"], q["level"], q.get("from"), q.get("to"), q.get("programmes", ())))
                 for q in FIXTURE_QUERIES]
        text = json.dumps(cases, ensure_ascii=False, indent=1) + "\n"
        if a.print_fixture:
            sys.stdout.write(text)
        else:
            with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
                f.write(text)
        return
    if not a.region:
        ap.error("--region is required")
    if a.dataset:
        out = Dataset(a.dataset).partners(a.region, a.level, a.lo, a.hi, a.programme)
    elif a.keep:
        same_as = None
        if a.same_as:
            with open(a.same_as, encoding="utf-8") as f:
                same_as = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        out = keep_partners(a.keep, a.region, a.level, a.lo, a.hi, a.programme,
                            one_place=a.one_place or bool(same_as), same_as=same_as)
    else:
        ap.error("give --dataset or --keep")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
