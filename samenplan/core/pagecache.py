"""Whole pages kept per person until a table they were built from is written to.

The dashboard is the page everyone opens first and most often. Building it costs a dozen queries
and a full template render; serving it from memory costs about as much as a bare view
(bench/pages.py). What keeps a kept page correct:

- Each kind of page names the tables it reads (`register`). `core/tests/test_pagecache.py` renders
  it for every persona and fails when its SQL reads a table that is not named.
- Every INSERT, UPDATE and DELETE of every connection passes `_watch_writes` (installed when a
  connection is made, so in the web server, the worker and management commands alike). A write
  to a named table changes that kind's *generation*: at once in this process, and after the
  commit in the shared cache, for the other processes and servers.
- A page is kept under the generation read *before* its data were read. Tokens in the shared
  cache are random, so once a writer has replaced one, a page built before its commit can never
  be found again.
- What differs per request is put back on every hit: the CSRF token and the CSP nonce. Pages
  with messages to show, a query string or an htmx request are neither kept nor served.

Pages live in each process's memory (the `pages` cache); only the tokens are shared (the
`default` cache: a directory under var/ on one machine; several web servers need a shared cache
there, such as memcached). Writes made outside Django (psql) are not seen: clear the default
cache after such a change.
"""

import functools
import itertools
import re
import secrets
from collections import defaultdict

from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from samenplan.accounts.selectors import forget_memberships

# Django writes `INSERT INTO "t"`, `UPDATE "t"` and `DELETE FROM "t"`, on SQLite and PostgreSQL alike.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_HOLE = "\x00csrf\x00"
_NONCE_HOLE = "\x00nonce\x00"

_kinds_by_table: dict[str, set[str]] = defaultdict(set)
_local_generation: dict[str, int] = defaultdict(int)
_counter = itertools.count(1)


def register(kind: str, tables) -> None:
    """Says which tables a kind of page reads; done at start-up, in every process that writes."""
    for table in tables:
        _kinds_by_table[table].add(kind)


def clear() -> None:
    """Forgets every kept page and signed-in person of this process (tests start from nothing)."""
    caches["pages"].clear()


# --------------------------------------------------------------------------- generations


def _token_key(kind: str) -> str:
    return f"pagecache:token:{kind}"


def _replace_shared_token(kind: str) -> None:
    caches["default"].set(_token_key(kind), secrets.token_hex(8), timeout=None)


@functools.cache
def _after_commit(kind: str):
    # One callable per kind, so a transaction that writes a hundred rows queues it once.
    return functools.partial(_replace_shared_token, kind)


def generation(kind: str) -> str:
    """The current generation of `kind`: it changes with every write to one of its tables."""
    shared = caches["default"]
    token = shared.get(_token_key(kind))
    if token is None:
        shared.add(_token_key(kind), secrets.token_hex(8), timeout=None)
        token = shared.get(_token_key(kind))
    return f"{token}.{_local_generation[kind]}"


def _changed(kinds, connection) -> None:
    for kind in kinds:
        # This process (and this very transaction) sees its own writes at once.
        _local_generation[kind] = next(_counter)
        if not connection.in_atomic_block:
            _replace_shared_token(kind)  # autocommit: the row is already committed
            continue
        callback = _after_commit(kind)
        if not any(entry[1] is callback for entry in connection.run_on_commit):
            connection.on_commit(callback)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql[:1] in "IUDiud" and (match := _WRITE.match(sql)) and (kinds := _kinds_by_table.get(match[1])):
        _changed(kinds, context["connection"])
    return result


def install(connection, **kwargs) -> None:
    """`connection_created` receiver: every new connection reports its writes."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)


# --------------------------------------------------------------------------- pages


def _may_keep(request) -> bool:
    return (
        request.method == "GET"
        and not request.GET
        and not request.headers.get("HX-Request")
        and request.user.is_authenticated
        and not len(getattr(request, "_messages", ()))
    )


def _page_key(kind: str, request, generation: str) -> str:
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    return ":".join(str(part) for part in (
        "pagecache:page", kind, generation, user.pk, int(verified), translation.get_language(),
        request.session.get("organisation_id"), timezone.localdate().isoformat(), request.path,
    ))


def _with_holes(request, html: str) -> str:
    html = _CSRF_INPUT.sub(lambda m: m[1] + _CSRF_HOLE + m[2], html)
    nonce = get_nonce(request)
    if nonce:
        html = html.replace(str(nonce), _NONCE_HOLE)
    return html


def _filled(request, html: str) -> str:
    if _CSRF_HOLE in html:
        html = html.replace(_CSRF_HOLE, get_token(request))
    if _NONCE_HOLE in html:
        html = html.replace(_NONCE_HOLE, str(get_nonce(request)))
    return html


def per_person(kind: str):
    """Keeps the page a view renders for each person until a table of `kind` is written to."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _may_keep(request):
                return view(request, *args, **kwargs)
            # Read before the view reads anything: a write committed after this makes a new one.
            key = _page_key(kind, request, generation(kind))
            pages = caches["pages"]
            html = pages.get(key)
            if html is not None:
                return HttpResponse(_filled(request, html))
            # The second-factor check may have read the roles before the generation was read.
            forget_memberships(request.user)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and _may_keep(request):
                pages.set(key, _with_holes(request, response.content.decode(response.charset)))
            return response

        return wrapper

    return decorator
