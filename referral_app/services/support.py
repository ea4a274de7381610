"""The support services the app ships, read once from ``resources/support_services.json``, and
the one-page handout for the survivor.

The handout holds nothing about the survivor (no name, no reference, no marking): it can be
handed over or left anywhere. It lists the services chosen for the case, or all of them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from string import Template

from referral_app.domain.dates import describe_day
from referral_app.domain.support import SupportList, SupportService
from referral_app.services.resources import read_resource


@cache
def support_list() -> SupportList:
    return SupportList.from_dict(json.loads(read_resource("support_services.json")))


def service_html(service: SupportService) -> str:
    contact = " · ".join(html.escape(line) for line in service.contact_lines())
    return (
        f'<p class="service"><b>{html.escape(service.name)}</b>: {contact}<br/>'
        f"{html.escape(service.offers)} For: {html.escape(service.who_for)}</p>"
    )


def handout_html(services: Sequence[SupportService], today: date) -> str:
    support = support_list()
    note = support.age_note(today)
    checked = f"These details were last checked on {describe_day(support.checked)}."
    return Template(read_resource("handout.html")).substitute(
        services="".join(service_html(service) for service in services),
        checked=html.escape(f"{checked} {note}".strip()),
    )
