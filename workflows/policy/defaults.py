"""Named defaults of the policy values, with the clause each comes from (DESIGN §4.2): the
local standard's defaults (``StandardValues``, ``Standard``), the organisation's thresholds,
the spot-check ratio and the payment days. The time limits of the procedures are in
``procedure``; the rule values of one subject only sit beside their rule (e.g. ``tekun``).

"以上/以下/以内/届满" include the number itself (民法典 art. 1259).
"""

from decimal import Decimal

# 特困人员认定办法 (2021): basic living standard commonly 1.3 × the local dibao standard.
TEKUN_MULTIPLIER = Decimal("1.30")
# 最低生活保障审核确认办法: marginal household below 1.5 × the dibao standard.
MARGINAL_MULTIPLIER = Decimal("1.50")
# M2: employment cost deduction applies to dibao; amount is local (demo default).
EMPLOYMENT_DEDUCTION = Decimal("200.00")
# Dibao amount rounding (local practice varies): whole yuan by default.
ROUNDING = "yuan"
# 审核确认办法 (secondary wording): rechecks yearly for stable households, every 6 months for
# the others; 特困 yearly (年审).
RECHECK_STABLE_MONTHS = 12
RECHECK_UNSTABLE_MONTHS = 6
RECHECK_TEKUN_MONTHS = 12
# M2 and the 2022 notice: gradual exit "in principle not more than 6 months".
GRADUAL_EXIT_MONTHS = 6
# Temporary relief: small-amount-first cap per township (docs/policy.md default 1,000 元).
SMALL_AMOUNT_CAP = Decimal("1000.00")
# Temporary relief: one payment up to 10 × the monthly dibao standard.
INTERIM_CAP_MULTIPLIER = Decimal("10")
# M8: the county spot-checks at least 30% of township decisions.
SPOT_CHECK_RATIO = Decimal("0.30")
# M11: one caseworker from 3000 registered people, one more per further 3000, at most 3.
CASEWORKER_POPULATION_STEP = 3000
CASEWORKER_MAX = 3
# M12: a service station from 100 long-term recipients in 皖北, 50 in 皖南.
SERVICE_STATION_THRESHOLD = {"north": 100, "south": 50}
# docs/policy.md: the six 皖北 cities (configurable list); the other ten count as 皖南 for M12.
NORTH_CITY_CODES = ("3406", "3416", "3413", "3403", "3412", "3404")
# M10: roster by the 5th, funds by the 10th, bank by the 15th.
PAYMENT_DAYS = {"roster": 5, "funds": 10, "bank": 15}

# Property limits (最低生活保障审核确认办法 art. 9; local rules decide the figures). Demo
# defaults, not from a primary text: financial assets (deposits, securities) up to 24 months
# of the dibao standard per member; no vehicle except one needed for disability or work; no
# house beyond the one lived in; no registered business assets.
FINANCIAL_ASSETS_MONTHS = 24
VEHICLE_VALUE_LIMIT = Decimal("0.00")
EXTRA_HOUSES_ALLOWED = 0
BUSINESS_VALUE_LIMIT = Decimal("0.00")
# 特困人员认定办法: no person with a legal duty to support who is able to. Ability is judged
# locally: demo default, a supporter whose monthly income reaches 2 × the local dibao
# standard is able to support (local practice, not from a primary text).
SUPPORTER_INCOME_MULTIPLIER = Decimal("2.00")
# 特困人员认定办法: the care standard depends on the self-care level; amounts are local (0 until
# a county sets them).
CARE_STANDARD = {"full": Decimal("0.00"), "partial": Decimal("0.00"), "lost": Decimal("0.00")}
# M2: income exemption for dibao households (amount local; 0 = none).
INCOME_EXEMPTION = Decimal("0.00")
# Gradual exit: "原则上不超过6个月" (2022 notice): a local length of 1–6 months.
GRADUAL_EXIT_MAX_MONTHS = 6
