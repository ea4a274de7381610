"""Reference lists from the Panel's rules: who can have made the decision."""

from __future__ import annotations

#: The 43 territorial police forces of England and Wales, and British Transport Police.
POLICE_FORCES: tuple[str, ...] = (
    "Avon and Somerset",
    "Bedfordshire",
    "Cambridgeshire",
    "Cheshire",
    "City of London",
    "Cleveland",
    "Cumbria",
    "Derbyshire",
    "Devon and Cornwall",
    "Dorset",
    "Durham",
    "Dyfed-Powys",
    "Essex",
    "Gloucestershire",
    "Greater Manchester",
    "Gwent",
    "Hampshire and Isle of Wight",
    "Hertfordshire",
    "Humberside",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Merseyside",
    "Metropolitan Police Service",
    "Norfolk",
    "North Wales",
    "North Yorkshire",
    "Northamptonshire",
    "Northumbria",
    "Nottinghamshire",
    "South Wales",
    "South Yorkshire",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Sussex",
    "Thames Valley",
    "Warwickshire",
    "West Mercia",
    "West Midlands",
    "West Yorkshire",
    "Wiltshire",
    "British Transport Police",
)

CPS_AREAS: tuple[str, ...] = (
    "Cymru-Wales",
    "East Midlands",
    "East of England",
    "London North",
    "London South",
    "Mersey-Cheshire",
    "North East",
    "North West",
    "South East",
    "South West",
    "Thames and Chiltern",
    "Wessex",
    "West Midlands",
    "Yorkshire and Humberside",
)

#: The forces and CPS Area that serve Wales, where a survivor may ask for Welsh.
WELSH_FORCES: frozenset[str] = frozenset({"Dyfed-Powys", "Gwent", "North Wales", "South Wales"})
WELSH_CPS_AREA = "Cymru-Wales"

#: Forces renamed or merged since older cases were decided, for finding who holds the records
#: now: (the force then, the force now, when). Only changes confirmed by a source are listed
#: (source ``force-history`` in ``domain/sources.py``).
FORCE_CHANGES: tuple[tuple[str, str, str], ...] = (
    ("Hampshire Constabulary", "Hampshire and Isle of Wight Constabulary", "2022"),
    ("Dyfed-Powys Constabulary", "Dyfed-Powys Police", "1974"),
    (
        "Manchester and Salford Police, and parts of the Lancashire, Cheshire and West "
        "Yorkshire forces",
        "Greater Manchester Police",
        "1 April 1974",
    ),
)
