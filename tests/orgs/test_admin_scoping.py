"""The Django admin of a finance bureau's own administrator — a staff user with the admin permissions, no
superuser — answers by their bureau (perfeval/orgs/scoping.py): 株洲市芦淞区财政局's administrator lists and
changes the district's departments, users, periods and packs only; the city's rows do not exist for them, and no
form or autocomplete of theirs offers another bureau's rows. The city bureau's administrator reads the district
below, read-only. A superuser sees everything."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from perfeval.filing.demo import CITY, DISTRICT
from perfeval.filing.models import FilingPeriod, Report, RulePack
from perfeval.orgs.models import Department, FinanceBureau, Role, User

ADMIN_MODELS = {
    ("orgs", "department"): ("add", "change", "delete", "view"),
    ("orgs", "user"): ("add", "change", "delete", "view"),
    ("orgs", "financebureau"): ("view",),
    ("filing", "filingperiod"): ("add", "change", "delete", "view"),
    ("filing", "rulepack"): ("add", "change", "delete", "view"),
    ("filing", "report"): ("add", "view"),
}


def bureau_administrator(username: str, bureau_code: str) -> User:
    """A real staff account of the bureau with the admin permissions granted one by one."""
    user = User.objects.create_user(
        username,
        password="x",
        role=Role.ADMINISTRATOR,
        bureau=FinanceBureau.objects.get(code=bureau_code),
        is_staff=True,
    )
    for (app, model), actions in ADMIN_MODELS.items():
        codenames = [f"{action}_{model}" for action in actions]
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label=app, codename__in=codenames)
        )
    assert not user.is_superuser
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def district(demo_report):
    return client_of(bureau_administrator("lusong_admin", DISTRICT))


@pytest.fixture
def city(demo_report):
    return client_of(bureau_administrator("city_admin", CITY))


@pytest.fixture
def city_pack():
    """A pack of the city bureau's own, beside the shipped ones."""
    shipped = RulePack.objects.filter(bureau__isnull=True).first()
    return RulePack.objects.create(
        code=shipped.code,
        version=900,
        name="株洲市自定规则",
        definition={**shipped.definition, "version": 900},
        bureau=FinanceBureau.objects.get(code=CITY),
    )


def listed(client, model: str, app: str = "orgs") -> list:
    response = client.get(reverse(f"admin:{app}_{model}_changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def autocomplete(client, model: str, field: str, app: str = "orgs") -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    return [row["text"] for row in json.loads(response.content)["results"]]


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def test_changelists_list_only_the_own_bureaus_rows(district, city_pack):
    assert [d.code for d in listed(district, "department")] == ["lsjyj"]
    assert sorted(u.username for u in listed(district, "user")) == ["lusong_admin", "lusong_reviewer"]
    assert [b.code for b in listed(district, "financebureau")] == [DISTRICT]
    assert [(p.bureau.code, p.year) for p in listed(district, "filingperiod", "filing")] == [(DISTRICT, 2023)]
    packs = listed(district, "rulepack", "filing")
    assert packs and all(p.bureau_id is None for p in packs)  # the shipped ones, not the city's
    page = district.get(reverse("admin:orgs_department_changelist")).content.decode()
    assert "株洲市信访局" not in page and "株洲市财政局" not in page.replace("株洲市芦淞区财政局", "")


def test_another_bureaus_department_does_not_exist_for_them(district):
    city_department = department("zzxfj")
    for name in ("change", "delete", "history"):
        response = district.get(reverse(f"admin:orgs_department_{name}", args=[city_department.pk]))
        assert (response.status_code, response.url) == (302, reverse("admin:index"))
    response = district.post(
        reverse("admin:orgs_department_change", args=[city_department.pk]),
        {"name": "改名", "code": "zzxfj", "bureau": city_department.bureau_id},
    )
    assert (response.status_code, response.url) == (302, reverse("admin:index"))
    district.post(reverse("admin:orgs_department_delete", args=[city_department.pk]), {"post": "yes"})
    assert department("zzxfj").name == "株洲市信访局"
    city_user = User.objects.get(username="reviewer")
    response = district.get(reverse("admin:orgs_user_change", args=[city_user.pk]))
    assert (response.status_code, response.url) == (302, reverse("admin:index"))


def test_creating_a_department_in_another_bureau_is_refused(district):
    own, other = FinanceBureau.objects.get(code=DISTRICT), FinanceBureau.objects.get(code=CITY)
    add = reverse("admin:orgs_department_add")
    assert district.get(add).context["adminform"].form.initial["bureau"] == own.pk
    response = district.post(add, {"name": "市外单位", "code": "sw", "bureau": other.pk})
    assert response.status_code == 200
    assert "bureau" in response.context["adminform"].form.errors
    response = district.post(
        add, {"name": "市外单位", "code": "sw", "bureau": own.pk, "parent": department("zzmzj").pk}
    )
    assert "parent" in response.context["adminform"].form.errors
    response = district.post(add, {"name": "无财政部门", "code": "sw", "bureau": ""})
    assert "bureau" in response.context["adminform"].form.errors
    assert not Department.objects.filter(code="sw").exists()

    response = district.post(add, {"name": "芦淞区新单位", "code": "lsxdw", "bureau": own.pk})
    assert response.status_code == 302
    assert department("lsxdw").bureau == own


def test_a_user_is_not_moved_to_another_bureau(district):
    reviewer = User.objects.get(username="lusong_reviewer")
    change = reverse("admin:orgs_user_change", args=[reviewer.pk])
    form = district.get(change).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data |= {
        "bureau": FinanceBureau.objects.get(code=CITY).pk,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = district.post(change, data)
    assert response.status_code == 200 and "bureau" in response.context["adminform"].form.errors
    data |= {"bureau": "", "role": Role.PREPARER, "department": department("zzxfj").pk}
    response = district.post(change, data)
    assert "department" in response.context["adminform"].form.errors
    reviewer.refresh_from_db()
    assert (reviewer.bureau.code, reviewer.department) == (DISTRICT, None)

    data |= {
        "bureau": reviewer.bureau_id,
        "role": Role.REVIEWER,
        "department": "",
        "full_name": "芦淞区审核人",
    }
    assert district.post(change, data).status_code == 302
    reviewer.refresh_from_db()
    assert (reviewer.full_name, reviewer.bureau.code, reviewer.is_superuser) == (
        "芦淞区审核人",
        DISTRICT,
        False,
    )
    add = district.get(reverse("admin:orgs_user_add")).context["adminform"].form
    assert add.initial["bureau"] == reviewer.bureau_id


def test_autocomplete_offers_only_the_own_bureaus_rows(district):
    assert autocomplete(district, "department", "bureau") == ["株洲市芦淞区财政局"]
    assert autocomplete(district, "department", "parent") == ["株洲市芦淞区教育局"]
    assert autocomplete(district, "user", "department") == ["株洲市芦淞区教育局"]
    assert autocomplete(district, "user", "bureau") == ["株洲市芦淞区财政局"]


def test_a_period_form_offers_the_own_bureau_its_packs_and_departments(district, city_pack):
    form = district.get(reverse("admin:filing_filingperiod_add")).context["adminform"].form
    assert list(form.fields["bureau"].queryset.values_list("code", flat=True)) == [DISTRICT]
    assert form.initial["bureau"] == FinanceBureau.objects.get(code=DISTRICT).pk
    assert city_pack not in form.fields["rule_pack"].queryset
    assert all(p.bureau_id is None for p in form.fields["rule_pack"].queryset)
    assert list(form.fields["departments"].queryset.values_list("code", flat=True)) == ["lsjyj"]


def test_a_new_report_is_of_the_own_bureau(district):
    add = reverse("admin:filing_report_add")
    form = district.get(add).context["adminform"].form
    assert list(form.fields["department"].queryset.values_list("code", flat=True)) == ["lsjyj"]
    assert list(form.fields["period"].queryset.values_list("bureau__code", flat=True)) == [DISTRICT]
    city_period = FilingPeriod.objects.get(bureau__code=CITY, year=2023, kind="department")
    response = district.post(add, {"department": department("zzsfj").pk, "period": city_period.pk})
    assert set(response.context["adminform"].form.errors) == {"department", "period"}
    assert not Report.objects.filter(department__code="zzsfj").exists()


def test_shipped_packs_and_bureaus_are_read_only(district):
    shipped = RulePack.objects.filter(bureau__isnull=True).first()
    page = district.get(reverse("admin:filing_rulepack_change", args=[shipped.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = district.post(reverse("admin:filing_rulepack_change", args=[shipped.pk]), {"name": "改名"})
    assert response.status_code == 403
    bureau = FinanceBureau.objects.get(code=DISTRICT)
    response = district.post(reverse("admin:orgs_financebureau_change", args=[bureau.pk]), {"name": "改名"})
    assert response.status_code == 403
    assert district.get(reverse("admin:orgs_financebureau_add")).status_code == 403
    assert RulePack.objects.get(pk=shipped.pk).name == shipped.name


def test_the_city_reads_the_district_below_read_only(city):
    assert sorted(d.code for d in listed(city, "department")) == [
        "lsjyj",
        "zzmzj",
        "zzsfj",
        "zzsfly",
        "zzxfj",
    ]
    below = department("lsjyj")
    page = city.get(reverse("admin:orgs_department_change", args=[below.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = city.post(
        reverse("admin:orgs_department_change", args=[below.pk]),
        {"name": "改名", "code": "lsjyj", "bureau": below.bureau_id},
    )
    assert response.status_code == 403
    bulk = city.post(
        reverse("admin:orgs_department_changelist"),
        {"action": "delete_selected", "_selected_action": [below.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert department("lsjyj").name == "株洲市芦淞区教育局"
    assert autocomplete(city, "department", "bureau") == ["株洲市财政局"]


def test_a_superusers_account_is_read_only_to_a_bureau_administrator(city):
    superuser = User.objects.get(username="admin")
    assert superuser.is_superuser
    page = city.get(reverse("admin:orgs_user_change", args=[superuser.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = city.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "a-new-secret-9", "password2": "a-new-secret-9"},
    )
    assert response.status_code == 403
    own = User.objects.get(username="reviewer")
    form = city.get(reverse("admin:orgs_user_change", args=[own.pk])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_a_superuser_sees_every_bureau(client, administrator, demo_report):
    client.force_login(administrator)
    assert len(listed(client, "department")) == Department.objects.count()
    assert len(listed(client, "filingperiod", "filing")) == FilingPeriod.objects.count()
    assert autocomplete(client, "department", "bureau") == ["株洲市财政局", "株洲市芦淞区财政局"]


def test_the_period_action_refuses_a_period_of_the_bureau_below(city):
    below = FilingPeriod.objects.get(bureau__code=DISTRICT, year=2023, kind="department")
    response = city.post(
        reverse("admin:filing_filingperiod_changelist"),
        {"action": "create_period_reports", "_selected_action": [below.pk]},
        follow=True,
    )
    assert "不是本财政部门的填报期" in response.content.decode()
    assert not Report.objects.filter(period=below).exists()
