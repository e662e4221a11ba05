"""12345 work orders in (Anhui practice): the hotline platform sends each order once or more;
one order number is one petition (201 the first time, 200 with the same petition after).
The reply and the call-back are read back from the same endpoint by order number."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import in_scope, scoped
from workflows.core.validators import validate_id_number
from workflows.discovery.api import ReferralJSONParser
from workflows.policy import petitions as rules

from .flows import PetitionFlow
from .models import DONE_STATES, Category, Petition


class WorkOrderSerializer(serializers.Serializer):
    work_order = serializers.CharField(label="工单号", max_length=40)
    body_code = serializers.CharField(label="承办单位区划代码（乡镇或县）", max_length=12)
    received_on = serializers.DateField(label="派单日期", required=False)
    enquiry = serializers.BooleanField(label="咨询类工单", required=False, default=False)
    kind = serializers.ChoiceField(label="信访类型", choices=list(rules.KIND_LABELS.items()), required=False, default="claim")
    category = serializers.ChoiceField(label="事项类别", choices=Category.choices, required=False, default=Category.OTHER)
    petitioner_name = serializers.CharField(label="来电人姓名", max_length=50)
    petitioner_id_number = serializers.CharField(label="公民身份号码", max_length=18, required=False, allow_blank=True, validators=[validate_id_number])
    petitioner_phone = serializers.CharField(label="联系电话", max_length=20, required=False, allow_blank=True)
    matter = serializers.CharField(label="诉求内容")
    request = serializers.CharField(label="诉求", required=False, allow_blank=True)

    def validate_body_code(self, code):
        region = Region.objects.filter(code=code.strip()).first()
        if region is None or not in_scope(self.context["request"].user, region.code):
            raise serializers.ValidationError(f"区划代码 {code} 不存在或不在您的辖区内")
        if region.level not in (regions.LEVEL_TOWNSHIP, regions.LEVEL_COUNTY):
            raise serializers.ValidationError(f"{region.name}不是乡镇（街道）或县（市、区），请填写承办单位的12位区划代码")
        return region

    def validate_received_on(self, day):
        if day > timezone.localdate():
            raise serializers.ValidationError("派单日期不能晚于今天")
        return day


class WorkOrderResultSerializer(serializers.Serializer):
    number = serializers.CharField(label="信访件编号")
    state = serializers.CharField(label="状态")
    due_on = serializers.DateField(label="办理期限")
    created = serializers.BooleanField(label="是否新登记")


class WorkOrderReplySerializer(serializers.Serializer):
    number = serializers.CharField(label="信访件编号")
    state = serializers.CharField(label="状态")
    state_label = serializers.CharField(label="状态说明")
    due_on = serializers.DateField(label="办理期限")
    signed_at = serializers.DateTimeField(label="签收时间", allow_null=True)
    replied_on = serializers.DateField(label="答复日期", allow_null=True)
    reply = serializers.CharField(label="答复内容")
    reply_signed_by = serializers.CharField(label="答复审签人")
    satisfaction = serializers.CharField(label="回访满意度")
    moved_to = serializers.CharField(label="转入的信访件编号")


class CanSendOrders(permissions.BasePermission):
    message = "您没有通过接口派发12345工单的权限"

    def has_permission(self, request, view):
        return request.user.has_perm("petitions.register_petition")


class WorkOrderView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    parser_classes = [ReferralJSONParser]
    permission_classes = [permissions.IsAuthenticated, CanSendOrders]

    @extend_schema(responses={200: WorkOrderReplySerializer}, summary="查询12345工单办理和答复情况（?work_order=工单号；不带参数列出在办工单）")
    def get(self, request):
        work_order = request.query_params.get("work_order", "").strip()
        if not work_order:
            # The caller's 12345 orders still in hand, for the platform to poll.
            open_orders = scoped(Petition.objects.filter(channel="hotline").exclude(state__in=[s.value for s in DONE_STATES]), request.user)
            return Response(
                {
                    "orders": [
                        {"work_order": p.work_order, "number": p.number, "state": p.state, "due_on": p.hotline_due}
                        for p in open_orders.order_by("hotline_due")[:200]
                    ]
                }
            )
        petition = scoped(Petition.objects.filter(work_order=work_order), request.user).select_related("reply_signed_by", "moved_to").first()
        if petition is None:
            return Response({"detail": "工单不存在或不在您的辖区内"}, status=status.HTTP_404_NOT_FOUND)
        signer = petition.reply_signed_by
        return Response(
            {
                "number": petition.number,
                "state": petition.state,
                "state_label": petition.get_state_display(),
                "due_on": petition.hotline_due,
                "signed_at": petition.hotline_signed_at,
                "replied_on": petition.replied_on,
                "reply": petition.opinion if petition.replied_on else "",
                "reply_signed_by": (signer.get_full_name() or signer.username) if signer else "",
                "satisfaction": petition.get_satisfaction_display() if petition.satisfaction else "",
                "moved_to": petition.moved_to.number if petition.moved_to else "",
            }
        )

    @extend_schema(request=WorkOrderSerializer, responses={201: WorkOrderResultSerializer, 200: WorkOrderResultSerializer}, summary="派发12345工单")
    def post(self, request):
        serializer = WorkOrderSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["work_order"] = data["work_order"].strip()
        existing = self._existing(request, data["work_order"])
        if existing is not None:
            return self._answer(existing, created=False)
        try:
            with transaction.atomic():
                process = PetitionFlow.receive.run(
                    body=data.pop("body_code"),
                    channel="hotline",
                    received_on=data.pop("received_on", None) or timezone.localdate(),
                    user=request.user,
                    **data,
                )
        except IntegrityError:
            # The same order arrived twice at once; the other request registered it.
            existing = self._existing(request, data["work_order"])
            if existing is None:
                raise
            return self._answer(existing, created=False)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)
        return self._answer(process.petition, created=True)

    def _existing(self, request, work_order: str):
        orders = Petition.objects.filter(work_order=work_order)
        petition = scoped(orders, request.user).first()
        if petition is None and orders.exists():
            raise serializers.ValidationError({"work_order": ["该工单号已由其他辖区登记"]})
        return petition

    def _answer(self, petition, created: bool):
        body = {"number": petition.number, "state": petition.state, "due_on": petition.hotline_due, "created": created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
