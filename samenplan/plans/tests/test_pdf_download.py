"""The PDF is made once per version by the worker and served from then on."""

import pytest
from django.urls import reverse

from samenplan.core.tests.world import login
from samenplan.plans import services
from samenplan.plans.models import VersionPdf
from samenplan.plans.tasks import render_version_pdf

pytestmark = pytest.mark.shared_world


class FakeTask:
    def __init__(self, calls):
        self.calls = calls

    def enqueue(self, **kwargs):
        self.calls.append(kwargs)


def test_the_first_download_asks_the_worker_once_and_says_so(world, client, monkeypatch):
    asked = []
    monkeypatch.setattr("samenplan.plans.tasks.render_version_pdf", FakeTask(asked))
    login(client, world.people["council_member"])
    url = reverse("plans:version_pdf", args=[world.version.pk])

    page = client.get(url)
    assert page.status_code == 202
    assert "De PDF wordt gemaakt" in page.content.decode()
    api = client.get(f"/api/v1/versions/{world.version.pk}/pdf")
    assert api.status_code == 202 and api["Retry-After"] == "5"
    assert asked == [{"version_id": world.version.pk}]  # pressing again does not ask again


def test_once_made_the_pdf_is_served_without_rendering_again(world, client, monkeypatch):
    render_version_pdf.call(version_id=world.version.pk)
    stored = VersionPdf.objects.get(version=world.version)
    assert stored.is_ready and stored.render_seconds > 0
    monkeypatch.setattr("samenplan.plans.pdf.render_version_pdf", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    login(client, world.people["quality"])
    response = client.get(reverse("plans:version_pdf", args=[world.version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert bytes(response.content).startswith(b"%PDF")
    assert 'filename="kwaliteitsplan-2027-versie-2.pdf"' in response["Content-Disposition"]


def test_the_waiting_page_sends_htmx_to_the_file_when_ready(world, client):
    render_version_pdf.call(version_id=world.version.pk)
    login(client, world.people["quality"])
    url = reverse("plans:version_pdf", args=[world.version.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == url


def test_freezing_asks_for_the_pdf_after_the_commit(world, django_capture_on_commit_callbacks, monkeypatch):
    asked = []
    monkeypatch.setattr("samenplan.plans.tasks.render_version_pdf", FakeTask(asked))
    quality = world.people["quality"]
    services.update_section(plan=world.plan, key="veiligheid", body="Nieuw.", base_revision=0, by=quality)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.freeze_version(plan=world.plan, by=quality)
    assert asked == [{"version_id": version.pk}]
