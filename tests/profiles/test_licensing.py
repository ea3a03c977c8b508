"""Licences: the code's (MIT, LICENSE) and the data's (CC BY-SA 4.0), said in every export that
has room for it and on every public page."""

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command

from profiles.importing import check_file
from profiles.licensing import DATA_LICENSE
from tests.factories import cited_profile, publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def export(*args):
    out = io.StringIO()
    call_command("export_profiles", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def profile(reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    return person


def test_the_code_is_mit_licensed_in_the_tree_and_the_package():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (project["license"], project["license-files"]) == ("MIT", ["LICENSE"])


def test_the_data_licence_names_cc_by_sa_and_credits_the_sources():
    assert DATA_LICENSE["name"] == "CC BY-SA 4.0" and DATA_LICENSE["url"] == CC_BY_SA
    assert "Wikipedia contributors" in DATA_LICENSE["attribution"]


@pytest.mark.parametrize("published", [True, False])
def test_the_json_export_carries_the_licence_and_imports_again(profile, published):
    data = json.loads(export(*(["--published"] if published else [])))
    assert data["license"] == DATA_LICENSE
    assert check_file(data) == []


def test_the_popolo_and_csv_exports_carry_the_licence(profile):
    assert json.loads(export("--published", "--format", "popolo"))["license"] == DATA_LICENSE
    rows = list(csv.DictReader(io.StringIO(export("--published", "--format", "csv"))))
    assert rows and {row["license"] for row in rows} == {f"CC BY-SA 4.0 {CC_BY_SA}"}


def test_public_pages_say_the_data_licence_in_their_footer(client, profile):
    for url in ("/", "/people/cai-qi/"):
        page = client.get(url).content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert f'<a rel="license" href="{CC_BY_SA}">CC BY-SA 4.0</a>' in footer, url
