"""Which finance bureaus a user reads, and the Django admin that answers by it: written once here, below filing,
so that perfeval.filing.access (reports, periods, departments) and the admins of every app ask the same.

A staff user who is no superuser works in the admin as their bureau's administrator: they change the rows of
their own bureau (departments, users, filing periods, rule packs), read those of the bureaus below, and never
see another bureau's rows — a change or delete URL of one answers as a row that does not exist. What their
forms offer to point at (a department's bureau or 主管部门, a user's bureau or department, a period's bureau,
rule pack and departments) is their own bureau's, so nothing they save lands in another bureau. The finance
bureaus themselves and the rule packs shipped with the product are read-only to them; so are superusers'
accounts and the permission fields of any account. A superuser sees and changes everything.
"""

from django.db.models import Q

from perfeval.orgs.models import BUREAU_ROLES, FinanceBureau


def bureau_ids_seen_by(user) -> frozenset[int] | None:
    """The bureaus whose rows ``user`` reads: their own and every bureau below it; None for a superuser
    (every bureau); empty for anyone else. Kept on the user object for the request."""
    if not user.is_authenticated or not (user.is_superuser or user.role in BUREAU_ROLES):
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_perfeval_bureau_ids", None)
    if cached is None or cached[0] != user.bureau_id:
        children: dict[int | None, list[int]] = {}
        for pk, parent in FinanceBureau.objects.order_by().values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        seen, todo = set(), [user.bureau_id] if user.bureau_id else []
        while todo:
            pk = todo.pop()
            if pk not in seen:
                seen.add(pk)
                todo.extend(children.get(pk, ()))
        cached = user._perfeval_bureau_ids = (user.bureau_id, frozenset(seen))
    return cached[1]


def own_bureau_id(user) -> int | None:
    """The one bureau whose rows ``user`` changes: their own, if they are a bureau's person."""
    ids = bureau_ids_seen_by(user)
    return user.bureau_id if ids and user.bureau_id in ids else None


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def offer_choices(admin_site, db_field, request, kwargs: dict) -> None:
    """In a ModelAdmin's ``formfield_for_foreignkey``/``formfield_for_manytomany``: a relation to a model whose
    admin is bureau-scoped offers what that admin's :meth:`BureauScopedAdmin.choices` allows ``request.user``."""
    target = admin_site._registry.get(db_field.related_model)
    if isinstance(target, BureauScopedAdmin) and not request.user.is_superuser:
        queryset = kwargs.get("queryset", db_field.related_model._default_manager.all())
        kwargs["queryset"] = target.choices(request, queryset)


class BureauScopedAdmin:
    """A ModelAdmin mixin (before ``admin.ModelAdmin``) for models that belong to a finance bureau through
    ``bureau_path``. The admin of a model that is pointed at (a ForeignKey or ManyToMany of another scoped
    admin's form, or an autocomplete) offers :meth:`choices`."""

    bureau_path = "bureau"  # the lookup from a row to its FinanceBureau
    shared_q: Q | None = None  # rows every bureau reads and none changes (the shipped rule packs)

    # ---------------------------------------------------------------- what a row belongs to

    def bureau_q(self, ids) -> Q:
        return Q(**{f"{self.bureau_path}__in": ids})

    def bureau_of(self, obj) -> int | None:
        return getattr(obj, f"{self.bureau_path}_id")

    def may_change_row(self, request, obj) -> bool:
        own = own_bureau_id(request.user)
        return request.user.is_superuser or (own is not None and self.bureau_of(obj) == own)

    # ---------------------------------------------------------------- what is listed and offered

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = bureau_ids_seen_by(request.user)
        if ids is None:
            return queryset
        visible = self.bureau_q(ids)
        return queryset.filter((visible | self.shared_q) if self.shared_q is not None else visible)

    def choices(self, request, queryset):
        """The rows a form of ``request.user`` may point at: their own bureau's (and the shared ones)."""
        if request.user.is_superuser:
            return queryset
        own = self.bureau_q([own_bureau_id(request.user)])
        return queryset.filter((own | self.shared_q) if self.shared_q is not None else own)

    def get_search_results(self, request, queryset, search_term):
        if _is_autocomplete(request):
            queryset = self.choices(request, queryset)
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        offer_choices(self.admin_site, db_field, request, kwargs)
        if db_field.name == self.bureau_path and self.bureau_required(request):
            kwargs["required"] = True  # a row left without a bureau would leave its bureau's hands
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        offer_choices(self.admin_site, db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def bureau_required(self, request) -> bool:
        return not request.user.is_superuser

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = own_bureau_id(request.user)
        if own is not None and self.bureau_path != "pk":
            initial.setdefault(self.bureau_path, own)
        return initial

    # ---------------------------------------------------------------- what may change

    def has_add_permission(self, request, *args):
        allowed = super().has_add_permission(request, *args)
        return allowed and (request.user.is_superuser or own_bureau_id(request.user) is not None)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_change_row(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_change_row(request, obj))

    def get_deleted_objects(self, objs, request):
        """A bulk delete over rows of a bureau below (or shared rows) is refused like a missing permission."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not all(self.may_change_row(request, obj) for obj in objs):
            perms_needed = {*perms_needed, str(self.model._meta.verbose_name)}
        return deleted, counts, perms_needed, protected
