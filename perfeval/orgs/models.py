from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Department(models.Model):
    """A 预算单位; ``parent`` is its 主管部门."""

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


DEPARTMENT_ROLES = (Role.PREPARER, Role.HEAD)
BUREAU_ROLES = (Role.REVIEWER, Role.ADMINISTRATOR)


class User(AbstractUser):
    """A person: a department's preparer or head, or the finance bureau's reviewer or administrator."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.PREPARER)
    department = models.ForeignKey(
        Department,
        verbose_name="所属单位",
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
            # Department people belong to a department; finance-bureau people to none.
            models.CheckConstraint(
                name="user_department_matches_role",
                condition=(Q(role__in=[r.value for r in DEPARTMENT_ROLES]) & Q(department__isnull=False))
                | (Q(role__in=[r.value for r in BUREAU_ROLES]) & Q(department__isnull=True))
                | Q(is_superuser=True),
            )
        ]

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
