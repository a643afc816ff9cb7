"""Skeleton: replaced by the real views."""
from django.http import Http404


def edit_you_said(request, **kwargs):
    raise Http404


def public_report(request, **kwargs):
    raise Http404


def you_said(request, **kwargs):
    raise Http404


def you_said_poster(request, **kwargs):
    raise Http404

