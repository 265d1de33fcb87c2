"""The QĐ 766/QĐ-TTg service index computed from CCHC's own data (no Django).

definition.py loads frameworks/qd766-2022.yaml; counts.py computes its named counts from
dossier, feedback and procedure records; compute.py turns counts into points, ranks and
trends.
"""
