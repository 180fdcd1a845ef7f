"""dossiers.office.intake: counter intake is for the receiving agency's one-stop desk only."""

QUEUE = "/workspace/dossiers/"


def test_counter_intake_is_for_desk_officers(demo, procedure, sign_in):
    assert sign_in("motcua.ducxuan").get(QUEUE + "counter/").status_code == 200
    for username in ("tuphap.ducxuan", "chutich.ducxuan", "vanthu.ducxuan"):
        assert sign_in(username).get(QUEUE + "counter/").status_code == 404, username


def test_another_agencys_counter_form_is_404(demo, procedure, sign_in):
    other = sign_in("motcua.backan")  # Phường Bắc Kạn also handles the procedure, but not for Đức Xuân
    assert other.get(f"{QUEUE}counter/{demo.agencies['01840'].pk}/{procedure.pk}/").status_code == 404
    assert other.get(f"{QUEUE}counter/{demo.agencies['01837'].pk}/{procedure.pk}/").status_code == 200
