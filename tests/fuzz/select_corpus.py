#!/usr/bin/env python3
"""Pick the committed replay corpus from a fuzzing corpus, greedily by coverage.

   fuzz_model -merge=1 -merge_control_file=CTL EMPTY_DIR SEED_DIR CAMPAIGN_DIR
   select_corpus.py CTL OUTDIR --keep SEED_DIR [--keep REPRO_DIR] [--max-files 200] [--max-bytes 1000000]

Every file of a --keep directory is taken; then files are added one at a time,
each the one that adds the most coverage edges (then features) not yet
covered, until nothing new is added or a limit is reached."""
import argparse, os, shutil

ap = argparse.ArgumentParser()
ap.add_argument('ctl')
ap.add_argument('outdir')
ap.add_argument('--keep', action='append', default=[])
ap.add_argument('--max-files', type=int, default=200)
ap.add_argument('--max-bytes', type=int, default=1000000)
a = ap.parse_args()

lines = open(a.ctl).read().split('\n')
nfiles = int(lines[0])
files = lines[2:2 + nfiles]
cov, ft = {}, {}
for l in lines[2 + nfiles:]:
    w = l.split()
    if len(w) >= 2 and w[0] in ('COV', 'FT'):
        (cov if w[0] == 'COV' else ft)[int(w[1])] = set(map(int, w[2:]))

keep = {f for d in a.keep for f in os.listdir(d)}   # by name: the merge may read copies
chosen, seen_cov, seen_ft, total = [], set(), set(), 0
by_name = {}
for i, f in enumerate(files):
    by_name.setdefault(os.path.basename(f), i)
for i, f in enumerate(files):
    if os.path.basename(f) in keep and by_name.get(os.path.basename(f)) == i:
        chosen.append(i)
        seen_cov |= cov.get(i, set())
        seen_ft |= ft.get(i, set())
        total += os.path.getsize(f)
left = [i for i in range(nfiles) if i not in set(chosen)]
while len(chosen) < a.max_files:
    best, score = None, (0, 0)
    for i in left:
        s = (len(cov.get(i, set()) - seen_cov), len(ft.get(i, set()) - seen_ft))
        if s > score and total + os.path.getsize(files[i]) <= a.max_bytes:
            best, score = i, s
    if best is None:
        break
    chosen.append(best)
    left.remove(best)
    seen_cov |= cov.get(best, set())
    seen_ft |= ft.get(best, set())
    total += os.path.getsize(files[best])
os.makedirs(a.outdir, exist_ok=True)
for i in chosen:
    shutil.copy(files[i], os.path.join(a.outdir, os.path.basename(files[i])))
print(f'{len(chosen)} files, {total} bytes, {len(seen_cov)} edges, {len(seen_ft)} features')
