#!/usr/bin/env python3
"""Counts of data/keep-interreg computed from the raw rows, independently of
the Go loader, for TestLoadKeepInterreg. Run from the repository root:

    python3 loader/testdata/keep/counts.py

It applies the rules data/keep-interreg/keep.yaml states (FORMAT.md): a
project is the slug of Programme + Acronym, a partner the slug of its country
code (the first word of "PL Poland / POLSKA") + name; within one file a
partner listed twice in a project keeps its first row; across files the same
(partner, project, role) is one participation; a partner is located in the
most detailed NUTS field of its first row that has one.
"""
import csv, gzip, unicodedata

SPECIAL = {'ł': 'l', 'ø': 'o', 'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'đ': 'd', 'ð': 'd', 'þ': 'th',
           'ı': 'i', 'ħ': 'h', 'ŀ': 'l', 'ŧ': 't', '’': "'", '‘': "'", '„': '"', '”': '"', '“': '"'}


def slug(s):
    out = []
    for ch in unicodedata.normalize('NFD', s):
        if unicodedata.category(ch) == 'Mn':
            continue
        ch = ch.lower()
        out.append(SPECIAL.get(ch, ch))
    words, word = [], ''
    for ch in ''.join(out):
        if ch.isalpha() or unicodedata.category(ch) == 'Nd':
            word += ch if ord(ch) < 0x80 else 'u%x' % ord(ch)
        elif word:
            words.append(word)
            word = ''
    if word:
        words.append(word)
    return '-'.join(words)


def rows(name, delimiter=','):
    with gzip.open('data/keep-interreg/' + name, 'rt', encoding='utf-8', newline='') as f:
        yield from csv.DictReader(f, delimiter=delimiter)


def code_of(row, code_col, name_col):
    words = row[code_col].split()
    if words:
        return words[0].upper()
    return {'Finland': 'FI'}.get(row[name_col], '')  # the one empty code of the files


FILES = [  # file, delimiter, partner, lead, code, NUTS1..3
    ('partnerships-2014-2020-closed.csv.gz', ';', 'Project Partner', 'Lead Partner', 'Country code',
     ['NUTS1 (or equivalent)', 'NUTS2 (or equivalent)', 'NUTS3 (or equivalent)']),
    ('partners-2000-2020.csv.gz', ',', 'Project.Partner', 'Lead.Partner', 'Country.code',
     ['NUTS1..or.equivalent.', 'NUTS2..or.equivalent.', 'NUTS3..or.equivalent.']),
]

projects, programmes, participations, located = set(), set(), set(), {}
per_file = {}
for name, delim, partner, lead, code_col, nuts in FILES:
    pairs, kept, file_projects = set(), 0, set()
    for r in rows(name, delim):
        project = slug(r['Programme']) + '/' + slug(r['Acronym'])
        code = code_of(r, code_col, 'Country')
        org = '/'.join(p for p in (slug(code), slug(r[partner])) if p)
        projects.add(project)
        file_projects.add(project)
        programmes.add(slug(r['Programme']))
        if (org, project) in pairs:
            continue
        pairs.add((org, project))
        kept += 1
        participations.add((org, project, 'lead partner' if r[lead] == 'Yes' else 'partner'))
        codes = [r[c].split('/')[0].strip() for c in nuts if r[c].strip()]
        codes = [c for c in codes if len(c) > 2]
        if org not in located and codes:
            located[org] = max(codes, key=len)
    per_file[name] = (kept, len(file_projects))
for r in rows('projects-2014-2020-closed.csv.gz'):
    projects.add(slug(r['Programme']) + '/' + slug(r['Acronym']))
    programmes.add(slug(r['Programme']))

pl21 = [p for p in participations if located.get(p[0], '').startswith('PL21')]
print('participations', len(participations))
print('projects', len(projects))
print('programmes', len(programmes))
for name, (kept, n) in per_file.items():
    print(name, 'participations', kept, 'projects', n)
print('PL21 participations', len(pl21), 'projects', len({p[1] for p in pl21}))
