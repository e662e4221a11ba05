"""Referral API (M3): 12345 work orders and monitoring alerts become ledger leads.

Idempotent by (source, external_id): the same work order sent twice is one lead (201 the
first time, 200 with the same lead afterwards).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import in_scope, scoped
from workflows.core.validators import validate_id_number

from .flows import DiscoveryFlow
from .models import Lead, LeadSource, RiskSign

# A referral is a flat object whose deepest value is the list of risk signs.
MAX_JSON_DEPTH = 8


def json_depth(value) -> int:
    """How deeply lists and objects nest in `value`, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class ReferralJSONParser(JSONParser):
    """JSON with Chinese errors and a bound on nesting. Python's decoder recurses once per
    level: a body nested a thousand deep exhausted the stack, and a RecursionError is a 500."""

    too_deep = f"请求内容嵌套层数过深（最多 {MAX_JSON_DEPTH} 层），请按接口说明提交一个 JSON 对象"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.too_deep)
        except ParseError as error:
            cause = error.__cause__ or error.__context__
            where = f"（第 {cause.lineno} 行第 {cause.colno} 列）" if hasattr(cause, "lineno") else ""
            raise ParseError(f"请求内容不是有效的 JSON{where}，请检查格式与 UTF-8 编码")
        if json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(self.too_deep)
        if not isinstance(data, dict):
            raise ParseError("请求内容应为一个 JSON 对象（键值对），请按接口说明提交")
        return data


class ReferralSerializer(serializers.Serializer):
    source = serializers.ChoiceField(label="线索来源", choices=[(s.value, s.label) for s in (LeadSource.HOTLINE, LeadSource.MONITORING)])
    external_id = serializers.CharField(label="工单（预警）编号", max_length=64)
    village_code = serializers.CharField(label="村（社区）区划代码", max_length=12)
    person_name = serializers.CharField(label="姓名", max_length=50)
    id_number = serializers.CharField(label="公民身份号码", max_length=18, required=False, allow_blank=True, validators=[validate_id_number])
    address = serializers.CharField(label="住址", max_length=200, required=False, allow_blank=True)
    situation = serializers.CharField(label="困难情况")
    risk_signs = serializers.MultipleChoiceField(label="风险标识", choices=RiskSign.choices, required=False)
    reported_by = serializers.CharField(label="上报单位或人员", max_length=50, required=False, allow_blank=True)

    def validate_village_code(self, code):
        # Outside the caller's regions a village does not exist for them (DESIGN §4.3).
        region = Region.objects.filter(code=code.strip()).first()
        if region is None or not in_scope(self.context["request"].user, region.code):
            raise serializers.ValidationError(f"区划代码 {code} 不存在或不在您的辖区内")
        if region.level != regions.LEVEL_VILLAGE:
            raise serializers.ValidationError(f"{region.name}不是村（社区），请填写村（社区）的12位区划代码")
        return region


class ReferralResultSerializer(serializers.Serializer):
    lead = serializers.IntegerField(label="台账编号")
    state = serializers.CharField(label="状态")
    created = serializers.BooleanField(label="是否新登记")


class CanSubmitReferral(permissions.BasePermission):
    message = "您没有通过接口转办线索的权限"

    def has_permission(self, request, view):
        return request.user.has_perm("discovery.submit_referral")


class ReferralView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    parser_classes = [ReferralJSONParser]
    permission_classes = [permissions.IsAuthenticated, CanSubmitReferral]

    @extend_schema(
        request=ReferralSerializer, responses={201: ReferralResultSerializer, 200: ReferralResultSerializer}, summary="转办线索（12345工单、监测预警）"
    )
    def post(self, request):
        serializer = ReferralSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        existing = self._existing(request, data)
        if existing is not None:
            return self._answer(existing, created=False)
        data["village"] = data.pop("village_code")
        data["risk_signs"] = [s for s in RiskSign.values if s in data.get("risk_signs", ())]
        try:
            with transaction.atomic():
                lead = DiscoveryFlow.referral.run(user=request.user, **data)
        except IntegrityError:
            # The same work order arrived twice at once; the other request created it.
            existing = self._existing(request, data)
            if existing is None:
                raise
            return self._answer(existing, created=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)
        return self._answer(lead, created=True)

    def _existing(self, request, data):
        leads = Lead.objects.filter(source=data["source"], external_id=data["external_id"])
        lead = scoped(leads, request.user).first()
        if lead is None and leads.exists():
            raise serializers.ValidationError({"external_id": ["该工单（预警）编号已由其他辖区登记"]})
        return lead

    def _answer(self, lead, created: bool):
        body = {"lead": lead.pk, "state": lead.state, "created": created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
