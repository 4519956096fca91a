"""A worker applies through the API, follows their application, and gets their card token; the form's public lists."""

from __future__ import annotations

from zhijia.members import services
from zhijia.members.models import Application
from zhijia.members.tests.membership_support import application_fields, member, sms_code_for, submitted, valid_id


def test_a_worker_applies_and_sees_the_route_with_personal_data_masked(world, api_as):
    # given a worker signed in
    api = api_as(world.user("worker"))

    # when they apply with their employer chosen from the list
    response = api.post("/applications", application_fields(world))

    # then the application went to the employer's union, says why, and shows the ID number and phone masked
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["union"]["name"] == "X甲公司工会"
    assert body["route_rule"] == "employer_union"
    assert "X甲公司工会" in body["route_reason"]
    assert body["id_number"] == "110105********" + valid_id(1)[-4:]
    assert body["phone"] == "138****0001"
    assert valid_id(1) not in response.content.decode()
    assert Application.objects.get().applicant == world.user("worker")


def test_nobody_signed_in_cannot_apply(world, api_as):
    response = api_as(None).post("/applications", application_fields(world))

    assert response.status_code == 401
    assert not Application.objects.exists()


def test_a_wrong_id_number_is_refused_naming_the_field(world, api_as):
    bad = valid_id(1)[:-1] + ("0" if valid_id(1)[-1] != "0" else "1")

    response = api_as(world.user("worker")).post("/applications", application_fields(world, id_number=bad))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_number.checksum"
    assert body["detail"]["field"] == "id_number"
    assert "校验位" in body["message"]
    assert not Application.objects.exists()


def test_an_id_number_with_digits_of_another_script_is_refused_naming_the_field(world, api_as):
    # "²" and "¹" pass str.isdigit but are no digits of an ID number
    response = api_as(world.user("worker")).post(
        "/applications", application_fields(world, id_number="11²¹0119900101123X")
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_number.characters"
    assert body["detail"]["field"] == "id_number"
    assert "身份证号码" in body["message"]
    assert not Application.objects.exists()


def test_a_phone_with_a_superscript_digit_is_refused_naming_the_field(world, api_as):
    response = api_as(world.user("worker")).post("/applications", application_fields(world, phone="1380000²009"))

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "phone.invalid"
    assert body["detail"]["field"] == "phone"
    assert "手机号" in body["message"]
    assert not Application.objects.exists()


def test_another_phone_needs_the_code_sent_to_it(world, api_as, sms_outbox):
    api = api_as(world.user("worker"))
    other_phone = "13600000009"

    refused = api.post("/applications", application_fields(world, phone=other_phone))
    assert refused.status_code == 400
    assert refused.json()["code"] == "sms.code_required"
    assert refused.json()["detail"]["field"] == "sms_code"

    code = sms_code_for(other_phone)
    accepted = api.post("/applications", application_fields(world, phone=other_phone, sms_code=code))
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["phone_verified"] is True
    assert accepted.json()["phone"] == "136****0009"


def test_a_flexible_worker_sends_no_employer(world, api_as):
    data = application_fields(world, employer_id=None, no_employer=True)

    response = api_as(world.user("worker")).post("/applications", data)

    assert response.status_code == 201
    assert response.json()["no_employer"] is True
    assert response.json()["union"]["name"] == "X社区工会联合会"
    assert response.json()["route_rule"] == "community_or_street"


def test_workers_see_only_their_own_applications(world, api_as):
    application = submitted(world)

    mine = api_as(world.user("worker")).get("/applications/mine")
    theirs = api_as(world.user("other_worker")).get("/applications/mine")

    assert [a["id"] for a in mine.json()] == [application.pk]
    assert theirs.json() == []
    assert api_as(world.user("worker")).get(f"/applications/{application.pk}").status_code == 200
    assert api_as(world.user("other_worker")).get(f"/applications/{application.pk}").status_code == 404


def test_a_worker_withdraws_their_own_application_and_nobody_elses(world, api_as):
    application = submitted(world)

    refused = api_as(world.user("other_worker")).post(f"/applications/{application.pk}/withdraw")
    assert refused.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    done = api_as(world.user("worker")).post(f"/applications/{application.pk}/withdraw")
    assert done.status_code == 200
    assert done.json()["status"] == "withdrawn"


def test_my_card_is_there_once_approved_with_a_token_that_verifies(world, api_as):
    api = api_as(world.user("worker"))
    submitted_application = submitted(world)
    assert api.get("/members/me").status_code == 404

    services.application_approve(actor=world.user("union_a_staff"), application_id=submitted_application.pk)
    response = api.get("/members/me")

    assert response.status_code == 200
    body = response.json()
    assert body["member_no"].startswith("ZJ")
    assert body["union"]["name"] == "X甲公司工会"
    membership, status = services.card_token_member(body["card_token"])
    assert status == "valid"
    assert membership is not None
    assert membership.member_no == body["member_no"]
    assert body["card_qr_text"].endswith(body["card_token"].replace(":", "%3A"))
    assert valid_id(1) not in response.content.decode()
    assert world.user("worker").phone not in response.content.decode()


def test_the_application_status_shows_the_member_number_once_approved(world, api_as):
    membership = member(world)

    response = api_as(world.user("worker")).get("/applications/mine")

    assert response.json()[0]["status"] == "approved"
    assert response.json()[0]["member_no"] == membership.member_no


def test_the_places_are_public_from_city_down_to_community(world, api_as):
    api = api_as(None)

    cities = api.get("/applications/places").json()["items"]
    districts = api.get("/applications/places", parent_id=world.city.pk).json()["items"]
    below_street = api.get("/applications/places", parent_id=world.street_x.pk).json()["items"]

    assert [c["name"] for c in cities] == ["测试市总工会"]
    assert [d["name"] for d in districts] == ["X区总工会", "Y区总工会"]
    # Union A sits under street X too, but it is no place to choose.
    assert [p["name"] for p in below_street] == ["X社区工会联合会"]
    assert api.get("/applications/places", parent_id=world.union_a.pk).status_code == 404


def test_employers_are_found_by_name_and_show_only_name_and_id(world, api_as):
    response = api_as(None).get("/applications/employers", search="甲")

    assert response.status_code == 200
    assert response.json()["items"] == [{"id": world.employer_a.pk, "name": "X甲公司"}]


def test_an_empty_employer_search_finds_nothing(world, api_as):
    assert api_as(None).get("/applications/employers", search="").status_code == 422
    assert api_as(None).get("/applications/employers", search="   ").json()["items"] == []
