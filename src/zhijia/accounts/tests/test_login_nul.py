from zhijia.testing.api import JsonClient


def test_a_login_name_with_a_nul_character_is_refused_with_422(db):
    response = JsonClient().post("/auth/login", {"login": "wor\x00ker", "password": "x"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "request.invalid"
    assert body["detail"]["field"] == "body.login"
