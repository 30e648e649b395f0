"""Localisation helpers for CFA dossiers in English, French and Spanish.

countries    country names (CLDR + ILO overrides) with their articles and prepositions
conventions  official short titles of ILO Conventions, with their verification status
letters      salutations, closings, date line, subject label, quotation marks
articles     organisation names after prepositions; agreement words
data         their data files, dossier/data/{countries,conventions,letters}.yaml

The sources of every name and formula, and what is not yet verified: docs/l10n-sources.md.
This unit imports nothing else of the package; the render stage and the checks use it.
"""
