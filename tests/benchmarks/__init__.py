"""Speed and memory figures of the app, each held against a baseline measured in the same run.

Run them all from the repository's root (about two minutes on two cores; 100,000 referrals are
generated once into a temporary folder, removed afterwards):

    .venv/bin/python -m tests.benchmarks

``--only NAME ...`` runs some of them, ``--markdown FILE`` writes the table BENCHMARKS.md
keeps, ``--smoke`` runs each at a tiny size. The default test run includes such a smoke run
(``test_smoke.py``), which checks that every benchmark still runs and reports its figures,
without judging any timing. BENCHMARKS.md says what each figure measures.
"""
