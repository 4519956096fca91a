import pytest
from django.test import Client

from zhijia.accounts.models import User
from zhijia.audit.models import AuditEvent
from zhijia.testing.sms import last_code
from zhijia.testing.world import PASSWORD


def _page(response) -> str:
    return response.content.decode()


def test_district_staff_see_the_accounts_of_their_subtree_in_chinese(world, client_as):
    response = client_as(world.actor("district_x_staff")).get("/accounts/staff/")

    assert response.status_code == 200
    page = _page(response)
    assert '<html lang="zh-hans">' in page
    assert "工作人员账户" in page
    assert "union_a_staff" in page
    assert "139****0001" in page
    assert "13900000001" not in page
    assert "district_y_staff" not in page


def test_an_account_of_another_district_answers_404(world, client_as):
    response = client_as(world.actor("district_x_staff")).get(f"/accounts/staff/{world.actor('district_y_staff').pk}/")

    assert response.status_code == 404
    assert "找不到页面" in _page(response)
    assert "district_y_staff" not in _page(response)


@pytest.mark.parametrize("path", ["/accounts/staff/", "/accounts/staff/new/", "/accounts/me/"])
def test_an_anonymous_visitor_is_sent_to_sign_in(db, client_as, path):
    response = client_as(None).get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_revealing_a_phone_on_the_account_page_is_audited(world, client_as):
    account = world.actor("union_a_staff")
    client = client_as(world.actor("district_x_staff"))

    before = client.get(f"/accounts/staff/{account.pk}/")
    after = client.post(f"/accounts/staff/{account.pk}/", {"reveal_phone": "1"})

    assert "13900000001" not in _page(before)
    assert "139****0001" in _page(before)
    assert after.status_code == 200
    assert "13900000001" in _page(after)
    assert AuditEvent.objects.filter(action="pii.reveal", object_id=str(account.pk)).count() == 1


def test_staff_create_an_account_from_the_console(world, client_as):
    client = client_as(world.actor("district_x_staff"))

    response = client.post(
        "/accounts/staff/new/",
        {
            "org_id": world.street_x.pk,
            "username": "xs-admin",
            "display_name": "X街道管理员",
            "password": "Jie-Dao-2026",
            "roles": ["union_admin"],
        },
    )

    user = User.objects.get(username="xs-admin")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/staff/{user.pk}/"
    assert user.staff_assignment.org_id == world.street_x.pk


def test_a_refused_account_shows_the_reason_next_to_the_form(world, client_as):
    client = client_as(world.actor("district_x_staff"))

    response = client.post(
        "/accounts/staff/new/",
        {
            "org_id": world.street_x.pk,
            "username": "xs-admin",
            "display_name": "X街道管理员",
            "password": "12345678",
            "roles": ["union_admin"],
        },
    )

    assert response.status_code == 200
    assert "这个密码太常见了" in _page(response)
    assert not User.objects.filter(username="xs-admin").exists()


def test_an_organisation_that_is_no_id_opens_the_form_at_the_staffs_own_node(world, client_as):
    response = client_as(world.actor("district_x_staff")).get("/accounts/staff/new/", {"org": "²"})

    assert response.status_code == 200
    assert f"<strong>{world.district_x.name}</strong>" in _page(response)


def test_read_only_staff_have_no_account_form(world, client_as):
    response = client_as(world.actor("district_x_readonly")).get("/accounts/staff/new/")

    assert response.status_code == 403


@pytest.mark.parametrize(("login", "landing"), [("13800000001", "/"), ("district_x_staff", "/console/")])
def test_signing_in_on_the_page_lands_workers_home_and_staff_in_the_console(world, login, landing):
    client = Client()

    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == landing


def test_five_wrong_passwords_on_the_page_lock_the_account(world):
    client = Client()
    for attempt in range(5):
        client.post("/accounts/login/", {"username": "worker", "password": f"wrong-{attempt}"})

    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD})

    assert response.status_code == 429
    assert "账户已锁定" in _page(response)
    assert "_auth_user_id" not in client.session


def test_a_worker_registers_on_the_page_with_a_code_from_their_phone(
    db, sms_outbox, client_as, django_capture_on_commit_callbacks
):
    client = client_as(None)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/register/code/", {"phone": "13912345678"})
    assert "验证码已发送" in _page(sent)

    response = client.post(
        "/accounts/register/",
        {
            "phone": "13912345678",
            "code": last_code("13912345678"),
            "display_name": "张师傅",
            "password": "Lao-Zhang-2026",
        },
    )

    assert response.status_code == 302
    assert client.get("/accounts/me/").context["user"].display_name == "张师傅"


def test_a_wrong_code_on_the_register_page_is_shown_on_the_code_field(db, sms_outbox, client_as):
    client = client_as(None)
    client.post("/accounts/register/code/", {"phone": "13912345678"})

    response = client.post(
        "/accounts/register/",
        {"phone": "13912345678", "code": "000000x", "display_name": "张师傅", "password": "Lao-Zhang-2026"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["验证码不正确。"]
