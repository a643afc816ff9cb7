"""Skeleton: replaced by the real views."""
from django.http import Http404


def location_progress(request, **kwargs):
    raise Http404


def plan_progress(request, **kwargs):
    raise Http404


def quarterly_comment(request, **kwargs):
    raise Http404


def quarterly_report(request, **kwargs):
    raise Http404


def quarterly_report_pdf(request, **kwargs):
    raise Http404


def record_progress(request, **kwargs):
    raise Http404

