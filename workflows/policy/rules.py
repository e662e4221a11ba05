"""Rules that decide, as pure functions (DESIGN §3): no Django, no database, no settings.

This module gathers them under one name, ``workflows.policy.rules``; each rule lives in the
module of its subject, beside the clause it comes from:

* ``money``: Decimal amounts, rounding of a benefit;
* ``facts``: vocabulary, the household's facts, the local standard (``StandardValues``);
* ``income``: counted income, exemptions, employment deduction, per-capita income;
* ``assets``: property within the local limits;
* ``dibao``: dibao eligibility and amount, 低保边缘, 单人户, ``assess`` (the hot path);
* ``tekun``: 特困 eligibility, inability to work, supporters, self-care levels;
* ``outcome``: ``application_outcome``, one decision per kind of application;
* ``exit``: gradual exit (渐退);
* ``organisation``: caseworkers (M11), service stations and 皖北/皖南 (M12), the joint
  review group and its quorum and majority (M8);
* ``recheck``: when a beneficiary is rechecked, the events and outcomes of a recheck;
* ``relief``: the caps of interim temporary relief (M6);
* ``sampling``: the county's 30% spot check (M8);
* ``procedure``: the time limits of the procedures and the month paid from.

Names added to the subject modules since (the review group's rules, the time limits) are
imported from their own module, not from here.

Sources (see docs/policy.md):

* M1…M15: 安徽省民政厅等《关于进一步加强社会救助工作的若干措施》（皖民社救字〔2022〕46号）;
* 最低生活保障审核确认办法 (民政部, 2021) and the 2022 notice;
* 特困人员认定办法 (民政部, 2021).

"以上/以下/以内/届满" include the number itself (民法典 art. 1259); "低于/超过" do not.
"""

from __future__ import annotations

# Names this module has always had from its own imports; kept so that nothing reading them
# through ``rules`` breaks.
import hashlib  # noqa: F401
import random  # noqa: F401
from collections.abc import Mapping  # noqa: F401
from dataclasses import dataclass, field  # noqa: F401
from datetime import date  # noqa: F401
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal  # noqa: F401
from typing import NamedTuple  # noqa: F401

from . import defaults  # noqa: F401
from .assets import PropertyCheck, property_check
from .dibao import (
    Assessment,
    assess,
    dibao_amount,
    is_dibao_eligible,
    is_marginal,
    single_person_amount,
    single_person_candidates,
    single_person_eligible_member,
)
from .exit import GradualExit, gradual_exit, gradual_exit_end
from .facts import (
    ASSET_KIND_LABELS,
    DISABILITY_LABELS,
    DISABILITY_TYPES,
    EARNED_INCOME_KINDS,
    EXEMPT_INCOME_KINDS,
    FINANCIAL_ASSET_KINDS,
    INCOME_KIND_LABELS,
    SUPPORT_DUTY_LABELS,
    AssetFacts,
    HouseholdFacts,
    IncomeFacts,
    MemberFacts,
    StandardValues,
    SupporterFacts,
)
from .income import exact_per_capita_income, member_counted_income, per_capita_income
from .money import CENT, ROUNDING_LABELS, ROUNDING_STEPS, ZERO, round_amount
from .organisation import ANHUI_CITY_CODES, AREA_LABELS, area_of_city, caseworkers_required, needs_service_station
from .outcome import APPLICATION_KIND_LABELS, APPLICATION_KINDS, Outcome, application_outcome
from .recheck import income_stable, next_recheck_date, recheck_interval_months
from .relief import Caps, above_interim_cap, interim_cap
from .sampling import draw_spot_check_sample, spot_check_size
from .tekun import (
    ELDERLY_AGE,
    MINOR_AGE,
    MINOR_SUPPORT_AGE,
    SELF_CARE_ACTIVITIES,
    SELF_CARE_LABELS,
    SELF_CARE_LEVEL_LABELS,
    able_supporters,
    has_able_supporter,
    self_care_level,
    supporter_able,
    tekun_eligible,
    unable_to_work,
)

__all__ = [
    "income_stable",
    "next_recheck_date",
    "recheck_interval_months",
    "Caps",
    "above_interim_cap",
    "interim_cap",
    "ANHUI_CITY_CODES",
    "APPLICATION_KINDS",
    "APPLICATION_KIND_LABELS",
    "AREA_LABELS",
    "ASSET_KIND_LABELS",
    "Assessment",
    "AssetFacts",
    "CENT",
    "DISABILITY_LABELS",
    "DISABILITY_TYPES",
    "EARNED_INCOME_KINDS",
    "ELDERLY_AGE",
    "EXEMPT_INCOME_KINDS",
    "FINANCIAL_ASSET_KINDS",
    "GradualExit",
    "HouseholdFacts",
    "INCOME_KIND_LABELS",
    "IncomeFacts",
    "MINOR_AGE",
    "MINOR_SUPPORT_AGE",
    "MemberFacts",
    "Outcome",
    "PropertyCheck",
    "ROUNDING_LABELS",
    "ROUNDING_STEPS",
    "SELF_CARE_ACTIVITIES",
    "SELF_CARE_LABELS",
    "SELF_CARE_LEVEL_LABELS",
    "SUPPORT_DUTY_LABELS",
    "StandardValues",
    "SupporterFacts",
    "ZERO",
    "able_supporters",
    "application_outcome",
    "area_of_city",
    "assess",
    "caseworkers_required",
    "dibao_amount",
    "draw_spot_check_sample",
    "exact_per_capita_income",
    "gradual_exit",
    "gradual_exit_end",
    "has_able_supporter",
    "is_dibao_eligible",
    "is_marginal",
    "member_counted_income",
    "needs_service_station",
    "per_capita_income",
    "property_check",
    "round_amount",
    "self_care_level",
    "single_person_amount",
    "single_person_candidates",
    "single_person_eligible_member",
    "spot_check_size",
    "supporter_able",
    "tekun_eligible",
    "unable_to_work",
]
