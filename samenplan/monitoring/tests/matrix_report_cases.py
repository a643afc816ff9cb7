"""Permission-matrix cases (gathered by samenplan/monitoring/tests/matrix_cases.py)."""

CASES = []
PUBLIC_ROUTES = set()
PUBLIC_API = set()
