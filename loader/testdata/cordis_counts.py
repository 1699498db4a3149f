#!/usr/bin/env python3
"""Counts of data/cordis-h2020 from the raw rows, without the Go loader, for
TestCORDISImport. Run from the repository root:

    python3 loader/testdata/cordis_counts.py
"""
import collections, csv, gzip
from decimal import Decimal


def rows(name):
    with gzip.open('data/cordis-h2020/' + name, 'rt', encoding='utf-8', newline='') as f:
        yield from csv.DictReader(f)


eunets = list(rows('eunets-h2020.csv.gz'))
parts = list(rows('eunets-programme-parts.csv.gz'))
projects = {r['project_id'] for r in rows('participations.csv.gz')}
types = {}
for r in eunets:
    types.setdefault(r['pic'], r['type'])  # an organisation's first row
dated = {r['rcn'] for r in eunets if r['start_date'] != 'NA'}
print('projects', len(projects | {r['rcn'] for r in parts}))
print('programme parts', len({r['programme_part'] for r in parts}), 'FUNDED_BY', len({(r['rcn'], r['programme_part']) for r in parts}))
print('projects with a start', len(dated))
print('organisations by type', sorted(collections.Counter(types.values()).items()))
given = [Decimal(r['contribution']) for r in eunets if r['contribution'] != 'NA']
print('contributions', len(given), 'sum', sum(given))
