"""Whole pages kept per person until data they were built from are written to.

The dashboard is the page everyone opens first and most often. Building it costs a dozen queries
and a full template render; serving it from memory costs about as much as a bare view
(bench/pages.py). What keeps a kept page correct:

- Each kind of page names the tables it reads (`register`). `core/tests/test_pagecache.py` renders
  it for every persona and fails when its SQL reads a table that is not named.
- Every INSERT, UPDATE and DELETE of every connection passes `_watch_writes` (installed when a
  connection is made, so in the web server, the worker and management commands alike). A write
  to a named table changes a *generation* of that kind: at once in this process, and after the
  commit in the shared cache, for the other processes and servers.
- Generations are per organisation and per person where the written row says whose it is
  (`register_scopes`: a plan's comment belongs to the plan's organisation, a message to its
  recipient), so a write in one organisation leaves every other organisation's pages in place.
  A row is placed by the model's post_save/post_delete signal; a bulk write can say whose rows it
  writes with `writing_for`. A write that nothing placed (an `.update()` on a queryset, raw SQL
  through Django) changes the kind's one shared generation, which every page of the kind reads.
- A page is kept under the generations read *before* its data were read. Tokens in the shared
  cache are random, so once a writer has replaced one, a page built before its commit can never
  be found again.
- What differs per request is put back on every hit: the CSRF token and the CSP nonce. Pages
  with messages to show, a query string or an htmx request are neither kept nor served.
- Public pages (`for_everyone`) are one page for everyone who is not logged in, query string
  included; their kinds are not scoped, so any write to their tables renews them.

Pages live in each process's memory (the `pages` cache); only the tokens are shared (the
`default` cache: a directory under var/ on one machine; several web servers need a shared cache
there, such as Redis). Writes made outside Django (psql, a restore) are not seen: clear the default
cache after such a change.
"""

import contextlib
import contextvars
import functools
import hashlib
import itertools
import re
import secrets
from collections import defaultdict

from django.apps import apps
from django.core.cache import caches
from django.db import connections
from django.db.models.signals import post_delete, post_save
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
# The one generation of a kind that every page of it reads, besides those of its scopes.
SHARED = ""

_kinds_by_table: dict[str, set[str]] = defaultdict(set)
# Kinds whose pages are the same for everyone (public pages): any write to one of their tables
# renews them, whoever's row it was.
_unscoped_kinds: set[str] = set()
_local_generation: dict[tuple[str, str], int] = defaultdict(int)
_counter = itertools.count(1)
_writing_for: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("pagecache_writing_for",
                                                                               default=frozenset())
# While a signal finds whose row was written, its query must not settle that very write as unplaced.
_looking_up: contextvars.ContextVar[bool] = contextvars.ContextVar("pagecache_looking_up", default=False)


def register(kind: str, tables, *, scoped: bool = True) -> None:
    """Says which tables a kind of page reads; done at start-up, in every process that writes.

    A kind that is not `scoped` has one generation only: every write to its tables renews it."""
    for table in tables:
        _kinds_by_table[table].add(kind)
    if not scoped:
        _unscoped_kinds.add(kind)


def clear() -> None:
    """Forgets every kept page and signed-in person of this process (tests start from nothing)."""
    caches["pages"].clear()


def for_organisation(organisation_id) -> str:
    return f"organisation:{organisation_id}"


def for_person(user_id) -> str:
    return f"person:{user_id}"


# --------------------------------------------------------------------------- whose rows


def _value_at(instance, path: str):
    """`instance.a.b.c` for the path "a__b__c", without a query when the relations are loaded."""
    *relations, attribute = path.split("__")
    obj = instance
    for name in relations:
        if not obj._meta.get_field(name).is_cached(obj):
            # One small query; after a delete the row is gone and the answer is None (not placed).
            return type(instance)._base_manager.filter(pk=instance.pk).values_list(path, flat=True).first()
        obj = getattr(obj, name)
    return getattr(obj, attribute)


def register_scopes(model_label: str, *, organisations=(), people=()) -> None:
    """Says whose rows the model holds: the paths to the organisations and people they concern.

    Every written row of the model renews the pages of those organisations and people only. A path
    that gives None (a row without an organisation, or a deleted parent) places the write nowhere,
    and it renews every page of the kind, as an unplaced write does.
    """
    model = apps.get_model(model_label)
    table = model._meta.db_table

    def placed(sender, instance, using, **kwargs):
        token = _looking_up.set(True)
        try:
            owners = [(for_organisation, _value_at(instance, path)) for path in organisations]
            owners += [(for_person, _value_at(instance, path)) for path in people]
        finally:
            _looking_up.reset(token)
        if all(value is not None for _, value in owners):
            _place(using, table, [scope(value) for scope, value in owners])

    # Kept alive by the signal (weak=False): the closure has no other owner.
    post_save.connect(placed, sender=model, weak=False, dispatch_uid=f"pagecache.{model_label}.save")
    post_delete.connect(placed, sender=model, weak=False, dispatch_uid=f"pagecache.{model_label}.delete")


@contextlib.contextmanager
def writing_for(*scopes: str):
    """Places the writes made inside: for bulk writes, which send no per-row signal."""
    token = _writing_for.set(_writing_for.get() | frozenset(scopes))
    try:
        yield
    finally:
        _writing_for.reset(token)


# --------------------------------------------------------------------------- generations


class _Pending:
    """The writes of one connection whose generations have not been changed yet."""

    def __init__(self):
        # Per table, one flag per statement: placed or not. A model's signal follows its statement,
        # so it places the table's latest one (a queryset delete's many signals, the same one).
        self.statements = defaultdict(list)
        self.scopes = defaultdict(set)


def _pending(connection) -> _Pending:
    pending = connection.__dict__.get("_pagecache_pending")
    if pending is None:
        pending = connection.__dict__["_pagecache_pending"] = _Pending()
    return pending


def _place(alias: str, table: str, scopes) -> None:
    connection = connections[alias]
    pending = _pending(connection)
    if pending.statements[table]:
        pending.statements[table][-1] = True
        pending.scopes[table].update(scopes)
    if not connection.in_atomic_block:
        _flush(connection)


def _token_key(kind: str, scope: str) -> str:
    return f"pagecache:token:{kind}:{scope}"


def _replace_shared_tokens(changed) -> None:
    caches["default"].set_many({_token_key(*key): secrets.token_hex(8) for key in changed}, timeout=None)


def _flush(connection, committed: bool = False) -> None:
    """Turns the connection's pending writes into new generations: here now, elsewhere after the commit."""
    pending = connection.__dict__.pop("_pagecache_pending", None)
    if pending is None:
        return
    changed = set()
    for table, placed in pending.statements.items():
        # Whose rows they were when every statement was placed; otherwise every page of the kind.
        scopes = pending.scopes[table] if all(placed) else {SHARED}
        for kind in _kinds_by_table[table]:
            changed.update((kind, scope) for scope in (scopes if kind not in _unscoped_kinds else {SHARED}))
    for key in changed:
        _local_generation[key] = next(_counter)  # this process, this very transaction, sees it at once
    if changed:
        if connection.in_atomic_block and not committed:
            connection.on_commit(functools.partial(_replace_shared_tokens, frozenset(changed)))
        else:
            _replace_shared_tokens(changed)  # autocommit: the row is already committed


def _flush_all() -> None:
    for connection in connections.all(initialized_only=True):
        _flush(connection)


def _flush_at_commit(connection):
    # One callable per connection, so a transaction that writes a hundred rows queues it once.
    callback = connection.__dict__.get("_pagecache_flush")
    if callback is None:
        callback = connection.__dict__["_pagecache_flush"] = functools.partial(_flush, connection, committed=True)
    return callback


def _generations(kind: str, scopes) -> list[str]:
    _flush_all()
    keys = [_token_key(kind, scope) for scope in scopes]
    shared = caches["default"]
    tokens = shared.get_many(keys)  # one round trip to a shared cache such as Redis
    for key in keys:
        if key not in tokens:
            shared.add(key, secrets.token_hex(8), timeout=None)
            tokens[key] = shared.get(key)
    return [f"{tokens[key]}.{_local_generation[kind, scope]}" for key, scope in zip(keys, scopes)]


def generation(kind: str, scopes=()) -> str:
    """The current generation of `kind` for `scopes`: it changes with every write that concerns them."""
    return "-".join(_generations(kind, (SHARED, *scopes)))


def _watch_writes(execute, sql, params, many, context):
    connection = context["connection"]
    if not connection.in_atomic_block and "_pagecache_pending" in connection.__dict__ and not _looking_up.get():
        _flush(connection)  # an autocommit write that no signal placed: the next statement settles it
    result = execute(sql, params, many, context)
    if sql[:1] in "IUDiud" and (match := _WRITE.match(sql)) and match[1] in _kinds_by_table:
        table = match[1]
        pending = _pending(connection)
        scopes = _writing_for.get()
        pending.statements[table].append(bool(scopes))
        pending.scopes[table].update(scopes)
        if connection.in_atomic_block:
            callback = _flush_at_commit(connection)
            if not any(entry[1] is callback for entry in connection.run_on_commit):
                connection.on_commit(callback)
        elif scopes:
            _flush(connection)
    return result


def install(connection, **kwargs) -> None:
    """`connection_created` receiver: every new connection reports its writes."""
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)


def install_on_open_connections() -> None:
    for connection in connections.all(initialized_only=True):
        install(connection)


# --------------------------------------------------------------------------- pages


def _may_keep(request, *, public: bool = False) -> bool:
    """A person's page without a query string, or a public page (its query string is part of its
    key) for someone not logged in; never for htmx or with messages to show."""
    return (
        request.method == "GET"
        and (public or not request.GET)
        and not request.headers.get("HX-Request")
        and (not request.user.is_authenticated if public else request.user.is_authenticated)
        and not len(getattr(request, "_messages", ()))
    )


def _page_key(kind: str, request, generation: str) -> str:
    user = request.user
    verified = getattr(user, "is_verified", lambda: False)()
    # Hashed: a page that depends on every organisation of a region has a generation per organisation.
    generation = hashlib.sha256(generation.encode()).hexdigest()
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


def depends_on(request, *scopes: str) -> None:
    """Said by a kept page before it reads the data of `scopes` (such as organisations'): the
    page is kept under those scopes' generations too. Outside a kept page it does nothing."""
    building = getattr(request, "_pagecache_building", None)
    if building is None:
        return
    new = [scope for scope in dict.fromkeys(scopes) if scope not in building["scopes"]]
    if new:
        building["scopes"].update(zip(new, _generations(building["kind"], new)))


def per_person(kind: str):
    """Keeps the page a view renders for each person until data of `kind` it was built from change.

    The scopes the page said it depends on while it was built (`depends_on`) are kept beside it,
    with the person's own generation and the kind's shared one at that time: a new membership (a
    write of the person's) makes the list out of date with the page.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _may_keep(request):
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            own_scopes = (SHARED, for_person(request.user.pk))
            scopes_key = ":".join(str(part) for part in (
                "pagecache:scopes", kind, request.user.pk, request.session.get("organisation_id")))
            built_under = pages.get(scopes_key)
            if built_under is not None:
                # One round trip to the shared cache for every generation the kept page needs.
                own, scopes = built_under
                generations = _generations(kind, (*own_scopes, *scopes))
                if "-".join(generations[:2]) == own:
                    html = pages.get(_page_key(kind, request, "-".join(generations)))
                    if html is not None:
                        return HttpResponse(_filled(request, html))
            # Read before the view reads anything: a write committed after this makes a new one.
            own = "-".join(_generations(kind, own_scopes))
            # The second-factor check may have read the roles before the generation was read.
            forget_memberships(request.user)
            request._pagecache_building = building = {"kind": kind, "scopes": {}}
            try:
                response = view(request, *args, **kwargs)
            finally:
                del request._pagecache_building
            if response.status_code == 200 and not response.streaming and _may_keep(request):
                generations = [own, *building["scopes"].values()]
                pages.set(scopes_key, (own, tuple(building["scopes"])))
                pages.set(_page_key(kind, request, "-".join(generations)),
                          _with_holes(request, response.content.decode(response.charset)))
            return response

        return wrapper

    return decorator


def for_everyone(kind: str):
    """Keeps a public page, the same for everyone who is not logged in, until data of `kind` (a
    kind registered with `scoped=False`) change. Unlike a person's page, a query string (a filter,
    a page number) is part of the key: the answer to it is public too. Logged-in people are served
    a page built for them, as their header differs."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _may_keep(request, public=True):
                return view(request, *args, **kwargs)
            pages = caches["pages"]
            generation = "-".join(_generations(kind, (SHARED,)))
            # Hashed: the path and query string are anyone's input, of any length.
            asked = hashlib.sha256(f"{request.path}?{request.GET.urlencode()}".encode()).hexdigest()
            key = ":".join(("pagecache:public", kind, generation, translation.get_language(),
                            timezone.localdate().isoformat(), asked))
            html = pages.get(key)
            if html is not None:
                return HttpResponse(_filled(request, html))
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and _may_keep(request, public=True):
                pages.set(key, _with_holes(request, response.content.decode(response.charset)))
            return response

        return wrapper

    return decorator
