"""Departments that can push (M1: 数据共享) send their feed here, with a per-department token
and the same checks as a file uploaded by hand:

    POST /api/monitoring/feeds/   Authorization: Department <token>
         multipart: county=340121000000, month=2026-11, file=<CSV or xlsx>
    → 201 {"feed": 12, "rows": …, "matched": …, "signals": …, "duplicates": …, "actions": …}
      200 with the first feed's figures when the same file was sent before
      400 {"detail": "<Chinese message listing the rows>"} and nothing applied

    GET /api/monitoring/layout/   the published layout: columns, event and department codes
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from workflows.core import regions
from workflows.core.models import Region
from workflows.policy import monitoring as rules

from . import services
from .models import Department, EventKind, Via


class DepartmentTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Department"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("接口令牌格式应为“Department <令牌>”")
        department = services.department_for_token(header[1])
        if department is None:
            raise exceptions.AuthenticationFailed("接口令牌无效或部门已停用")
        return services.system_account(department), department

    def authenticate_header(self, request):
        return self.keyword


class DepartmentTokenScheme(OpenApiAuthenticationExtension):
    """The published schema names the department token (/api/schema/)."""

    target_class = DepartmentTokenAuthentication
    name = "DepartmentToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Department <部门接口令牌>（manage.py issue_department_token 签发）"}


class IsDepartment(permissions.BasePermission):
    message = "请使用部门接口令牌报送比对数据"

    def has_permission(self, request, view):
        return isinstance(request.auth, Department)


class FeedUploadSerializer(serializers.Serializer):
    county = serializers.CharField(label="县（市、区）区划代码", max_length=12)
    month = serializers.CharField(label="数据月份（YYYY-MM）", max_length=7)
    file = serializers.FileField(label="数据文件（CSV 或 xlsx）")

    def validate_county(self, code):
        region = Region.objects.filter(code=code.strip(), level=regions.LEVEL_COUNTY).first()
        if region is None:
            raise serializers.ValidationError(f"区划代码 {code} 不是县（市、区）")
        return region

    def validate_month(self, text):
        try:
            return services.parse_month(text)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages)


class FeedResultSerializer(serializers.Serializer):
    feed = serializers.IntegerField(label="比对批次")
    rows = serializers.IntegerField(label="行数")
    matched = serializers.IntegerField(label="比中本地人员")
    signals = serializers.IntegerField(label="新预警")
    duplicates = serializers.IntegerField(label="重复（已有预警或文件内重复）")
    actions = serializers.IntegerField(label="需处置")


class FeedView(APIView):
    # A signed-in member of staff is answered 403 (this is the departments' door), not 401.
    authentication_classes = [DepartmentTokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [IsDepartment]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": FeedUploadSerializer}, responses={200: FeedResultSerializer, 201: FeedResultSerializer})
    def post(self, request):
        form = FeedUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            result = services.import_feed(
                department=request.auth, county=data["county"], month=data["month"], data=data["file"], filename=data["file"].name, user=None, via=Via.API
            )
        except DjangoValidationError as error:
            return Response({"detail": "\n".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        body = {
            "feed": result.feed.pk,
            "rows": result.rows,
            "matched": result.matched,
            "signals": result.signals,
            "duplicates": result.duplicates,
            "actions": result.actions,
        }
        return Response(body, status=status.HTTP_201_CREATED if result.applied else status.HTTP_200_OK)


class LayoutView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request):
        return Response(
            {
                "columns": [{"name": c, "label": rules.COLUMN_LABELS[c]} for c in rules.COLUMNS],
                "encoding": "UTF-8（GB18030 亦可）或 xlsx（首个工作表）",
                "events": [
                    {"code": e.code, "name": e.name, "department": e.department.code if e.department else None}
                    for e in EventKind.objects.select_related("department")
                ],
                "departments": [{"code": d.code, "name": d.name} for d in Department.objects.filter(active=True)],
                "medical_cost_yuan": str(services.medical_cost_yuan()),
            }
        )
