"""The member site's joining pages: the form and its helpers, the rules page, and the status page that follows the
review until the card is ready."""

from __future__ import annotations

from django.urls import reverse

from zhijia.core.gateways.sms import outbox_messages
from zhijia.members import services
from zhijia.members.models import Application
from zhijia.members.tests.membership_support import member, submitted, valid_id


def _form(world, **overrides):
    data = {
        "name": "王师傅",
        "id_number": valid_id(1),
        "phone": "13800000001",
        "job_group": "courier",
        "employer_id": str(world.employer_a.pk),
        "work_district": str(world.district_x.pk),
        "work_street_id": str(world.street_x.pk),
        "work_community_id": str(world.community_x.pk),
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_form_asks_a_visitor_to_sign_in(world, client_as):
    response = client_as(None).get(reverse("members:apply"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_form_offers_the_districts_and_the_account_phone(world, client_as):
    response = client_as(world.user("worker")).get(reverse("members:apply"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "X区总工会" in page
    assert "Y区总工会" in page
    assert 'value="13800000001"' in page
    # The account's own phone needs no code: the code row starts hidden.
    assert 'id="phone-code-row" data-account-phone="13800000001" hidden' in page


def test_choosing_a_district_then_a_street_fills_the_selects_below(world, client_as):
    client = client_as(None)
    url = reverse("members:apply_places")
    work = {"prefix": "work"}

    streets = client.get(url, {**work, "work_district": world.district_x.pk}).content.decode()
    communities = client.get(
        url, {**work, "work_district": world.district_x.pk, "work_street_id": world.street_x.pk}
    ).content.decode()
    # Changing the district drops a street that is not in it.
    moved = client.get(
        url, {**work, "work_district": world.district_y.pk, "work_street_id": world.street_x.pk}
    ).content.decode()

    assert "X街道总工会" in streets
    assert "Y街道总工会" not in streets
    assert "X社区工会联合会" in communities
    assert "X甲公司工会" not in communities
    assert "Y街道总工会" in moved
    assert f'value="{world.street_x.pk}" selected' not in moved
    assert client.get(url, {"prefix": "elsewhere"}).status_code == 404


def test_the_employer_search_answers_with_choices(world, client_as):
    response = client_as(None).get(reverse("members:apply_employers"), {"employer_q": "甲"})

    page = response.content.decode()
    assert f'name="employer_id" value="{world.employer_a.pk}"' in page
    assert "Y乙公司" not in page


def test_applying_leads_to_the_status_page_with_the_route(world, client_as):
    client = client_as(world.user("worker"))

    response = client.post(reverse("members:apply"), _form(world))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:application_status", args=[application.pk])
    status_page = client.get(response["Location"]).content.decode()
    assert application.route_reason in status_page
    assert "X甲公司工会" in status_page
    assert 'hx-trigger="every 3s"' in status_page
    # Coming back to the form while the application waits shows its status instead.
    assert client.get(reverse("members:apply"))["Location"] == response["Location"]


def test_a_refusal_is_shown_on_its_field_and_nothing_is_saved(world, client_as):
    response = client_as(world.user("worker")).post(reverse("members:apply"), _form(world, id_number="110105198503"))

    assert response.status_code == 200
    assert "身份证号码应为 18 位" in response.content.decode()
    assert response.context["form"].errors["id_number"]
    assert not Application.objects.exists()


def test_an_id_number_with_digits_of_another_script_is_refused_on_its_field(world, client_as):
    response = client_as(world.user("worker")).post(
        reverse("members:apply"), _form(world, id_number="11²¹0119900101123X")
    )

    assert response.status_code == 200
    assert "身份证号码前 17 位应为数字" in response.content.decode()
    assert response.context["form"].errors["id_number"]
    assert not Application.objects.exists()


def test_the_form_helpers_take_a_superscript_for_no_choice(world, client_as):
    client = client_as(None)

    employers = client.get(reverse("members:apply_employers"), {"employer_id": "²", "employer_q": "甲"})
    places = client.get(reverse("members:apply_places"), {"prefix": "work", "work_street_id": "²"})

    assert employers.status_code == 200
    assert f'name="employer_id" value="{world.employer_a.pk}"' in employers.content.decode()
    assert places.status_code == 200
    assert "X街道总工会" not in places.content.decode()


def test_without_consent_the_application_is_refused(world, client_as):
    data = _form(world)
    del data["consent"]

    response = client_as(world.user("worker")).post(reverse("members:apply"), data)

    assert response.context["form"].errors["consent"]
    assert not Application.objects.exists()


def test_another_phone_is_verified_with_a_code(world, client_as, sms_outbox, django_capture_on_commit_callbacks):
    client = client_as(world.user("worker"))

    refused = client.post(reverse("members:apply"), _form(world, phone="13600000009"))
    assert refused.context["form"].errors["sms_code"]
    assert "hidden" not in refused.content.decode().split('id="phone-code-row"')[1].split(">")[0]

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("members:apply_code"), {"phone": "13600000009"})
    assert "验证码已发送" in sent.content.decode()
    code = outbox_messages("13600000009")[-1]["params"]["code"]  # type: ignore[index]
    accepted = client.post(reverse("members:apply"), _form(world, phone="13600000009", sms_code=code))
    assert accepted.status_code == 302
    assert Application.objects.get().phone_verified


def test_the_status_updates_until_approved_then_links_to_the_card(world, client_as):
    application = submitted(world)
    client = client_as(world.user("worker"))
    url = reverse("members:application_progress", args=[application.pk])

    waiting = client.get(url)
    assert waiting.status_code == 200
    assert "待审核" in waiting.content.decode()

    services.application_approve(actor=world.user("union_a_staff"), application_id=application.pk)
    approved = client.get(url)
    # 286 tells htmx to stop polling.
    assert approved.status_code == 286
    assert reverse("members:card") in approved.content.decode()


def test_workers_see_only_their_own_application_status(world, client_as):
    application = submitted(world)

    assert (
        client_as(world.user("other_worker"))
        .get(reverse("members:application_status", args=[application.pk]))
        .status_code
        == 404
    )
    assert (
        client_as(world.user("other_worker"))
        .post(reverse("members:application_withdraw", args=[application.pk]))
        .status_code
        == 404
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_worker_withdraws_their_application(world, client_as):
    application = submitted(world)

    response = client_as(world.user("worker")).post(reverse("members:application_withdraw", args=[application.pk]))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_a_member_going_to_the_form_is_sent_to_their_card(world, client_as):
    member(world)
    client = client_as(world.user("worker"))

    response = client.get(reverse("members:apply"))
    again = client.post(reverse("members:apply"), _form(world))

    assert response["Location"] == reverse("members:card")
    assert "X甲公司工会" in again.context["form"].errors["id_number"][0]


def test_the_personal_information_rules_are_public(world, client_as):
    response = client_as(None).get(reverse("members:privacy"))

    assert response.status_code == 200
    assert services.CONSENT_VERSION in response.content.decode()
