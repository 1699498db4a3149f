#!/usr/bin/env python3
"""Draw the labelled sample of record pairs that measures link's name resolution.

    python3 scripts/linkpairs.py > /tmp/candidates.csv

Reads the raw sources (keep.eu's two partner tables, CORDIS participations
with organisation names, the seed's organisations), builds candidate pairs
the way a reviewer would look for duplicates -- two organisation records of
one country sharing a rare word (at most 50 records) -- and scores them with
difflib's ratio of the folded names, a similarity independent of link's own
score. It then draws, with a fixed seed, SAMPLE_PER_BAND pairs from each
band of that similarity, and appends the hard cases listed in HARD (near
names in one town, one acronym, departments of one university, regions and
their governments). Ids follow the contract: keep: + country code + the
folded words of the name, pic:NNN for CORDIS, the seed's ids.

The output has the columns of link/testdata/labelled-pairs.csv with `same`
empty; the labels (and notes) are written by a person reading each pair.
"""
import csv
import difflib
import glob
import gzip
import os
import random
import re
import sys
import unicodedata

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SEED = 15
SAMPLE_PER_BAND = 60
BANDS = [(0.95, 1.01), (0.85, 0.95), (0.75, 0.85), (0.6, 0.75), (0.4, 0.6)]
SPECIAL = {"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
           "þ": "th", "ı": "i", "ħ": "h", "ŀ": "l", "ŧ": "t"}
STOP = {"the", "of", "and", "for", "in", "w", "de", "la", "di", "del", "der", "und", "z", "im", "s", "a", "e"}

# Hard cases: (a, b) as ids; pairs a reviewer must get right.
HARD = [
    ("keep:pl-cracow-university-of-technology", "keep:pl-cracow-university-of-economics"),
    ("umwm", "keep:pl-association-of-communes-and-cities-of-malopolska-region"),
    ("umwm", "keep:pl-malopoland-region"),
    ("umwm", "keep:pl-the-malopolska-region"),
    ("umwm", "keep:pl-wojewodztwo-malopolskie"),
    ("umwm", "keep:pl-marshal-office-of-the-malopoland-region"),
    ("umwm", "keep:pl-marshal-office-of-the-malpolska-region"),
    ("umwm", "dpr-malopolskie"),
    ("umwm", "sejmik-malopolskie"),
    ("umwm", "keep:pl-wojewodztwo-malopolskie-zarzad-drog-wojewodzkich-w-krakowie"),
    ("agh", "pic:999844573"),
    ("agh", "keep:pl-agh-university-of-science-and-technology"),
    ("pic:999642716", "keep:pl-jagiellonian-university"),
    ("pic:998501705", "keep:pl-mineral-energy-economy-research-institute-of-polish-academy-of-sciences"),
    ("keep:pl-cracow-university-of-economics", "keep:pl-malopolska-school-of-public-administration-cracow-university-of-economics"),
    ("keep:pl-malopolska-school-of-public-administration-cracow-university-of-economics",
     "keep:pl-cracow-university-of-economics-the-malopoland-school-of-public-administration"),
    ("keep:pl-institute-of-urban-development-krakow", "keep:pl-irm-institute-of-urban-development"),
    ("keep:pl-institute-of-urban-development-krakow", "keep:pl-iud-institute-of-urban-development"),
    ("keep:pl-municipality-of-krakow", "keep:pl-city-of-krakov"),
    ("keep:pl-municipality-of-krakow", "keep:pl-krakow"),
    ("keep:pl-municipality-of-krakow", "keep:pl-museum-of-municipal-engineering-in-krakow"),
    ("keep:pl-gmina-nowy-targ", "keep:pl-gmina-miasto-nowy-targ"),
    ("keep:pl-zwiazek-euroregion-tatry", "keep:pl-europejskie-ugrupowanie-wspolpracy-terytorialnej-tatry-z-o-o"),
    ("keep:pl-chamber-of-commerce-and-industry-cracow", "keep:pl-cracow-chamber-of-commerce-and-industry"),
    ("keep:pl-university-of-agriculture-in-krakow", "keep:pl-cracow-university-of-technology"),
    ("keep:pl-polish-academy-of-sciences-institute-of-nature-conservation",
     "keep:pl-mineral-energy-economy-research-institute-of-polish-academy-of-sciences"),
    ("keep:pl-marshal-office-of-the-wielkopolska-region", "keep:pl-marshal-office-of-the-malopoland-region"),
    ("keep:pl-muzeum-narodowe-w-krakowie", "keep:pl-archaeological-museum-in-krakow"),
    ("keep:pl-miasto-i-gmina-szczawnica", "keep:pl-urzad-miasta-i-gminy-szczawnica"),
    ("keep:pl-powiat-gorlicki", "keep:pl-administrative-district-of-gorlice"),
    ("keep:pl-universitat-zielona-gora", "keep:pl-municipality-of-zielona-gora"),
    ("keep:pl-universitat-zielona-gora", "keep:pl-university-of-zielona-gora"),
]


def fold(s):
    out = []
    for ch in unicodedata.normalize("NFD", s):
        if unicodedata.category(ch) == "Mn":
            continue
        ch = ch.lower()
        out.append(SPECIAL.get(ch, ch))
    return "".join(out)


def tokens(s):
    return [t for t in re.split(r"[^\w]|_", fold(s)) if t]


def slug(cc, name):
    return "keep:" + cc.lower() + "-" + "-".join(tokens(name))


def records():
    recs = {}
    keep = os.path.join(ROOT, "data", "keep-interreg")
    for path, sep in (("partners-2000-2020.csv.gz", ","), ("partnerships-2014-2020-closed.csv.gz", ";")):
        with gzip.open(os.path.join(keep, path), "rt", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter=sep):
                row = {re.sub(r"[. ]+", " ", k).strip(): v for k, v in row.items()}
                name = (row.get("Project Partner") or "").strip()
                cc = (row.get("Country code") or "").split(" ")[0]
                if name and cc:
                    recs.setdefault(slug(cc, name), (name, cc, (row.get("Town") or "").strip()))
    with gzip.open(os.path.join(ROOT, "data", "cordis-h2020", "participations.csv.gz"), "rt") as f:
        for row in csv.DictReader(f):
            if row["org_name"]:
                recs.setdefault("pic:" + row["org_id"], (row["org_name"], row["country"], ""))
    for path in glob.glob(os.path.join(ROOT, "data", "seed", "*.yaml")):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
        for e in doc.get("entities") or []:
            if e.get("kind") == "Organisation":
                props = e.get("properties") or {}
                recs[e["id"]] = (e["name"], props.get("country", "PL"), props.get("city", ""))
    return recs


def candidates(recs):
    by_country = {}
    for rid, (name, cc, _) in recs.items():
        by_country.setdefault(cc, []).append(rid)
    pairs = {}
    for cc, ids in by_country.items():
        index = {}
        for rid in ids:
            for t in set(tokens(recs[rid][0])) - STOP:
                index.setdefault(t, []).append(rid)
        for t, group in index.items():
            if len(group) > 50:
                continue
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    key = tuple(sorted((a, b)))
                    if key not in pairs:
                        pairs[key] = difflib.SequenceMatcher(None, fold(recs[a][0]), fold(recs[b][0])).ratio()
    return pairs


def main():
    recs = records()
    pairs = candidates(recs)
    rng = random.Random(SEED)
    chosen = []
    keys = sorted(pairs)
    for lo, hi in BANDS:
        band = [k for k in keys if lo <= pairs[k] < hi]
        chosen += [(k, "band %.2f-%.2f" % (lo, min(hi, 1))) for k in rng.sample(band, min(SAMPLE_PER_BAND, len(band)))]
    seen = {k for k, _ in chosen}
    for a, b in HARD:
        if a not in recs or b not in recs:
            sys.exit("hard case names no record: %s %s" % (a, b))
        if tuple(sorted((a, b))) not in seen:
            chosen.append(((a, b), "hard case"))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["a_id", "a_name", "b_id", "b_name", "same", "note"])
    for (a, b), how in chosen:
        w.writerow([a, recs[a][0], b, recs[b][0], "", how + ("; towns %s / %s" % (recs[a][2], recs[b][2]))])


if __name__ == "__main__":
    main()
