"""Skeleton: replaced by the real views."""
from django.http import Http404


def adopt_report(request, **kwargs):
    raise Http404


def comment(request, **kwargs):
    raise Http404


def edit_report(request, **kwargs):
    raise Http404


def evaluate_action(request, **kwargs):
    raise Http404


def findings(request, **kwargs):
    raise Http404


def publish_report(request, **kwargs):
    raise Http404


def report(request, **kwargs):
    raise Http404


def report_pdf(request, **kwargs):
    raise Http404


def start_report(request, **kwargs):
    raise Http404

