"""Each leader opens their own dashboard: the chairman of the province every one, a department's
director and a commune's chairman their agency's only; other pages are not found (404)."""

from dashboards.demo import load_demo


def test_the_chairman_of_the_province_opens_the_province_and_any_agency(demo, sign_in):
    load_demo()
    client = sign_in("chutich.tinh")
    assert client.get("/workspace/dashboards/").url == "/workspace/dashboards/province/"
    page = client.get("/workspace/dashboards/province/")
    assert page.status_code == 200
    assert demo.agencies["01837"].name in page.content.decode()  # the ranked communes
    assert client.get(f"/workspace/dashboards/agencies/{demo.agencies['01840'].pk}/").status_code == 200
    assert client.get("/workspace/dashboards/indices/").status_code == 200


def test_a_commune_chairman_sees_only_his_commune(demo, sign_in):
    client = sign_in("chutich.ducxuan")
    own = demo.agencies["01840"]
    assert client.get("/workspace/dashboards/").url == f"/workspace/dashboards/agencies/{own.pk}/"
    page = client.get(f"/workspace/dashboards/agencies/{own.pk}/")
    assert page.status_code == 200
    assert demo.agencies["01837"].name not in page.content.decode()
    assert client.get("/workspace/dashboards/province/").status_code == 404
    assert client.get(f"/workspace/dashboards/agencies/{demo.agencies['01837'].pk}/").status_code == 404
    assert client.get(f"/workspace/dashboards/agencies/{demo.agencies['STP'].pk}/").status_code == 404


def test_a_director_sees_his_department_and_a_specialist_nothing(demo, sign_in):
    director = sign_in("giamdoc.stp")
    assert director.get(f"/workspace/dashboards/agencies/{demo.agencies['STP'].pk}/").status_code == 200
    assert director.get(f"/workspace/dashboards/agencies/{demo.agencies['SXD'].pk}/").status_code == 404
    assert director.get("/workspace/dashboards/indices/dti/1/").status_code == 404
    specialist = sign_in("chuyenvien.stp")
    assert specialist.get("/workspace/dashboards/").status_code == 404
    assert specialist.get("/workspace/dashboards/indices/").status_code == 404
