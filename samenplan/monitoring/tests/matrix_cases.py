"""Permission-matrix cases of this app (gathered by samenplan/core/tests/matrix.py): progress and the
quarterly report in one file, the quality report and "u zei, wij deden" in the other."""

from . import matrix_progress_cases as _progress
from . import matrix_report_cases as _report

CASES = _progress.CASES + _report.CASES
PUBLIC_ROUTES = _progress.PUBLIC_ROUTES | _report.PUBLIC_ROUTES
PUBLIC_API = _progress.PUBLIC_API | _report.PUBLIC_API
