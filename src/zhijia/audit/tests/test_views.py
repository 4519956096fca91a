from zhijia.organizations import services as organizations


def test_district_staff_read_their_audit_log_page_in_chinese(world, client_as):
    client = client_as(world.actor("district_x_staff"))
    client.post(f"/accounts/staff/{world.actor('union_a_staff').pk}/", {"reveal_phone": "1"})
    # an event of district Y, about its union B
    organizations.org_update(actor=world.actor("district_y_staff"), org_id=world.union_b.pk, address="乙路2号")

    response = client.get("/console/audit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    assert "审计日志" in page
    assert "pii.reveal" in page
    assert "Y乙公司工会" not in page
    assert "Y乙公司工会" in client_as(world.actor("city_staff")).get("/console/audit/").content.decode()


def test_the_page_filters_by_action(world, client_as):
    client = client_as(world.actor("city_staff"))
    client.post(f"/accounts/staff/{world.actor('union_a_staff').pk}/", {"reveal_phone": "1"})

    response = client.get("/console/audit/", {"action": "pii"})

    assert [e.action for e in response.context["page"]] == ["pii.reveal"]


def test_district_staff_do_not_see_another_districts_events(world, client_as):
    client_as(world.actor("district_y_staff")).post(
        f"/accounts/staff/{world.actor('district_y_staff').pk}/", {"reveal_phone": "1"}
    )

    response = client_as(world.actor("district_x_staff")).get("/console/audit/")

    assert all(e.org_id != world.district_y.pk for e in response.context["page"])
    assert "pii.reveal" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(db, client_as):
    response = client_as(None).get("/console/audit/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/console/audit/"


def test_a_worker_has_no_audit_page(world, client_as):
    assert client_as(world.actor("worker")).get("/console/audit/").status_code == 404
