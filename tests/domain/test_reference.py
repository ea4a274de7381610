from referral_app.domain.reference import CPS_AREAS, POLICE_FORCES


def test_forty_three_territorial_forces_and_british_transport_police() -> None:
    assert len(POLICE_FORCES) == 44
    assert len(set(POLICE_FORCES)) == 44
    assert POLICE_FORCES[-1] == "British Transport Police"


def test_fourteen_cps_areas() -> None:
    assert len(CPS_AREAS) == 14
    assert "Cymru-Wales" in CPS_AREAS
