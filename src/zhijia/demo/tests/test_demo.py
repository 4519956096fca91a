import io

from django.apps import apps
from django.core.management import call_command

from zhijia.demo.builder import DEMO_PASSWORD
from zhijia.organizations.models import Organization, OrgKind
from zhijia.testing.api import JsonClient, api_login


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _table_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def _printed_logins(output: str) -> list[tuple[str, str, str]]:
    """(role, login, organisation) for each line of the table the command prints."""
    block = output.split("demo logins", 1)[1].split("\n\n", 1)[0]
    rows = []
    for line in block.splitlines()[1:]:
        if line.strip():
            login, org = line[31:].split(maxsplit=1)
            rows.append((line[2:30].strip(), login, org))
    return rows


def test_the_demo_city_builds_once_and_its_printed_logins_sign_in(db):
    # when the demo is built, then built again
    first = _demo()
    counts = _table_counts()
    second = _demo()

    # then the second run adds nothing to any table
    assert _table_counts() == counts
    assert "'district': 0" in second
    # and Beijing is there with its grassroots unions and employers
    city = Organization.objects.get(code="FED-11")
    assert Organization.objects.filter(path__startswith=city.path, kind=OrgKind.DISTRICT_FEDERATION).count() == 16
    assert Organization.objects.filter(kind=OrgKind.ENTERPRISE_UNION).exists()
    assert counts["organizations.Employer"] > 1000

    # and every login the command printed signs in with the printed password
    assert f"password for all: {DEMO_PASSWORD}" in first
    logins = _printed_logins(first)
    assert {login for _, login, _ in logins} >= {
        "13800138000",
        "union-reviewer",
        "bj-chaowai",
        "bj-chaoyang",
        "bj-city",
    }
    for role, login, org in logins:
        response = api_login(login, DEMO_PASSWORD)
        assert response.status_code == 200, (role, login, response.json())
        me = JsonClient(token=response.json()["token"]).get("/auth/me").json()
        if me["org"] is not None:
            assert me["org"]["name"] == org, role
