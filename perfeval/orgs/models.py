from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q


class BureauLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县区级"


class FinanceBureau(models.Model):
    """A 财政部门 running its own filing season: its departments, periods, rule packs and reviewers. A bureau
    reads the reports of the bureaus below it (``parent``), never acts on them."""

    name = models.CharField("名称", max_length=100)
    code = models.SlugField("代码", max_length=50, unique=True)
    level = models.CharField("级次", max_length=10, choices=BureauLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级财政部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The administrative region as rule packs state theirs (e.g. 湖南省株洲市): opening a period with a pack
    # made for another region needs a confirmation.
    region = models.CharField("行政区域", max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "财政部门"
        constraints = [
            models.CheckConstraint(name="financebureau_not_own_parent", condition=~Q(parent=F("pk")))
        ]

    def __str__(self):
        return self.name


class Department(models.Model):
    """A 预算单位 of one finance bureau; ``parent`` is its 主管部门, whose reviewer sees the unit's report
    before the bureau does."""

    name = models.CharField("单位名称", max_length=200)
    code = models.SlugField("预算单位编码", max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="主管部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Null only for a department not yet given to a bureau: no bureau user sees it until it is.
    bureau = models.ForeignKey(
        FinanceBureau,
        verbose_name="财政部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="departments",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "预算单位"

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    PREPARER = "preparer", "填报人"
    HEAD = "head", "单位负责人"
    REVIEWER = "reviewer", "财政审核人"
    ADMINISTRATOR = "administrator", "财政管理员"
    SUPERVISOR = "supervisor", "主管部门审核人"


DEPARTMENT_ROLES = (Role.PREPARER, Role.HEAD)
BUREAU_ROLES = (Role.REVIEWER, Role.ADMINISTRATOR)
# The 主管部门's reviewer belongs to the 主管部门 (a department with units under it) and reviews those units'
# reports before they reach the finance bureau; they are no member of any report.
SUPERVISOR_ROLES = (Role.SUPERVISOR,)


class User(AbstractUser):
    """A person: a department's preparer or head, a 主管部门's reviewer, or a finance bureau's reviewer or
    administrator."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.PREPARER)
    department = models.ForeignKey(
        Department,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    bureau = models.ForeignKey(
        FinanceBureau,
        verbose_name="所属财政部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField("姓名", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            # Department people (and a 主管部门's reviewer) belong to a department and no bureau; finance-bureau
            # people to a bureau and no department. A superuser operates the installation: any or none.
            models.CheckConstraint(
                name="user_department_matches_role",
                condition=(
                    Q(role__in=[r.value for r in (*DEPARTMENT_ROLES, *SUPERVISOR_ROLES)])
                    & Q(department__isnull=False)
                    & Q(bureau__isnull=True)
                )
                | (
                    Q(role__in=[r.value for r in BUREAU_ROLES])
                    & Q(department__isnull=True)
                    & Q(bureau__isnull=False)
                )
                | Q(is_superuser=True),
            )
        ]

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
